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

/**
 * QTY4: the step of the + / − buttons and of a repeated scan, in thousandths: one unit, or 100 g
 * of a product sold by the kilogram. The smallest quantity a step leaves is one step.
 */
export function stepMilliOf(unit: SaleUnit): number {
  return unit === 'kg' ? 100 : 1000;
}

/** A quantity (as on the wire) one step up or down, never below one step. */
export function stepQuantity(quantity: number, unit: SaleUnit, direction: 1 | -1): number {
  const step = stepMilliOf(unit);
  return Math.max(Math.round(quantity * 1000) + direction * step, step) / 1000;
}

/** What the kitchen and the returns dialog suggest: a whole line of a product by weight, else one unit. */
export function defaultQuantityMilli(unit: SaleUnit, leftMilli: number): number {
  return unit === 'kg' ? leftMilli : Math.min(leftMilli, 1000);
}
