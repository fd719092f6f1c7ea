import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImmutableString, next as A } from '@automerge/automerge';
import { generateAutomergeUrl, parseAutomergeUrl, Repo, type DocumentId } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it } from 'vitest';
import { CrashSafeFSStorageAdapter } from '../../src/crdt/storage/crash-safe-storage.js';
import { useDocumentStorage } from '../../src/crdt/storage/document-storage.js';

type Doc = { entries: Record<string, ImmutableString> };

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'caja-docstorage-'));
  dirs.push(dir);
  // Each repo saves a storage id when it starts, in the background: have one, so none is written
  // while a test removes its directory.
  await new CrashSafeFSStorageAdapter(dir).save(['storage-adapter-id'], new TextEncoder().encode('test'));
  return dir;
}
afterEach(async () => {
  // A repo's throttled save (100 ms) can still be writing after shutdown() returned.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A repo on a crash-safe adapter, with our document storage or the repo's own. */
function repoOn(dir: string, ours: boolean) {
  const adapter = new CrashSafeFSStorageAdapter(dir);
  const repo = new Repo({ storage: adapter, network: [] });
  if (ours) useDocumentStorage(repo, adapter);
  return { repo, adapter };
}

async function files(dir: string, documentId: DocumentId): Promise<string[]> {
  const root = path.join(dir, documentId.slice(0, 2), documentId.slice(2));
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

/** A document with `n` entries, one change each, saved by a repo with the given storage. */
async function writeDoc(dir: string, ours: boolean, n: number): Promise<{ id: DocumentId; heads: string[] }> {
  const { repo } = repoOn(dir, ours);
  const handle = repo.create<Doc>({ entries: {} });
  for (let i = 1; i <= n; i += 1) {
    handle.change((d) => {
      const text = randomBytes(100).toString('hex');
      d.entries[String(i).padStart(9, '0')] = new ImmutableString(`{"seq":${i},"text":"${text}"}`);
    });
    if (i % 10 === 0) await repo.flush([handle.documentId]);
  }
  await repo.flush();
  await repo.shutdown();
  return { id: handle.documentId, heads: [...handle.heads()] };
}

describe('document storage (A.load instead of loadIncremental)', () => {
  it('loads what the repo saved, and the repo loads what it saved: same keys, same content', async () => {
    for (const [writer, reader] of [
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const dir = await freshDir();
      const { id, heads } = await writeDoc(dir, writer, 40);
      const { repo } = repoOn(dir, reader);
      const handle = await repo.find<Doc>(id);
      expect(handle.heads()).toEqual(heads);
      expect(Object.keys(handle.doc().entries)).toHaveLength(40);
      expect(handle.doc().entries['000000040']?.val).toContain('"seq":40');
      await repo.shutdown();
    }
  });

  it('saves as the repo does after a load: nothing for an unchanged document, an increment after a change', async () => {
    const scenario = async (ours: boolean) => {
      const dir = await freshDir();
      // One snapshot of 40 entries, as a compacted journal chunk is stored.
      let doc = A.from<Doc>({ entries: {} });
      for (let i = 1; i <= 40; i += 1)
        doc = A.change(doc, (d) => {
          d.entries[String(i).padStart(9, '0')] = new ImmutableString(randomBytes(100).toString('hex'));
        });
      const { documentId: id } = parseAutomergeUrl(generateAutomergeUrl());
      await new CrashSafeFSStorageAdapter(dir).save([id, 'snapshot', 'first'], A.save(doc));
      const { repo, adapter } = repoOn(dir, ours);
      const handle = await repo.find<Doc>(id);
      await repo.flush();
      const savesUnchanged = adapter.stats().saves;
      handle.change((d) => {
        d.entries['000000041'] = new ImmutableString('{"seq":41}');
      });
      await repo.flush();
      const layout = await files(dir, id);
      await repo.shutdown();
      const again = repoOn(dir, ours);
      const count = Object.keys((await again.repo.find<Doc>(id)).doc().entries).length;
      await again.repo.shutdown();
      return { savesUnchanged, layout: layout.map((f) => f.split('/')[0]), count };
    };
    const theirs = await scenario(false);
    expect(theirs).toEqual({ savesUnchanged: 0, layout: ['incremental', 'snapshot'], count: 41 });
    expect(await scenario(true)).toEqual(theirs);
  });

  it('emits later changes to listeners as before (the first diff is skipped, not the next ones)', async () => {
    const dir = await freshDir();
    const { id } = await writeDoc(dir, true, 5);
    const { repo } = repoOn(dir, true);
    const handle = await repo.find<Doc>(id);
    const seen: unknown[] = [];
    handle.on('change', ({ patches }) => seen.push(...patches.map((p) => p.path.join('/'))));
    handle.change((d) => {
      d.entries['000000006'] = new ImmutableString('{"seq":6}');
    });
    expect(seen).toEqual(['entries/000000006']);
    await repo.shutdown();
  });

  it('loads a document whose last change is torn (A.load refuses it) as the repo would', async () => {
    const dir = await freshDir();
    let doc = A.from<Doc>({ entries: {} });
    doc = A.change(doc, (d) => {
      d.entries.a = new ImmutableString('1');
    });
    const snapshot = A.save(doc);
    const heads = A.getHeads(doc);
    doc = A.change(doc, (d) => {
      d.entries.b = new ImmutableString('2');
    });
    const torn = A.saveSince(doc, heads).slice(0, 10);
    expect(() => A.load(new Uint8Array([...snapshot, ...torn]))).toThrow();
    const adapter = new CrashSafeFSStorageAdapter(dir);
    const { documentId: id } = parseAutomergeUrl(generateAutomergeUrl());
    await adapter.save([id, 'snapshot', 'x'], snapshot);
    await adapter.save([id, 'incremental', 'y'], torn);
    for (const ours of [false, true]) {
      const { repo } = repoOn(dir, ours);
      const handle = await repo.find<Doc>(id);
      expect(A.getHeads(handle.doc())).toEqual(heads);
      expect(Object.keys(handle.doc().entries)).toEqual(['a']);
      await repo.shutdown();
    }
  });
});
