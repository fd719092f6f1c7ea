import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ImmutableString } from '@automerge/automerge';
import type { DocHandle, DocHandleChangePayload, DocumentId, Repo } from '@automerge/automerge-repo';
import { EventEmitter } from 'eventemitter3';
import { canonicalJson } from '../domain/canonical-json.js';
import { deriveDocumentId, genesisBytes } from './doc-ids.js';
import { CATALOG_DOC_NAME, catalogKind, readCatalog, type CatalogView } from './documents/catalog-doc.js';
import { checkHeader, migrate, type DocumentKind } from './documents/document-kind.js';
import { FLOOR_DOC_NAME, floorKind, readFloor, type FloorView } from './documents/floor-doc.js';
import {
  checkEntry,
  chunkOfSeq,
  entryPath,
  journalDocName,
  JOURNAL_CHUNK_SIZE,
  journalKind,
  readJournalChunk,
  type JournalEntry,
} from './documents/journal-doc.js';
import { Quarantine } from './documents/quarantine.js';
import { ValidationCache } from './validation-cache.js';
import {
  journalKey,
  readStore,
  STORE_DOC_NAME,
  storeKind,
  type StoreView,
  type TerminalEntry,
} from './documents/store-doc.js';
import {
  readUploads,
  type AckCache,
  UPLOADS_DOC_NAME,
  uploadsKind,
  type UploadAck,
  type UploadRun,
} from './documents/uploads-doc.js';

type AnyDoc = Record<string, unknown>;
export type SharedDocName = 'store' | 'catalog' | 'floor' | 'uploads';

export interface StoreDocumentsOptions {
  readonly repo: Repo;
  /** The repo's storage directory (same layout as NodeFSStorageAdapter). */
  readonly storageDir: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly lanKey: Uint8Array;
  /** Journal chunks validated before, by heads: read again without validating (optional). */
  readonly validationCache?: ValidationCache;
}

interface Events {
  /** A document changed (locally or from a peer); its view is up to date. */
  changed: (name: SharedDocName | 'journal', terminalId?: string) => void;
}

/**
 * The store's documents on this terminal: opens them (from storage, or from their deterministic
 * genesis), keeps a validated view of each, discovers other terminals' journals through the store
 * document, and writes this terminal's own journal. Everything read from a document is parsed;
 * what does not parse goes to the quarantine and the rest stays usable.
 */
export class StoreDocuments extends EventEmitter<Events> {
  readonly quarantine = new Quarantine();
  readonly handles = new Map<string, DocHandle<AnyDoc>>();
  private readonly names = new Map<string, string>();
  private readonly shared = new Map<SharedDocName, DocHandle<AnyDoc>>();
  private readonly journals = new Map<string, Map<number, JournalEntry>>();
  private readonly openChunks = new Map<string, Promise<void>>();
  /** Open journal chunks by journalKey. */
  private readonly journalHandles = new Map<string, DocHandle<AnyDoc>>();
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Entries this terminal is writing, by path: trusted as written, not parsed back. */
  private readonly pendingOwn = new Map<string, { text: string; entry: JournalEntry }>();
  private storeView: StoreView = { terminals: new Map(), journals: new Map() };
  private catalogView: CatalogView = { meta: undefined, products: [] };
  private floorView: FloorView = { areas: [], tables: [], orders: [] };
  private uploadAcks: ReadonlyMap<string, UploadAck> = new Map();
  private uploadRuns: readonly UploadRun[] = [];
  private readonly ackCache: AckCache = new Map();

  constructor(private readonly options: StoreDocumentsOptions) {
    super();
  }

  get repo(): Repo {
    return this.options.repo;
  }

  private readonly ids = new Map<string, DocumentId>();

