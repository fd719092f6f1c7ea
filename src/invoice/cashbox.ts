import { randomUUID } from 'node:crypto';
import type { Product } from '../domain/catalog.js';
import { productAtPrice, type OpenPriceReason } from '../domain/open-price.js';
import type { Customer } from '../domain/customer.js';
import type { Invoice } from '../domain/invoice.js';
import type { PaymentRequest } from '../domain/payment.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Numbering } from '../domain/schemas.js';
import type { CatalogPort, JournalPort } from '../domain/journal-port.js';
import {
  composeInvoice,
  type ComposeReason,
  type SaleLineRequest,
  type SplitMark,
} from './compose-invoice.js';
import { DEFAULT_FISCAL_SETTINGS, type FiscalSettings, type SalesChannel } from '../domain/channel.js';
import type { InvoiceIndex } from './invoice-index.js';
import { LedgerWriteError, type FiscalLedger, type LedgerReason, type NewEntry } from './ledger.js';
import { type JournalEntry } from '../domain/journal-entry.js';
import { requestDigest } from '../security/signing.js';
import type { NumberingReason } from './numbering.js';
import { CreditNotes, type ReturnRequest, type VoidRequest } from './credit-notes.js';

export type { ReturnReasonCode, ReturnRequest, VoidRequest } from './credit-notes.js';
export { refundsFor } from './credit-notes.js';
import { currentShift, shiftReport, type OpenShift, type ShiftReport } from './shift-report.js';

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly role: 'cashier' | 'manager';
  /** A manager's PIN was given for this one action. */
  readonly elevated?: boolean;
}

export interface SaleCommand {
  readonly commandId: string;
  readonly lines: readonly {
    sku: string;
    quantity: number;
    discountPercent?: number | undefined;
    /** OPN1: the unit price typed at the sale, only on a line of an open-price product. */
    unitPrice?: number | undefined;
    /** On an equal part of a bill: the whole line's quantity and this part's share of its gross. */
    share?: { readonly of: number; readonly gross: number } | undefined;
  }[];
  readonly payments: readonly PaymentRequest[];
  readonly customer?: Customer | undefined;
  readonly tip?: number | undefined;
  /** CHN1: counter unless said; a table's close sells at `mesa`. */
  readonly channel?: SalesChannel | undefined;
  /** One of the parts of a restaurant bill (SPL1–SPL2). */
  readonly split?: SplitMark | undefined;
}

export type SaleReason =
  | ComposeReason
  | NumberingReason
  | LedgerReason
  | 'no-open-shift'
  | 'unknown-sku'
  | OpenPriceReason
  | 'manager-required'
  | 'command-id-reused'
  | 'offline-not-authorized';

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
export type VoidReason = LedgerReason | 'unknown-invoice' | 'command-id-reused' | 'no-open-shift';

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

export interface CashboxOptions {
  readonly terminalId: string;
  readonly storeId: string;
  readonly numbering: Numbering;
  readonly docs: JournalPort & CatalogPort;
  readonly ledger: FiscalLedger;
  readonly index: InvoiceIndex;
  /** A cashier may discount a line up to this percentage; above it needs a manager. */
  readonly discountLimitPercent: number;
  /** The store's restaurant regime and tip base (CHN2, TIP2). */
  readonly settings?: FiscalSettings | undefined;
  /** SHF6: a shift closing with a cash difference beyond this needs a manager and a note. */
  readonly shiftDifferenceLimit?: number | undefined;
  readonly newId?: () => string;
  /**
   * EPI1: the contingency episode a sale is issued in (opening one when none is open). Never
   * throws: a sale is not refused for the episode's bookkeeping.
   */
  readonly episode?: () => Promise<string | undefined>;
  /**
   * EPI5: may the terminal issue now (the offline cashbox is for outages only)? Asked before
   * anything of a sale is reserved or written; a retried sale replays whatever it answers.
   */
  readonly mayIssue?: () => Result<void, 'offline-not-authorized'>;
}

/**
 * The terminal's fiscal commands: shifts, sales, voids. Each runs alone in the ledger, is
 * idempotent by its commandId, checks everything before reserving a number, and answers only once
 * its entry is committed.
 */
