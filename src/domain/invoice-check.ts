import { invoiceNumber } from './ids.js';
import type { Invoice, InvoiceLine } from './invoice.js';
import { parseDiscountPercent, priceParsedLine, type PricedLine } from './line.js';
import type { Money } from './money.js';
import { settlePayments } from './payment.js';
import { parseQuantity } from './quantity.js';
import { err, ok, type Result } from './result.js';
import { ratePercent } from './tax.js';
import { computeTotals } from './totals.js';
import { validateCustomer } from './customer.js';
import type { Sku } from './ids.js';

export type InvoiceCheckReason =
  | 'number-mismatch'
  | 'invalid-quantity'
  | 'invalid-discount'
  | 'totals-mismatch'
  | 'payments-mismatch'
  | 'invalid-customer';

/** The wire form of a priced line. */
export function invoiceLineOf(line: PricedLine): InvoiceLine {
  return {
    sku: line.sku,
    name: line.name,
    unit: line.unit,
    quantity: line.quantityMilli / 1000,
    unitPrice: line.unitPrice,
    discountPercent: line.discountBp / 100,
    gross: line.gross,
    discount: line.discount,
    amount: line.amount,
    tax: line.tax,
    base: line.base,
    taxAmount: line.taxAmount,
  };
}

/**
 * Recompute every figure of an invoice from its line inputs (product snapshot, quantity,
 * discount), tip and payments, and compare with what it states. Used by the cloud on upload and by
 * terminals on journal entries from peers: an invoice whose totals do not add up is refused.
 */
export function verifyInvoice(invoice: Invoice): Result<Invoice, InvoiceCheckReason> {
  if (
    invoice.number !== invoiceNumber(invoice.prefix, invoice.consecutive) ||
    invoice.resolution.prefix !== invoice.prefix
  ) {
    return err(
      'number-mismatch',
      `number ${invoice.number} is not prefix ${invoice.prefix} + ${invoice.consecutive}`,
    );
  }
  const priced: PricedLine[] = [];
  for (const [index, line] of invoice.lines.entries()) {
    const quantity = parseQuantity(line.quantity, line.unit, invoice.split !== undefined);
    if (!quantity.ok) return err('invalid-quantity', `line ${index + 1}: ${quantity.message}`);
    const discount = parseDiscountPercent(line.discountPercent);
    if (!discount.ok) return err('invalid-discount', `line ${index + 1}: ${discount.message}`);
    const expected = priceParsedLine(
      {
        sku: line.sku as Sku,
        name: line.name,
        unitPrice: line.unitPrice as Money,
        tax: line.tax,
        unit: line.unit,
      },
      quantity.value,
      discount.value,
    );
    if (!sameFields(invoiceLineOf(expected), line)) {
      return err('totals-mismatch', `line ${index + 1} (${line.sku}): amounts do not add up`);
    }
    priced.push(expected);
  }
  const totals = computeTotals(priced, invoice.tip);
  if (!totals.ok) return err('totals-mismatch', totals.message);
  const t = totals.value;
  const stated = {
    gross: invoice.gross,
    discountTotal: invoice.discountTotal,
    subtotal: invoice.subtotal,
    taxes: invoice.taxes,
    baseTotal: invoice.baseTotal,
    taxTotal: invoice.taxTotal,
    tip: invoice.tip,
    total: invoice.total,
  };
  const taxesAddUp =
    stated.taxes.length === t.taxes.length &&
    t.taxes.every((row, i) => {
      const s = stated.taxes[i];
      return s !== undefined && sameFields({ ...row, rate: ratePercent(row.code) }, s);
    });
  if (!taxesAddUp || !sameFields({ ...t, taxes: undefined }, { ...stated, taxes: undefined })) {
    return err('totals-mismatch', `invoice ${invoice.number}: totals or tax breakdown do not add up`);
  }
  const settlement = settlePayments(t.total, invoice.payments);
  if (!settlement.ok) return err('payments-mismatch', settlement.message);
  const s = settlement.value;
  if (
    s.paid !== invoice.paid ||
    s.change !== invoice.change ||
    s.payments.some((p, i) => p.code !== invoice.payments[i]?.code)
  ) {
    return err('payments-mismatch', `invoice ${invoice.number}: paid, change or payment codes do not add up`);
  }
  const customer = validateCustomer(invoice.customer);
  if (!customer.ok) return customer;
  return ok(invoice);
}

/** Shallow equality of two flat records over the keys of either. */
function sameFields(a: object, b: object): boolean {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) if (ra[key] !== rb[key]) return false;
  return true;
}