  /** The document id of a name: an HMAC, so computed once per name. */
  documentId(name: string): DocumentId {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = deriveDocumentId(this.options.lanKey, this.options.storeId, name);
      this.ids.set(name, id);
    }
    return id;
  }

  async open(): Promise<void> {
    const kinds: [SharedDocName, string, DocumentKind][] = [
      ['store', STORE_DOC_NAME, storeKind],
      ['catalog', CATALOG_DOC_NAME, catalogKind],
      ['floor', FLOOR_DOC_NAME, floorKind],
      ['uploads', UPLOADS_DOC_NAME, uploadsKind],
    ];
    for (const [name, docName, kind] of kinds) {
      const handle = await this.ensureDoc(docName, kind);
      this.shared.set(name, handle);
      this.refreshShared(name);
      handle.on('change', () => {
        this.refreshShared(name);
      });
    }
    await this.openKnownJournals();
    this.saveValidated();
  }

  /** Open a document from storage, or create it from its genesis: never a random id. */
  private async ensureDoc(name: string, kind: DocumentKind): Promise<DocHandle<AnyDoc>> {
    const id = this.documentId(name);
    const cached = this.handles.get(id);
    if (cached) return cached;
    // Three cases: on disk (load it); already announced by a peer, so the repo is fetching it (wait
    // for that: importing the genesis into a handle the synchronizer is setting up can leave the
    // document stuck at its genesis); unknown to everyone here (its genesis, synchronously, so no
    // announcement can slip in between the check and the import).
    const handle = this.isStored(id)
      ? await this.repo.find<AnyDoc>(id)
      : id in this.repo.handles
        ? await this.repo.find<AnyDoc>(id)
        : this.repo.import<AnyDoc>(genesisBytes(this.options.storeId, name, kind.skeleton()), { docId: id });
    this.handles.set(id, handle);
    this.names.set(id, name);
    const header = checkHeader(kind, handle.doc());
    if (header.ok && header.version < kind.schemaVersion) handle.change((d) => migrate(kind, d));
    return handle;
  }

  private isStored(id: DocumentId): boolean {
    return existsSync(join(this.options.storageDir, id.slice(0, 2), id.slice(2)));
  }

  private refreshShared(name: SharedDocName): void {
    const handle = this.shared.get(name);
    if (!handle) return;
    const doc = handle.doc();
    const docLabel = name;
    this.quarantine.clearDocument(docLabel);
    const kind = { store: storeKind, catalog: catalogKind, floor: floorKind, uploads: uploadsKind }[name];
    const header = checkHeader(kind, doc);
    if (!header.ok) {
      // Keep the last good view; the document is reported, not used.
      this.quarantine.add({ document: docLabel, ...header.item });
      this.emit('changed', name);
      return;
    }
    const report = (items: { path: string; reason: string }[]) => {
      for (const item of items) this.quarantine.add({ document: docLabel, ...item });
    };
    switch (name) {
      case 'store': {
        const { view, quarantined } = readStore(doc);
        this.storeView = view;
        report(quarantined);
        void this.openKnownJournals();
        break;
      }
      case 'catalog': {
        const { view, quarantined } = readCatalog(doc);
        this.catalogView = view;
        report(quarantined);
        break;
      }
      case 'floor': {
        const { view, quarantined } = readFloor(doc);
        this.floorView = view;
        report(quarantined);
        break;
      }
      case 'uploads': {
        const { acks, runs, quarantined } = readUploads(doc, this.ackCache);
        this.uploadAcks = acks;
        this.uploadRuns = runs;
        report(quarantined);
        break;
      }
    }
    this.emit('changed', name);
  }

  /**
   * Open every journal chunk the store document lists that is not open yet. Each chunk has one
   * opening promise, and this waits for all of them, also those another caller started: `open()`
   * returns only once every known chunk is loaded.
   */
  private async openKnownJournals(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const [terminalId, chunks] of this.storeView.journals) {
      for (const chunk of chunks) {
        const key = journalKey(terminalId, chunk);
        let opening = this.openChunks.get(key);
        if (opening === undefined) {
          opening = this.openJournalChunk(terminalId, chunk).then(
            () => undefined,
            (error: unknown) => {
              // Not available from any peer right now: tried again a little later.
              this.openChunks.delete(key);
              this.quarantine.add({
                document: `journal/${key}`,
                path: '',
                reason: `cannot-open: ${String(error)}`,
              });
              this.retryLater();
            },
          );
          this.openChunks.set(key, opening);
        }
        pending.push(opening);
      }
    }
    await Promise.all(pending);
  }

  private retryLater(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.openKnownJournals();
    }, 3_000);
    this.retryTimer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.saveValidated();
  }

  /**
   * Record in the validation cache every open chunk with nothing quarantined: each of its entries
   * was validated (when read, when it arrived) or written here.
   */
  private saveValidated(only?: string): void {
    const cache = this.options.validationCache;
    if (!cache) return;
    for (const [key, handle] of this.journalHandles) {
      if (only !== undefined && key !== only) continue;
      if (this.quarantine.hasDocument(`journal/${key}`)) cache.forget(handle.documentId);
      else cache.record(handle.documentId, handle.heads());
    }
    cache.save();
  }

  private async openJournalChunk(terminalId: string, chunk: number): Promise<DocHandle<AnyDoc>> {
    const handle = await this.ensureDoc(journalDocName(terminalId, chunk), journalKind);
    this.quarantine.clearDocument(`journal/${journalKey(terminalId, chunk)}`);
    const label = `journal/${journalKey(terminalId, chunk)}`;
    const entries = this.journalOf(terminalId);
    const trusted = this.options.validationCache?.has(handle.documentId, handle.heads()) ?? false;
    const { entries: read, quarantined } = readJournalChunk(handle.doc(), terminalId, { trusted });
    this.journalHandles.set(journalKey(terminalId, chunk), handle);
    for (const entry of read) entries.set(entry.seq, entry);
    for (const item of quarantined) this.quarantine.add({ document: label, ...item });
    handle.on('change', (payload: DocHandleChangePayload<AnyDoc>) => {
      this.applyJournalPatches(terminalId, label, payload);
    });
    this.emit('changed', 'journal', terminalId);
    return handle;
  }

  /** Parse only the entries a change touched: a sale adds one entry, not a re-read of 500. */
  private applyJournalPatches(
    terminalId: string,
    label: string,
    payload: DocHandleChangePayload<AnyDoc>,
  ): void {
    const entries = this.journalOf(terminalId);
    const buckets = payload.doc.entries as Record<string, Record<string, unknown>> | undefined;
    const touched = new Set<string>();
    for (const patch of payload.patches) {
      const [field, bucket, key] = patch.path;
      if (field === 'entries' && typeof bucket === 'string' && typeof key === 'string')
        touched.add(`${bucket}/${key}`);
    }
    for (const path of touched) {
      const [bucket, key] = path.split('/') as [string, string];
      const value = buckets?.[bucket]?.[key];
      if (value === undefined) continue;
      const own = this.pendingOwn.get(`${label}/${path}`);
      if (own && value instanceof ImmutableString && value.val === own.text) {
        this.pendingOwn.delete(`${label}/${path}`);
        entries.set(own.entry.seq, own.entry);
        continue;
      }
      const checked = checkEntry(value, terminalId, key);
      if (checked.ok) {
        entries.set(checked.entry.seq, checked.entry);
        this.quarantine.clearPath(label, `entries/${path}`);
      } else {
        this.quarantine.add({ document: label, path: `entries/${path}`, reason: checked.reason });
      }
    }
    this.emit('changed', 'journal', terminalId);
  }

  private journalOf(terminalId: string): Map<number, JournalEntry> {
    let entries = this.journals.get(terminalId);
    if (!entries) {
      entries = new Map();
      this.journals.set(terminalId, entries);
    }
    return entries;
  }

  // ---- reading ----

  get store(): StoreView {
    return this.storeView;
  }

  get catalog(): CatalogView {
    return this.catalogView;
  }

  get floor(): FloorView {
    return this.floorView;
  }

  get acks(): ReadonlyMap<string, UploadAck> {
    return this.uploadAcks;
  }

  get uploadRunsView(): readonly UploadRun[] {
    return this.uploadRuns;
  }

  /** Every terminal's journal entries known here, by terminal, by seq. */
  journalEntries(terminalId: string): ReadonlyMap<number, JournalEntry> {
    return this.journals.get(terminalId) ?? new Map();
  }

  terminalsWithJournals(): string[] {
    return [...this.journals.keys()].sort();
  }

  sharedHandle(name: SharedDocName): DocHandle<AnyDoc> {
    const handle = this.shared.get(name);
    if (!handle) throw new Error(`document ${name} is not open`);
    return handle;
  }

  // ---- writing ----

  /** Write this terminal's entry in the store document when it differs from what is there. */
  registerTerminal(entry: TerminalEntry): void {
    const current = this.storeView.terminals.get(entry.terminalId);
    const { registeredAt: _a, appVersion: _b, ...stable } = entry;
    if (current) {
      const { registeredAt: _c, appVersion: _d, ...existing } = current;
      if (canonicalJson(existing) === canonicalJson(stable)) return;
    }
    this.sharedHandle('store').change((d) => {
      (d.terminals as AnyDoc)[entry.terminalId] = new ImmutableString(canonicalJson(entry));
    });
  }

  /**
   * Append an entry to this terminal's own journal and flush it to disk. Only the owner calls
   * this, with consecutive seqs.
   */
  async appendOwn(entry: JournalEntry): Promise<void> {
    const { terminalId } = this.options;
    if (entry.terminalId !== terminalId) throw new Error('a terminal writes only its own journal');
    const chunk = chunkOfSeq(entry.seq);
    const key = journalKey(terminalId, chunk);
    let opening = this.openChunks.get(key);
    if (opening === undefined) {
      opening = this.openJournalChunk(terminalId, chunk).then(() => undefined);
      this.openChunks.set(key, opening);
    }
    await opening;
    const handle = this.handles.get(this.documentId(journalDocName(terminalId, chunk)));
    if (!handle) throw new Error(`journal chunk ${key} did not open`);
    if (!this.storeView.journals.get(terminalId)?.includes(chunk)) {
      this.sharedHandle('store').change((d) => {
        (d.journals as AnyDoc)[key] = true;
      });
    }
    const { bucket, key: entryKey } = entryPath(entry.seq);
    const text = canonicalJson(entry);
    const pendingKey = `journal/${key}/${bucket}/${entryKey}`;
    this.pendingOwn.set(pendingKey, { text, entry });
    try {
      handle.change((d) => {
        const buckets = d.entries as Record<string, AnyDoc>;
        const target = buckets[bucket];
        if (!target) throw new Error(`journal chunk ${key} has no bucket ${bucket}`);
        target[entryKey] = new ImmutableString(text);
      });
    } finally {
      this.pendingOwn.delete(pendingKey);
    }
    await this.repo.flush([handle.documentId, this.sharedHandle('store').documentId]);
    // A chunk just filled up: remember it as validated, so that a restart does not check it again.
    if (chunk > 0 && entry.seq === chunk * JOURNAL_CHUNK_SIZE + 1)
      this.saveValidated(journalKey(terminalId, chunk - 1));
  }

  /** Change a shared document (catalog, floor, uploads) and flush it. */
  async changeShared(name: Exclude<SharedDocName, 'store'>, fn: (doc: AnyDoc) => void): Promise<void> {
    const handle = this.sharedHandle(name);
    handle.change(fn);
    await this.repo.flush([handle.documentId]);
  }

  /** Every open document with its heads: equal heads on two terminals mean equal documents. */
  documentSummaries(): { name: string; documentId: string; heads: string[] }[] {
    return [...this.handles.entries()]
      .map(([documentId, handle]) => ({
        name: this.names.get(documentId) ?? '',
        documentId,
        heads: [...handle.heads()].sort(),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Documents the repo holds that are not (yet) open here, with their state: for support. */
  pendingDocuments(): { documentId: string; state: string }[] {
    return Object.entries(this.repo.handles)
      .filter(([id]) => !this.handles.has(id))
      .map(([documentId, handle]) => ({ documentId, state: handle.state }));
  }

  documentCount(): number {
    return this.handles.size;
  }
}
