import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cashSuggestions, COP_BILLS, MAX_CASH_SUGGESTIONS } from '../../../src/domain/cash-suggestions.js';

/** Whether `amount` is a sum of bills (any number of each): coin change over the bills. */
function payableWithBills(amount: number): boolean {
  const unit = 1_000;
  if (amount % unit !== 0) return false;
  const target = amount / unit;
  const reachable = new Array<boolean>(target + 1).fill(false);
  reachable[0] = true;
  for (let v = 1; v <= target; v += 1) {
    reachable[v] = COP_BILLS.some((bill) => bill / unit <= v && reachable[v - bill / unit] === true);
  }
  return reachable[target] === true;
}

describe('cash suggestions', () => {
  it('[CASH1] 32.000 → 35.000, 40.000, 50.000, 100.000 (the exact amount is its own button)', () => {
    expect(cashSuggestions(32_000)).toEqual([35_000, 40_000, 50_000, 100_000]);
  });

  it('[CASH1] a small total offers the next bills up, at most five', () => {
    expect(cashSuggestions(3_200)).toEqual([4_000, 5_000, 10_000, 20_000, 50_000]);
    expect(cashSuggestions(11_000)).toEqual([12_000, 15_000, 20_000, 50_000, 100_000]);
  });

  it('[CASH1] a total a large bill pays exactly offers one bill more; a large total rounds up by each bill', () => {
    expect(cashSuggestions(50_000)).toEqual([60_000, 100_000]);
    expect(cashSuggestions(40_000)).toEqual([50_000, 100_000]);
    expect(cashSuggestions(100_000)).toEqual([150_000, 200_000]);
    expect(cashSuggestions(1_234_567)).toEqual([1_235_000, 1_236_000, 1_240_000, 1_250_000, 1_300_000]);
  });

  it('[CASH1] nothing for a zero, negative or fractional total', () => {
    expect(cashSuggestions(0)).toEqual([]);
    expect(cashSuggestions(-5)).toEqual([]);
    expect(cashSuggestions(10.5)).toEqual([]);
  });

  it('[CASH1] every suggestion is above the total, ascending, distinct, payable with bills, at most N', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 1, max: 3_000_000 }),
          fc.integer({ min: 1, max: 300 }).map((n) => n * 1_000),
        ),
        fc.integer({ min: 1, max: 8 }),
        (total, max) => {
          const suggestions = cashSuggestions(total, max);
          expect(suggestions.length).toBeLessThanOrEqual(max);
          expect(suggestions.length).toBeGreaterThan(0);
          for (const [i, amount] of suggestions.entries()) {
            expect(amount).toBeGreaterThan(total);
            expect(payableWithBills(amount)).toBe(true);
            if (i > 0) expect(amount).toBeGreaterThan(suggestions[i - 1] ?? Infinity);
          }
          // The first is never more than one 100.000 bill above the total.
          expect(suggestions[0]).toBeLessThanOrEqual(total + 100_000);
        },
      ),
    );
    expect(MAX_CASH_SUGGESTIONS).toBe(5);
  });
});
