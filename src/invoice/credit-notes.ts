import type { CreditNote, CreditNoteConcept, Invoice } from '../domain/invoice.js';
import { PAYMENT_METHOD_IDS, PAYMENT_METHODS, type PaymentMethod } from '../domain/payment.js';
import { err, ok, type Result } from '../domain/result.js';
import { priceReturn, remainingAfterReturns, type ReturnReason } from '../domain/returns.js';
import { type JournalEntry } from '../domain/journal-entry.js';
import { requestDigest } from '../security/signing.js';
import type { Actor, VoidReason } from './cashbox.js';
import type { IndexedInvoice, InvoiceIndex } from './invoice-index.js';
import type { FiscalLedger, LedgerReason, NewEntry } from './ledger.js';
import { netByMethod, type OpenShift } from './shift-report.js';

const REUSED = 'this commandId was used for another command';

export interface CreditNoteOptions {
  readonly terminalId: string;
  readonly storeId: string;
  readonly ledger: FiscalLedger;
  readonly index: InvoiceIndex;
  readonly newId: () => string;
  /** The open shift of this terminal: its drawer pays the money back (CRN2). */
  readonly shift: () => OpenShift | undefined;
  /** Commit an entry unless the terminal cannot write (the cashbox's rule). */
  readonly commit: (entry: NewEntry) => Promise<Result<JournalEntry, LedgerReason>>;
}

/**
 * Credit-note requests (src/invoice/SPEC.md VOID1–VOID3, CRN1–CRN3, RET1–RET3): voids and partial
 * returns. Credit notes cannot be issued during a contingency: each is a request in this
 * terminal's journal, sent with the upload; the money goes back from this terminal's drawer.
 */
export class CreditNotes {
  constructor(private readonly options: CreditNoteOptions) {}

  private shift(): OpenShift | undefined {
    return this.options.shift();
  }

  private request(creditNote: CreditNote, commandId: string, req: string) {
    return this.options.commit({
      kind: 'credit-note',
      terminalId: this.options.terminalId,
      at: creditNote.requestedAt,
      commandId,
      req,
      creditNote,
    });
  }

  /**
   * RET1–RET2, CRN1–CRN2: a partial return (devolución parcial, concept 1): some of an invoice's
   * products come back and their share of what the invoice charged goes back from this
   * terminal's drawer, through the means the manager chooses. Idempotent by its commandId.
   */
  returnLines(
    invoiceId: string,
    request: ReturnRequest,
    commandId: string,
    actor: Actor,
  ): Promise<Result<{ creditNote: CreditNote; invoice: IndexedInvoice }, ReturnReasonCode>> {
    const { ledger, terminalId, storeId, index } = this.options;
    const req = requestDigest({
      command: 'return',
      invoiceId,
      reason: request.reason,
      lines: request.lines,
      refund: request.refundMethod,
    });
    return ledger.run(async () => {
      const found = ledger.entryForCommand(commandId, req);
      if (!found.ok) return found;
      const previous = found.value;
      const target = index.get(invoiceId);
      if (previous) {
        return previous.kind === 'credit-note' && target
          ? ok({ creditNote: previous.creditNote, invoice: target })
          : err('command-id-reused', REUSED);
      }
      if (!target) return err('unknown-invoice', `no invoice ${invoiceId} in this store`);
      if (target.voidedBy)
        return err('invoice-voided', `invoice ${target.invoice.number} is voided: nothing is left to return`);
      const shift = this.shift();
      if (!shift)
        return err('no-open-shift', 'open a shift on this terminal: the money goes back from its drawer');
      const priced = priceReturn(
        target.invoice,
        request.lines,
        target.returns.map((r) => r.creditNote),
      );
      if (!priced.ok) return priced;
      const { lines, amount } = priced.value;
      const creditNote: CreditNote = {
        kind: 'credit-note',
        schemaVersion: 2,
        id: this.options.newId(),
        storeId,
        terminalId,
        invoiceId,
        invoiceNumber: target.invoice.number,
        amount,
        reason: request.reason,
        requestedAt: ledger.timestamp(),
        requestedBy: { id: actor.id, name: actor.name },
        concept: '1',
        shiftId: shift.shiftId,
        refunds: amount === 0 ? [] : [singleRefund(request.refundMethod, amount)],
        lines,
      };
      const committed = await this.request(creditNote, commandId, req);
      if (!committed.ok) return committed;
      return ok({ creditNote, invoice: index.get(invoiceId) ?? target });
    });
  }

