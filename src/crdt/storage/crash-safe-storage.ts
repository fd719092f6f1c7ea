import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo';

/** Counters for health reports and benchmarks; totals since the adapter was constructed. */
export interface CrashSafeStorageStats {
  saves: number;
  bytesWritten: number;
  removes: number;
  fsyncs: number;
  fsyncMillis: number;
  /** Saves written without a sync of their own, made durable later in a batch (syncPending). */
  deferredSaves: number;
}

export interface CrashSafeStorageOptions {
  /**
   * STO4: write incremental chunks (a document's changes since its last save: a received
   * change, a background save) without an fsync of their own; `syncPending()` makes them durable
   * in one batch, each file and directory once however many saves touched it. Snapshots
   * (compaction) and removals stay synced one by one. Default: every save synced.
   */
  readonly deferIncrementalSync?: boolean;
}

// Hidden names cannot collide with automerge keys mapped to paths, and loadRange skips them.
const TEMP_NAME = /^\..+\.tmp-(\d+)-[0-9a-f]+-\d+$/;

/** Is the process that wrote a temp file still running? Its files may still be in flight. */
function writerAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
// Only the ordering of loadRange needs this memory; past the cap it falls back to path order.
const SAVE_ORDER_CAP = 10_000;

/**
 * A StorageAdapterInterface over the same directory layout as NodeFSStorageAdapter
 * (`base/<key[0] first two chars>/<rest of key[0]>/<key[1]>/...`), but crash-atomic:
 * a save writes a temp file, fsyncs it, renames it over the target and fsyncs the directory,
 * so after a crash a key holds either its previous or its new value, never a torn one.
 *
 * A crash leaves temp files behind; they are invisible to load/loadRange, and the host calls
 * `cleanTempFiles()` at start, before the repo saves anything.
 */
