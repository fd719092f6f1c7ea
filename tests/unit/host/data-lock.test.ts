import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirBusyError, LOCK_FILE, lockDataDir } from '../../../src/host/data-lock.js';
import { projectRoot } from '../../../src/host/paths.js';
import { tempDir } from '../../support/processes.js';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

/** The pid of a process that has exited (the lock of a terminal killed with SIGKILL). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the data directory lock', () => {
  it('lets one owner in, names it to the next, and is free again once released', () => {
    dir = tempDir('caja-lock-');
    const lock = lockDataDir(dir.path, 'caja terminal', () => Date.UTC(2026, 10, 28, 12));
    const busy = (() => {
      try {
        lockDataDir(dir.path, 'caja upload');
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(busy).toBeInstanceOf(DataDirBusyError);
    expect(busy).toMatchObject({
      reason: 'data-dir-busy',
      holder: { pid: process.pid, command: 'caja terminal', since: '2026-11-28T12:00:00.000Z' },
    });
    lock.release();
    expect(existsSync(join(dir.path, LOCK_FILE))).toBe(false);
    lockDataDir(dir.path, 'caja upload').release();
  });

  it('goes with its owner when the owner dies of an uncaught error (only a SIGKILL leaves it stale)', () => {
    dir = tempDir('caja-lock-');
    // The built module, as `caja terminal` runs it (npm ci builds dist/ in its prepare step).
    const module = pathToFileURL(resolve(projectRoot(), 'dist/src/host/data-lock.js')).href;
    const child = spawnSync(process.execPath, [
      '--input-type=module',
      '-e',
      `import { lockDataDir } from ${JSON.stringify(module)};
       lockDataDir(${JSON.stringify(dir.path)}, 'caja terminal');
       process.stdout.write('locked');
       setTimeout(() => { throw new Error('boom'); }, 10);`,
    ]);
    expect(child.stdout.toString()).toBe('locked');
    expect(child.status).toBe(1);
    expect(existsSync(join(dir.path, LOCK_FILE))).toBe(false);
  });

  it('takes over the lock of a process that is gone, and a lock file left half-written', () => {
    dir = tempDir('caja-lock-');
    const path = join(dir.path, LOCK_FILE);
    writeFileSync(path, JSON.stringify({ pid: deadPid(), command: 'caja terminal', since: 'x' }));
    const lock = lockDataDir(dir.path, 'caja upload');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
      pid: process.pid,
      command: 'caja upload',
    });
    lock.release();
    writeFileSync(path, '{"pid": 12');
    lockDataDir(dir.path, 'caja terminal').release();
    expect(existsSync(path)).toBe(false);
  });

  it('never removes a lock that another owner took after this one was released', () => {
    dir = tempDir('caja-lock-');
    const first = lockDataDir(dir.path, 'caja terminal');
    first.release();
    const second = lockDataDir(dir.path, 'caja upload');
    first.release();
    expect(existsSync(join(dir.path, LOCK_FILE))).toBe(true);
    second.release();
  });
});
