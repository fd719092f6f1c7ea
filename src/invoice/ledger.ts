import { type JournalEntry } from '../domain/journal-entry.js';
import type { JournalPort } from '../domain/journal-port.js';
import { invoiceNumber } from '../domain/ids.js';
import type { Numbering } from '../domain/schemas.js';
import { err, ok, type Result } from '../domain/result.js';
import { CHAIN_START } from '../domain/seal.js';
import { printable } from '../domain/text.js';
import { formatInTimeZone, localDate } from '../domain/time.js';
import type { SigningKey } from '../security/signing.js';
import { entryHash, sealEntry } from '../security/terminal-trust.js';
import { FiscalLog, LogAppendError, type LoggedEntry, type LoggedRecord } from './fiscal-log.js';
import {
  nextConsecutive,
  rangeStatus,
  type NumberingReason,
  type Position,
  type RangeStatus,
} from './numbering.js';
import { WriteHealth, type WriteFailureReason } from './write-health.js';

export interface LedgerOptions {
  readonly docs: JournalPort;
  readonly fiscalDir: string;
  readonly terminalId: string;
  readonly numbering: Numbering;
  /** RNG5: the part of the range the terminal's key may number (its certificate's position). */
  readonly position?: Position | undefined;
  readonly timeZone: string;
  /** The wall clock (epoch ms): invoice times and the local date. */
  readonly now: () => number;
  /** This terminal's signing key: every entry it writes is signed and chained (SIG1). */
  readonly key: SigningKey;
  /** How often a terminal that could not write tries again (default 2 s). */
  readonly retryWritesMs?: number;
  /**
   * RNG4: the next authorized range this terminal holds, with the key certified for it, if any.
   * When the current range is used up or expires, the ledger numbers from it by itself.
   */
  readonly nextRange?: () => NextRange | undefined;
  /**
   * RNG4: make the switch durable (the terminal's configuration and key) before the first number
   * of the next range is reserved; a throw leaves the ledger on its current range.
   */
  readonly onRangeSwitch?: (from: Numbering, to: NextRange) => void;
}

/** A range held for later (RNG4) and the key certified for it. */
export interface NextRange {
  readonly numbering: Numbering;
  /** RNG5: the position in it the held key is certified for. */
  readonly position?: Position | undefined;
  readonly key: SigningKey;
}

/** A journal entry before the ledger gives it its seq, its chain link and its signature. */
export type NewEntry = JournalEntry extends infer E
  ? E extends JournalEntry
    ? Omit<E, 'seq' | 'prev' | 'keyId' | 'sig'>
    : never
  : never;

export interface RecoveryReport {
  readonly rebuiltIntoJournal: number;
  /** Entries of this terminal's journal that differed from the log (altered) and were restored. */
  readonly restoredInJournal: number;
  readonly copiedIntoLog: number;
  readonly reservedNotIssued: readonly string[];
  readonly logProblems: readonly string[];
}

export type ClockReason = 'clock-behind';
export type LedgerReason = ClockReason | WriteFailureReason;

/** A clock set back further than this behind the terminal's own last entry refuses to issue (CLK1). */
export const CLOCK_BEHIND_TOLERANCE_MS = 5 * 60_000;

/** The log holds entries written before signatures existed: this data directory cannot go on. */
export class LegacyDataError extends Error {
  readonly reason = 'legacy-data';
}

/**
 * This terminal's fiscal ledger: the only writer of its journal. Commands run one at a time; a
 * number is reserved in the fiscal log (fsynced) before the entry that uses it is composed, and
 * every entry is made durable in the log (fsynced) before it is applied to the journal, so a
 * peer never sees an entry that a failed write could take back (WRT1). See SPEC.md NUM1–NUM7,
 * SIG1–SIG4, WRT1–WRT3, CLK1.
 */
