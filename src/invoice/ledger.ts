import type { JournalEntry } from '../crdt/documents/journal-doc.js';
import type { StoreDocuments } from '../crdt/store-documents.js';
import { invoiceNumber } from '../domain/ids.js';
import type { Numbering } from '../domain/schemas.js';
import { err, ok, type Result } from '../domain/result.js';
import { formatInTimeZone, localDate } from '../domain/time.js';
import { FiscalLog, type LoggedEntry, type LoggedRecord } from './fiscal-log.js';
import { nextConsecutive, rangeStatus, type NumberingReason, type RangeStatus } from './numbering.js';

export interface LedgerOptions {
  readonly docs: StoreDocuments;
  readonly fiscalDir: string;
  readonly terminalId: string;
  readonly numbering: Numbering;
  readonly timeZone: string;
  readonly now: () => number;
}

/** A journal entry before the ledger gives it its seq. */
export type NewEntry = JournalEntry extends infer E
  ? E extends JournalEntry
    ? Omit<E, 'seq'>
    : never
  : never;

export interface RecoveryReport {
  readonly rebuiltIntoJournal: number;
  readonly copiedIntoLog: number;
  readonly reservedNotIssued: readonly string[];
  readonly logProblems: readonly string[];
}

/**
 * This terminal's fiscal ledger: the only writer of its journal. Commands run one at a time; a
 * number is reserved in the fiscal log (fsynced) before the entry that uses it is committed to
 * the journal (flushed), and the committed entry is then copied to the log. See SPEC.md NUM1–NUM7.
 */
