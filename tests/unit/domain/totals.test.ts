import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sku } from '../../../src/domain/ids.js';
import { priceLine, type PricedLine, type ProductSnapshot } from '../../../src/domain/line.js';
import { money } from '../../../src/domain/money.js';
import { UNITS } from '../../../src/domain/quantity.js';
import { TAX_CODES } from '../../../src/domain/tax.js';
import { computeTotals, maxTip, suggestedTip, tipBaseOf } from '../../../src/domain/totals.js';
import { SALES_CHANNELS } from '../../../src/domain/channel.js';

const snap = (
  over: Omit<ProductSnapshot, 'channel' | 'restaurant'>,
  restaurant = false,
): ProductSnapshot => ({
  ...over,
  channel: restaurant ? 'mesa' : 'mostrador',
  restaurant,
});

const productArb: fc.Arbitrary<ProductSnapshot> = fc.record({
  sku: fc.constantFrom('A-1', 'B-2', 'C-3').map((s) => s as Sku),
  name: fc.constant('Producto'),
  unitPrice: fc.integer({ min: 0, max: 5_000_000 }).map(money),
  tax: fc.constantFrom(...TAX_CODES),
  unit: fc.constantFrom(...UNITS),
  channel: fc.constantFrom(...SALES_CHANNELS),
  restaurant: fc.boolean(),
});