export class CrashSafeFSStorageAdapter implements StorageAdapterInterface {
  readonly baseDirectory: string;
  readonly #token = randomBytes(4).toString('hex');
  #tempCounter = 0;
  #saveSeq = 0;
  // file path -> sequence of its last save by this instance (keys only, never data).
  readonly #saveOrder = new Map<string, number>();
  // file path -> tail of its queue, so two saves of one key land in call order.
  readonly #queues = new Map<string, Promise<void>>();
  // mkdir and the fsync of the new directories' parents happen under one lock: otherwise a
  // save could find a directory another save created but has not made durable yet.
  #dirLock: Promise<void> = Promise.resolve();
  readonly #stats: CrashSafeStorageStats = {
    saves: 0,
    bytesWritten: 0,
    removes: 0,
    fsyncs: 0,
    fsyncMillis: 0,
    deferredSaves: 0,
  };
  readonly #defer: boolean;
  /** Files and directories written by deferred saves and not yet synced (STO4). */
  #unsyncedFiles = new Set<string>();
  #unsyncedDirs = new Set<string>();
  #syncing: Promise<void> = Promise.resolve();

  constructor(baseDirectory = 'automerge-repo-data', options: CrashSafeStorageOptions = {}) {
    this.baseDirectory = baseDirectory;
    this.#defer = options.deferIncrementalSync ?? false;
  }

  /** How many deferred saves' files wait for `syncPending()`. */
  get pendingSyncs(): number {
    return this.#unsyncedFiles.size;
  }

  /**
   * STO4: make every deferred save durable: fsync each file written since the last call (one
   * removed since needs none), then each directory they were renamed into. Calls run one after
   * the other; a failure keeps what was not synced for the next call and rejects.
   */
  syncPending(): Promise<void> {
    const run = this.#syncing.then(async () => {
      const files = this.#unsyncedFiles;
      const dirs = this.#unsyncedDirs;
      this.#unsyncedFiles = new Set();
      this.#unsyncedDirs = new Set();
      try {
        for (const file of files) {
          await this.#fsyncPath(file);
          files.delete(file);
        }
        for (const dir of dirs) {
          await this.#fsyncDir(dir);
          dirs.delete(dir);
        }
      } catch (error) {
        for (const file of files) this.#unsyncedFiles.add(file);
        for (const dir of dirs) this.#unsyncedDirs.add(dir);
        throw error;
      }
    });
    this.#syncing = run.catch(() => undefined);
    return run;
  }

  stats(): CrashSafeStorageStats {
    return { ...this.#stats };
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    return readIfExists(this.#filePath(key));
  }

  save(key: StorageKey, data: Uint8Array): Promise<void> {
    const filePath = this.#filePath(key);
    const deferred = this.#defer && key[1] === 'incremental';
    return this.#enqueue(filePath, async () => {
      await this.#writeAtomically(filePath, data, deferred);
      if (deferred) {
        this.#unsyncedFiles.add(filePath);
        this.#unsyncedDirs.add(path.dirname(filePath));
        this.#stats.deferredSaves += 1;
      }
      this.#rememberSave(filePath);
      this.#stats.saves += 1;
      this.#stats.bytesWritten += data.byteLength;
    });
  }

  remove(key: StorageKey): Promise<void> {
    const filePath = this.#filePath(key);
    return this.#enqueue(filePath, async () => {
      this.#saveOrder.delete(filePath);
      this.#unsyncedFiles.delete(filePath);
      if (await unlinkIfExists(filePath)) {
        this.#stats.removes += 1;
        await this.#fsyncDir(path.dirname(filePath));
      }
    });
  }

  async loadRange(keyPrefix: StorageKey): Promise<Chunk[]> {
    const prefixPath = this.#filePath(keyPrefix);
    const files = await walkFiles(prefixPath);
    const order = (file: string): number => this.#saveOrder.get(file) ?? Number.MAX_SAFE_INTEGER;
    // Same order as NodeFSStorageAdapter gives (what this instance saved, in save order, then
    // the rest); automerge does not depend on it, but the contract suite checks it.
    files.sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
    const chunks = await Promise.all(
      files.map(async (file) => ({ key: this.#keyOf(file), data: await readIfExists(file) })),
    );
    // A file removed between the listing and the read is simply no longer in the range.
    return chunks.filter((chunk) => chunk.data !== undefined);
  }

  async removeRange(keyPrefix: StorageKey): Promise<void> {
    const prefixPath = this.#filePath(keyPrefix);
    const inRange = (file: string): boolean => file === prefixPath || file.startsWith(prefixPath + path.sep);
    // Saves already under way finish first, so they cannot resurrect a key after the rm.
    await Promise.all([...this.#queues].filter(([file]) => inRange(file)).map(([, tail]) => tail));
    for (const file of [...this.#saveOrder.keys()]) if (inRange(file)) this.#saveOrder.delete(file);
    await fs.promises.rm(prefixPath, { recursive: true, force: true });
    await this.#fsyncDir(path.dirname(prefixPath));
  }

  /** Removes temp files a crash left behind (not this instance's in-flight ones); returns how many. */
  async cleanTempFiles(): Promise<number> {
    const temps = (await walkFiles(this.baseDirectory, true)).filter((file) => {
      // Only what a dead process left: a live writer (another adapter of this process, in tests)
      // may be about to rename its temp file.
      const match = TEMP_NAME.exec(path.basename(file));
      return match !== null && !writerAlive(Number(match[1]));
    });
    for (const file of temps) await unlinkIfExists(file);
    await Promise.all(
      [...new Set(temps.map((file) => path.dirname(file)))].map((dir) => this.#fsyncDir(dir)),
    );
    return temps.length;
  }

  #filePath(key: StorageKey): string {
    const [first = '', ...rest] = key;
    return path.resolve(this.baseDirectory, first.slice(0, 2), first.slice(2), ...rest);
  }

  #keyOf(file: string): StorageKey {
    const [dir = '', rest = '', ...more] = path
      .relative(path.resolve(this.baseDirectory), file)
      .split(path.sep);
    return [dir + rest, ...more];
  }

  #enqueue(filePath: string, op: () => Promise<void>): Promise<void> {
    const run = (this.#queues.get(filePath) ?? Promise.resolve()).then(op);
    const tail = run.catch(() => undefined);
    this.#queues.set(filePath, tail);
    void tail.then(() => {
      if (this.#queues.get(filePath) === tail) this.#queues.delete(filePath);
    });
    return run;
  }

  #rememberSave(filePath: string): void {
    this.#saveOrder.delete(filePath);
    this.#saveOrder.set(filePath, ++this.#saveSeq);
    if (this.#saveOrder.size > SAVE_ORDER_CAP) {
      const oldest = this.#saveOrder.keys().next();
      if (oldest.done !== true) this.#saveOrder.delete(oldest.value);
    }
  }

  /** Temp file, fsync, rename, directory fsync — or, `deferred`, the syncs left to syncPending. */
  async #writeAtomically(filePath: string, data: Uint8Array, deferred = false): Promise<void> {
    const dir = path.dirname(filePath);
    await this.#ensureDir(dir);
    const tempPath = path.join(
      dir,
      `.${path.basename(filePath)}.tmp-${process.pid}-${this.#token}-${++this.#tempCounter}`,
    );
    try {
      const handle = await fs.promises.open(tempPath, 'wx');
      try {
        await handle.writeFile(data);
        if (!deferred) await this.#timedFsync(() => handle.sync());
      } finally {
        await handle.close();
      }
      await fs.promises.rename(tempPath, filePath);
    } catch (error) {
      await unlinkIfExists(tempPath).catch(() => false);
      throw error;
    }
    if (!deferred) await this.#fsyncDir(dir);
  }

  /** fsync a file or directory by its path; one removed since needs none (ENOENT). */
  async #fsyncPath(target: string): Promise<void> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(target, 'r');
    } catch (error) {
      // Removed since (a compaction replaced a chunk): nothing of it to make durable.
      if (isErrno(error, 'ENOENT')) return;
      throw error;
    }
    try {
      await this.#timedFsync(() => handle.sync());
    } finally {
      await handle.close();
    }
  }

  #ensureDir(dir: string): Promise<void> {
    const run = this.#dirLock.then(async () => {
      const firstCreated = await fs.promises.mkdir(dir, { recursive: true });
      if (firstCreated === undefined) return;
      // Each new directory's entry lives in its parent, up to the first one that existed.
      const parents: string[] = [];
      for (let d = dir; ; d = path.dirname(d)) {
        parents.push(path.dirname(d));
        if (d === path.resolve(firstCreated) || d === path.dirname(d)) break;
      }
      for (const parent of parents) await this.#fsyncDir(parent);
    });
    this.#dirLock = run.catch(() => undefined);
    return run;
  }

  async #fsyncDir(dir: string): Promise<void> {
    // Windows cannot open a directory for fsync; renames there are journaled by NTFS.
    if (process.platform === 'win32') return;
    await this.#fsyncPath(dir);
  }

  async #timedFsync(sync: () => Promise<void>): Promise<void> {
    const start = performance.now();
    await sync();
    this.#stats.fsyncs += 1;
    this.#stats.fsyncMillis += performance.now() - start;
  }
}

function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && 'code' in error && codes.includes(String(error.code));
}

async function readIfExists(file: string): Promise<Uint8Array | undefined> {
  try {
    const buffer = await fs.promises.readFile(file);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    // ENOTDIR: a path component is a file, so no value lives at this key either.
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
}

async function unlinkIfExists(file: string): Promise<boolean> {
  try {
    await fs.promises.unlink(file);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

/** Files under `root` (or `root` itself when it is a file); hidden entries only when asked. */
async function walkFiles(root: string, includeHidden = false): Promise<string[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(root, { withFileTypes: true });
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    if (isErrno(error, 'ENOTDIR')) return [root];
    throw error;
  }
  const nested = await Promise.all(
    entries
      .filter((entry) => includeHidden || !entry.name.startsWith('.'))
      .map(async (entry) => {
        const full = path.join(root, entry.name);
        return entry.isDirectory() ? walkFiles(full, includeHidden) : [full];
      }),
  );
  return nested.flat();
}
