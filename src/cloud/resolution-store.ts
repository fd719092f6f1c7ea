import type { Numbering } from '../domain/schemas.js';
import type { Db } from './db.js';

/** The range columns a terminal row and a resolution row share. */
export interface RangeRow {
  prefix: string;
  range_from: number;
  range_to: number;
  resolution_number: string;
  resolution_date: string;
  valid_from: string;
  valid_until: string;
}

export function numberingOf(row: RangeRow): Numbering {
  return {
    prefix: row.prefix,
    from: row.range_from,
    to: row.range_to,
    resolutionNumber: row.resolution_number,
    resolutionDate: row.resolution_date,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
  };
}

interface ResolutionRow extends RangeRow {
  terminal_id: string;
  assigned_at: string;
}

/** Why a resolution cannot be assigned (src/upload/SPEC.md RNG1). */
export type ResolutionRefusal = 'unknown-terminal' | 'prefix-taken' | 'range-overlap';

/** Every range (DIAN resolution) ever assigned to a terminal of the reference cloud (RNG1). */
export class ResolutionStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      ofTerminal: db.prepare<[string, string], ResolutionRow>(
        'SELECT * FROM resolutions WHERE store_id = ? AND terminal_id = ? ORDER BY assigned_at, range_from',
      ),
      overlapping: db.prepare<[string, string, number, number], ResolutionRow>(
        'SELECT * FROM resolutions WHERE store_id = ? AND prefix = ? AND range_from <= ? AND range_to >= ? LIMIT 1',
      ),
      terminalExists: db.prepare<[string, string], { id: string }>(
        'SELECT id FROM terminals WHERE store_id = ? AND id = ?',
      ),
      prefixHolder: db.prepare<[string, string, string, string, string, string], { terminal_id: string }>(
        `SELECT terminal_id FROM resolutions WHERE store_id = ? AND prefix = ? AND terminal_id != ?
         UNION ALL SELECT id FROM terminals WHERE store_id = ? AND prefix = ? AND id != ? LIMIT 1`,
      ),
      insert: db.prepare(
        `INSERT INTO resolutions (store_id, terminal_id, prefix, range_from, range_to, resolution_number,
           resolution_date, valid_from, valid_until, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      setTerminalRange: db.prepare(
        `UPDATE terminals SET prefix = ?, range_from = ?, range_to = ?, resolution_number = ?,
           resolution_date = ?, valid_from = ?, valid_until = ? WHERE store_id = ? AND id = ?`,
      ),
    };
  }

  /** Every resolution ever assigned to a terminal, oldest first. */
  of(storeId: string, terminalId: string): Numbering[] {
    return this.stmts.ofTerminal.all(storeId, terminalId).map(numberingOf);
  }

  /**
   * The resolution a terminal numbers from today: the last assigned whose validity has begun
   * (a later one waits for its day), or undefined when the store's seed row is all there is.
   */
  current(storeId: string, terminalId: string, today: string): Numbering | undefined {
    return this.of(storeId, terminalId)
      .filter((n) => n.validFrom <= today)
      .at(-1);
  }

  /** A resolution assigned to the terminal, by its prefix and first number. */
  find(storeId: string, terminalId: string, prefix: string, from: number): Numbering | undefined {
    return this.of(storeId, terminalId).find((n) => n.prefix === prefix && n.from === from);
  }

  /** The terminal's resolution whose range holds this number, if it was ever assigned. */
  holding(storeId: string, terminalId: string, prefix: string, consecutive: number): Numbering | undefined {
    const row = this.stmts.overlapping.get(storeId, prefix, consecutive, consecutive);
    return row && row.terminal_id === terminalId ? numberingOf(row) : undefined;
  }

  /** Record a range (the store's seed, or an assignment); the caller holds the transaction. */
  record(storeId: string, terminalId: string, n: Numbering, assignedAt: string): void {
    this.stmts.insert.run(
      storeId,
      terminalId,
      n.prefix,
      n.from,
      n.to,
      n.resolutionNumber,
      n.resolutionDate,
      n.validFrom,
      n.validUntil,
      assignedAt,
    );
  }

  /**
   * A store admin assigns a terminal a new range. A prefix belongs to one terminal; two ranges of
   * a prefix never overlap, so a number is never authorized twice. The new range is what the
   * terminal's next provisioning and key certificates number from; the older ones stay valid for
   * the invoices printed on them.
   */
  assign(
    storeId: string,
    terminalId: string,
    n: Numbering,
    now: number,
    /** The store's local date: a resolution valid only from a later day is the terminal's next one. */
    today: string = new Date(now).toISOString().slice(0, 10),
  ): { ok: true; resolutions: Numbering[] } | { ok: false; reason: ResolutionRefusal; message: string } {
    const refuse = (reason: ResolutionRefusal, message: string) => ({ ok: false as const, reason, message });
    return this.db.transaction(() => {
      if (!this.stmts.terminalExists.get(storeId, terminalId))
        return refuse('unknown-terminal', `no terminal ${terminalId}`);
      const holder = this.stmts.prefixHolder.get(
        storeId,
        n.prefix,
        terminalId,
        storeId,
        n.prefix,
        terminalId,
      );
      if (holder)
        return refuse('prefix-taken', `prefix ${n.prefix} belongs to terminal ${holder.terminal_id}`);
      const overlap = this.stmts.overlapping.get(storeId, n.prefix, n.to, n.from);
      if (overlap)
        return refuse(
          'range-overlap',
          `${n.prefix}${n.from}–${n.prefix}${n.to} overlaps the range ${overlap.prefix}${overlap.range_from}–${overlap.prefix}${overlap.range_to} (resolution ${overlap.resolution_number})`,
        );
      this.record(storeId, terminalId, n, new Date(now).toISOString());
      // RNG4: a resolution valid from a later day does not replace the one in use; the terminal
      // holds it as its next range (read at provisioning and at "Leer catálogo").
      if (n.validFrom <= today)
        this.stmts.setTerminalRange.run(
          n.prefix,
          n.from,
          n.to,
          n.resolutionNumber,
          n.resolutionDate,
          n.validFrom,
          n.validUntil,
          storeId,
          terminalId,
        );
      return { ok: true as const, resolutions: this.of(storeId, terminalId) };
    })();
  }
}
