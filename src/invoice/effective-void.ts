import type { CreditNote } from '../domain/invoice.js';

/** What decides which void request of an invoice is the effective one. */
export type VoidRequestKey = Pick<CreditNote, 'id' | 'requestedAt'>;

/**
 * VOID2: several terminals may void one invoice at once; every terminal must pick the same
 * effective void without talking to the others. Orders requests effective first: the earliest
 * request, then the smallest id. Pure, so the host's index and the screens share it.
 */
export function compareVoidRequests(a: VoidRequestKey, b: VoidRequestKey): number {
  if (a.requestedAt !== b.requestedAt) return a.requestedAt < b.requestedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** VOID2: the effective void among an invoice's void requests (in any order), if any. */
export function effectiveVoid<T extends VoidRequestKey>(requests: Iterable<T>): T | undefined {
  let best: T | undefined;
  for (const request of requests)
    if (best === undefined || compareVoidRequests(request, best) < 0) best = request;
  return best;
}
