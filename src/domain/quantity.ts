import { err, ok, type Result } from './result.js';

/**
 * Quantities are integer thousandths (grams for products sold by the kilogram). A product sold by
 * unit only accepts whole units.
 */
export type QuantityMilli = number & { readonly __brand: 'QuantityMilli' };

export const UNITS = ['unit', 'kg'] as const;
export type SaleUnit = (typeof UNITS)[number];

/** Largest quantity of one line: a sanity bound against typos such as 10000 instead of 1. */
export const MAX_QUANTITY_MILLI = 9_999_000;

export type QuantityReason = 'invalid-quantity' | 'fractional-quantity';

/**
 * Parse a decimal quantity as written on the wire (e.g. 1.25 kg) into thousandths. A bill split
 * in equal parts shares a dish between diners, so `shared` allows fractions of a unit (QTY3).
 */
export function parseQuantity(
  quantity: number,
  unit: SaleUnit,
  shared = false,
): Result<QuantityMilli, QuantityReason> {
  if (!Number.isFinite(quantity) || quantity <= 0) {
    return err('invalid-quantity', `quantity must be positive, got ${quantity}`);
  }
  const milli = Math.round(quantity * 1000);
  if (Math.abs(milli - quantity * 1000) > 1e-6 || milli <= 0) {
    return err('invalid-quantity', `quantity ${quantity} has more than three decimals`);
  }
  if (milli > MAX_QUANTITY_MILLI) return err('invalid-quantity', `quantity ${quantity} is too large`);
  if (unit === 'unit' && !shared && milli % 1000 !== 0) {
    return err('fractional-quantity', `this product is sold by unit; quantity ${quantity} is not whole`);
  }
  return ok(milli as QuantityMilli);
}

export function quantityToNumber(milli: QuantityMilli): number {
  return milli / 1000;
}
