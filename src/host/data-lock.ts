import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * One process at a time owns a terminal's data directory: the running terminal, or `caja upload`
 * / `caja provision` when no terminal runs. Two owners would each hold their own automerge repo
 * and fiscal ledger over the same files. The lock is a file created exclusively with the owner's
 * pid; a lock whose process is gone (a SIGKILL, a power cut) is stale and taken over.
 */
export class DataDirBusyError extends Error {
  readonly reason = 'data-dir-busy';
  constructor(
    readonly holder: LockHolder,
    dataDir: string,
  ) {
    super(
      `${dataDir} is in use by ${holder.command} (pid ${holder.pid}, since ${holder.since}): stop it first, or use its screen`,
    );
  }
}

const holderSchema = z.strictObject({
  pid: z.number().int().positive(),
  command: z.string().max(100),
  since: z.string().max(40),
});
export type LockHolder = z.infer<typeof holderSchema>;

export interface DataDirLock {
  release(): void;
}

export const LOCK_FILE = 'caja.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Take the data directory's lock or throw `DataDirBusyError` naming who holds it. */
export function lockDataDir(dataDir: string, command: string, now: () => number = Date.now): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, command, since: new Date(now()).toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = readHolder(path);
      if (holder === undefined) {
        // Perhaps its owner created it a moment ago and is writing it: look again shortly.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        holder = readHolder(path);
      }
      // A holder that is alive keeps it, also this very process (a second owner in-process).
      if (holder && alive(holder.pid)) throw new DataDirBusyError(holder, dataDir);
      // Stale (its process is gone) or unreadable (a crash while writing it): taken over.
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (readHolder(path)?.pid === process.pid) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      }
    };
    // However the owner ends — a close that failed, an uncaught error — the lock goes with it
    // ('exit' listeners run then); only a SIGKILL or a power cut leaves a stale lock behind.
    process.on('exit', release);
    return { release };
  }
  throw new Error(`could not take the lock ${path}`);
}
