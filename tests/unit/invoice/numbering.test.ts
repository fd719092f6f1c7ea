import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Numbering } from '../../../src/domain/schemas.js';
import { nextConsecutive, rangeStatus } from '../../../src/invoice/numbering.js';

const range: Numbering = {
  prefix: 'C1',
  from: 1000,
  to: 1099,
  resolutionNumber: '18764000001231',
  resolutionDate: '2026-01-15',
  validFrom: '2026-01-15',
  validUntil: '2026-12-31',
};

describe('numbering state machine', () => {
  it('[NUM1] starts at the start of the range and goes up by one', () => {
    expect(nextConsecutive(range, undefined, '2026-11-28')).toEqual({ ok: true, value: 1000 });
    expect(nextConsecutive(range, 1041, '2026-11-28')).toEqual({ ok: true, value: 1042 });
    // A re-provisioned range that starts above what was used starts at its own start.
    expect(nextConsecutive(range, 12, '2026-11-28')).toEqual({ ok: true, value: 1000 });
  });

  it('[NUM5] an exhausted range answers range-exhausted', () => {
    expect(nextConsecutive(range, 1099, '2026-11-28')).toMatchObject({
      ok: false,
      reason: 'range-exhausted',
    });
  });

  it('[NUM5] a date outside the validity answers range-not-valid', () => {
    expect(nextConsecutive(range, undefined, '2027-01-01')).toMatchObject({
      ok: false,
      reason: 'range-not-valid',
    });
    expect(nextConsecutive(range, undefined, '2026-01-14')).toMatchObject({
      ok: false,
      reason: 'range-not-valid',
    });
    expect(nextConsecutive(range, undefined, '2026-12-31')).toMatchObject({ ok: true });
  });

  it('[NUM6] warns at 90 % of the range and at 7 days of validity', () => {
    expect(rangeStatus(range, 1088, '2026-11-28')).toMatchObject({
      used: 89,
      nearExhaustion: false,
      nearExpiry: false,
    });
    expect(rangeStatus(range, 1089, '2026-11-28')).toMatchObject({
      used: 90,
      usedPercent: 90,
      nearExhaustion: true,
    });
    expect(rangeStatus(range, undefined, '2026-12-24')).toMatchObject({ daysLeft: 7, nearExpiry: true });
    expect(rangeStatus(range, undefined, '2026-12-23')).toMatchObject({ daysLeft: 8, nearExpiry: false });
    expect(rangeStatus(range, 1099, '2026-11-28')).toMatchObject({ remaining: 0, exhausted: true });
  });

  it('[NUM3] reserving in sequence never yields a number twice and never leaves the range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 150 }), (steps) => {
        const seen = new Set<number>();
        let last: number | undefined;
        for (let i = 0; i < steps; i += 1) {
          const next = nextConsecutive(range, last, '2026-11-28');
          if (!next.ok) {
            expect(next.reason).toBe('range-exhausted');
            expect(seen.size).toBe(range.to - range.from + 1);
            return;
          }
          expect(seen.has(next.value)).toBe(false);
          expect(next.value).toBeGreaterThanOrEqual(range.from);
          expect(next.value).toBeLessThanOrEqual(range.to);
          seen.add(next.value);
          last = next.value;
        }
        expect(seen.size).toBe(steps);
      }),
      { numRuns: 200 },
    );
  });
});
