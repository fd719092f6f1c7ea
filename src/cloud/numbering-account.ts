import type { NumberingAccount, RangeAccount } from './contract.js';
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
      gaps: db.prepare<[string, string, number, number, number], { from: number; to: number }>(
        `SELECT consecutive + 1 AS "from", next - 1 AS "to" FROM (
           SELECT consecutive, LEAD(consecutive) OVER (ORDER BY consecutive) AS next FROM offline_sales
           WHERE store_id = ? AND prefix = ? AND kind IN ('invoice', 'unused-number')
             AND consecutive BETWEEN ? AND ?)
         WHERE next > consecutive + 1 ORDER BY consecutive LIMIT ?`,
      ),
    };
  }

  account(storeId: string, at: string): NumberingAccount {
    const ranges = this.stmts.ranges.all(storeId).map((row): RangeAccount => {
      const accounted = row.issued + row.unused;
      const missingCount = row.last === null ? 0 : row.last - row.range_from + 1 - accounted;
      const missing: { from: number; to: number }[] = [];
      if (row.first !== null && row.first > row.range_from)
        missing.push({ from: row.range_from, to: row.first - 1 });
      if (missingCount > 0)
        missing.push(...this.stmts.gaps.all(storeId, row.prefix, row.range_from, row.range_to, MAX_RUNS));
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
        missingCount,
        missing: missing.slice(0, MAX_RUNS),
      };
    });
    return { storeId, at, ranges };
  }
}
