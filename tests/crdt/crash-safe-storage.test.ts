import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Repo } from '@automerge/automerge-repo';
import { runStorageAdapterTests } from '@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CrashSafeFSStorageAdapter } from '../../src/crdt/storage/crash-safe-storage.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = path.resolve(here, '../../src/crdt/storage/crash-safe-storage.ts');
const CHILD = path.join(here, 'fixtures/storage-crash-child.mjs');
const MAGIC = 0xca7a0001;
const HEADER = 24;
const KEYS = 3;

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'caja-storage-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function hiddenFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.startsWith('.')).map((e) => e.name);
}

describe('CrashSafeFSStorageAdapter', () => {
  runStorageAdapterTests(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'caja-storage-contract-'));
    return {
      adapter: new CrashSafeFSStorageAdapter(dir),
      teardown: () => rm(dir, { recursive: true, force: true }),
    };
  }, 'CrashSafeFSStorageAdapter');

  runStorageAdapterTests(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'caja-storage-contract-'));
    return {
      adapter: new CrashSafeFSStorageAdapter(dir, { deferIncrementalSync: true }),
      teardown: () => rm(dir, { recursive: true, force: true }),
    };
  }, 'CrashSafeFSStorageAdapter, incremental syncs deferred');

  it('[STO4] defers the syncs of incremental chunks to one batch: each file and directory once', async () => {
    const adapter = new CrashSafeFSStorageAdapter(await freshDir(), { deferIncrementalSync: true });
    const doc = 'docDEFERRED';
    // Ten incremental chunks in one directory, one written twice, one removed before the batch.
    for (let i = 0; i < 10; i += 1) await adapter.save([doc, 'incremental', `h${i}`], Uint8Array.of(i));
    await adapter.save([doc, 'incremental', 'h0'], Uint8Array.of(42));
    await adapter.remove([doc, 'incremental', 'h9']);
    const before = adapter.stats();
    expect(before.deferredSaves).toBe(11);
    expect(adapter.pendingSyncs).toBe(9);
    // Only the directory creation and the removal were synced so far.
    const creationAndRemoval = before.fsyncs;
    await adapter.syncPending();
    // Nine files, one directory.
    expect(adapter.stats().fsyncs - creationAndRemoval).toBe(10);
    expect(adapter.pendingSyncs).toBe(0);
    await adapter.syncPending();
    expect(adapter.stats().fsyncs - creationAndRemoval).toBe(10);
    expect(await adapter.load([doc, 'incremental', 'h0'])).toStrictEqual(Uint8Array.of(42));
    // A snapshot (a compaction) is synced at once, as every other key.
    await adapter.save([doc, 'snapshot', 's1'], Uint8Array.of(7));
    const synced = adapter.stats().fsyncs;
    await adapter.save([doc, 'snapshot', 's2'], Uint8Array.of(8));
    // The file, then its directory.
    expect(adapter.stats().fsyncs - synced).toBe(2);
    expect(adapter.pendingSyncs).toBe(0);
  });

  it('[STO4] a batch that fails keeps what it did not sync for the next one', async () => {
    const adapter = new CrashSafeFSStorageAdapter(await freshDir(), { deferIncrementalSync: true });
    await adapter.save(['docFAILING', 'incremental', 'h1'], Uint8Array.of(1));
    await adapter.save(['docFAILING', 'incremental', 'h2'], Uint8Array.of(2));
    const eio = Object.assign(new Error('EIO: i/o error, open'), { code: 'EIO' });
    const open = vi.spyOn(fs.promises, 'open').mockRejectedValueOnce(eio);
    try {
      await expect(adapter.syncPending()).rejects.toThrow('EIO');
    } finally {
      open.mockRestore();
    }
    expect(adapter.pendingSyncs).toBe(2);
    const before = adapter.stats().fsyncs;
    await adapter.syncPending();
    expect(adapter.pendingSyncs).toBe(0);
    expect(adapter.stats().fsyncs - before).toBe(3);
  });

  it('keeps the NodeFSStorageAdapter layout, so existing data directories keep working', async () => {
    const dir = await freshDir();
    const key = ['3xuJ5sVKdBaYS6uGgGJH1cGhBLiC', 'incremental', 'abc123'];
    await new NodeFSStorageAdapter(dir).save(key, Uint8Array.of(1, 2, 3));
    await new CrashSafeFSStorageAdapter(dir).save(['storage-adapter-id'], Uint8Array.of(9));

    const ours = await new CrashSafeFSStorageAdapter(dir).loadRange(['3xuJ5sVKdBaYS6uGgGJH1cGhBLiC']);
    const theirs = await new NodeFSStorageAdapter(dir).loadRange(['3xuJ5sVKdBaYS6uGgGJH1cGhBLiC']);
    expect(ours).toStrictEqual([{ key, data: Uint8Array.of(1, 2, 3) }]);
    expect(theirs).toStrictEqual(ours);
    expect(await new NodeFSStorageAdapter(dir).load(['storage-adapter-id'])).toStrictEqual(Uint8Array.of(9));
    expect(await readFile(path.join(dir, 'st', 'orage-adapter-id'))).toEqual(Buffer.of(9));
  });

  it('lands concurrent saves of one key in call order and counts them', async () => {
    const adapter = new CrashSafeFSStorageAdapter(await freshDir());
    const key = ['docAAAA', 'sync-state', 'peer'];
    await Promise.all(Array.from({ length: 20 }, (_, i) => adapter.save(key, Uint8Array.of(i))));
    expect(await adapter.load(key)).toStrictEqual(Uint8Array.of(19));
    expect(adapter.stats()).toMatchObject({ saves: 20, bytesWritten: 20 });
  });

  it('treats removing a missing key or range as a no-op', async () => {
    const adapter = new CrashSafeFSStorageAdapter(await freshDir());
    await adapter.remove(['nothing', 'here']);
    await adapter.removeRange(['nothing']);
    expect(await adapter.loadRange(['nothing'])).toStrictEqual([]);
  });

  it('ignores temp files a crash left in loadRange, and cleanTempFiles removes them', async () => {
    const dir = await freshDir();
    const adapter = new CrashSafeFSStorageAdapter(dir);
    await adapter.save(['docBBBB', 'snapshot', 'h1'], Uint8Array.of(1));
    const leftovers = [
      path.join(dir, 'do', 'cBBBB', 'snapshot', '.h1.tmp-4242-deadbeef-7'),
      path.join(dir, 'do', 'cBBBB', 'incremental', '.h2.tmp-4242-deadbeef-8'),
    ];
    await mkdir(path.dirname(leftovers[1] ?? ''), { recursive: true });
    await Promise.all(leftovers.map((file) => writeFile(file, Buffer.of(0xde, 0xad))));
    await writeFile(path.join(dir, 'do', 'cBBBB', '.keep'), 'not ours to delete');

    expect(await adapter.loadRange(['docBBBB'])).toStrictEqual([
      { key: ['docBBBB', 'snapshot', 'h1'], data: Uint8Array.of(1) },
    ]);
    expect(await adapter.cleanTempFiles()).toBe(2);
    expect(await hiddenFiles(dir)).toStrictEqual(['.keep']);
    expect(await adapter.load(['docBBBB', 'snapshot', 'h1'])).toStrictEqual(Uint8Array.of(1));
  });

  it('lets a second Repo on the same directory find a flushed change', async () => {
    const dir = await freshDir();
    const firstStorage = new CrashSafeFSStorageAdapter(dir);
    const first = new Repo({ storage: firstStorage });
    const handle = first.create<{ sales: string[] }>({ sales: [] });
    // Enough flushed changes for incremental chunks and a compaction that removes them.
    for (let i = 1; i <= 30; i++) {
      handle.change((doc) => {
        doc.sales.push(`A-${String(i).padStart(4, '0')}-${'x'.repeat(100)}`);
      });
      await first.flush();
    }
    await first.shutdown();
    expect(firstStorage.stats().removes).toBeGreaterThan(0);

    const storage = new CrashSafeFSStorageAdapter(dir);
    const second = new Repo({ storage });
    const found = await second.find<{ sales: string[] }>(handle.url);
    expect(found.doc().sales).toHaveLength(30);
    expect(found.doc().sales[29]).toMatch(/^A-0030-/);
    expect(await hiddenFiles(dir)).toStrictEqual([]);
    await second.shutdown();
  });
});

