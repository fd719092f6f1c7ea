import { type JournalEntry } from '../domain/journal-entry.js';
import type { CreditNote, Invoice } from '../domain/invoice.js';
import type { PaymentMethod } from '../domain/payment.js';
import type { TaxCode } from '../domain/tax.js';
import { Tally } from '../domain/tally.js';

export { netByMethod } from '../domain/tally.js';

/**
 * Shifts (turnos de caja) and their X/Z reports, computed from a terminal's journal entries —
 * pure, so the report of a closed shift can be recomputed at any time and always agrees.
 */
export interface OpenShift {
  readonly shiftId: string;
  readonly openedAt: string;
  readonly openedBy: { id: string; name: string };
  readonly openingCash: number;
}

/** SHF1: the open shift is the last one opened and not closed. */
export function currentShift(entries: Iterable<JournalEntry>): OpenShift | undefined {
  let open: OpenShift | undefined;
  for (const entry of entries) {
    if (entry.kind === 'shift-opened') {
      open = {
        shiftId: entry.shiftId,
        openedAt: entry.at,
        openedBy: entry.openedBy,
        openingCash: entry.openingCash,
      };
    } else if (entry.kind === 'shift-closed' && open?.shiftId === entry.shiftId) {
      open = undefined;
    }
  }
  return open;
}

export interface ShiftReport {
  readonly shiftId: string;
  readonly terminalId: string;
  readonly openedAt: string;
  readonly openedBy: { id: string; name: string };
  readonly closedAt: string | null;
  readonly closedBy: { id: string; name: string } | null;
  /** Invoices issued in the shift that are not voided. */
  readonly salesCount: number;
  readonly salesTotal: number;
  /** By payment means, what was received net of change (cash given − change). */
  readonly byPaymentMethod: Readonly<Record<PaymentMethod, number>>;
  readonly taxes: readonly { code: TaxCode; base: number; tax: number }[];
  readonly tips: number;
  /** Credit notes requested in this shift (and legacy voids of its own invoices): invoice numbers. */
  readonly voids: { readonly count: number; readonly total: number; readonly numbers: readonly string[] };
  /**
   * SHF5: the money handed back from this drawer in this shift — credit notes requested here,
   * whichever terminal or shift issued the invoice — by payment means, with the taxes reversed.
   */
  readonly refunds: {
    readonly count: number;
    readonly total: number;
    readonly byPaymentMethod: Readonly<Record<PaymentMethod, number>>;
    readonly taxes: readonly { code: TaxCode; base: number; tax: number }[];
    readonly notes: readonly {
      readonly creditNoteId: string;
      readonly invoiceNumber: string;
      readonly concept: string;
      readonly amount: number;
      readonly reason: string;
    }[];
  };
  readonly firstNumber: string | null;
  readonly lastNumber: string | null;
  readonly reservedNotIssued: readonly string[];
  readonly openingCash: number;
  readonly cashIn: number;
  readonly cashOut: number;
  /** opening + net cash of sales − cash refunds + cash in − cash out. */
  readonly expectedCash: number;
  readonly countedCash: number | null;
  /** counted − expected (negative: cash missing). */
  readonly difference: number | null;
  /** PRN7: each "Abrir cajón" outside a cash payment — who, when, why. */
  readonly drawerOpenings: readonly {
    readonly at: string;
    readonly by: { id: string; name: string };
    readonly reason: string;
  }[];
}

/**
 * The taxes a credit note reverses: a return's own lines (RET1); a void's, the invoice's less what
 * earlier returns of it reversed (RET3).
 */
function taxesReversed(
  note: CreditNote,
  found: { invoice: Invoice; returns: readonly CreditNote[] } | undefined,
): { code: TaxCode; base: number; tax: number }[] {
  const rows = new Map<TaxCode, { base: number; tax: number }>();
  const add = (code: TaxCode, base: number, tax: number) => {
    const t = rows.get(code) ?? { base: 0, tax: 0 };
    t.base += base;
    t.tax += tax;
    rows.set(code, t);
  };
  if (note.lines) for (const l of note.lines) add(l.tax, l.base, l.taxAmount);
  else if (found) {
    for (const row of found.invoice.taxes) add(row.code, row.base, row.tax);
    for (const r of found.returns)
      if (r.id !== note.id) for (const l of r.lines ?? []) add(l.tax, -l.base, -l.taxAmount);
  }
  return [...rows].map(([code, t]) => ({ code, base: t.base, tax: t.tax }));
}

/**
 * SHF2–SHF5: the report of one shift from the terminal's own entries. Every invoice issued in the
 * shift counts as a sale of it (it took the money); the credit notes requested in the shift are
 * its refunds, whichever terminal or shift issued the invoice (`invoiceOf` finds it, for the taxes
 * reversed). Version 1 voids, which named no shift, keep their old rule: an invoice of the shift
 * voided here before it closed is left out of the sales.
 */
