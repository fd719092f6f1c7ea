import type { CreditNote, Invoice } from './invoice.js';
import { divRoundHalfUp, money, type Money } from './money.js';
import { parseQuantity } from './quantity.js';
import { err, ok, type Result } from './result.js';
import { splitTaxIncluded, type TaxCode } from './tax.js';

/**
 * Partial returns (devolución parcial, credit-note concept 1), pure (src/invoice/SPEC.md RET1–RET3).
 * A returned quantity of a product is credited at its share of what the invoice charged for it,
 * rounded cumulatively: the credit for the first r of Q units is A·r/Q rounded half up, so a
 * return is the difference of two such credits and all the returns of a product add up to exactly
 * what the invoice charged for it once everything is back. The tip is never returned.
 */
export interface ReturnLine {
  readonly sku: string;
  readonly name: string;
  readonly unit: 'unit' | 'kg';
  readonly quantity: number;
  readonly amount: number;
  readonly tax: TaxCode;
  readonly base: number;
  readonly taxAmount: number;
}

export type ReturnReason = 'invalid-return' | 'return-exceeds-sale' | 'invalid-quantity';

interface Sold {
  readonly name: string;
  readonly unit: 'unit' | 'kg';
  readonly tax: TaxCode;
  readonly quantityMilli: number;
  readonly amount: number;
}

function soldBySku(invoice: Invoice): Map<string, Sold> {
  const out = new Map<string, Sold>();
  for (const line of invoice.lines) {
    const prev = out.get(line.sku);
    out.set(line.sku, {
      name: line.name,
      unit: line.unit,
      tax: prev?.tax ?? line.tax,
      quantityMilli: (prev?.quantityMilli ?? 0) + Math.round(line.quantity * 1000),
      amount: (prev?.amount ?? 0) + line.amount,
    });
  }
  return out;
}

/** Thousandths of each product already returned by earlier credit notes (with lines). */
export function returnedMilli(previous: readonly CreditNote[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const note of previous)
    for (const line of note.lines ?? [])
      out.set(line.sku, (out.get(line.sku) ?? 0) + Math.round(line.quantity * 1000));
  return out;
}

/** RET1–RET2: the lines and amount of a return of `requested` from `invoice`, after `previous` returns. */
export function priceReturn(
  invoice: Invoice,
  requested: readonly { readonly sku: string; readonly quantity: number }[],
  previous: readonly CreditNote[],
): Result<{ lines: ReturnLine[]; amount: Money }, ReturnReason> {
  if (requested.length === 0) return err('invalid-return', 'a return names at least one product');
  const sold = soldBySku(invoice);
  const back = returnedMilli(previous);
  const seen = new Set<string>();
  const lines: ReturnLine[] = [];
  for (const r of requested) {
    const s = sold.get(r.sku);
    if (!s) return err('invalid-return', `${r.sku} is not on invoice ${invoice.number}`);
    if (seen.has(r.sku)) return err('invalid-return', `${r.sku} is named twice`);
    seen.add(r.sku);
    const q = parseQuantity(r.quantity, s.unit, invoice.split !== undefined);
    if (!q.ok) return err('invalid-quantity', `${r.sku}: ${q.message}`);
    const before = back.get(r.sku) ?? 0;
    if (before + q.value > s.quantityMilli)
      return err(
        'return-exceeds-sale',
        `${s.name}: ${(s.quantityMilli - before) / 1000} left to return of ${s.quantityMilli / 1000} sold`,
      );
    const amount =
      divRoundHalfUp(s.amount * (before + q.value), s.quantityMilli) -
      divRoundHalfUp(s.amount * before, s.quantityMilli);
    const split = splitTaxIncluded(money(amount), s.tax);
    lines.push({
      sku: r.sku,
      name: s.name,
      unit: s.unit,
      quantity: q.value / 1000,
      amount,
      tax: s.tax,
      base: split.base,
      taxAmount: split.tax,
    });
  }
  return ok({ lines, amount: money(lines.reduce((sum, l) => sum + l.amount, 0)) });
}

/** RET3: what a void still credits after returns: the invoice's total less what was returned. */
export function remainingAfterReturns(invoice: Invoice, previous: readonly CreditNote[]): Money {
  const returned = previous.reduce((sum, n) => sum + (n.lines ? n.amount : 0), 0);
  return money(Math.max(invoice.total - returned, 0));
}
