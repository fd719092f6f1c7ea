import type { Certificate } from '../domain/certificate.js';
import type { NumberingAccount, RangeAccount } from '../contract/cloud.js';
import type { Db } from './db.js';

interface AccountRow {
  terminal_id: string;
  prefix: string;
  range_from: number;
  range_to: number;
  resolution_number: string;
  valid_from: string;
  valid_until: string;
  issued: number;
  voided: number;
  unused: number;
  first: number | null;
  last: number | null;
}

/** At most this many runs of missing numbers are listed per range (all are counted). */
const MAX_RUNS = 100;

/**
 * RNG3: the cloud's account of every number of every range of the store — per terminal and
 * resolution: issued, voided (whole, by a credit note), reported unused (UPL10), and the numbers
 * missing between the start of the range and the highest one accounted for. What a DIAN auditor
 * asks of a contingency: every number issued, voided or reported unused.
 */
export class NumberingAccounts {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      ranges: db.prepare<[string], AccountRow>(
        `SELECT r.terminal_id, r.prefix, r.range_from, r.range_to, r.resolution_number, r.valid_from,
           r.valid_until,
           COUNT(s.seq) FILTER (WHERE s.kind = 'invoice') AS issued,
           COUNT(s.seq) FILTER (WHERE s.kind = 'invoice' AND EXISTS (
             SELECT 1 FROM offline_sales v WHERE v.store_id = s.store_id AND v.kind = 'credit-note'
               AND v.invoice_id = s.id AND json_extract(v.body, '$.lines') IS NULL)) AS voided,
           COUNT(s.seq) FILTER (WHERE s.kind = 'unused-number') AS unused,
           MIN(s.consecutive) AS first,
           MAX(s.consecutive) AS last
         FROM resolutions r
         LEFT JOIN offline_sales s ON s.store_id = r.store_id AND s.prefix = r.prefix
           AND s.kind IN ('invoice', 'unused-number') AND s.consecutive BETWEEN r.range_from AND r.range_to
         WHERE r.store_id = ?
         GROUP BY r.store_id, r.prefix, r.range_from
         ORDER BY r.terminal_id, r.prefix, r.range_from`,
      ),
      span: db.prepare<
        [string, string, number, number],
        { accounted: number; first: number | null; last: number | null }
      >(
        `SELECT COUNT(*) AS accounted, MIN(consecutive) AS first, MAX(consecutive) AS last FROM offline_sales
         WHERE store_id = ? AND prefix = ? AND kind IN ('invoice', 'unused-number')
           AND consecutive BETWEEN ? AND ?`,
      ),
      gaps: db.prepare<[string, string, number, number, number], { from: number; to: number }>(
        `SELECT consecutive + 1 AS "from", next - 1 AS "to" FROM (
           SELECT consecutive, LEAD(consecutive) OVER (ORDER BY consecutive) AS next FROM offline_sales
           WHERE store_id = ? AND prefix = ? AND kind IN ('invoice', 'unused-number')
             AND consecutive BETWEEN ? AND ?)
         WHERE next > consecutive + 1 ORDER BY consecutive LIMIT ?`,
      ),
    };
  }

  /**
   * The numbers of one span (a range, or a position in it — RNG5) missing below the highest one
   * accounted for in it: counted, and the first runs listed.
   */
  private span(storeId: string, prefix: string, from: number, to: number) {
    const row = this.stmts.span.get(storeId, prefix, from, to) ?? { accounted: 0, first: null, last: null };
    const missingCount = row.last === null ? 0 : row.last - from + 1 - row.accounted;
    const missing: { from: number; to: number }[] = [];
    if (row.first !== null && row.first > from) missing.push({ from, to: row.first - 1 });
    if (missingCount > 0) missing.push(...this.stmts.gaps.all(storeId, prefix, from, to, MAX_RUNS));
    return { last: row.last, missingCount, missing };
  }

  /** `certificates`: every key the store certified (their positions split the ranges, RNG5). */
  account(storeId: string, at: string, certificates: readonly Certificate[] = []): NumberingAccount {
    const ranges = this.stmts.ranges.all(storeId).map((row): RangeAccount => {
      const positions = certificates
        .filter(
          (c) =>
            c.terminalId === row.terminal_id &&
            c.numbering.prefix === row.prefix &&
            c.numbering.from === row.range_from &&
            c.numbering.to === row.range_to &&
            c.position !== undefined,
        )
        .flatMap((c) => (c.position ? [{ keyId: c.keyId, ...c.position }] : []))
        .sort((a, b) => a.from - b.from);
      const spans =
        positions.length > 0 ? positions : [{ keyId: '', from: row.range_from, to: row.range_to }];
      const counted = spans.map((p) => ({ ...p, ...this.span(storeId, row.prefix, p.from, p.to) }));
      return {
        terminalId: row.terminal_id,
        prefix: row.prefix,
        from: row.range_from,
        to: row.range_to,
        resolutionNumber: row.resolution_number,
        validFrom: row.valid_from,
        validUntil: row.valid_until,
        issued: row.issued,
        voided: row.voided,
        unused: row.unused,
        last: row.last,
        missingCount: counted.reduce((n, p) => n + p.missingCount, 0),
        missing: counted.flatMap((p) => p.missing).slice(0, MAX_RUNS),
        ...(positions.length > 0
          ? {
              positions: counted.map((p) => ({
                keyId: p.keyId,
                from: p.from,
                to: p.to,
                last: p.last,
                missingCount: p.missingCount,
              })),
            }
          : {}),
      };
    });
    return { storeId, at, ranges };
  }
}