/** A valid priced line: whole quantities for unit products, grams for weighed ones. */
const lineArb: fc.Arbitrary<PricedLine> = fc
  .tuple(productArb, fc.integer({ min: 1, max: 9_999_000 }), fc.integer({ min: 0, max: 10_000 }))
  .map(([p, milli, discountBp]) => {
    const quantity = p.unit === 'unit' ? Math.max(1, Math.round(milli / 1000)) : milli / 1000;
    const priced = priceLine(p, { quantity, discountPercent: discountBp / 100 });
    if (!priced.ok) throw new Error(priced.message);
    return priced.value;
  });

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('sale totals', () => {
  it('[TOT1] the breakdown sums to the subtotal to the peso (property)', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), (lines) => {
        const totals = computeTotals(lines);
        if (!totals.ok) throw new Error(totals.message);
        const t = totals.value;
        expect(sum(t.taxes.map((r) => r.base + r.tax))).toBe(t.subtotal);
        expect(t.baseTotal + t.taxTotal).toBe(t.subtotal);
        expect(t.subtotal).toBe(sum(lines.map((l) => l.amount)));
        expect(t.gross - t.discountTotal).toBe(t.subtotal);
        for (const line of lines) expect(line.base + line.taxAmount).toBe(line.amount);
        // One row per tax category present, no duplicates.
        expect(new Set(t.taxes.map((r) => r.code)).size).toBe(t.taxes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('[TOT2] [TIP1] totals are never negative and the tip stays outside the base (property)', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (lines, f) => {
          const tip = Math.floor(maxTip(tipBaseOf(lines, 'pre-tax')) * f);
          const totals = computeTotals(lines, tip);
          if (!totals.ok) throw new Error(totals.message);
          const t = totals.value;
          expect(t.total).toBe(t.subtotal + tip);
          expect(t.total).toBeGreaterThanOrEqual(0);
          expect(t.baseTotal + t.taxTotal).toBe(t.subtotal);
          expect(Number.isInteger(t.total) && Number.isInteger(t.taxTotal)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('[TOT1] [TIP2] a mixed restaurant and retail sale: the tip is 10 % of the restaurant lines before tax', () => {
    const lines = [
      priceLine(
        snap(
          { sku: 'R-1' as Sku, name: 'Bandeja paisa', unitPrice: money(32000), tax: 'INC8', unit: 'unit' },
          true,
        ),
        { quantity: 2 },
      ),
      priceLine(
        snap({ sku: 'L-1' as Sku, name: 'Leche 1 L', unitPrice: money(4200), tax: 'IVA5', unit: 'unit' }),
        { quantity: 1 },
      ),
      priceLine(
        snap({ sku: 'F-1' as Sku, name: 'Banano', unitPrice: money(3000), tax: 'EXCLUIDO', unit: 'kg' }),
        { quantity: 1.5 },
      ),
    ].map((r) => (r.ok ? r.value : expect.fail(r.message)));
    // 64.000 with INC 8 %: base 59.259 (64.000 / 1,08 rounded), so the tip is at most 5.925.
    expect(computeTotals(lines, 5926)).toMatchObject({ ok: false, reason: 'invalid-tip' });
    const totals = computeTotals(lines, 5925);
    expect(totals).toMatchObject({
      ok: true,
      value: {
        subtotal: 64000 + 4200 + 4500,
        tipBase: 59259,
        tip: 5925,
        total: 64000 + 4200 + 4500 + 5925,
        taxes: [
          { code: 'IVA5', rate: 5, base: 4000, tax: 200 },
          { code: 'EXCLUIDO', rate: 0, base: 4500, tax: 0 },
          { code: 'INC8', rate: 8, base: 59259, tax: 4741 },
        ],
      },
    });
  });

  it('[TIP2] the tip is at most 10 % of the service, rounded down', () => {
    expect(maxTip(money(64_005))).toBe(6400);
    expect(suggestedTip(money(64_005))).toBe(6400);
    expect(suggestedTip(money(64_000), 5)).toBe(3200);
    expect(suggestedTip(money(64_000), 25)).toBe(6400);
    const line = priceLine(
      snap({ sku: 'R-1' as Sku, name: 'Ajiaco', unitPrice: money(25000), tax: 'INC8', unit: 'unit' }, true),
      { quantity: 1 },
    );
    if (!line.ok) throw new Error(line.message);
    // 25.000 with INC: base 23.148, tip at most 2.314; on the whole amount (a store setting) 2.500.
    expect(computeTotals([line.value], 2314)).toMatchObject({ ok: true, value: { total: 27314 } });
    expect(computeTotals([line.value], 2315)).toMatchObject({ ok: false, reason: 'invalid-tip' });
    expect(computeTotals([line.value], 2500, { base: 'with-tax', part: false })).toMatchObject({ ok: true });
    expect(computeTotals([line.value], 2501, { base: 'with-tax', part: false })).toMatchObject({
      ok: false,
      reason: 'invalid-tip',
    });
    // TIP3: a part of a split bill may round its share up.
    expect(computeTotals([line.value], 2315, { base: 'pre-tax', part: true })).toMatchObject({ ok: true });
    expect(computeTotals([line.value], 2316, { base: 'pre-tax', part: true })).toMatchObject({
      ok: false,
      reason: 'invalid-tip',
    });
    expect(computeTotals([line.value], -1)).toMatchObject({ ok: false, reason: 'invalid-tip' });
    expect(computeTotals([line.value], 10.5)).toMatchObject({ ok: false, reason: 'invalid-tip' });
  });
});

describe('tips only on the restaurant service', () => {
  it('[TIP2] a counter sale takes no tip; the same product at a table does', () => {
    const product = {
      sku: 'B-1' as Sku,
      name: 'Gaseosa',
      unitPrice: money(3200),
      tax: 'IVA19' as const,
      unit: 'unit' as const,
    };
    const counter = priceLine(snap(product), { quantity: 1 });
    const table = priceLine(snap({ ...product, tax: 'INC8' }, true), { quantity: 1 });
    if (!counter.ok || !table.ok) throw new Error('priced');
    expect(computeTotals([counter.value], 1)).toMatchObject({ ok: false, reason: 'invalid-tip' });
    expect(computeTotals([counter.value], 0)).toMatchObject({ ok: true, value: { tipBase: 0 } });
    // 3.200 with INC: base 2.963, tip at most 296.
    expect(computeTotals([table.value], 296)).toMatchObject({ ok: true, value: { tipBase: 2963, tip: 296 } });
  });
});
