import type { CatalogPort, JournalPort } from '../domain/journal-port.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ImmutableString } from '@automerge/automerge';
import type { DocHandle, DocumentId, Repo } from '@automerge/automerge-repo';
import { EventEmitter } from 'eventemitter3';
import { canonicalJson } from '../domain/canonical-json.js';
import type { Certificate } from '../domain/certificate.js';
import type { TerminalTrust } from '../security/terminal-trust.js';
import { deriveDocumentId, genesisBytes } from './documents/doc-ids.js';
import { documentStorageOf } from './storage/document-storage.js';
import { CATALOG_DOC_NAME, catalogKind, readCatalog, type CatalogView } from './documents/catalog-doc.js';
import { checkHeader, migrate, type DocumentKind } from './documents/document-kind.js';
import {
  CUSTOMERS_DOC_NAME,
  customersKind,
  readCustomers,
  type CustomersView,
} from './documents/customers-doc.js';
import { CONTINGENCY_DOC_NAME, contingencyKind, readContingency } from './documents/contingency-doc.js';
import { DEVICES_DOC_NAME, devicesKind, readDevices, type DevicesView } from './documents/devices-doc.js';
import type { Episode } from '../domain/episode.js';
import { FLOOR_DOC_NAME, floorKind, readFloor, type FloorView } from './documents/floor-doc.js';
import type { JournalEntry } from './documents/journal-doc.js';
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
import { JournalSet } from './journal-set.js';
import { ValidationCache } from './storage/validation-cache.js';
import { flushDurably } from './storage/document-storage.js';

type AnyDoc = Record<string, unknown>;
export type SharedDocName =
  'store' | 'catalog' | 'floor' | 'uploads' | 'customers' | 'contingency' | 'devices';

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
export class StoreDocuments extends EventEmitter<Events> implements JournalPort, CatalogPort {
  readonly quarantine = new Quarantine();
  readonly handles = new Map<string, DocHandle<AnyDoc>>();
  private readonly names = new Map<string, string>();
  private readonly shared = new Map<SharedDocName, DocHandle<AnyDoc>>();
  private readonly journals: JournalSet;
  private closed = false;
  private storeView: StoreView = { terminals: new Map(), journals: new Map(), keys: new Map() };
  private catalogView: CatalogView = { meta: undefined, products: [] };
  private customersView: CustomersView = { meta: undefined, customers: [] };
  private episodeList: readonly Episode[] = [];
  private devicesView: DevicesView = { printers: [], stations: [] };
  /** This terminal's key certificates (RNG4 adds the next range's). */
  private readonly ownCerts: Certificate[];
  private floorView: FloorView = { areas: [], tables: [], orders: [] };
  private uploadAcks: ReadonlyMap<string, UploadAck> = new Map();
  private unconfirmedAcks: ReadonlySet<string> = new Set();
  private uploadRuns: readonly UploadRun[] = [];
  private readonly ackCache: AckCache = new Map();

  constructor(private readonly options: StoreDocumentsOptions) {
    super();
    for (const cert of options.ownCertificates ?? []) options.trust.add(cert);
    this.ownCerts = [...(options.ownCertificates ?? [])];
    this.journals = new JournalSet({
      repo: options.repo,
      terminalId: options.terminalId,
      trust: options.trust,
      quarantine: this.quarantine,
      validationCache: options.validationCache,
      log: options.log,
      openDocument: (name, kind) => this.ensureDoc(name, kind),
      storeView: () => this.storeView,
      changeStore: (fn) => {
        this.sharedHandle('store').change(fn);
      },
      storeDocumentId: () => this.sharedHandle('store').documentId,
      changed: (terminalId) => this.emit('changed', 'journal', terminalId),
    });
  }

  /** Own entries written back after a peer altered or deleted them (health). */
  get restoredEntries(): number {
    return this.journals.restoredEntries;
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
      ['customers', CUSTOMERS_DOC_NAME, customersKind],
      ['contingency', CONTINGENCY_DOC_NAME, contingencyKind],
      ['devices', DEVICES_DOC_NAME, devicesKind],
    ];
    for (const [name, docName, kind] of kinds) {
      const handle = await this.ensureDoc(docName, kind);
      this.shared.set(name, handle);
      this.refreshShared(name);
      handle.on('change', () => {
        this.refreshShared(name);
      });
    }
    await this.journals.openKnown();
    this.journals.saveValidated();
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

