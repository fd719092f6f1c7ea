import type { JournalPort } from '../domain/journal-port.js';
import { err, ok, type Result } from '../domain/result.js';
import type { JournalEntry } from '../domain/journal-entry.js';
import { requestDigest } from '../security/signing.js';
import type { Actor } from './cashbox.js';
import { commitEntry } from './commit-entry.js';
import type { InvoiceIndex } from './invoice-index.js';
import type { FiscalLedger, LedgerReason } from './ledger.js';
import { currentShift, shiftReport, type OpenShift, type ShiftReport } from './shift-report.js';

export type ShiftReason =
  | LedgerReason
  | 'shift-already-open'
  | 'no-open-shift'
  | 'command-id-reused'
  | 'manager-required'
  | 'note-required';

/** SHF6: what closing the open shift with a count would need. */
export interface ClosePreview {
  readonly report: ShiftReport;
  /** The store's limit: a difference beyond it needs a manager's PIN and a note. */
  readonly differenceLimit: number;
  readonly needsManager: boolean;
  readonly needsNote: boolean;
}
const REUSED = 'this commandId was used for another command';

/** A cash movement as recorded: what `POST /api/shifts/current/movements` answers. */
export interface CashMovementAnswer {
  readonly shiftId: string;
  readonly movement: {
    readonly commandId: string;
    readonly type: 'in' | 'out';
    readonly amount: number;
    readonly reason: string;
    readonly at: string;
    readonly by: { readonly id: string; readonly name: string };
  };
}

function movementAnswer(entry: Extract<JournalEntry, { kind: 'cash-movement' }>): CashMovementAnswer {
  const { shiftId, commandId, type, amount, reason, at, by } = entry;
  return { shiftId, movement: { commandId, type, amount, reason, at, by } };
}

/** SHF6: the cash difference a shift may close with, without a manager and a note (pesos). */
export const DEFAULT_SHIFT_DIFFERENCE_LIMIT = 20_000;

export interface ShiftsOptions {
  readonly terminalId: string;
  readonly docs: JournalPort;
  readonly ledger: FiscalLedger;
  readonly index: InvoiceIndex;
  /** SHF6: a shift closing with a cash difference beyond this needs a manager and a note. */
  readonly shiftDifferenceLimit?: number | undefined;
  readonly newId: () => string;
}

/**
 * The terminal's shift and its drawer (SHF1–SHF6, PRN7): open, cash in and out, "Abrir cajón",
 * the X/Z report and the close. Like every fiscal command each runs alone in the ledger, is
 * idempotent by its commandId, and answers only once its entry is committed. The sales of the
 * shift are the Cashbox's; it reads the open shift from here.
 */
export class Shifts {
  private open: OpenShift | undefined;

  constructor(private readonly options: ShiftsOptions) {
    this.refresh();
  }

  private ownEntries() {
    return [...this.options.docs.journalEntries(this.options.terminalId).values()].sort(
      (a, b) => a.seq - b.seq,
    );
  }

  private refresh(): void {
    this.open = currentShift(this.ownEntries());
  }

  /** The open shift, if any. */
  get current(): OpenShift | undefined {
    return this.open;
  }

  openShift(commandId: string, openingCash: number, actor: Actor): Promise<Result<OpenShift, ShiftReason>> {
    const { ledger, terminalId } = this.options;
    return ledger.run(async () => {
      const found = ledger.entryForCommand(commandId, requestDigest({ command: 'open-shift', openingCash }));
      if (!found.ok) return found;
      const previous = found.value;
      if (previous) {
        if (previous.kind !== 'shift-opened') return err('command-id-reused', REUSED);
        return ok({
          shiftId: previous.shiftId,
          openedAt: previous.at,
          openedBy: previous.openedBy,
          openingCash: previous.openingCash,
        });
      }
      if (this.open)
        return err('shift-already-open', `shift ${this.open.shiftId} is already open on ${terminalId}`);
      const committed = await commitEntry(this.options.ledger, {
        kind: 'shift-opened',
        terminalId,
        at: ledger.timestamp(),
        commandId,
        req: requestDigest({ command: 'open-shift', openingCash }),
        shiftId: `${terminalId}-${this.options.newId().slice(0, 8)}`,
        openedBy: { id: actor.id, name: actor.name },
        openingCash,
      });
      if (!committed.ok) return committed;
      const entry = committed.value;
      if (entry.kind !== 'shift-opened') return err('no-open-shift', 'the shift did not open');
      this.open = {
        shiftId: entry.shiftId,
        openedAt: entry.at,
        openedBy: entry.openedBy,
        openingCash: entry.openingCash,
      };
      return ok(this.open);
    });
  }

