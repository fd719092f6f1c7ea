import { ImmutableString } from '@automerge/automerge';
import type { DocHandle, DocHandleChangePayload, DocumentId, Repo } from '@automerge/automerge-repo';
import { canonicalJson } from '../domain/canonical-json.js';
import type { TerminalTrust } from '../security/terminal-trust.js';
import type { DocumentKind } from './documents/document-kind.js';
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
import type { Quarantine } from './documents/quarantine.js';
import { journalKey, type StoreView } from './documents/store-doc.js';
import { TerminalJournal } from './journal-view.js';
import type { ValidationCache } from './storage/validation-cache.js';

type AnyDoc = Record<string, unknown>;

/**
 * How far past a terminal's last full chunk its journal is opened: a chunk is opened only once
 * the ones before it fill up (a journal fills its chunks in order), plus a few ahead so a catching
 * up terminal syncs several at once. A peer listing a thousand chunks gets this many opened (CAP1).
 */
export const JOURNAL_LOOKAHEAD = 16;

/** What the journals need of the store's documents (StoreDocuments). */
export interface JournalSetHost {
  readonly repo: Repo;
  readonly terminalId: string;
  readonly trust: TerminalTrust;
  readonly quarantine: Quarantine;
  readonly validationCache?: ValidationCache | undefined;
  readonly log?: ((message: string) => void) | undefined;
  /** Open a document from storage, or from its genesis. */
  openDocument(name: string, kind: DocumentKind): Promise<DocHandle<AnyDoc>>;
  storeView(): StoreView;
  changeStore(fn: (doc: AnyDoc) => void): void;
  storeDocumentId(): DocumentId;
  /** A terminal's journal view changed. */
  changed(terminalId: string): void;
}

/**
 * Every terminal's journal on this terminal: the chunks the store document lists, opened as far
 * as they may be (CAP1), each entry checked (schema, place, signature, range: SIG3) and taken into
 * its terminal's view with its neighbours' checks (SIG2, journal-view.ts); what fails goes to the
 * quarantine. This terminal's own journal is written here, and guarded: an own entry a peer alters
 * or deletes is written back (SIG4).
 */
export class JournalSet {
  private readonly journals = new Map<string, TerminalJournal>();
  private readonly openChunks = new Map<string, Promise<void>>();
  /** Open journal chunks by journalKey. */
  readonly handles = new Map<string, DocHandle<AnyDoc>>();
  /** Own chunks read with the validation cache (their content was checked against the log before). */
  private readonly trustedOwnChunks = new Set<number>();
  /** Terminals with entries waiting for a certificate of their key. */
  private readonly awaitingKeys = new Set<string>();
  /** Entries this terminal is writing, by path: trusted as written, not parsed back. */
  private readonly pendingOwn = new Map<string, { text: string; entry: JournalEntry }>();
  private readonly verify: EntryVerifier;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Own entries written back after a peer altered or deleted them (health). */
  restoredEntries = 0;

  constructor(private readonly host: JournalSetHost) {
    this.verify = (entry) => host.trust.checkEntry(entry);
  }