  /**
   * Does storage hold a chunk of the document? Its directory alone proves nothing: a process killed
   * between creating it and renaming its first chunk into it (a background save, STO4) leaves the
   * directory with at most a temp file (hidden, removed at start).
   */
  private isStored(id: DocumentId): boolean {
    const dir = join(this.options.storageDir, id.slice(0, 2), id.slice(2));
    return ['snapshot', 'incremental'].some((kind) => {
      try {
        return readdirSync(join(dir, kind)).some((file) => !file.startsWith('.'));
      } catch {
        return false;
      }
    });
  }

  private refreshShared(name: SharedDocName): void {
    const handle = this.shared.get(name);
    if (!handle?.isReady()) return;
    const doc = handle.doc();
    const docLabel = name;
    this.quarantine.clearDocument(docLabel);
    const kind = {
      store: storeKind,
      catalog: catalogKind,
      floor: floorKind,
      uploads: uploadsKind,
      customers: customersKind,
      contingency: contingencyKind,
      devices: devicesKind,
    }[name];
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
        void this.journals.openKnown();
        break;
      }
      case 'catalog': {
        const { view, quarantined } = readCatalog(doc);
        this.catalogView = view;
        report(quarantined);
        break;
      }
      case 'contingency': {
        const { episodes, quarantined } = readContingency(doc);
        this.episodeList = episodes;
        report(quarantined);
        break;
      }
      case 'devices': {
        const { view, quarantined } = readDevices(doc);
        this.devicesView = view;
        report(quarantined);
        break;
      }
      case 'customers': {
        const { view, quarantined } = readCustomers(doc);
        this.customersView = view;
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
    for (const terminalId of gained) this.journals.certified(terminalId);
  }

  /**
   * This terminal's own keys in the store document — its certificates and its chunks — are put
   * back if a peer removed them: the others find its journal and trust it through them.
   */
  private guardOwnIndex(view: StoreView): void {
    const own = this.options.terminalId;
    const missingCerts = this.ownCerts.filter((c) => !view.keys.has(certificateKey(own, c.keyId)));
    const listed = new Set(view.journals.get(own) ?? []);
    const missingChunks = this.journals
      .ownChunks()
      .filter((chunk) => !listed.has(chunk) && this.journals.entries(own).size > 0);
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

  close(): void {
    this.closed = true;
    this.journals.close();
  }

  // ---- reading ----

  get store(): StoreView {
    return this.storeView;
  }

  get catalog(): CatalogView {
    return this.catalogView;
  }

  /** CUS5: the customer directory as last read from the cloud. */
  get customers(): CustomersView {
    return this.customersView;
  }

  /** EPI1: the store's contingency episodes, oldest first. */
  get episodes(): readonly Episode[] {
    return this.episodeList;
  }

  /** PRN1: the store's printers and stations. */
  get devices(): DevicesView {
    return this.devicesView;
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
    return this.journals.entries(terminalId);
  }

  terminalsWithJournals(): string[] {
    return this.journals.terminals();
  }

  /** Own entries whose chunk was not read from the validation cache: SIG4 checks them against the log. */
  uncheckedOwnSeqs(): Set<number> {
    return this.journals.uncheckedOwnSeqs();
  }

  /**
   * Append an entry to this terminal's own journal; it is saved in the background (STO4): its
   * durable copy is the fiscal log's. Only the owner calls this, with consecutive seqs (or to
   * write back one of its own entries).
   */
  appendOwn(entry: JournalEntry): Promise<void> {
    return this.journals.appendOwn(entry);
  }

  sharedHandle(name: SharedDocName): DocHandle<AnyDoc> {
    const handle = this.shared.get(name);
    if (!handle) throw new Error(`document ${name} is not open`);
    return handle;
  }

  // ---- writing ----

  /** RNG4: a new key certificate of this terminal (its next range's): trusted, and published. */
  addOwnCertificate(cert: Certificate): void {
    if (!this.ownCerts.some((c) => c.keyId === cert.keyId)) this.ownCerts.push(cert);
    this.options.trust.add(cert);
    this.sharedHandle('store').change((d) => {
      (d.keys as AnyDoc)[certificateKey(this.options.terminalId, cert.keyId)] = new ImmutableString(
        canonicalJson(cert),
      );
    });
  }

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
    const certs = this.ownCerts.filter(
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

  /** Change a shared document (catalog, customers, floor, uploads, contingency, devices) and flush it. */
  async changeShared(name: Exclude<SharedDocName, 'store'>, fn: (doc: AnyDoc) => void): Promise<void> {
    const handle = this.sharedHandle(name);
    handle.change(fn);
    await flushDurably(this.repo, [handle.documentId]);
  }

  /** Every open document with its heads: equal heads on two terminals mean equal documents. */
  documentSummaries(): { name: string; documentId: string; heads: string[] }[] {
    return [...this.handles.entries()]
      .filter(([, handle]) => handle.isReady())
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
