import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Usage {
  /** Sum of the files' sizes. */
  readonly bytes: number;
  /** What the file system allocated for them (whole blocks). */
  readonly allocated: number;
  readonly files: number;
}

const EMPTY: Usage = { bytes: 0, allocated: 0, files: 0 };

function add(a: Usage, b: Usage): Usage {
  return { bytes: a.bytes + b.bytes, allocated: a.allocated + b.allocated, files: a.files + b.files };
}

/** Every file under `dir`, recursively (a missing directory uses nothing). */
export function diskUsage(dir: string): Usage {
  let total = EMPTY;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return EMPTY;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total = add(total, diskUsage(path));
    else if (entry.isFile()) {
      const s = statSync(path);
      total = add(total, { bytes: s.size, allocated: s.blocks * 512, files: 1 });
    }
  }
  return total;
}

/** The repo storage's usage of one document (its files live under `<id[0..2]>/<id[2..]>/`). */
export function documentUsage(automergeDir: string, documentId: string): Usage {
  return diskUsage(join(automergeDir, documentId.slice(0, 2), documentId.slice(2)));
}
