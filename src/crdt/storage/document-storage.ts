import { createHash } from 'node:crypto';
import { next as A } from '@automerge/automerge';
import type { DocumentId, Repo, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo';

/**
 * The repo's document storage (load, save, compaction) as automerge-repo 2.5.6's StorageSubsystem
 * does it — same keys, same files, same incremental saves and compaction — except for one thing:
 * a document is loaded with `A.load` instead of `A.loadIncremental(A.init(), …)`.
 *
 * Why: loadIncremental into an empty document also builds a patch for every value and keeps
 * those patches in the document's state until its next change. A journal chunk holds 500
 * immutable strings of ~1.7 KB and a closed chunk never changes again: a terminal with 50,000
 * invoices spent ~2.7× the CPU loading its documents and kept a second copy of every invoice's
 * text in memory (bench:sync, docs/architecture.md). The repo's DocHandle computes the patches it
 * emits on load itself either way (it diffs from the empty heads), so nothing else changes.
 *
 * If `A.load` refuses the stored bytes (e.g. changes whose dependencies are missing, which
 * loadIncremental keeps queued), the document is loaded exactly as the repo would have.
 *
 * The repo keeps its storage subsystem in a public field; `useDocumentStorage` puts a proxy there
 * that answers the document methods from this class and everything else (the key/value store,
 * sync states, events) from the repo's own subsystem.
 */
interface ChunkInfo {
  readonly key: StorageKey;
  readonly type: 'snapshot' | 'incremental';
  readonly size: number;
}

type AnyDoc = A.Doc<Record<string, unknown>>;

const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The name of a snapshot: automerge-repo's headsHash (sha-256 of the heads' UTF-8, concatenated). */
function headsHash(heads: readonly string[]): string {
  return sha256Hex(Buffer.concat(heads.map((h) => Buffer.from(h, 'utf8'))));
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function sameHeads(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((h, i) => h === b[i]);
}

/**
 * The repo's DocHandle emits a loaded document's content as a change event, diffing it from the
 * empty heads: a third copy of every value, computed when no one listens yet (the synchronizer
 * and StoreDocuments subscribe after the load) and then garbage. automerge answers a diff between
 * the heads of a document's most recent patch from that patch, so record an empty one from the
 * empty heads to the loaded heads. This is automerge 3.x's internal state (`Symbol.for
 * ("_am_meta")`): if it is not there, nothing is recorded and the diff simply runs.
 */
function skipFirstDiff(doc: AnyDoc): void {
  const state: unknown = Reflect.get(doc, Symbol.for('_am_meta'));
  if (state === null || typeof state !== 'object' || !('handle' in state)) return;
  (state as { mostRecentPatch?: unknown }).mostRecentPatch = {
    before: [],
    after: A.getHeads(doc),
    patches: [],
  };
}

/**
 * A stored document automerge could not read (a flipped byte, a torn file): what was done.
 * `salvaged`: the unreadable files were moved aside and the document loaded from the rest;
 * `rebuilt`: nothing usable was left, every file was moved aside and the document starts again
 * from its genesis — its owner's journal is written back from the fiscal log, everything else
 * comes back from the peers (STO1).
 */
export interface UnreadableDocument {
  readonly documentId: DocumentId;
  /** The document's name (`journal/v1/caja-1/0`), when the caller told it. */
  readonly name: string;
  readonly outcome: 'salvaged' | 'rebuilt';
  readonly reason: string;
  /** Where each unreadable (or, when rebuilt, every) file was moved. */
  readonly movedAside: readonly string[];
}

export interface DocumentStorageOptions {
  /** Keep a stored file that cannot be read for support staff; answers where it went. */
  readonly moveAside?: (key: StorageKey, data: Uint8Array) => Promise<string>;
  readonly onUnreadable?: (problem: UnreadableDocument) => void;
  /**
   * A save failed. The repo saves in the background (its throttled saves): nobody awaits those, so
   * the failure is told here (the terminal then says it cannot write, WRT2) and rethrown.
   */
  readonly onSaveFailed?: (error: unknown) => void;
}

/** An adapter that defers the syncs of some saves (STO4, CrashSafeFSStorageAdapter). */
interface DeferredSync {
  syncPending(): Promise<void>;
}

function defersSync(adapter: StorageAdapterInterface): adapter is StorageAdapterInterface & DeferredSync {
  return typeof (adapter as Partial<DeferredSync>).syncPending === 'function';
}

/**
 * Save the documents' changes and make them durable (STO4): what a command answers only once it is
 * on disk. `ids` as in `repo.flush` (all documents when left out).
 */
export async function flushDurably(repo: Repo, ids?: DocumentId[]): Promise<void> {
  await repo.flush(ids);
  await documentStorageOf(repo)?.syncPending();
}

const registry = new WeakMap<Repo, DocumentStorage>();

/** The DocumentStorage a repo loads through (see useDocumentStorage). */
export function documentStorageOf(repo: Repo): DocumentStorage | undefined {
  return registry.get(repo);
}

export class DocumentStorage {
  /** Heads last loaded or saved, with the sequence number of the operation that recorded them. */
  private readonly saved = new Map<DocumentId, { heads: A.Heads; seq: number }>();
  private seq = 0;
  private readonly chunkInfos = new Map<DocumentId, ChunkInfo[]>();
  private compacting = false;
  /** The last save of each document under way. */
  private readonly saving = new Map<DocumentId, Promise<void>>();
  /** The name and genesis of each document the caller is about to open, for one that must be rebuilt. */
  private readonly genesis = new Map<DocumentId, { name: string; bytes: () => Uint8Array }>();
  /** Documents whose stored files could not all be read, since the start. */
  readonly unreadable: UnreadableDocument[] = [];

  constructor(
    private readonly adapter: StorageAdapterInterface,
    private readonly options: DocumentStorageOptions = {},
  ) {}

  /** The genesis a document starts again from if its files cannot be read (made only then). */
  setGenesis(documentId: DocumentId, name: string, bytes: () => Uint8Array): void {
    this.genesis.set(documentId, { name, bytes });
  }

  /**
   * A handle on the saved heads that ignores an update older than one already applied: a
   * compaction that started before an incremental save must not roll the heads back (as in
   * automerge-repo's SavedHeads).
   */
  private savedHeads(documentId: DocumentId): { value: A.Heads | undefined; update(heads: A.Heads): void } {
    const seq = (this.seq += 1);
    return {
      value: this.saved.get(documentId)?.heads,
      update: (heads) => {
        if (seq >= (this.saved.get(documentId)?.seq ?? 0)) this.saved.set(documentId, { heads, seq });
      },
    };
  }

  /** The stored chunks of a document: snapshots first, then incremental changes. */
  private async loadChunks(documentId: DocumentId): Promise<(ChunkInfo & { data: Uint8Array })[]> {
    const snapshots = await this.adapter.loadRange([documentId, 'snapshot']);
    const incrementals = await this.adapter.loadRange([documentId, 'incremental']);
    const out: (ChunkInfo & { data: Uint8Array })[] = [];
    for (const [type, chunks] of [
      ['snapshot', snapshots],
      ['incremental', incrementals],
    ] as const) {
      for (const chunk of chunks) {
        if (chunk.data === undefined) continue;
        out.push({ key: chunk.key, type, size: chunk.data.length, data: chunk.data });
      }
    }
    return out;
  }

  /** Snapshots first, then incremental changes, concatenated. */
  async loadDocData(documentId: DocumentId): Promise<Uint8Array | null> {
    const chunks = await this.loadChunks(documentId);
    this.chunkInfos.set(
      documentId,
      chunks.map(({ key, type, size }) => ({ key, type, size })),
    );
    return chunks.length === 0 ? null : concat(chunks.map((c) => c.data));
  }

  async loadDoc<T>(documentId: DocumentId): Promise<A.Doc<T> | null> {
    const heads = this.savedHeads(documentId);
    const binary = await this.loadDocData(documentId);
    if (!binary) return null;
    let doc: AnyDoc;
    try {
      doc = A.load(binary);
      skipFirstDiff(doc);
    } catch (error) {
      // STO1: A.load is strict; loadIncremental over all the files would silently stop at a
      // corrupt one (changes lost, nothing said) or throw and leave the repo waiting for ever.
      // So each file is checked on its own.
      return (await this.recover(documentId, error)) as A.Doc<T>;
    }
    heads.update(A.getHeads(doc));
    return doc as A.Doc<T>;
  }

  /**
   * Load what can be read, file by file; move aside what cannot. With nothing usable left (no
   * root of the document), every file goes aside and the document starts again from its
   * genesis, saved at once so that storage holds a readable document again.
   */
  private async recover(documentId: DocumentId, error: unknown): Promise<AnyDoc> {
    const chunks = await this.loadChunks(documentId);
    const bad: typeof chunks = [];
    const good: typeof chunks = [];
    for (const chunk of chunks) {
      // Changes whose dependencies are in another file are queued, not refused: only a file
      // that is itself unreadable (a bad checksum, a broken stream) fails here.
      try {
        A.loadIncremental(A.init(), chunk.data);
        good.push(chunk);
      } catch {
        bad.push(chunk);
      }
    }
    let doc: AnyDoc = A.loadIncremental(A.init(), concat(good.map((c) => c.data)));
    if (bad.length === 0) {
      // Nothing unreadable: the files only did not load strictly (a change waiting for another).
      const heads = this.savedHeads(documentId);
      heads.update(A.getHeads(doc));
      return doc;
    }
    const usable = Object.keys(doc).length > 0;
    const genesis = this.genesis.get(documentId);
    const aside = usable || genesis === undefined ? bad : chunks;
    const movedAside: string[] = [];
    for (const chunk of aside) {
      movedAside.push((await this.options.moveAside?.(chunk.key, chunk.data)) ?? chunk.key.join('/'));
      await this.adapter.remove(chunk.key);
    }
    const reason = error instanceof Error ? error.message : String(error);
    const outcome = usable || genesis === undefined ? 'salvaged' : 'rebuilt';
    if (outcome === 'rebuilt' && genesis) doc = A.load(genesis.bytes());
    const problem: UnreadableDocument = {
      documentId,
      name: genesis?.name ?? documentId,
      outcome,
      reason,
      movedAside,
    };
    this.unreadable.push(problem);
    this.options.onUnreadable?.(problem);
    // What is stored now is written whole: no incremental may depend on a file that went aside.
    this.chunkInfos.set(
      documentId,
      chunks.filter((c) => !aside.includes(c)).map(({ key, type, size }) => ({ key, type, size })),
    );
    await this.saveTotal(documentId, doc, this.chunkInfos.get(documentId) ?? []);
    return doc;
  }

  /** STO4: make the saves whose sync the adapter deferred durable (nothing when it defers none). */
  async syncPending(): Promise<void> {
    if (defersSync(this.adapter)) await this.adapter.syncPending();
  }

  /**
   * Saves of one document run one after the other: `repo.flush` waits for a background save under
   * way (the repo's throttled save is awaited by nobody), and finds nothing left to save.
   */
  saveDoc(documentId: DocumentId, doc: AnyDoc): Promise<void> {
    const run = (this.saving.get(documentId) ?? Promise.resolve()).then(async () => {
      try {
        await this.saveChanges(documentId, doc);
      } catch (error) {
        this.options.onSaveFailed?.(error);
        throw error;
      }
    });
    const tail = run.catch(() => undefined);
    this.saving.set(documentId, tail);
    void tail.then(() => {
      if (this.saving.get(documentId) === tail) this.saving.delete(documentId);
    });
    return run;
  }

  private async saveChanges(documentId: DocumentId, doc: AnyDoc): Promise<void> {
    const last = this.saved.get(documentId)?.heads;
    if (last && sameHeads(A.getHeads(doc), last)) return;
    const sourceChunks = this.chunkInfos.get(documentId) ?? [];
    if (this.shouldCompact(sourceChunks)) await this.saveTotal(documentId, doc, sourceChunks);
    else await this.saveIncremental(documentId, doc);
  }

  async removeDoc(documentId: DocumentId): Promise<void> {
    await this.adapter.removeRange([documentId, 'snapshot']);
    await this.adapter.removeRange([documentId, 'incremental']);
    await this.adapter.removeRange([documentId, 'sync-state']);
    this.saved.delete(documentId);
    this.chunkInfos.delete(documentId);
  }

  private async saveIncremental(documentId: DocumentId, doc: AnyDoc): Promise<void> {
    const heads = this.savedHeads(documentId);
    const since = heads.value;
    // Without saved heads, saveSince([]) would save the whole history as an "incremental".
    if (!since || since.length === 0) {
      await this.saveTotal(documentId, doc, this.chunkInfos.get(documentId) ?? []);
      return;
    }
    const binary = A.saveSince(doc, since);
    if (binary.length === 0) return;
    const key: StorageKey = [documentId, 'incremental', sha256Hex(binary)];
    await this.adapter.save(key, binary);
    const infos = this.chunkInfos.get(documentId) ?? [];
    infos.push({ key, type: 'incremental', size: binary.length });
    this.chunkInfos.set(documentId, infos);
    heads.update(A.getHeads(doc));
  }

  private async saveTotal(documentId: DocumentId, doc: AnyDoc, sourceChunks: readonly ChunkInfo[]) {
    this.compacting = true;
    try {
      const heads = this.savedHeads(documentId);
      const binary = A.save(doc);
      const snapshotHash = headsHash(A.getHeads(doc));
      const key: StorageKey = [documentId, 'snapshot', snapshotHash];
      const oldKeys = new Set(sourceChunks.map((c) => c.key).filter((k) => k[2] !== snapshotHash));
      await this.adapter.save(key, binary);
      for (const old of oldKeys) await this.adapter.remove(old);
      const infos = (this.chunkInfos.get(documentId) ?? []).filter((c) => !oldKeys.has(c.key));
      infos.push({ key, type: 'snapshot', size: binary.length });
      this.chunkInfos.set(documentId, infos);
      heads.update(A.getHeads(doc));
    } finally {
      this.compacting = false;
    }
  }

  /** Compact when the snapshot is tiny or the incremental changes outweigh it (as the repo does). */
  private shouldCompact(sourceChunks: readonly ChunkInfo[]): boolean {
    if (this.compacting) return false;
    let snapshot = 0;
    let incremental = 0;
    for (const chunk of sourceChunks) {
      if (chunk.type === 'snapshot') snapshot += chunk.size;
      else incremental += chunk.size;
    }
    return snapshot < 1024 || incremental >= snapshot;
  }
}

/**
 * Make `repo` load and save documents through a DocumentStorage on `adapter` (the adapter the
 * repo was built with). Call right after constructing the repo, before any document is found.
 */
export function useDocumentStorage(
  repo: Repo,
  adapter: StorageAdapterInterface,
  options: DocumentStorageOptions = {},
): DocumentStorage {
  const original = repo.storageSubsystem;
  const storage = new DocumentStorage(adapter, options);
  registry.set(repo, storage);
  if (!original) return storage;
  const own: Record<PropertyKey, unknown> = {
    loadDocData: storage.loadDocData.bind(storage),
    loadDoc: storage.loadDoc.bind(storage),
    saveDoc: storage.saveDoc.bind(storage),
    removeDoc: storage.removeDoc.bind(storage),
  };
  repo.storageSubsystem = new Proxy(original, {
    get(target, property) {
      if (Object.hasOwn(own, property)) return own[property];
      const value: unknown = Reflect.get(target, property, target);
      // Bound to the original: its methods use private fields.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return storage;
}