export class FiscalLedger {
  private nextSeq = 1;
  private adoptedUpTo = 0;
  private lastOwnAt = Number.NEGATIVE_INFINITY;
  private chainHead: { seq: number; hash: string } = { seq: 0, hash: CHAIN_START };
  private readonly lastReserved = new Map<string, number>();
  private readonly byCommand = new Map<string, JournalEntry>();
  private readonly consumed = new Set<string>();
  /** Entries durable in the log whose journal write failed: applied again when writes work. */
  private readonly unjournaled: JournalEntry[] = [];
  /** Reserved numbers whose reserved-not-issued entry could not be written yet. */
  private readonly unrecorded: { prefix: string; consecutive: number; reason: string }[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  readonly writes: WriteHealth;
  /** The range numbered from and the key signing, which RNG4 may switch to the next ones. */
  private currentNumbering: Numbering;
  private currentPosition: Position | undefined;
  private currentKey: SigningKey;
  /** RNG4: when the ledger last switched to its next range, and from which. */
  private switched: { at: string; from: Numbering; to: Numbering } | undefined;

  private constructor(
    private readonly options: LedgerOptions,
    private readonly log: FiscalLog,
  ) {
    this.currentNumbering = options.numbering;
    this.currentPosition = options.position;
    this.currentKey = options.key;
    this.writes = new WriteHealth({
      dir: options.fiscalDir,
      retryMs: options.retryWritesMs ?? 2_000,
      repair: () => this.run(() => this.repair()),
    });
  }

  /** Open the log, reconcile it with the journal, and record numbers a crash left reserved-not-issued. */
  static async open(options: LedgerOptions): Promise<{ ledger: FiscalLedger; recovery: RecoveryReport }> {
    const { log, records, problems } = FiscalLog.open(options.fiscalDir);
    const firstEntry = records.find((r): r is LoggedEntry => r.t === 'entry');
    const decoded = firstEntry?.decode();
    if (decoded && !decoded.ok && decoded.reason === 'invalid-entry') {
      log.close();
      throw new LegacyDataError(
        `the fiscal log in ${options.fiscalDir} holds entries of an older version of caja (unsigned): ` +
          'provision this terminal again in a new data directory and keep this one for support',
      );
    }
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
    // Only seqs are needed here; a copy's body is decoded only to rebuild or check an entry.
    const logged = new Map<number, LoggedEntry>();
    const reserves: { prefix: string; consecutive: number }[] = [];
    for (const record of records) {
      if (record.t === 'entry') logged.set(record.seq, record);
      else reserves.push({ prefix: record.prefix, consecutive: record.consecutive });
    }
    // SIG4: the log is the truth of what this terminal wrote. An entry missing from the journal
    // (lost, or deleted by a peer) is written back; one whose content differs (altered, and so
    // quarantined, or not what this terminal wrote) is written back too. Chunks whose exact
    // content was checked before (the validation cache) are not decoded again.
    const unchecked = docs.uncheckedOwnSeqs();
    let rebuilt = 0;
    let restored = 0;
    for (const [seq, record] of [...logged].sort((a, b) => a[0] - b[0])) {
      const present = inJournal.get(seq);
      if (present && !unchecked.has(seq)) continue;
      const decoded = record.decode();
      if (!decoded.ok) {
        problems.push(`the log's copy of entry ${seq} cannot be read (${decoded.reason}): not rebuilt`);
        continue;
      }
      if (present && entryHash(present) === entryHash(decoded.entry)) continue;
      await docs.appendOwn(decoded.entry);
      if (present) restored += 1;
      else rebuilt += 1;
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
      const entry = await this.commitNow(
        this.unissued(
          orphan.prefix,
          orphan.consecutive,
          'reserved before a crash or failure and never issued',
        ),
      );
      reservedNotIssued.push(entry.kind === 'reserved-not-issued' ? entry.number : '');
    }
    return {
      rebuiltIntoJournal: rebuilt,
      restoredInJournal: restored,
      copiedIntoLog: copied,
      reservedNotIssued,
      logProblems: problems,
    };
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
      this.take(entry);
    }
  }

