import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ImmutableString } from '@automerge/automerge';
import type { DocHandle, DocHandleChangePayload, DocumentId, Repo } from '@automerge/automerge-repo';
import { EventEmitter } from 'eventemitter3';
import { canonicalJson } from '../domain/canonical-json.js';
import type { Certificate } from '../domain/certificate.js';
import type { TerminalTrust } from '../security/terminal-trust.js';
import { deriveDocumentId, genesisBytes } from './doc-ids.js';
import { documentStorageOf } from './document-storage.js';
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
  type EntryVerifier,
  type JournalEntry,
} from './documents/journal-doc.js';
import { Quarantine } from './documents/quarantine.js';
import {
  certificateKey,
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
import { TerminalJournal } from './journal-view.js';
import { ValidationCache } from './validation-cache.js';

type AnyDoc = Record<string, unknown>;
export type SharedDocName = 'store' | 'catalog' | 'floor' | 'uploads';

/**
 * How far past a terminal's last full chunk its journal is opened: a chunk is opened only once
 * the ones before it fill up (a journal fills its chunks in order), plus a few ahead so a catching
 * up terminal syncs several at once. A peer listing a thousand chunks gets this many opened (CAP1).
 */
export const JOURNAL_LOOKAHEAD = 4;

export interface StoreDocumentsOptions {
  readonly repo: Repo;
  /** The repo's storage directory (same layout as NodeFSStorageAdapter). */
  readonly storageDir: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly lanKey: Uint8Array;
  /** The store's certified terminal keys: what makes a journal entry trusted (SIG3). */
  readonly trust: TerminalTrust;
  /** This terminal's own certificates, written into the store document for the others. */
  readonly ownCertificates?: readonly Certificate[];
  /** Journal chunks validated before, by heads: read again without validating (optional). */
  readonly validationCache?: ValidationCache;
  /** What this side did on its own that support should see (an entry restored, …). */
  readonly log?: (message: string) => void;
}

interface Events {
  /** A document changed (locally or from a peer); its view is up to date. */
  changed: (name: SharedDocName | 'journal', terminalId?: string) => void;
}

/**
 * The store's documents on this terminal: opens them (from storage, or from their deterministic
 * genesis), keeps a validated view of each, discovers other terminals' journals through the store
 * document, and writes this terminal's own journal. Everything read from a document is parsed;
 * what does not parse, or is not signed by its journal's terminal, goes to the quarantine and the
 * rest stays usable. This terminal's own journal is guarded: an entry of it that a peer alters or
 * deletes is written back (SIG4).
 */
export class StoreDocuments extends EventEmitter<Events> {
  readonly quarantine = new Quarantine();
  readonly handles = new Map<string, DocHandle<AnyDoc>>();
  private readonly names = new Map<string, string>();
  private readonly shared = new Map<SharedDocName, DocHandle<AnyDoc>>();
  private readonly journals = new Map<string, TerminalJournal>();
  private readonly openChunks = new Map<string, Promise<void>>();
  /** Open journal chunks by journalKey. */
  private readonly journalHandles = new Map<string, DocHandle<AnyDoc>>();
  /** Own chunks read with the validation cache (their content was checked against the log before). */
  private readonly trustedOwnChunks = new Set<number>();
  /** Terminals with entries waiting for a certificate of their key. */
  private readonly awaitingKeys = new Set<string>();
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Entries this terminal is writing, by path: trusted as written, not parsed back. */
  private readonly pendingOwn = new Map<string, { text: string; entry: JournalEntry }>();
  private storeView: StoreView = { terminals: new Map(), journals: new Map(), keys: new Map() };
  private catalogView: CatalogView = { meta: undefined, products: [] };
  private floorView: FloorView = { areas: [], tables: [], orders: [] };
  private uploadAcks: ReadonlyMap<string, UploadAck> = new Map();
  private unconfirmedAcks: ReadonlySet<string> = new Set();
  private uploadRuns: readonly UploadRun[] = [];
  private readonly ackCache: AckCache = new Map();
  private readonly verify: EntryVerifier;
  /** Own entries written back after a peer altered or deleted them (health). */
  restoredEntries = 0;

  constructor(private readonly options: StoreDocumentsOptions) {
    super();
    for (const cert of options.ownCertificates ?? []) options.trust.add(cert);
    this.verify = (entry) => options.trust.checkEntry(entry);
  }

  get repo(): Repo {
    return this.options.repo;
  }

  get trust(): TerminalTrust {
    return this.options.trust;
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
    const genesis = () => genesisBytes(this.options.storeId, name, kind.skeleton());
    documentStorageOf(this.repo)?.setGenesis(id, name, genesis);
    const handle = this.isStored(id)
      ? await this.repo.find<AnyDoc>(id)
      : id in this.repo.handles
        ? await this.repo.find<AnyDoc>(id)
        : this.repo.import<AnyDoc>(genesis(), { docId: id });
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
        this.takeCertificates(view);
        this.guardOwnIndex(view);
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
        const { acks, unconfirmed, runs, quarantined } = readUploads(doc, this.ackCache);
        this.uploadAcks = acks;
        this.unconfirmedAcks = unconfirmed;
        this.uploadRuns = runs;
        report(quarantined);
        break;
      }
    }
    this.emit('changed', name);
  }

  /**
   * SIG3: certificates found in the store document are trusted once the store's signature on
   * them verifies; entries that waited for such a key are read again.
   */
  private takeCertificates(view: StoreView): void {
    const gained = new Set<string>();
    for (const [key, value] of view.keys) {
      const taken = this.options.trust.add(value);
      if (!taken.ok) {
        this.quarantine.add({ document: 'store', path: `keys/${key}`, reason: taken.reason });
        continue;
      }
      if (certificateKey(taken.value.cert.terminalId, taken.value.cert.keyId) !== key)
        this.quarantine.add({ document: 'store', path: `keys/${key}`, reason: 'misplaced-certificate' });
      if (taken.value.added) gained.add(taken.value.cert.terminalId);
    }
    for (const terminalId of gained) {
      if (!this.awaitingKeys.delete(terminalId)) continue;
      for (const [key, handle] of this.journalHandles) {
        if (key.startsWith(`${terminalId}/`))
          this.rereadChunk(terminalId, Number(key.slice(terminalId.length + 1)), handle);
      }
    }
  }

  /**
   * This terminal's own keys in the store document — its certificates and its chunks — are put
   * back if a peer removed them: the others find its journal and trust it through them.
   */
  private guardOwnIndex(view: StoreView): void {
    const own = this.options.terminalId;
    const missingCerts = (this.options.ownCertificates ?? []).filter(
      (c) => !view.keys.has(certificateKey(own, c.keyId)),
    );
    const listed = new Set(view.journals.get(own) ?? []);
    const missingChunks = [...this.journalHandles.keys()]
      .filter((key) => key.startsWith(`${own}/`))
      .map((key) => Number(key.slice(own.length + 1)))
      .filter((chunk) => !listed.has(chunk) && (this.journals.get(own)?.entries.size ?? 0) > 0);
    if (missingCerts.length === 0 && missingChunks.length === 0) return;
    // Not inside the change event that called us: the repo is still applying the peer's change.
    queueMicrotask(() => {
      if (this.closed) return;
      this.sharedHandle('store').change((d) => {
        for (const cert of missingCerts)
          (d.keys as AnyDoc)[certificateKey(own, cert.keyId)] = new ImmutableString(canonicalJson(cert));
        for (const chunk of missingChunks) (d.journals as AnyDoc)[journalKey(own, chunk)] = true;
      });
    });
  }

  /** The chunks of a terminal to open now: listed, certified, and no further than they fill up. */
  private chunksToOpen(terminalId: string, listed: readonly number[]): number[] {
    if (!this.options.trust.isCertified(terminalId)) return [];
    const entries = this.journals.get(terminalId)?.entries;
    // A chunk counts as full when its last entry is known.
    let full = 0;
    while (entries?.has((full + 1) * JOURNAL_CHUNK_SIZE)) full += 1;
    const limit = full + JOURNAL_LOOKAHEAD;
    return listed.filter((chunk) => chunk < limit);
  }

  /**
   * Open every journal chunk the store document lists that is not open yet and may be (CAP1).
   * Each chunk has one opening promise, and this waits for all of them, also those another caller
   * started: `open()` returns only once every known chunk is loaded.
   */
  private async openKnownJournals(): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      const pending: Promise<void>[] = [];
      let started = 0;
      for (const [terminalId, chunks] of this.storeView.journals) {
        for (const chunk of this.chunksToOpen(terminalId, chunks)) {
          const key = journalKey(terminalId, chunk);
          let opening = this.openChunks.get(key);
          if (opening === undefined) {
            // One attempt per call: a chunk no peer has now is retried by the timer.
            if (tried.has(key)) continue;
            tried.add(key);
            started += 1;
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
      // Chunks that filled up may let the next ones open.
      if (started === 0 || this.closed) return;
    }
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
    const label = `journal/${journalKey(terminalId, chunk)}`;
    this.journalHandles.set(journalKey(terminalId, chunk), handle);
    this.rereadChunk(terminalId, chunk, handle);
    handle.on('change', (payload: DocHandleChangePayload<AnyDoc>) => {
      this.applyJournalPatches(terminalId, label, payload);
    });
    return handle;
  }

  /** Read a whole chunk into the terminal's journal view. */
  private rereadChunk(terminalId: string, chunk: number, handle: DocHandle<AnyDoc>): void {
    const label = `journal/${journalKey(terminalId, chunk)}`;
    this.quarantine.clearDocument(label);
    const trusted = this.options.validationCache?.has(handle.documentId, handle.heads()) ?? false;
    if (terminalId === this.options.terminalId && trusted) this.trustedOwnChunks.add(chunk);
    const { entries, quarantined } = readJournalChunk(handle.doc(), terminalId, {
      trusted,
      verify: this.verify,
    });
    const journal = this.journalOf(terminalId);
    for (const item of quarantined) this.reject(terminalId, label, item.path, item.reason);
    for (const entry of entries) this.accept(journal, label, entry, trusted);
    this.emit('changed', 'journal', terminalId);
  }

  private accept(journal: TerminalJournal, label: string, entry: JournalEntry, trusted: boolean): void {
    this.quarantine.clearPath(label, pathOf(entry.seq));
    for (const rejection of journal.accept(entry, trusted)) {
      const chunk = chunkOfSeq(rejection.seq);
      this.quarantine.add({
        document: `journal/${journalKey(journal.terminalId, chunk)}`,
        path: pathOf(rejection.seq),
        reason: rejection.reason,
      });
    }
  }

  private reject(terminalId: string, label: string, path: string, reason: string): void {
    this.quarantine.add({ document: label, path, reason });
    if (reason === 'unknown-key') this.awaitingKeys.add(terminalId);
  }

  /** Parse only the entries a change touched: a sale adds one entry, not a re-read of 500. */
  private applyJournalPatches(
    terminalId: string,
    label: string,
    payload: DocHandleChangePayload<AnyDoc>,
  ): void {
    const journal = this.journalOf(terminalId);
    const own = terminalId === this.options.terminalId;
    const buckets = payload.doc.entries as Record<string, Record<string, unknown>> | undefined;
    const touched = new Set<string>();
    for (const patch of payload.patches) {
      const [field, bucket, key] = patch.path;
      if (field === 'entries' && typeof bucket === 'string' && typeof key === 'string')
        touched.add(`${bucket}/${key}`);
    }
    const restore: JournalEntry[] = [];
    for (const path of touched) {
      const [bucket, key] = path.split('/') as [string, string];
      const value = buckets?.[bucket]?.[key];
      const pendingKey = `${label}/${path}`;
      const pending = this.pendingOwn.get(pendingKey);
      if (pending && value instanceof ImmutableString && value.val === pending.text) {
        this.pendingOwn.delete(pendingKey);
        this.accept(journal, label, pending.entry, true);
        continue;
      }
      const seq = Number(key);
      const known = own ? journal.entries.get(seq) : undefined;
      if (known) {
        // SIG4: this terminal's own entry was altered or deleted by a peer: write it back.
        if (!(value instanceof ImmutableString) || value.val !== canonicalJson(known)) restore.push(known);
        continue;
      }
      if (value === undefined) {
        journal.forget(seq);
        continue;
      }
      const checked = checkEntry(value, terminalId, key, this.verify);
      if (checked.ok) this.accept(journal, label, checked.entry, false);
      else {
        journal.forget(seq);
        this.reject(terminalId, label, `entries/${path}`, checked.reason);
      }
    }
    if (restore.length > 0) void this.restoreOwn(restore);
    this.emit('changed', 'journal', terminalId);
    if (!own) void this.openKnownJournals();
  }

  /** Write own entries back as this terminal wrote them (their signature is theirs). */
  private async restoreOwn(entries: readonly JournalEntry[]): Promise<void> {
    for (const entry of entries) {
      if (this.closed) return;
      this.restoredEntries += 1;
      this.options.log?.(`journal entry ${entry.seq} of ${entry.terminalId} was altered by a peer: restored`);
      try {
        await this.appendOwn(entry);
      } catch (error) {
        this.options.log?.(`could not restore journal entry ${entry.seq}: ${String(error)}`);
      }
    }
  }

  private journalOf(terminalId: string): TerminalJournal {
    let journal = this.journals.get(terminalId);
    if (!journal) {
      journal = new TerminalJournal(terminalId);
      this.journals.set(terminalId, journal);
    }
    return journal;
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

  /** Items the cloud acknowledged but its read-back does not hold: pending again (UPL8). */
  get unconfirmed(): ReadonlySet<string> {
    return this.unconfirmedAcks;
  }

  get uploadRunsView(): readonly UploadRun[] {
    return this.uploadRuns;
  }

  /** Every terminal's journal entries known here, by terminal, by seq. */
  journalEntries(terminalId: string): ReadonlyMap<number, JournalEntry> {
    return this.journals.get(terminalId)?.entries ?? new Map<number, JournalEntry>();
  }

  terminalsWithJournals(): string[] {
    return [...this.journals.keys()].sort();
  }

  /** Own entries whose chunk was not read from the validation cache: SIG4 checks them against the log. */
  uncheckedOwnSeqs(): Set<number> {
    const out = new Set<number>();
    for (const seq of this.journalEntries(this.options.terminalId).keys())
      if (!this.trustedOwnChunks.has(chunkOfSeq(seq))) out.add(seq);
    return out;
  }

  sharedHandle(name: SharedDocName): DocHandle<AnyDoc> {
    const handle = this.shared.get(name);
    if (!handle) throw new Error(`document ${name} is not open`);
    return handle;
  }

  // ---- writing ----

  /**
   * Write this terminal's entry in the store document when it differs from what is there, and its
   * key certificates when they are missing.
   */
  registerTerminal(entry: TerminalEntry): void {
    const current = this.storeView.terminals.get(entry.terminalId);
    const { registeredAt: _a, appVersion: _b, ...stable } = entry;
    let same = false;
    if (current) {
      const { registeredAt: _c, appVersion: _d, ...existing } = current;
      same = canonicalJson(existing) === canonicalJson(stable);
    }
    const certs = (this.options.ownCertificates ?? []).filter(
      (c) => !this.storeView.keys.has(certificateKey(entry.terminalId, c.keyId)),
    );
    if (same && certs.length === 0) return;
    this.sharedHandle('store').change((d) => {
      if (!same) (d.terminals as AnyDoc)[entry.terminalId] = new ImmutableString(canonicalJson(entry));
      for (const cert of certs)
        (d.keys as AnyDoc)[certificateKey(entry.terminalId, cert.keyId)] = new ImmutableString(
          canonicalJson(cert),
        );
    });
  }

  /**
   * Append an entry to this terminal's own journal and flush it to disk. Only the owner calls
   * this, with consecutive seqs (or to write back one of its own entries).
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
    const handle = this.journalHandles.get(key);
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

function pathOf(seq: number): string {
  const { bucket, key } = entryPath(seq);
  return `entries/${bucket}/${key}`;
}