// --- crash atomicity with a real process -------------------------------------------------------

type Version = { run: number; seq: number };
type Verdict = 'missing' | 'torn' | Version;
type KeyState = { lastSaved?: Version; inFlight?: Version };

let work = '';
let adapterModule = '';
let base = Buffer.alloc(0);
const basePath = (): string => path.join(work, 'base.bin');

/** Starts the child, SIGKILLs it `delayMs` after it is ready, and returns its stdout lines. */
function runAndKill(
  kind: 'crash-safe' | 'nodefs',
  dir: string,
  run: number,
  delayMs: number,
): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const args = [CHILD, kind, adapterModule, dir, basePath(), String(run), String(KEYS)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      if (timer === undefined && out.includes('ready\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(out.split('\n').filter(Boolean));
      else reject(new Error(`child ended by itself (${String(signal)}): ${err}`));
    });
  });
}

function track(states: KeyState[], lines: string[]): void {
  for (const state of states) delete state.inFlight;
  for (const line of lines) {
    const [event, key, run, seq] = line.split(' ');
    const state = states[Number(key)];
    if (state === undefined) continue;
    const version = { run: Number(run), seq: Number(seq) };
    if (event === 'start') state.inFlight = version;
    if (event === 'saved') {
      state.lastSaved = version;
      delete state.inFlight;
    }
  }
}