export class Cashbox {
  private open: OpenShift | undefined;
  private readonly newId: () => string;
  private catalogSource: unknown;
  private catalogBySku = new Map<string, Product>();

  private readonly creditNotes: CreditNotes;

  constructor(private readonly options: CashboxOptions) {
    this.newId = options.newId ?? randomUUID;
    this.creditNotes = new CreditNotes({
      terminalId: options.terminalId,
      storeId: options.storeId,
      ledger: options.ledger,
      index: options.index,
      newId: this.newId,
      shift: () => this.open,
      commit: (entry) => this.commit(entry),
    });
    this.refreshShift();
  }

  private ownEntries() {
    return [...this.options.docs.journalEntries(this.options.terminalId).values()].sort(
      (a, b) => a.seq - b.seq,
    );
  }

  private refreshShift(): void {
    this.open = currentShift(this.ownEntries());
  }

  /** The catalog by SKU, rebuilt only when the catalog document changed. */
  private catalogMap(): Map<string, Product> {
    const view = this.options.docs.catalog;
    if (view !== this.catalogSource) {
      this.catalogSource = view;
      this.catalogBySku = new Map(view.products.map((p) => [p.sku, p]));
    }
    return this.catalogBySku;
  }

  get shift(): OpenShift | undefined {
    return this.open;
  }

  get settings(): FiscalSettings {
    return this.options.settings ?? DEFAULT_FISCAL_SETTINGS;
  }

  /** The catalog, by SKU (shared with the restaurant's bill). */
  products(): ReadonlyMap<string, Product> {
    return this.catalogMap();
  }

