import { describe, expect, it } from 'vitest';
import { nextPosition } from '../../../src/cloud/cloud-store.js';
import type { Certificate } from '../../../src/domain/certificate.js';
import { certificateSchema, positionsOf } from '../../../src/domain/certificate.js';
import type { Numbering } from '../../../src/domain/schemas.js';
import { nextConsecutive, rangeStatus } from '../../../src/invoice/numbering.js';
import { summarizeJournal } from '../../../src/invoice/journal-summary.js';
import { type JournalEntry } from '../../../src/domain/journal-entry.js';

const range: Numbering = {
  prefix: 'C1',
  from: 1,
  to: 25,
  resolutionNumber: '18764000001231',
  resolutionDate: '2026-01-15',
  validFrom: '2026-01-15',
  validUntil: '2027-12-31',
};

const cert = (position: { from: number; to: number } | undefined, numbering = range) =>
  ({ terminalId: 'caja-1', numbering, ...(position ? { position } : {}) }) as unknown as Certificate;

describe('positions in a range (RNG5)', () => {
  it('[RNG5] gives each new key the numbers after every earlier position, and nothing when none is left', () => {
    expect(nextPosition(range, [], 10)).toEqual({ from: 1, to: 10 });
    expect(nextPosition(range, [cert({ from: 1, to: 10 })], 10)).toEqual({ from: 11, to: 20 });
    // Order does not matter: the highest position handed out counts.
    expect(nextPosition(range, [cert({ from: 11, to: 20 }), cert({ from: 1, to: 10 })], 10)).toEqual({
      from: 21,
      to: 25,
    });
    expect(nextPosition(range, [cert({ from: 21, to: 25 })], 10)).toBeUndefined();
    // A certificate from before positions held the whole range.
    expect(nextPosition(range, [cert(undefined)], 10)).toBeUndefined();
    // Positions of another resolution do not count.
    const other = { ...range, resolutionNumber: '18764000009999', from: 100, to: 200 };
    expect(nextPosition(range, [cert({ from: 100, to: 200 }, other)], 10)).toEqual({ from: 1, to: 10 });
  });

  it('[RNG5] a certificate whose position lies outside its range does not parse', () => {
    const base = {
      v: 1,
      storeId: 'demo',
      terminalId: 'caja-1',
      keyId: 'k'.repeat(16),
      publicKey: 'A'.repeat(43),
      numbering: range,
      issuedAt: '2026-12-02T10:00:00-05:00',
      sig: 'A'.repeat(86),
    };
    const parse = (position: unknown) => certificateSchema.safeParse({ ...base, position });
    expect(parse({ from: 20, to: 30 }).success).toBe(false);
    expect(parse({ from: 12, to: 11 }).success).toBe(false);
    expect(parse({ from: 11, to: 20 }).success).toBe(true);
  });

  it('[RNG5] the ledger numbers only inside its position, and the range status counts the position', () => {
    const position = { from: 11, to: 20 };
    // A wiped terminal knows nothing: it starts at its position, not at the start of the range.
    expect(nextConsecutive(range, undefined, '2026-12-02', position)).toEqual({ ok: true, value: 11 });
    expect(nextConsecutive(range, 14, '2026-12-02', position)).toEqual({ ok: true, value: 15 });
    expect(nextConsecutive(range, 20, '2026-12-02', position)).toMatchObject({ reason: 'range-exhausted' });
    const status = rangeStatus(range, 19, '2026-12-02', position);
    expect(status).toMatchObject({
      from: 11,
      to: 20,
      used: 9,
      remaining: 1,
      nearExhaustion: true,
      resolutionLeft: 5,
    });
    expect(rangeStatus(range, 3, '2026-12-02').resolutionLeft).toBe(0);
  });

  it('[RNG5] numbers are missing only below the highest one used in each position', () => {
    const entry = (consecutive: number, seq: number) =>
      ({
        kind: 'invoice',
        seq,
        at: '2026-12-02T10:00:00-05:00',
        invoice: { consecutive },
      }) as unknown as JournalEntry;
    // The first installation used 1–3 (of 1–10); the wiped one numbers 11, 12, 14.
    const entries = [1, 2, 3, 11, 12, 14].map((c, i) => entry(c, i + 1));
    const spans = positionsOf([cert({ from: 1, to: 10 }), cert({ from: 11, to: 20 })]);
    expect(summarizeJournal('caja-1', entries, 1, spans).missing).toEqual([13]);
    // Without positions the whole range is one span: 4–10 would be missing.
    expect(summarizeJournal('caja-1', entries, 1).missing).toEqual([4, 5, 6, 7, 8, 9, 10, 13]);
    expect(positionsOf([cert(undefined)])).toEqual([]);
  });
});
