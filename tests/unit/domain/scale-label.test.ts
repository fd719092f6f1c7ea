import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Product } from '../../../src/domain/catalog.js';
import {
  DEFAULT_SCALE_LABEL_FORMAT,
  ean13CheckDigit,
  makeScaleLabel,
  readScaleLabel,
  scaleLabelLayout,
} from '../../../src/domain/scale-label.js';
import { scanCode } from '../../../src/domain/scan.js';

const layoutOf = (format: string) => {
  const l = scaleLabelLayout(format);
  if (!l.ok) throw new Error(l.message);
  return l.value;
};
const WEIGHT = layoutOf(DEFAULT_SCALE_LABEL_FORMAT);
const PRICE = layoutOf('2D PPPPP VVVVV C');

const banano: Product = {
  sku: 'FRU-001',
  plu: '00042',
  name: 'Banano (kg)',
  price: 3200,
  tax: 'EXCLUIDO',
  unit: 'kg',
  category: 'Frutas y verduras',
  active: true,
};
const gaseosa: Product = {
  ...banano,
  sku: 'BEB-001',
  plu: undefined,
  unit: 'unit',
  barcode: '7701234567897',
};

describe('scale labels (SCL1–SCL3)', () => {
  it('[SCL1] any valid weight or price label reads back what was printed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 99_999 }),
        fc.integer({ min: 0, max: 99_999 }),
        fc.boolean(),
        (prefix, plu, value, byWeight) => {
          const layout = byWeight ? WEIGHT : PRICE;
          const code = makeScaleLabel(layout, prefix, String(plu).padStart(5, '0'), value);
          expect(code).toMatch(/^2\d{12}$/);
          const read = readScaleLabel(code, layout);
          expect(read).toEqual({
            ok: true,
            value: byWeight
              ? { plu: String(plu).padStart(5, '0'), grams: value }
              : { plu: String(plu).padStart(5, '0'), price: value },
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('[SCL1] any single altered digit is refused by the check digit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999 }),
        fc.integer({ min: 1, max: 99_999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (plu, grams, at, delta) => {
          const code = makeScaleLabel(WEIGHT, 0, String(plu), grams);
          const digit = (Number(code[at]) + delta) % 10;
          const altered = `${code.slice(0, at)}${digit}${code.slice(at + 1)}`;
          const read = readScaleLabel(altered, WEIGHT);
          // Changing the leading 2 makes it no scale label at all; any other digit fails the check.
          expect(read.ok).toBe(false);
          if (!read.ok) expect(read.reason).toBe('bad-check-digit');
        },
      ),
      { numRuns: 500 },
    );
    expect(ean13CheckDigit('770123456789')).toBe(7);
  });

  it('[SCL1] a layout is 13 characters: 2, D, one run of P, one of W or V, and C', () => {
    expect(scaleLabelLayout('2D PPPPP WWWWW C').ok).toBe(true);
    expect(scaleLabelLayout('21 PPPP VVVVVV C').ok).toBe(true);
    for (const bad of [
      '2D PPPPP WWWW C',
      '3D PPPPP WWWWW C',
      '2D PPPPP WWWVV C',
      '2D PPWPP WWWWP C',
      '2D PPPPP XXXXX C',
    ])
      expect(scaleLabelLayout(bad).ok, bad).toBe(false);
  });

  it('[SCL3] a scan finds the barcode, the SKU, or the product of the label’s PLU with its weight or price', () => {
    const products = [banano, gaseosa];
    expect(scanCode('7701234567897', products, WEIGHT)).toEqual({ ok: true, value: { product: gaseosa } });
    expect(scanCode('FRU-001', products, WEIGHT)).toEqual({ ok: true, value: { product: banano } });
    const weighed = makeScaleLabel(WEIGHT, 0, '42', 1250);
    expect(scanCode(weighed, products, WEIGHT)).toEqual({
      ok: true,
      value: { product: banano, quantity: 1.25 },
    });
    // A price label: 4.000 pesos of bananas at 3.200/kg is 1.250 kg.
    const priced = makeScaleLabel(PRICE, 0, '42', 4000);
    expect(scanCode(priced, products, PRICE)).toEqual({
      ok: true,
      value: { product: banano, quantity: 1.25, amount: 4000 },
    });
    const misread = `${weighed.slice(0, 12)}${(Number(weighed[12]) + 1) % 10}`;
    expect(scanCode(misread, products, WEIGHT)).toMatchObject({ ok: false, reason: 'bad-check-digit' });
    expect(scanCode(makeScaleLabel(WEIGHT, 0, '99', 500), products, WEIGHT)).toMatchObject({
      ok: false,
      reason: 'unknown-code',
    });
    expect(scanCode('123', products, WEIGHT)).toMatchObject({ ok: false, reason: 'unknown-code' });
  });
});
