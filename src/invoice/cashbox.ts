import { randomUUID } from 'node:crypto';
import type { Product } from '../domain/catalog.js';
import type { Customer } from '../domain/customer.js';
import type { CreditNote, Invoice } from '../domain/invoice.js';
import type { PaymentRequest } from '../domain/payment.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Numbering } from '../domain/schemas.js';
import type { StoreDocuments } from '../crdt/store-documents.js';
import { composeInvoice, type ComposeReason, type SaleLineRequest } from './compose-invoice.js';
import type { IndexedInvoice, InvoiceIndex } from './invoice-index.js';
import { LedgerWriteError, type FiscalLedger, type LedgerReason, type NewEntry } from './ledger.js';
import type { JournalEntry } from '../crdt/documents/journal-doc.js';
import { requestDigest } from '../security/signing.js';
import type { NumberingReason } from './numbering.js';
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
  readonly lines: readonly { sku: string; quantity: number; discountPercent?: number | undefined }[];
  readonly payments: readonly PaymentRequest[];
  readonly customer?: Customer | undefined;
  readonly tip?: number | undefined;
  /** One of the equal parts of a restaurant bill (QTY3). */
  readonly split?: { readonly orderId: string; readonly part: number; readonly parts: number } | undefined;
}

export type SaleReason =
  | ComposeReason
  | NumberingReason
  | LedgerReason
  | 'no-open-shift'
  | 'unknown-sku'
  | 'manager-required'
  | 'command-id-reused';

export type ShiftReason = LedgerReason | 'shift-already-open' | 'no-open-shift' | 'command-id-reused';
export type VoidReason = LedgerReason | 'unknown-invoice' | 'command-id-reused';

const REUSED = 'this commandId was used for another command';

export interface CashboxOptions {
  readonly terminalId: string;
  readonly storeId: string;
  readonly numbering: Numbering;
  readonly docs: StoreDocuments;
  readonly ledger: FiscalLedger;
  readonly index: InvoiceIndex;
  /** A cashier may discount a line up to this percentage; above it needs a manager. */
  readonly discountLimitPercent: number;
  readonly newId?: () => string;
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

  constructor(private readonly options: CashboxOptions) {
    this.newId = options.newId ?? randomUUID;
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

  cashMovement(
    commandId: string,
    movement: { type: 'in' | 'out'; amount: number; reason: string },
    actor: Actor,
  ): Promise<Result<{ shiftId: string }, ShiftReason>> {
    const { ledger, terminalId } = this.options;
    const req = requestDigest({ command: 'cash-movement', ...movement });
    return ledger.run(async () => {
      const found = ledger.entryForCommand(commandId, req);
      if (!found.ok) return found;
      const previous = found.value;
      if (previous) {
        return previous.kind === 'cash-movement'
          ? ok({ shiftId: previous.shiftId })
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
      return ok({ shiftId: this.open.shiftId });
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
    return id === undefined ? undefined : shiftReport(this.ownEntries(), id);
  }

  closeShift(
    commandId: string,
    countedCash: number,
    actor: Actor,
  ): Promise<Result<ShiftReport, ShiftReason>> {
    const { ledger, terminalId } = this.options;
    const req = requestDigest({ command: 'close-shift', countedCash });
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
      draft: (consecutive: number, issuedAt: string, id: string) => ReturnType<typeof composeInvoice>;
      preview: Invoice;
    },
    SaleReason
  > {
    const { ledger, terminalId, storeId, numbering } = this.options;
    const shift = this.open;
    if (!shift) return err('no-open-shift', 'open a shift before selling');
    const catalog = this.catalogMap();
    const lines: SaleLineRequest[] = [];
    for (const line of command.lines) {
      const product = catalog.get(line.sku);
      if (!product) return err('unknown-sku', `no product with SKU ${line.sku} in the catalog`);
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
      lines.push({ product, quantity: line.quantity, discountPercent: line.discountPercent });
    }
    const peek = ledger.peekNumber();
    if (!peek.ok) return peek;
    const draft = (consecutive: number, issuedAt: string, id: string) =>
      composeInvoice({
        id,
        storeId,
        terminalId,
        numbering,
        consecutive,
        issuedAt,
        shiftId: shift.shiftId,
        cashier: { id: actor.id, name: actor.name },
        customer: command.customer,
        lines,
        tip: command.tip,
        payments: command.payments,
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
      // Everything is checked on a draft first: bad input reserves nothing and writes nothing.
      const checked = this.draftSale(command, actor);
      if (!checked.ok) return checked;
      const reserved = ledger.reserveNumber();
      if (!reserved.ok) return reserved;
      const final = checked.value.draft(
        reserved.value.consecutive,
        ledger.timestamp(),
        checked.value.preview.id,
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

  /** VOID1–VOID3: request a credit note for a whole invoice (manager). */
  voidInvoice(
    invoiceId: string,
    reason: string,
    commandId: string,
    actor: Actor,
  ): Promise<
    Result<{ creditNote: CreditNote; invoice: IndexedInvoice; alreadyVoided: boolean }, VoidReason>
  > {
    const { ledger, terminalId, storeId, index } = this.options;
    const req = requestDigest({ command: 'void', invoiceId, reason });
    return ledger.run(async () => {
      const found = ledger.entryForCommand(commandId, req);
      if (!found.ok) return found;
      const previous = found.value;
      if (previous && previous.kind !== 'credit-note') return err('command-id-reused', REUSED);
      const target = index.get(invoiceId);
      if (!target) return err('unknown-invoice', `no invoice ${invoiceId} in this store`);
      if (previous?.kind === 'credit-note')
        return ok({ creditNote: previous.creditNote, invoice: target, alreadyVoided: false });
      if (target.voidedBy) return ok({ creditNote: target.voidedBy, invoice: target, alreadyVoided: true });
      const creditNote: CreditNote = {
        kind: 'credit-note',
        schemaVersion: 1,
        id: this.newId(),
        storeId,
        terminalId,
        invoiceId,
        invoiceNumber: target.invoice.number,
        amount: target.invoice.total,
        reason,
        requestedAt: ledger.timestamp(),
        requestedBy: { id: actor.id, name: actor.name },
      };
      const committed = await this.commit({
        kind: 'credit-note',
        terminalId,
        at: creditNote.requestedAt,
        commandId,
        req,
        creditNote,
      });
      if (!committed.ok) return committed;
      const updated = index.get(invoiceId) ?? target;
      return ok({ creditNote, invoice: updated, alreadyVoided: false });
    });
  }
}
