import { invoiceNumber } from './ids.js';
import type { Invoice, InvoiceLine } from './invoice.js';
import {
  priceSharedLine,
  parseDiscountPercent,
  priceParsedLine,
  type PricedLine,
  type ProductSnapshot,
} from './line.js';
import type { Money } from './money.js';
import { settlePayments } from './payment.js';
import { parseQuantity } from './quantity.js';
import { err, ok, type Result } from './result.js';
import { ratePercent } from './tax.js';
import { computeTotals, type TipRule } from './totals.js';
import { validateCustomer } from './customer.js';
import type { Sku } from './ids.js';

export type InvoiceCheckReason =
  | 'number-mismatch'
  | 'invalid-quantity'
  | 'invalid-discount'
  | 'invalid-channel'
  | 'invalid-split'
  | 'totals-mismatch'
  | 'payments-mismatch'
  | 'invalid-customer';

/** The wire form of a priced line; version 1 lines have no channel fields. */
export function invoiceLineOf(line: PricedLine, schemaVersion: 1 | 2 = 2): InvoiceLine {
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
    ...(schemaVersion === 2 ? { channel: line.channel, restaurant: line.restaurant } : {}),
    ...(line.share ? { share: { quantity: line.share.quantityMilli / 1000, gross: line.share.gross } } : {}),
  };
}

/** An equal part's split (SPL1), or undefined for a whole bill or a part by lines. */
function equalParts(invoice: Invoice): number | undefined {
  return invoice.split && (invoice.split.kind ?? 'equal') === 'equal' ? invoice.split.parts : undefined;
}

/** CHN4: a version 2 invoice states its channel on itself and on every line, consistently. */
function checkChannel(invoice: Invoice): Result<true, 'invalid-channel'> {
  if (invoice.schemaVersion === 1) return ok(true);
  const { channel } = invoice;
  if (channel === undefined || invoice.tipBase === undefined)
    return err('invalid-channel', `invoice ${invoice.number} states no sales channel or tip base`);
  for (const [index, line] of invoice.lines.entries()) {
    const restaurantOk =
      line.restaurant !== undefined &&
      (channel === 'mostrador' ? !line.restaurant : channel === 'mesa' ? line.restaurant : true);
    if (line.channel !== channel || !restaurantOk)
      return err(
        'invalid-channel',
        `line ${index + 1}: its channel does not match the invoice's (${channel})`,
      );
  }
  return ok(true);
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
  const channelOk = checkChannel(invoice);
  if (!channelOk.ok) return channelOk;
  const v2 = invoice.schemaVersion === 2;
  const parts = equalParts(invoice);
  const priced: PricedLine[] = [];
  for (const [index, line] of invoice.lines.entries()) {
    const snapshot: ProductSnapshot = {
      sku: line.sku as Sku,
      name: line.name,
      unitPrice: line.unitPrice as Money,
      tax: line.tax,
      unit: line.unit,
      channel: line.channel ?? 'mostrador',
      restaurant: line.restaurant ?? false,
    };
    let expected: PricedLine;
    if (v2 && parts !== undefined) {
      if (!line.share)
        return err('invalid-split', `line ${index + 1}: a line of an equal part states its share`);
      const shared = priceSharedLine(
        snapshot,
        {
          quantity: line.quantity,
          of: line.share.quantity,
          shareGross: line.gross,
          discountPercent: line.discountPercent,
        },
        parts,
      );
      if (!shared.ok)
        return err(
          shared.reason === 'invalid-split' ? 'invalid-split' : 'invalid-quantity',
          `line ${index + 1}: ${shared.message}`,
        );
      expected = shared.value;
    } else {
      if (line.share !== undefined)
        return err('invalid-split', `line ${index + 1}: only a line of an equal part is a share`);
      const quantity = parseQuantity(line.quantity, line.unit, !v2 && invoice.split !== undefined);
      if (!quantity.ok) return err('invalid-quantity', `line ${index + 1}: ${quantity.message}`);
      const discount = parseDiscountPercent(line.discountPercent);
      if (!discount.ok) return err('invalid-discount', `line ${index + 1}: ${discount.message}`);
      expected = priceParsedLine(snapshot, quantity.value, discount.value);
    }
    if (!sameFields(invoiceLineOf(expected, invoice.schemaVersion), line)) {
      return err('totals-mismatch', `line ${index + 1} (${line.sku}): amounts do not add up`);
    }
    priced.push(expected);
  }
  const rule: TipRule =
    invoice.tipBase === undefined
      ? { base: 'subtotal', part: false }
      : { base: invoice.tipBase.kind, part: invoice.split !== undefined };
  const totals = computeTotals(priced, invoice.tip, rule);
  if (!totals.ok) return err('totals-mismatch', totals.message);
  const t = totals.value;
  if (invoice.tipBase !== undefined && invoice.tipBase.amount !== t.tipBase)
    return err('totals-mismatch', `invoice ${invoice.number}: the tip's base does not add up`);
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
  if (
    !taxesAddUp ||
    !sameFields({ ...t, taxes: undefined, tipBase: undefined }, { ...stated, taxes: undefined })
  ) {
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

/** Equality of two records over the keys of either (nested records compared the same way). */
function sameFields(a: object, b: object): boolean {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) {
    const x = ra[key];
    const y = rb[key];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (!sameFields(x, y)) return false;
  }
  return true;
}
