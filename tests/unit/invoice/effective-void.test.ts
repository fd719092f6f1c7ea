import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVoidRequests, effectiveVoid } from '../../../src/invoice/effective-void.js';

const request = (id: string, requestedAt: string) => ({ id, requestedAt });

describe('the effective void of an invoice', () => {
  it('[VOID2] is the earliest request, then the smallest id', () => {
    const late = request('a', '2026-11-28T11:00:05-05:00');
    const early = request('z', '2026-11-28T11:00:01-05:00');
    const tieLow = request('b', '2026-11-28T11:00:01-05:00');
    expect(effectiveVoid([late, early])).toBe(early);
    expect(effectiveVoid([late, early, tieLow])).toBe(tieLow);
    expect(effectiveVoid<typeof late>([])).toBeUndefined();
    expect([late, early, tieLow].sort(compareVoidRequests)).toEqual([tieLow, early, late]);
  });

  it('[VOID2] every terminal picks the same one, whatever order the requests arrived in', () => {
    const requests = fc.uniqueArray(
      fc.record({
        id: fc.uuid(),
        requestedAt: fc.constantFrom('2026-11-28T11:00:00-05:00', '2026-11-28T11:00:01-05:00'),
      }),
      { minLength: 1, maxLength: 6, selector: (r) => r.id },
    );
    fc.assert(
      fc.property(requests, fc.func(fc.integer()), (list, key) => {
        const shuffled = [...list].sort((a, b) => key(a.id) - key(b.id));
        expect(effectiveVoid(shuffled)).toBe(effectiveVoid(list));
        expect(effectiveVoid(list)).toBe([...shuffled].sort(compareVoidRequests)[0]);
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});