export function shiftReport(
  entries: readonly JournalEntry[],
  shiftId: string,
  invoiceOf: (id: string) => { invoice: Invoice; returns: readonly CreditNote[] } | undefined = () =>
    undefined,
): ShiftReport | undefined {
  const opened = entries.find((e) => e.kind === 'shift-opened' && e.shiftId === shiftId);
  if (opened?.kind !== 'shift-opened') return undefined;
  const closed = entries.find((e) => e.kind === 'shift-closed' && e.shiftId === shiftId);
  const closedSeq = closed?.seq ?? Number.POSITIVE_INFINITY;
  const invoices: Invoice[] = [];
  const voidedHere = new Map<string, CreditNote>();
  const refunded: CreditNote[] = [];
  let cashIn = 0;
  let cashOut = 0;
  const reservedNotIssued: string[] = [];
  const drawerOpenings: { at: string; by: { id: string; name: string }; reason: string }[] = [];
  for (const entry of entries) {
    if (entry.seq < opened.seq || entry.seq > closedSeq) continue;
    if (entry.kind === 'invoice' && entry.invoice.shiftId === shiftId) invoices.push(entry.invoice);
    // SHF5: a version 2 credit note names the shift whose drawer paid it back; a version 1 void
    // keeps the rule it was recorded under (an invoice of this shift voided here before it closed).
    if (entry.kind === 'credit-note') {
      if (entry.creditNote.shiftId === undefined)
        voidedHere.set(entry.creditNote.invoiceId, entry.creditNote);
    }
    if (entry.kind === 'cash-movement' && entry.shiftId === shiftId) {
      if (entry.type === 'in') cashIn += entry.amount;
      else cashOut += entry.amount;
    }
    if (entry.kind === 'reserved-not-issued') reservedNotIssued.push(entry.number);
    if (entry.kind === 'drawer-opened' && entry.shiftId === shiftId)
      drawerOpenings.push({ at: entry.at, by: entry.by, reason: entry.reason });
  }
  const sales = new Tally();
  const voidNumbers: string[] = [];
  let voidTotal = 0;
  for (const invoice of invoices) {
    if (voidedHere.has(invoice.id)) {
      voidNumbers.push(invoice.number);
      voidTotal += invoice.total;
      continue;
    }
    sales.addSale(invoice);
  }
  for (const entry of entries)
    if (entry.kind === 'credit-note' && entry.creditNote.shiftId === shiftId) refunded.push(entry.creditNote);
  const refunds = new Tally();
  let refundTotal = 0;
  for (const note of refunded) {
    refundTotal += note.amount;
    voidNumbers.push(note.invoiceNumber);
    voidTotal += note.amount;
    refunds.addPayments(note.refunds ?? []);
    refunds.addTaxes(taxesReversed(note, invoiceOf(note.invoiceId)));
  }
  const byPaymentMethod = sales.byPaymentMethod;
  const refundsByMethod = refunds.byPaymentMethod;
  const numbers = [...invoices].sort((a, b) => a.consecutive - b.consecutive);
  const expectedCash = opened.openingCash + byPaymentMethod.cash - refundsByMethod.cash + cashIn - cashOut;
  const countedCash = closed?.kind === 'shift-closed' ? closed.countedCash : null;
  return {
    shiftId,
    terminalId: opened.terminalId,
    openedAt: opened.at,
    openedBy: opened.openedBy,
    closedAt: closed?.at ?? null,
    closedBy: closed?.kind === 'shift-closed' ? closed.closedBy : null,
    salesCount: sales.count,
    salesTotal: sales.total,
    byPaymentMethod,
    taxes: sales.taxRows(),
    tips: sales.tips,
    voids: { count: voidNumbers.length, total: voidTotal, numbers: voidNumbers },
    refunds: {
      count: refunded.length,
      total: refundTotal,
      byPaymentMethod: refundsByMethod,
      taxes: refunds.taxRows(),
      notes: refunded.map((n) => ({
        creditNoteId: n.id,
        invoiceNumber: n.invoiceNumber,
        concept: n.concept ?? '2',
        amount: n.amount,
        reason: n.reason,
      })),
    },
    firstNumber: numbers[0]?.number ?? null,
    lastNumber: numbers.at(-1)?.number ?? null,
    reservedNotIssued,
    openingCash: opened.openingCash,
    cashIn,
    cashOut,
    expectedCash,
    countedCash,
    difference: countedCash === null ? null : countedCash - expectedCash,
    drawerOpenings,
  };
}