  /** The chunks of a terminal to open now: listed, certified, and no further than they fill up. */
  private chunksToOpen(terminalId: string, listed: readonly number[]): number[] {
    if (!this.host.trust.isCertified(terminalId)) return [];
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
  async openKnown(): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      const pending: Promise<void>[] = [];
      let started = 0;
      for (const [terminalId, chunks] of this.host.storeView().journals) {
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
                this.host.quarantine.add({
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
      void this.openKnown();
    }, 3_000);
    this.retryTimer.unref();
  }

  /**
   * Record in the validation cache every open chunk with nothing quarantined: each of its entries
   * was validated (when read, when it arrived) or written here.
   */
  saveValidated(only?: string): void {
    const cache = this.host.validationCache;
    if (!cache) return;
    for (const [key, handle] of this.handles) {
      if (only !== undefined && key !== only) continue;
      // A handle the repo is loading or unloading has no heads to record.
      if (!handle.isReady()) continue;
      if (this.host.quarantine.hasDocument(`journal/${key}`)) cache.forget(handle.documentId);
      else cache.record(handle.documentId, handle.heads());
    }
    cache.save();
  }

  private async openJournalChunk(terminalId: string, chunk: number): Promise<DocHandle<AnyDoc>> {
    const handle = await this.host.openDocument(journalDocName(terminalId, chunk), journalKind);
    const label = `journal/${journalKey(terminalId, chunk)}`;
    this.handles.set(journalKey(terminalId, chunk), handle);
    this.rereadChunk(terminalId, chunk, handle);
    handle.on('change', (payload: DocHandleChangePayload<AnyDoc>) => {
      this.applyJournalPatches(terminalId, label, payload);
    });
    return handle;
  }

  /** Read a whole chunk into the terminal's journal view. */
  rereadChunk(terminalId: string, chunk: number, handle: DocHandle<AnyDoc>): void {
    const label = `journal/${journalKey(terminalId, chunk)}`;
    // Not readable now (the repo is loading or shutting it down): read again at its next change.
    if (!handle.isReady()) return;
    this.host.quarantine.clearDocument(label);
    const trusted = this.host.validationCache?.has(handle.documentId, handle.heads()) ?? false;
    if (terminalId === this.host.terminalId && trusted) this.trustedOwnChunks.add(chunk);
    const { entries, quarantined } = readJournalChunk(handle.doc(), terminalId, {
      trusted,
      verify: this.verify,
    });
    const journal = this.journalOf(terminalId);
    for (const item of quarantined) this.reject(terminalId, label, item.path, item.reason);
    for (const entry of entries) this.accept(journal, label, entry, trusted);
    this.host.changed(terminalId);
  }

  private accept(journal: TerminalJournal, label: string, entry: JournalEntry, trusted: boolean): void {
    this.host.quarantine.clearPath(label, pathOf(entry.seq));
    for (const rejection of journal.accept(entry, trusted)) {
      const chunk = chunkOfSeq(rejection.seq);
      this.host.quarantine.add({
        document: `journal/${journalKey(journal.terminalId, chunk)}`,
        path: pathOf(rejection.seq),
        reason: rejection.reason,
      });
    }
  }

  private reject(terminalId: string, label: string, path: string, reason: string): void {
    this.host.quarantine.add({ document: label, path, reason });
    if (reason === 'unknown-key') this.awaitingKeys.add(terminalId);
  }

  /** Parse only the entries a change touched: a sale adds one entry, not a re-read of 500. */
  private applyJournalPatches(
    terminalId: string,
    label: string,
    payload: DocHandleChangePayload<AnyDoc>,
  ): void {
    const journal = this.journalOf(terminalId);
    const own = terminalId === this.host.terminalId;
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
    this.host.changed(terminalId);
    if (!own) void this.openKnown();
  }

  /** Write own entries back as this terminal wrote them (their signature is theirs). */
  private async restoreOwn(entries: readonly JournalEntry[]): Promise<void> {
    for (const entry of entries) {
      if (this.closed) return;
      this.restoredEntries += 1;
      this.host.log?.(`journal entry ${entry.seq} of ${entry.terminalId} was altered by a peer: restored`);
      try {
        await this.appendOwn(entry);
      } catch (error) {
        this.host.log?.(`could not restore journal entry ${entry.seq}: ${String(error)}`);
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

  /**
   * Append an entry to this terminal's own journal (saved in the background: STO4). Only the owner
   * calls this, with consecutive seqs (or to write back one of its own entries).
   */
  async appendOwn(entry: JournalEntry): Promise<void> {
    const { terminalId } = this.host;
    if (entry.terminalId !== terminalId) throw new Error('a terminal writes only its own journal');
    const chunk = chunkOfSeq(entry.seq);
    const key = journalKey(terminalId, chunk);
    let opening = this.openChunks.get(key);
    if (opening === undefined) {
      opening = this.openJournalChunk(terminalId, chunk).then(() => undefined);
      this.openChunks.set(key, opening);
    }
    await opening;
    const handle = this.handles.get(key);
    if (!handle) throw new Error(`journal chunk ${key} did not open`);
    if (!this.host.storeView().journals.get(terminalId)?.includes(chunk)) {
      this.host.changeStore((d) => {
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
    // STO4: not flushed here. The entry is durable in the fiscal log already (WRT1), from which the
    // journal is rebuilt after a crash; the repo saves the chunk in the background (its throttled
    // save, within 100 ms) and the host syncs such saves in batches.
    // A chunk just filled up: remember it as validated, so that a restart does not check it again.
    if (chunk > 0 && entry.seq === chunk * JOURNAL_CHUNK_SIZE + 1)
      this.saveValidated(journalKey(terminalId, chunk - 1));
  }

  /** A terminal's entries wait for a certificate that arrived: read its chunks again. */
  certified(terminalId: string): void {
    if (!this.awaitingKeys.delete(terminalId)) return;
    for (const [key, handle] of this.handles)
      if (key.startsWith(`${terminalId}/`))
        this.rereadChunk(terminalId, Number(key.slice(terminalId.length + 1)), handle);
  }

  /** Chunks of this terminal open here. */
  ownChunks(): number[] {
    const own = this.host.terminalId;
    return [...this.handles.keys()]
      .filter((key) => key.startsWith(`${own}/`))
      .map((key) => Number(key.slice(own.length + 1)));
  }

  /** Every terminal's journal entries known here, by terminal, by seq. */
  entries(terminalId: string): ReadonlyMap<number, JournalEntry> {
    return this.journals.get(terminalId)?.entries ?? new Map<number, JournalEntry>();
  }

  terminals(): string[] {
    return [...this.journals.keys()].sort();
  }

  /** Own entries whose chunk was not read from the validation cache: SIG4 checks them against the log. */
  uncheckedOwnSeqs(): Set<number> {
    const out = new Set<number>();
    for (const seq of this.entries(this.host.terminalId).keys())
      if (!this.trustedOwnChunks.has(chunkOfSeq(seq))) out.add(seq);
    return out;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.saveValidated();
  }
}

function pathOf(seq: number): string {
  const { bucket, key } = entryPath(seq);
  return `entries/${bucket}/${key}`;
}