  private take(entry: JournalEntry): void {
    if (entry.seq >= this.nextSeq) this.nextSeq = entry.seq + 1;
    const at = Date.parse(entry.at);
    if (at > this.lastOwnAt) this.lastOwnAt = at;
    if ('commandId' in entry) this.byCommand.set(entry.commandId, entry);
    if (entry.kind === 'invoice') this.noteConsumed(entry.invoice.prefix, entry.invoice.consecutive);
    if (entry.kind === 'reserved-not-issued') this.noteConsumed(entry.prefix, entry.consecutive);
  }

  private noteReserved(prefix: string, consecutive: number): void {
    if (consecutive > (this.lastReserved.get(prefix) ?? -1)) this.lastReserved.set(prefix, consecutive);
  }

  private noteConsumed(prefix: string, consecutive: number): void {
    this.consumed.add(`${prefix}|${consecutive}`);
    this.noteReserved(prefix, consecutive);
  }

  /** SIG2: the hash of this terminal's entry before `seq`, the link the next entry carries. */
  private prevHash(): string {
    const seq = this.nextSeq - 1;
    if (seq < 1) return CHAIN_START;
    if (this.chainHead.seq !== seq) {
      const entry = this.options.docs.journalEntries(this.options.terminalId).get(seq);
      this.chainHead = { seq, hash: entry ? entryHash(entry) : CHAIN_START };
    }
    return this.chainHead.hash;
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

  /**
   * The entry an earlier run of this command produced, if any: retries return it unchanged. With
   * `req`, the digest of the command's body: the same commandId with another body is refused.
   */
  entryForCommand(commandId: string, req?: string): Result<JournalEntry | undefined, 'command-id-reused'> {
    this.adoptJournal();
    const entry = this.byCommand.get(commandId);
    if (entry && req !== undefined && 'req' in entry && entry.req !== undefined && entry.req !== req)
      return err('command-id-reused', `commandId ${commandId} was used for another command`);
    return ok(entry);
  }

  /**
   * May this terminal record anything now? Not while its writes fail (WRT2), nor with a clock set
   * back behind its own last entry (CLK1): invoice times never run backwards.
   */
  canCommit(): Result<void, LedgerReason> {
    const failure = this.writes.failure;
    if (failure) return err(failure.reason, `this terminal cannot write to its disk: ${failure.message}`);
    this.adoptJournal();
    const now = this.options.now();
    if (now < this.lastOwnAt - CLOCK_BEHIND_TOLERANCE_MS) {
      const minutes = Math.round((this.lastOwnAt - now) / 60_000);
      return err(
        'clock-behind',
        `this terminal's clock (${this.timestamp()}) is ${minutes} min behind its own last entry: set the clock right`,
      );
    }
    return ok(undefined);
  }

  /** How far the clock is behind this terminal's own last entry, in ms (0 when it is not). */
  clockBehindMs(): number {
    this.adoptJournal();
    return Math.max(0, this.lastOwnAt - this.options.now());
  }

  /** The range this terminal numbers from now (RNG4 may have switched it). */
  get numbering(): Numbering {
    return this.currentNumbering;
  }

  /** RNG4: the last switch to a next range, for the banner and health. */
  get rangeSwitch(): { at: string; from: Numbering; to: Numbering } | undefined {
    return this.switched;
  }

  /**
   * Can a number be reserved right now? Checked before anything is written. RNG4: when the
   * current range is used up or no longer valid and a next one is held (and valid today), the
   * ledger switches to it — durably, through `onRangeSwitch` — and numbers from it.
   */
  peekNumber(): Result<number, NumberingReason> {
    this.adoptJournal();
    const current = this.nextIn(this.currentNumbering, this.currentPosition);
    if (current.ok) return current;
    const next = this.options.nextRange?.();
    if (!next) return current;
    const fromNext = this.nextIn(next.numbering, next.position);
    if (!fromNext.ok) return current;
    try {
      this.options.onRangeSwitch?.(this.currentNumbering, next);
    } catch {
      return current;
    }
    this.switched = { at: this.timestamp(), from: this.currentNumbering, to: next.numbering };
    this.currentNumbering = next.numbering;
    this.currentPosition = next.position;
    this.currentKey = next.key;
    return fromNext;
  }

  private nextIn(numbering: Numbering, position: Position | undefined): Result<number, NumberingReason> {
    return nextConsecutive(numbering, this.lastReserved.get(numbering.prefix), this.today(), position);
  }

  /**
   * NUM2: the number the next invoice takes. Nothing is written here: the invoice's own record in
   * the fiscal log (`commitNow`, one fsync) is what reserves it, so a number is taken exactly when
   * its invoice is durable. Call inside `run`, right before composing and committing the invoice.
   */
  claimNumber(): Result<{ prefix: string; consecutive: number }, NumberingReason> {
    const next = this.peekNumber();
    if (!next.ok) return next;
    return ok({ prefix: this.currentNumbering.prefix, consecutive: next.value });
  }

  /**
   * Commit an entry (call inside `run`): signed and chained (SIG1, SIG2), durable in the fiscal
   * log first (WRT1) — a failure there throws and leaves nothing anywhere — and only then applied
   * to the journal that peers see. If the journal's own storage fails after that, the entry is
   * still issued (it is in the log and is written to the journal again when writes work).
   */
  async commitNow(entry: NewEntry): Promise<JournalEntry> {
    this.adoptJournal();
    const full = sealEntry<JournalEntry>(
      { ...entry, seq: this.nextSeq, prev: this.prevHash() },
      this.currentKey,
    );
    try {
      this.log.append({ t: 'entry', entry: full });
    } catch (error) {
      const failure = this.writes.failed(error);
      // NUM4: an invoice's record that may be whole in the log (it could not be cut back) may be
      // read back at the next start: its number is never given again, and it is recorded as
      // reserved-not-issued as soon as writes work (if the invoice does come back, it keeps the
      // number and the later record is left out as number-taken).
      if (error instanceof LogAppendError && !error.cutBack && full.kind === 'invoice') {
        const { prefix, consecutive } = full.invoice;
        this.noteReserved(prefix, consecutive);
        this.unrecorded.push({
          prefix,
          consecutive,
          reason: `the sale could not be written: ${failure.message}`,
        });
      }
      throw new LedgerWriteError(failure.reason, failure.message);
    }
    this.take(full);
    this.adoptedUpTo = Math.max(this.adoptedUpTo, full.seq);
    this.chainHead = { seq: full.seq, hash: entryHash(full) };
    try {
      await this.options.docs.appendOwn(full);
    } catch (error) {
      this.unjournaled.push(full);
      this.writes.failed(error);
    }
    return full;
  }

  private unissued(prefix: string, consecutive: number, reason: string): NewEntry {
    return {
      kind: 'reserved-not-issued',
      terminalId: this.options.terminalId,
      at: this.timestamp(),
      prefix,
      consecutive,
      number: invoiceNumber(prefix, consecutive),
      reason: printable(reason).slice(0, 200),
    };
  }

  /** WRT3: writes work again (the probe said so): catch up on what could not be written. */
  private async repair(): Promise<void> {
    while (this.unjournaled.length > 0) {
      const entry = this.unjournaled[0];
      if (!entry) break;
      await this.options.docs.appendOwn(entry);
      this.unjournaled.shift();
    }
    while (this.unrecorded.length > 0) {
      const next = this.unrecorded[0];
      if (!next) break;
      await this.commitNow(this.unissued(next.prefix, next.consecutive, next.reason));
      this.unrecorded.shift();
    }
  }

  rangeStatus(): RangeStatus {
    const numbering = this.currentNumbering;
    return rangeStatus(
      numbering,
      this.lastReserved.get(numbering.prefix),
      this.today(),
      this.currentPosition,
    );
  }

  close(): void {
    this.writes.stop();
    this.log.close();
  }
}

/** commitNow could not make the entry durable: nothing was written. */
export class LedgerWriteError extends Error {
  constructor(
    readonly reason: WriteFailureReason,
    message: string,
  ) {
    super(message);
  }
}