  /**
   * SHF1, CMD2: a cash in/out of the open shift. The answer is the movement as its journal entry
   * holds it, so a retry (also after a restart) answers exactly what the first run did.
   */
  cashMovement(
    commandId: string,
    movement: { type: 'in' | 'out'; amount: number; reason: string },
    actor: Actor,
  ): Promise<Result<CashMovementAnswer, ShiftReason>> {
    const { ledger, terminalId } = this.options;
    const req = requestDigest({ command: 'cash-movement', ...movement });
    return ledger.run(async () => {
      const found = ledger.entryForCommand(commandId, req);
      if (!found.ok) return found;
      const previous = found.value;
      if (previous) {
        return previous.kind === 'cash-movement'
          ? ok(movementAnswer(previous))
          : err('command-id-reused', REUSED);
      }
      if (!this.open) return err('no-open-shift', 'open a shift first');
      const committed = await commitEntry(this.options.ledger, {
        kind: 'cash-movement',
        terminalId,
        at: ledger.timestamp(),
        commandId,
        req,
        shiftId: this.open.shiftId,
        ...movement,
        by: { id: actor.id, name: actor.name },
      });
      if (!committed.ok) return committed;
      const entry = committed.value;
      return entry.kind === 'cash-movement'
        ? ok(movementAnswer(entry))
        : err('no-open-shift', 'the movement was not recorded');
    });
  }

  /**
   * PRN7, CMD2: "Abrir cajón" without a sale — recorded in the open shift with who, when and why
   * before the drawer is pulsed. A retry answers the first entry.
   */
  openDrawer(
    commandId: string,
    reason: string,
    actor: Actor,
  ): Promise<
    Result<
      { shiftId: string; at: string; by: { id: string; name: string }; reason: string; replayed: boolean },
      ShiftReason
    >
  > {
    const { ledger, terminalId } = this.options;
    const req = requestDigest({ command: 'open-drawer', reason });
    return ledger.run(async () => {
      const found = ledger.entryForCommand(commandId, req);
      if (!found.ok) return found;
      const previous = found.value;
      if (previous) {
        return previous.kind === 'drawer-opened'
          ? ok({
              shiftId: previous.shiftId,
              at: previous.at,
              by: previous.by,
              reason: previous.reason,
              replayed: true,
            })
          : err('command-id-reused', REUSED);
      }
      if (!this.open) return err('no-open-shift', 'open a shift first');
      const committed = await commitEntry(this.options.ledger, {
        kind: 'drawer-opened',
        terminalId,
        at: ledger.timestamp(),
        commandId,
        req,
        shiftId: this.open.shiftId,
        by: { id: actor.id, name: actor.name },
        reason,
      });
      if (!committed.ok) return committed;
      const entry = committed.value;
      return entry.kind === 'drawer-opened'
        ? ok({ shiftId: entry.shiftId, at: entry.at, by: entry.by, reason: entry.reason, replayed: false })
        : err('no-open-shift', 'the opening was not recorded');
    });
  }

  report(shiftId?: string): ShiftReport | undefined {
    const id = shiftId ?? this.open?.shiftId;
    return id === undefined
      ? undefined
      : shiftReport(this.ownEntries(), id, (invoiceId) => {
          const found = this.options.index.get(invoiceId);
          return found && { invoice: found.invoice, returns: found.returns.map((r) => r.creditNote) };
        });
  }

  /** SHF6: the Z report the close would give with this count, and what the close needs. */
  previewClose(countedCash: number): ClosePreview | undefined {
    const report = this.report();
    if (!report) return undefined;
    const difference = countedCash - report.expectedCash;
    const differenceLimit = this.options.shiftDifferenceLimit ?? DEFAULT_SHIFT_DIFFERENCE_LIMIT;
    const beyond = Math.abs(difference) > differenceLimit;
    return {
      report: { ...report, countedCash, difference },
      differenceLimit,
      needsManager: beyond,
      needsNote: beyond,
    };
  }

  /**
   * SHF3, SHF6: close the open shift with the cash counted. A difference beyond the store's limit
   * needs a manager (or a manager's PIN) and a note saying why, kept on the close.
   */
  closeShift(
    commandId: string,
    countedCash: number,
    actor: Actor,
    note?: string,
  ): Promise<Result<ShiftReport, ShiftReason>> {
    const { ledger, terminalId } = this.options;
    const req = requestDigest({ command: 'close-shift', countedCash, note: note ?? null });
    return ledger.run(async () => {
      const found = ledger.entryForCommand(commandId, req);
      if (!found.ok) return found;
      const previous = found.value;
      if (previous) {
        const report = previous.kind === 'shift-closed' ? this.report(previous.shiftId) : undefined;
        return report ? ok(report) : err('command-id-reused', REUSED);
      }
      const open = this.open;
      if (!open) return err('no-open-shift', 'there is no open shift to close');
      const before = this.report(open.shiftId);
      const preview = this.previewClose(countedCash);
      if (preview?.needsManager && actor.role !== 'manager' && actor.elevated !== true)
        return err(
          'manager-required',
          `the count differs by more than ${preview.differenceLimit} from the expected cash: a manager closes it`,
        );
      if (preview?.needsNote && (note === undefined || note.trim().length < 3))
        return err('note-required', 'say why the count differs from the expected cash');
      const committed = await commitEntry(this.options.ledger, {
        kind: 'shift-closed',
        terminalId,
        at: ledger.timestamp(),
        commandId,
        req,
        shiftId: open.shiftId,
        closedBy: { id: actor.id, name: actor.name },
        countedCash,
        expectedCash: before?.expectedCash ?? open.openingCash,
        ...(note === undefined ? {} : { note }),
      });
      if (!committed.ok) return committed;
      this.refresh();
      const report = this.report(open.shiftId);
      return report ? ok(report) : err('no-open-shift', 'the shift report is missing');
    });
  }
}
