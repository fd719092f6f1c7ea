import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

let cached: string | undefined;

/**
 * The installed package's root (where package.json is), found from this file whether it runs
 * from src/ (tests) or from dist/ (the built command).
 */
export function projectRoot(): string {
  if (cached !== undefined) return cached;
  let dir = import.meta.dirname;
  for (;;) {
    const manifest = resolve(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'caja-offline'
    ) {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the caja-offline package root');
    dir = parent;
  }
}