export class FiscalLedger {
  private nextSeq = 1;
  private adoptedUpTo = 0;
  private readonly lastReserved = new Map<string, number>();
  private readonly byCommand = new Map<string, JournalEntry>();
  private readonly consumed = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: LedgerOptions,
    private readonly log: FiscalLog,
  ) {}

  /** Open the log, reconcile it with the journal, and record numbers a crash left reserved-not-issued. */
  static async open(options: LedgerOptions): Promise<{ ledger: FiscalLedger; recovery: RecoveryReport }> {
    const { log, records, problems } = FiscalLog.open(options.fiscalDir);
    const ledger = new FiscalLedger(options, log);
    const recovery = await ledger.recover(records, problems);
    return { ledger, recovery };
  }

  private async recover(
    records: readonly LoggedRecord[],
    logProblems: readonly string[],
  ): Promise<RecoveryReport> {
    const { docs, terminalId } = this.options;
    const problems = [...logProblems];
    const inJournal = docs.journalEntries(terminalId);
    // Only seqs are needed here; a copy's body is decoded only to rebuild a lost journal entry.
    const logged = new Map<number, LoggedEntry>();
    const reserves: { prefix: string; consecutive: number }[] = [];
    for (const record of records) {
      if (record.t === 'entry') logged.set(record.seq, record);
      else reserves.push({ prefix: record.prefix, consecutive: record.consecutive });
    }
    let rebuilt = 0;
    for (const [seq, record] of [...logged].sort((a, b) => a[0] - b[0])) {
      if (!inJournal.has(seq)) {
        const decoded = record.decode();
        if (!decoded.ok) {
          problems.push(`the log's copy of entry ${seq} cannot be read (${decoded.reason}): not rebuilt`);
          continue;
        }
        await docs.appendOwn(decoded.entry);
        rebuilt += 1;
      }
    }
    let copied = 0;
    for (const [seq, entry] of inJournal) {
      if (!logged.has(seq)) {
        this.log.append({ t: 'entry', entry });
        copied += 1;
      }
    }
    for (const r of reserves) this.noteReserved(r.prefix, r.consecutive);
    this.adoptJournal();
    const orphans = reserves.filter((r) => !this.consumed.has(`${r.prefix}|${r.consecutive}`));
    const reservedNotIssued: string[] = [];
    for (const orphan of orphans) {
      const entry = await this.commitNow({
        kind: 'reserved-not-issued',
        terminalId,
        at: this.timestamp(),
        prefix: orphan.prefix,
        consecutive: orphan.consecutive,
        number: invoiceNumber(orphan.prefix, orphan.consecutive),
        reason: 'reserved before a crash or failure and never issued',
      });
      reservedNotIssued.push(entry.kind === 'reserved-not-issued' ? entry.number : '');
    }
    return { rebuiltIntoJournal: rebuilt, copiedIntoLog: copied, reservedNotIssued, logProblems: problems };
  }

  /**
   * Take into account every entry of this terminal's journal, including entries that came back
   * from peers (a terminal re-provisioned on a wiped disk relearns its own history this way).
   */
  private adoptJournal(): void {
    const entries = this.options.docs.journalEntries(this.options.terminalId);
    // Own entries are contiguous by seq, so only those past the last adopted one are new.
    for (let seq = this.adoptedUpTo + 1; ; seq += 1) {
      const entry = entries.get(seq);
      if (!entry) break;
      this.adoptedUpTo = seq;
      if (entry.seq >= this.nextSeq) this.nextSeq = entry.seq + 1;
      if ('commandId' in entry) this.byCommand.set(entry.commandId, entry);
      if (entry.kind === 'invoice') this.noteConsumed(entry.invoice.prefix, entry.invoice.consecutive);
      if (entry.kind === 'reserved-not-issued') this.noteConsumed(entry.prefix, entry.consecutive);
    }
  }

  private noteReserved(prefix: string, consecutive: number): void {
    if (consecutive > (this.lastReserved.get(prefix) ?? -1)) this.lastReserved.set(prefix, consecutive);
  }

  private noteConsumed(prefix: string, consecutive: number): void {
    this.consumed.add(`${prefix}|${consecutive}`);
    this.noteReserved(prefix, consecutive);
  }

  timestamp(): string {
    return formatInTimeZone(this.options.now(), this.options.timeZone);
  }

  today(): string {
    return localDate(this.options.now(), this.options.timeZone);
  }

  /** Run a command alone: issuing, voiding, shift changes never interleave. */
  run<T>(command: () => Promise<T>): Promise<T> {
    const result = this.queue.then(command, command);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The entry an earlier run of this command produced, if any: retries return it unchanged. */
  entryForCommand(commandId: string): JournalEntry | undefined {
    this.adoptJournal();
    return this.byCommand.get(commandId);
  }

  /** Can a number be reserved right now? Checked before anything is written. */
  peekNumber(): Result<number, NumberingReason> {
    this.adoptJournal();
    const { numbering } = this.options;
    return nextConsecutive(numbering, this.lastReserved.get(numbering.prefix), this.today());
  }

  /** NUM2: reserve the next number durably (fsynced) before anything uses it. */
  reserveNumber(): Result<{ prefix: string; consecutive: number }, NumberingReason> {
    const next = this.peekNumber();
    if (!next.ok) return next;
    const { prefix } = this.options.numbering;
    this.log.append({ t: 'reserve', prefix, consecutive: next.value, at: this.timestamp() });
    this.noteReserved(prefix, next.value);
    return ok({ prefix, consecutive: next.value });
  }

  /** Commit an entry: journal (flushed), then the log. Call inside `run`. */
  async commitNow(entry: NewEntry): Promise<JournalEntry> {
    this.adoptJournal();
    const full: JournalEntry = { ...entry, seq: this.nextSeq };
    await this.options.docs.appendOwn(full);
    this.nextSeq += 1;
    // The journal is already durable (crash-safe flush); this copy rides on the next fsync.
    this.log.append({ t: 'entry', entry: full }, { sync: false });
    if ('commandId' in full) this.byCommand.set(full.commandId, full);
    if (full.kind === 'invoice') this.noteConsumed(full.invoice.prefix, full.invoice.consecutive);
    if (full.kind === 'reserved-not-issued') this.noteConsumed(full.prefix, full.consecutive);
    return full;
  }

  /**
   * A reserved number whose invoice could not be committed (e.g. the disk failed) is recorded as
   * reserved-not-issued right away rather than at the next start.
   */
  async abandonReservation(
    prefix: string,
    consecutive: number,
    reason: string,
  ): Promise<Result<void, 'journal-write-failed'>> {
    try {
      await this.commitNow({
        kind: 'reserved-not-issued',
        terminalId: this.options.terminalId,
        at: this.timestamp(),
        prefix,
        consecutive,
        number: invoiceNumber(prefix, consecutive),
        reason,
      });
      return ok(undefined);
    } catch (error) {
      return err('journal-write-failed', String(error));
    }
  }

  rangeStatus(): RangeStatus {
    const { numbering } = this.options;
    return rangeStatus(numbering, this.lastReserved.get(numbering.prefix), this.today());
  }

  close(): void {
    this.log.close();
  }
}
