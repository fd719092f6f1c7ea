import type { Invoice } from './invoice.js';
import { PAYMENT_METHOD_IDS, type PaymentMethod } from './payment.js';
import { TAX_CODES, type TaxCode } from './tax.js';

/**
 * The one tally of money by payment means and taxes by rate that the shift's X/Z report, the
 * upload report and the contingency report add invoices and credit notes into. Pure.
 */
export interface TaxRow {
  readonly code: TaxCode;
  readonly base: number;
  readonly tax: number;
}

export function zeroByMethod(): Record<PaymentMethod, number> {
  return Object.fromEntries(PAYMENT_METHOD_IDS.map((m) => [m, 0])) as Record<PaymentMethod, number>;
}

/** What a payment list put in each means, cash net of the change given back. */
export function netByMethod(invoice: Pick<Invoice, 'payments' | 'change'>): Record<PaymentMethod, number> {
  const out = zeroByMethod();
  for (const p of invoice.payments) out[p.method] += p.amount;
  out.cash -= invoice.change;
  return out;
}

export class Tally {
  readonly byPaymentMethod = zeroByMethod();
  private readonly taxes = new Map<TaxCode, { base: number; tax: number }>();
  /** Sales added: their count, totals and tips. */
  count = 0;
  total = 0;
  tips = 0;

  /** A sale: its total, tip, the money it took net of change, and its taxes. */
  addSale(invoice: Invoice): void {
    this.count += 1;
    this.total += invoice.total;
    this.tips += invoice.tip;
    const net = netByMethod(invoice);
    for (const m of PAYMENT_METHOD_IDS) this.byPaymentMethod[m] += net[m];
    this.addTaxes(invoice.taxes);
  }

  /** Money by means (a credit note's refunds: `sign` -1 takes them out). */
  addPayments(
    payments: Iterable<{ readonly method: PaymentMethod; readonly amount: number }>,
    sign = 1,
  ): void {
    for (const p of payments) this.byPaymentMethod[p.method] += sign * p.amount;
  }

  addTaxes(rows: Iterable<TaxRow>, sign = 1): void {
    for (const row of rows) {
      const t = this.taxes.get(row.code) ?? { base: 0, tax: 0 };
      t.base += sign * row.base;
      t.tax += sign * row.tax;
      this.taxes.set(row.code, t);
    }
  }

  /** Every rate touched, in the order of TAX_CODES. */
  taxRows(): TaxRow[] {
    return TAX_CODES.flatMap((code) => {
      const t = this.taxes.get(code);
      return t ? [{ code, base: t.base, tax: t.tax }] : [];
    });
  }
}
