import { type JournalEntry } from '../domain/journal-entry.js';

export interface JournalSummary {
  readonly terminalId: string;
  readonly entries: number;
  readonly invoices: number;
  readonly creditNotes: number;
  readonly firstConsecutive: number | null;
  readonly lastConsecutive: number | null;
  readonly reservedNotIssued: readonly number[];
  /** Consecutives between the range start and the last one used that are neither an invoice nor reserved-not-issued. */
  readonly missing: readonly number[];
  /** Journal seqs missing below the highest one known (not synced yet, or lost). */
  readonly missingSeqs: number;
  readonly lastEntryAt: string | null;
}

/**
 * A terminal's journal at a glance, from the entries this terminal holds: used for completeness
 * checks (every number from the range start to the last used is accounted for, NUM4).
 */
export function summarizeJournal(
  terminalId: string,
  entries: Iterable<JournalEntry>,
  rangeFrom: number | undefined,
  /**
   * RNG5: the positions the terminal's keys were certified for; a number is missing only between
   * a position's start and the highest number used in it (a re-installed terminal numbers from a
   * later position, and the rest of the earlier one was never used by it).
   */
  positions: readonly { readonly from: number; readonly to: number }[] = [],
): JournalSummary {
  const used = new Set<number>();
  const reserved: number[] = [];
  let count = 0;
  let invoices = 0;
  let creditNotes = 0;
  let maxSeq = 0;
  let lastAt: string | null = null;
  let first: number | null = null;
  let last: number | null = null;
  for (const entry of entries) {
    count += 1;
    maxSeq = Math.max(maxSeq, entry.seq);
    if (lastAt === null || entry.at > lastAt) lastAt = entry.at;
    let consecutive: number | undefined;
    if (entry.kind === 'invoice') {
      invoices += 1;
      consecutive = entry.invoice.consecutive;
    } else if (entry.kind === 'reserved-not-issued') {
      reserved.push(entry.consecutive);
      consecutive = entry.consecutive;
    } else if (entry.kind === 'credit-note') creditNotes += 1;
    if (consecutive !== undefined) {
      used.add(consecutive);
      if (first === null || consecutive < first) first = consecutive;
      if (last === null || consecutive > last) last = consecutive;
    }
  }
  const missing: number[] = [];
  if (last !== null && positions.length > 0) {
    for (const p of [...positions].sort((a, b) => a.from - b.from)) {
      let top: number | undefined;
      for (const c of used) if (c >= p.from && c <= p.to && (top === undefined || c > top)) top = c;
      if (top === undefined) continue;
      for (let c = p.from; c <= top && missing.length < 1000; c += 1) if (!used.has(c)) missing.push(c);
    }
  } else if (last !== null) {
    for (let c = rangeFrom ?? first ?? last; c <= last && missing.length < 1000; c += 1)
      if (!used.has(c)) missing.push(c);
  }
  return {
    terminalId,
    entries: count,
    invoices,
    creditNotes,
    firstConsecutive: first,
    lastConsecutive: last,
    reservedNotIssued: reserved.sort((a, b) => a - b),
    missing,
    missingSeqs: maxSeq - count,
    lastEntryAt: lastAt,
  };
}
