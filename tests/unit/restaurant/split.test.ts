import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineStatus } from '../../../src/restaurant/floor.js';
import { dealByWeight, dealEvenly, splitBill } from '../../../src/restaurant/floor.js';

const line = (id: string, quantityMilli: number): LineStatus => ({
  line: {
    id,
    sku: `S-${id}`,
    name: id,
    unit: 'unit',
    unitPrice: 10_000,
    tax: 'INC8',
    quantityMilli,
    note: '',
    addedBy: { id: 'ana', name: 'Ana' },
    addedAt: '2026-11-28T12:00:00-05:00',
    addedOn: 'caja-1',
    sentAt: null,
  },
  quantityMilli,
  cancelledMilli: 0,
  sent: false,
  amount: quantityMilli * 10,
});

describe('splitting a bill', () => {
  it('[FLR6] equal parts add up to the whole order exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 2, max: 6 }),
        (units, n) => {
          const lines = units.map((u, i) => line(String(i), u * 1000));
          const result = splitBill(lines, { kind: 'equal', parts: n });
          if (!result.ok) return;
          expect(result.parts).toHaveLength(n);
          for (const l of lines) {
            const shared = result.parts
              .flatMap((p) => p.lines)
              .filter((x) => x.sku === l.line.sku)
              .reduce((s, x) => s + x.quantityMilli, 0);
            expect(shared).toBe(l.quantityMilli);
          }
        },
      ),
    );
  });

  it('[FLR6] by lines: every line in exactly one part', () => {
    const lines = [line('a', 1000), line('b', 2000), line('c', 1000)];
    expect(splitBill(lines, { kind: 'lines', parts: [['a', 'c'], ['b']] })).toMatchObject({
      ok: true,
      parts: [{ lines: [{ sku: 'S-a' }, { sku: 'S-c' }] }, { lines: [{ sku: 'S-b' }] }],
    });
    expect(splitBill(lines, { kind: 'lines', parts: [['a'], ['b']] })).toMatchObject({
      ok: false,
      reason: 'invalid-split',
    });
    expect(
      splitBill(lines, {
        kind: 'lines',
        parts: [
          ['a', 'b'],
          ['b', 'c'],
        ],
      }),
    ).toMatchObject({ ok: false, reason: 'invalid-split' });
    expect(splitBill(lines, { kind: 'equal', parts: 1 })).toMatchObject({
      ok: false,
      reason: 'invalid-split',
    });
    expect(splitBill([], undefined)).toMatchObject({ ok: false, reason: 'invalid-split' });
  });

  it('[SPL2] by lines, one line shared by quantity: 2 × Bandeja paisa → 1 + 1', () => {
    const lines = [line('a', 2000), line('b', 1000)];
    expect(
      splitBill(lines, {
        kind: 'lines',
        parts: [[{ lineId: 'a', quantity: 1 }, 'b'], [{ lineId: 'a', quantity: 1 }]],
      }),
    ).toMatchObject({
      ok: true,
      parts: [
        { lines: [{ sku: 'S-a', quantityMilli: 1000 }, { sku: 'S-b' }] },
        { lines: [{ sku: 'S-a', quantityMilli: 1000 }] },
      ],
    });
    // Shares must add up to the line, in whole units for a product sold by unit.
    for (const parts of [
      [[{ lineId: 'a', quantity: 1 }, 'b']],
      [[{ lineId: 'a', quantity: 1.5 }, 'b'], [{ lineId: 'a', quantity: 0.5 }]],
      [['a', 'b'], [{ lineId: 'a', quantity: 1 }]],
    ])
      expect(splitBill(lines, { kind: 'lines', parts })).toMatchObject({
        ok: false,
        reason: 'invalid-split',
      });
  });

  it("[SPL1] dealing evenly: every value's shares add up to it, and the parts differ by at most one (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 20 }),
        (values, n) => {
          const dealt = dealEvenly(values, n);
          const sums = Array.from({ length: n }, (_, i) => dealt.reduce((s, d) => s + (d[i] ?? 0), 0));
          values.forEach((v, k) => {
            expect((dealt[k] ?? []).reduce((a, b) => a + b, 0)).toBe(v);
            for (const share of dealt[k] ?? []) {
              expect(share).toBeGreaterThanOrEqual(Math.floor(v / n));
              expect(share).toBeLessThanOrEqual(Math.floor(v / n) + 1);
            }
          });
          expect(Math.max(...sums) - Math.min(...sums)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("[SPL3] a tip dealt by weight adds up exactly and each share stays within its part's 10 %, rounded up (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (bases, f) => {
          const whole = bases.reduce((a, b) => a + b, 0);
          const tip = Math.floor(Math.floor(whole / 10) * f);
          const shares = dealByWeight(tip, bases);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(whole > 0 ? tip : 0);
          shares.forEach((s, i) => {
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(Math.ceil((bases[i] ?? 0) / 10));
          });
        },
      ),
    );
  });
});
