import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineStatus } from '../../../src/restaurant/floor.js';
import { shareTip, splitBill } from '../../../src/restaurant/floor.js';

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

  it('[FLR7] a shared tip adds up and keeps every part within 10 % (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (subtotals, f) => {
          const whole = subtotals.reduce((a, b) => a + b, 0);
          const tip = Math.floor(Math.floor(whole / 10) * f);
          const shares = shareTip(tip, subtotals);
          expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(tip);
          expect(tip - shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(subtotals.length);
          shares.forEach((s, i) => {
            expect(s).toBeLessThanOrEqual(Math.floor((subtotals[i] ?? 0) / 10));
          });
        },
      ),
    );
  });
});
