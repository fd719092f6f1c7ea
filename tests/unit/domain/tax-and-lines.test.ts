import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sku } from '../../../src/domain/ids.js';
import { priceLine, type ProductSnapshot } from '../../../src/domain/line.js';
import { divRoundHalfUp, formatCop, money } from '../../../src/domain/money.js';
import { parseQuantity } from '../../../src/domain/quantity.js';
import { splitTaxIncluded, TAX_CODES, TAX_RATES } from '../../../src/domain/tax.js';

const product = (over: Partial<ProductSnapshot> = {}): ProductSnapshot => ({
  sku: 'BEB-001' as Sku,
  name: 'Gaseosa 400 ml',
  unitPrice: money(2500),
  tax: 'IVA19',
  unit: 'unit',
  channel: 'mostrador',
  restaurant: false,
  ...over,
});

describe('money', () => {
  it('[MON2] rounds half up on exact integers', () => {
    expect(divRoundHalfUp(5, 2)).toBe(3);
    expect(divRoundHalfUp(7, 2)).toBe(4);
    expect(divRoundHalfUp(10, 4)).toBe(3); // 2.5 → 3
    expect(divRoundHalfUp(9, 4)).toBe(2); // 2.25 → 2
    expect(divRoundHalfUp(0, 7)).toBe(0);
  });

  it('[MON1] refuses fractional or unsafe amounts', () => {
    expect(() => money(1.5)).toThrow(RangeError);
    expect(() => money(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => divRoundHalfUp(-1, 2)).toThrow(RangeError);
  });

  it('formats COP with thousands separators and no decimals', () => {
    expect(formatCop(money(1234567)).replace(/\s/g, ' ')).toBe('$ 1.234.567');
  });
});

describe('taxes', () => {
  it('[TAX1] splits a tax-included price into base and tax', () => {
    expect(splitTaxIncluded(money(11900), 'IVA19')).toEqual({ base: 10000, tax: 1900 });
    expect(splitTaxIncluded(money(2500), 'IVA19')).toEqual({ base: 2101, tax: 399 }); // 2100.84 → 2101
    expect(splitTaxIncluded(money(10800), 'INC8')).toEqual({ base: 10000, tax: 800 });
    expect(splitTaxIncluded(money(4200), 'IVA5')).toEqual({ base: 4000, tax: 200 });
  });

  it('[TAX2] exento and excluido carry no tax', () => {
    expect(splitTaxIncluded(money(3300), 'IVA0')).toEqual({ base: 3300, tax: 0 });
    expect(splitTaxIncluded(money(3300), 'EXCLUIDO')).toEqual({ base: 3300, tax: 0 });
  });

  it('[TAX1] base + tax = charged for every amount and rate (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.constantFrom(...TAX_CODES),
        (amount, code) => {
          const { base, tax } = splitTaxIncluded(money(amount), code);
          expect(base + tax).toBe(amount);
          expect(base).toBeGreaterThanOrEqual(0);
          expect(tax).toBeGreaterThanOrEqual(0);
          // The base is the closest peso to the exact quotient.
          const exact = (amount * 10000) / (10000 + TAX_RATES[code].rateBp);
          expect(Math.abs(base - exact)).toBeLessThanOrEqual(0.5);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('quantities and lines', () => {
  it('[QTY1] parses decimal quantities into thousandths', () => {
    expect(parseQuantity(1.25, 'kg')).toEqual({ ok: true, value: 1250 });
    expect(parseQuantity(0.1, 'kg')).toEqual({ ok: true, value: 100 });
    expect(parseQuantity(0, 'unit')).toMatchObject({ ok: false, reason: 'invalid-quantity' });
    expect(parseQuantity(-2, 'unit')).toMatchObject({ ok: false, reason: 'invalid-quantity' });
    expect(parseQuantity(1.2345, 'kg')).toMatchObject({ ok: false, reason: 'invalid-quantity' });
    expect(parseQuantity(Number.NaN, 'kg')).toMatchObject({ ok: false, reason: 'invalid-quantity' });
    expect(parseQuantity(10_000, 'unit')).toMatchObject({ ok: false, reason: 'invalid-quantity' });
  });

  it('[QTY2] a product sold by unit refuses fractional quantities', () => {
    expect(parseQuantity(1.5, 'unit')).toMatchObject({ ok: false, reason: 'fractional-quantity' });
    expect(parseQuantity(3, 'unit')).toEqual({ ok: true, value: 3000 });
  });

  it('[LINE1] [LINE2] prices a line with a discount', () => {
    const line = priceLine(product({ unitPrice: money(2500) }), { quantity: 3, discountPercent: 10 });
    expect(line).toMatchObject({
      ok: true,
      value: { gross: 7500, discount: 750, amount: 6750, base: 5672, taxAmount: 1078 },
    });
  });

  it('[LINE1] rounds weighed products to the peso', () => {
    const line = priceLine(product({ unitPrice: money(12990), unit: 'kg', tax: 'EXCLUIDO' }), {
      quantity: 0.347,
    });
    // 12990 × 0.347 = 4507.53 → 4508
    expect(line).toMatchObject({ ok: true, value: { gross: 4508, amount: 4508, base: 4508, taxAmount: 0 } });
  });

  it('[LINE2] refuses discounts outside 0–100 % or with more than two decimals', () => {
    expect(priceLine(product(), { quantity: 1, discountPercent: 101 })).toMatchObject({
      reason: 'invalid-discount',
    });
    expect(priceLine(product(), { quantity: 1, discountPercent: -1 })).toMatchObject({
      reason: 'invalid-discount',
    });
    expect(priceLine(product(), { quantity: 1, discountPercent: 12.345 })).toMatchObject({
      reason: 'invalid-discount',
    });
    expect(priceLine(product(), { quantity: 1, discountPercent: 100 })).toMatchObject({
      ok: true,
      value: { amount: 0, base: 0, taxAmount: 0 },
    });
  });
});