function judge(data: Uint8Array | undefined): Verdict {
  if (data === undefined) return 'missing';
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length < HEADER || bytes.readUInt32LE(0) !== MAGIC) return 'torn';
  const [run, seq, , offset, length] = [4, 8, 12, 16, 20].map((at) => bytes.readUInt32LE(at));
  if (length === undefined || offset === undefined || bytes.length !== HEADER + length) return 'torn';
  const whole = bytes.subarray(HEADER).equals(base.subarray(offset, offset + length));
  return whole && run !== undefined && seq !== undefined ? { run, seq } : 'torn';
}

const keyOf = (k: number): string[] => [`crashdoc${k}`, 'snapshot', 'current'];
const randomDelay = (): number => 20 + Math.floor(Math.random() * 230);

describe('CrashSafeFSStorageAdapter under SIGKILL', () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'caja-crash-'));
    // Transpiled from src on the spot, so the child runs the code under test, not a stale dist/.
    const { outputText } = ts.transpileModule(await readFile(SOURCE, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    adapterModule = path.join(work, 'crash-safe-storage.mjs');
    await writeFile(adapterModule, outputText);
    base = randomBytes(2_200_000);
    await writeFile(basePath(), base);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('never leaves a torn value, and keeps every save that was reported done', async () => {
    const dir = await freshDir();
    const states: KeyState[] = Array.from({ length: KEYS }, () => ({}));
    let reportedSaves = 0;
    for (let run = 1; run <= 12; run++) {
      const lines = await runAndKill('crash-safe', dir, run, randomDelay());
      reportedSaves += lines.filter((line) => line.startsWith('saved')).length;
      track(states, lines);
      const reader = new CrashSafeFSStorageAdapter(dir);
      for (const [k, state] of states.entries()) {
        const verdict = judge(await reader.load(keyOf(k)));
        const allowed: Verdict[] = [state.lastSaved ?? 'missing'];
        if (state.inFlight) allowed.push(state.inFlight);
        expect(allowed, `run ${run}, key ${k}`).toContainEqual(verdict);
        // An in-flight save that did land (killed before it could say so) is now what is on disk:
        // the next run must keep it, not fall back to the last save it reported.
        if (typeof verdict === 'object') state.lastSaved = verdict;
        const range = await reader.loadRange([`crashdoc${k}`]);
        expect(range.map((chunk) => chunk.key)).toStrictEqual(verdict === 'missing' ? [] : [keyOf(k)]);
      }
    }
    expect(reportedSaves).toBeGreaterThan(0);
    const leftovers = (await hiddenFiles(dir)).length;
    expect(await new CrashSafeFSStorageAdapter(dir).cleanTempFiles()).toBe(leftovers);
    expect(await hiddenFiles(dir)).toStrictEqual([]);
  }, 120_000);

  it('the plain NodeFSStorageAdapter, killed the same way, leaves a torn value', async () => {
    const dir = await freshDir();
    let torn = 0;
    // A torn value shows up within a few kills; the cap only bounds the time of a failure.
    for (let run = 1; run <= 40 && torn === 0; run++) {
      await runAndKill('nodefs', dir, run, randomDelay());
      const reader = new NodeFSStorageAdapter(dir);
      for (let k = 0; k < KEYS; k++) if (judge(await reader.load(keyOf(k))) === 'torn') torn += 1;
    }
    expect(torn).toBeGreaterThan(0);
  }, 120_000);
});