  /**
   * VOID1–VOID3, CRN1–CRN3: request a credit note for a whole invoice (manager), with its DIAN
   * concept. The money goes back from this terminal's drawer: it needs an open shift here, and the
   * refund is recorded in that shift — whichever terminal or shift issued the invoice, whose own
   * report stays as it was (it did take the money).
   */
  voidInvoice(
    invoiceId: string,
    request: VoidRequest,
    commandId: string,
    actor: Actor,
  ): Promise<
    Result<{ creditNote: CreditNote; invoice: IndexedInvoice; alreadyVoided: boolean }, VoidReason>
  > {
    const { ledger, terminalId, storeId, index } = this.options;
    const concept = request.concept ?? '2';
    const req = requestDigest({
      command: 'void',
      invoiceId,
      reason: request.reason,
      concept,
      refund: request.refundMethod ?? null,
    });
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
      const shift = this.shift();
      if (!shift)
        return err('no-open-shift', 'open a shift on this terminal: the money goes back from its drawer');
      const invoice = target.invoice;
      // RET3: after partial returns a void credits what is left, back through one means.
      const earlier = target.returns.map((r) => r.creditNote);
      const amount = remainingAfterReturns(invoice, earlier);
      const refunds =
        earlier.length === 0
          ? refundsFor(invoice, request.refundMethod)
          : amount === 0
            ? []
            : [singleRefund(request.refundMethod ?? largestMeans(invoice), amount)];
      const creditNote: CreditNote = {
        kind: 'credit-note',
        schemaVersion: 2,
        id: this.options.newId(),
        storeId,
        terminalId,
        invoiceId,
        invoiceNumber: invoice.number,
        amount,
        reason: request.reason,
        requestedAt: ledger.timestamp(),
        requestedBy: { id: actor.id, name: actor.name },
        concept,
        shiftId: shift.shiftId,
        refunds,
      };
      const committed = await this.request(creditNote, commandId, req);
      if (!committed.ok) return committed;
      const updated = index.get(invoiceId) ?? target;
      return ok({ creditNote, invoice: updated, alreadyVoided: false });
    });
  }
}

export type ReturnReasonCode = VoidReason | ReturnReason | 'invoice-voided';

export interface ReturnRequest {
  readonly reason: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
  /** How the money goes back. */
  readonly refundMethod: PaymentMethod;
}

export interface VoidRequest {
  readonly reason: string;
  /** The DIAN concept: 2 (anulación) unless said. */
  readonly concept?: CreditNoteConcept | undefined;
  /** All of it back through this means; by default each means gets back what it paid. */
  readonly refundMethod?: PaymentMethod | undefined;
}

function singleRefund(method: PaymentMethod, amount: number) {
  return { method, code: PAYMENT_METHODS[method].code, amount };
}

/** The means that took the most of an invoice's money (cash net of change). */
function largestMeans(invoice: Invoice): PaymentMethod {
  const net = netByMethod(invoice);
  return PAYMENT_METHOD_IDS.reduce<PaymentMethod>((best, m) => (net[m] > net[best] ? m : best), 'cash');
}

/** CRN2: how a whole invoice's money goes back: as it came in (cash net of change), or all by one means. */
export function refundsFor(invoice: Invoice, method: PaymentMethod | undefined): CreditNote['refunds'] {
  if (invoice.total === 0) return [];
  if (method !== undefined) return [{ method, code: PAYMENT_METHODS[method].code, amount: invoice.total }];
  const net = netByMethod(invoice);
  return PAYMENT_METHOD_IDS.filter((m) => net[m] > 0).map((m) => ({
    method: m,
    code: PAYMENT_METHODS[m].code,
    amount: net[m],
  }));
}