  /** The line discount (percent) a cashier may give without a manager's PIN. */
  get discountLimitPercent(): number {
    return this.options.discountLimitPercent;
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
      const committed = await this.commit({
        kind: 'shift-opened',
        terminalId,
        at: ledger.timestamp(),
        commandId,
        req: requestDigest({ command: 'open-shift', openingCash }),
        shiftId: `${terminalId}-${this.newId().slice(0, 8)}`,
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
      const committed = await this.commit({
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
      const committed = await this.commit({
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

  /**
   * Commit an entry unless the terminal cannot (its disk fails, its clock was set back): nothing
   * is written then, and the command answers why.
   */
  private async commit(entry: NewEntry): Promise<Result<JournalEntry, LedgerReason>> {
    const { ledger } = this.options;
    const allowed = ledger.canCommit();
    if (!allowed.ok) return allowed;
    try {
      return ok(await ledger.commitNow(entry));
    } catch (error) {
      if (error instanceof LedgerWriteError) return err(error.reason, error.message);
      throw error;
    }
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
      const committed = await this.commit({
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
      this.refreshShift();
      const report = this.report(open.shiftId);
      return report ? ok(report) : err('no-open-shift', 'the shift report is missing');
    });
  }

  /**
   * Everything a sale is checked against, on a draft with the next number (not reserved): an
   * open shift, SKUs in the catalog, the discount limit, and the domain's rules. Pure reads.
   */
  private draftSale(
    command: SaleCommand,
    actor: Actor,
  ): Result<
    {
      draft: (
        consecutive: number,
        issuedAt: string,
        id: string,
        episodeId?: string,
      ) => ReturnType<typeof composeInvoice>;
      preview: Invoice;
    },
    SaleReason
  > {
    const { ledger, terminalId, storeId } = this.options;
    const shift = this.open;
    if (!shift) return err('no-open-shift', 'open a shift before selling');
    const catalog = this.catalogMap();
    const lines: SaleLineRequest[] = [];
    for (const line of command.lines) {
      const found = catalog.get(line.sku);
      if (!found) return err('unknown-sku', `no product with SKU ${line.sku} in the catalog`);
      // OPN1–OPN2: a price typed at the sale, only for an open-price product, within bounds.
      const product = productAtPrice(found, line.unitPrice);
      if (!product.ok) return err(product.reason, `line of ${line.sku}: ${product.message}`);
      if (
        (line.discountPercent ?? 0) > this.options.discountLimitPercent &&
        actor.role !== 'manager' &&
        !actor.elevated
      ) {
        return err(
          'manager-required',
          `a discount above ${this.options.discountLimitPercent} % needs a manager`,
        );
      }
      lines.push({
        product: product.value,
        quantity: line.quantity,
        discountPercent: line.discountPercent,
        share: line.share,
      });
    }
    const peek = ledger.peekNumber();
    if (!peek.ok) return peek;
    const draft = (consecutive: number, issuedAt: string, id: string, episodeId?: string) =>
      composeInvoice({
        episodeId,
        id,
        storeId,
        terminalId,
        // RNG4: the range the ledger numbers from now (it may have switched to the next one).
        numbering: ledger.numbering,
        consecutive,
        issuedAt,
        shiftId: shift.shiftId,
        cashier: { id: actor.id, name: actor.name },
        customer: command.customer,
        lines,
        tip: command.tip,
        payments: command.payments,
        channel: command.channel,
        settings: this.options.settings,
        split: command.split,
      });
    const preview = draft(peek.value, ledger.timestamp(), this.newId());
    return preview.ok ? ok({ draft, preview: preview.value }) : preview;
  }

  /** SAL4: would this sale be accepted right now? Reserves and writes nothing. */
  checkSale(command: SaleCommand, actor: Actor): Result<Invoice, SaleReason> {
    const checked = this.draftSale(command, actor);
    return checked.ok ? ok(checked.value.preview) : checked;
  }

  /** SAL1–SAL5: issue a sale as a contingency invoice. */
  sell(
    command: SaleCommand,
    actor: Actor,
  ): Promise<Result<{ invoice: Invoice; replayed: boolean }, SaleReason>> {
    const { ledger, terminalId } = this.options;
    const { commandId: _id, ...body } = command;
    const req = requestDigest({ command: 'sale', ...body });
    return ledger.run(async () => {
      const found = ledger.entryForCommand(command.commandId, req);
      if (!found.ok) return found;
      const previous = found.value;
      if (previous) {
        return previous.kind === 'invoice'
          ? ok({ invoice: previous.invoice, replayed: true })
          : err('command-id-reused', REUSED);
      }
      const allowed = ledger.canCommit();
      if (!allowed.ok) return allowed;
      const gate = this.options.mayIssue?.();
      if (gate && !gate.ok) return gate;
      // Everything is checked on a draft first: bad input reserves nothing and writes nothing.
      const checked = this.draftSale(command, actor);
      if (!checked.ok) return checked;
      const episodeId = await this.options.episode?.();
      const reserved = ledger.reserveNumber();
      if (!reserved.ok) return reserved;
      const final = checked.value.draft(
        reserved.value.consecutive,
        ledger.timestamp(),
        checked.value.preview.id,
        episodeId,
      );
      if (!final.ok) {
        await ledger.abandonReservation(reserved.value.prefix, reserved.value.consecutive, final.message);
        return final;
      }
      try {
        await ledger.commitNow({
          kind: 'invoice',
          terminalId,
          at: final.value.issuedAt,
          commandId: command.commandId,
          req,
          invoice: final.value,
        });
      } catch (error) {
        // WRT1: nothing of the sale was written; its number is recorded as reserved-not-issued.
        if (!(error instanceof LedgerWriteError)) throw error;
        await ledger.abandonReservation(
          reserved.value.prefix,
          reserved.value.consecutive,
          `the sale could not be written: ${error.message}`,
        );
        return err(error.reason, `the sale could not be recorded: ${error.message}`);
      }
      return ok({ invoice: final.value, replayed: false });
    });
  }
  /** VOID1–VOID3, CRN1–CRN3: a void (src/invoice/credit-notes.ts). */
  voidInvoice(
    invoiceId: string,
    request: VoidRequest,
    commandId: string,
    actor: Actor,
  ): ReturnType<CreditNotes['voidInvoice']> {
    return this.creditNotes.voidInvoice(invoiceId, request, commandId, actor);
  }

  /** RET1–RET2: a partial return (src/invoice/credit-notes.ts). */
  returnLines(
    invoiceId: string,
    request: ReturnRequest,
    commandId: string,
    actor: Actor,
  ): ReturnType<CreditNotes['returnLines']> {
    return this.creditNotes.returnLines(invoiceId, request, commandId, actor);
  }
}
