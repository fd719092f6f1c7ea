import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DIAN_STATUSES, type DianState } from '../contract/cloud.js';
import type { CreditNote, Invoice } from '../domain/invoice.js';
import { creditNoteSchema, invoiceSchema } from '../domain/invoice.js';
import type { Db } from './db.js';
import type { CloudStore } from './cloud-store.js';

/**
 * DIAN1–DIAN3 (src/upload/SPEC.md): the reference cloud simulates the transmission of what was
 * uploaded to the DIAN. Each invoice and credit note is stored `pending`, and is then transmitted
 * (`transmitted`, with its CUFE — a credit note's CUDE — computed as the anexo técnico defines it,
 * with a demo technical key) or `rejected` with a reason. A real cloud calls the DIAN's web service
 * here; the rest of the product only sees the status in the read-back.
 */
/** The demo technical key (clave técnica) of the reference cloud's test environment. */
export const DEMO_TECHNICAL_KEY = 'fc8eac422eba16e22ffd8c6f94b3f40a6e38162c';
/** The demo software PIN (a credit note's CUDE uses it instead of the technical key). */
export const DEMO_SOFTWARE_PIN = '75315';
/** TipoAmbiente: 1 production, 2 tests. The reference cloud is a test environment. */
export const DEMO_ENVIRONMENT = '2';

/** Pesos as the anexo técnico writes values in the CUFE: two decimals, a dot, no thousands. */
const value = (pesos: number) => `${pesos}.00`;

function taxTotals(rows: readonly { code: string; tax: number }[]) {
  let iva = 0;
  let inc = 0;
  for (const row of rows) {
    if (row.code.startsWith('IVA')) iva += row.tax;
    else if (row.code.startsWith('INC')) inc += row.tax;
  }
  return { iva, inc };
}

/** Date and time as the CUFE takes them: YYYY-MM-DD and HH:MM:SS with the offset (-05:00). */
function dateAndTime(iso: string): { date: string; time: string } {
  return { date: iso.slice(0, 10), time: `${iso.slice(11, 19)}${iso.slice(-6)}` };
}

/** The fields of a CUFE (invoice) or CUDE (credit note), as the anexo técnico names them. */
export interface CufeFields {
  /** NumFac / NumNC: prefix and number. */
  readonly number: string;
  /** FecFac, HorFac: YYYY-MM-DD and HH:MM:SS-05:00. */
  readonly date: string;
  readonly time: string;
  /** ValFac: the value before taxes; ValImp1 IVA (01), ValImp2 INC (04), ValImp3 ICA (03). */
  readonly base: number;
  readonly iva: number;
  readonly inc: number;
  readonly ica: number;
  /** ValTot: what is paid. */
  readonly total: number;
  /** NitOFE: the issuer's NIT without check digit; NumAdq: the buyer's identification. */
  readonly nit: string;
  readonly buyer: string;
  /** ClTec (CUFE) or the software PIN (CUDE). */
  readonly key: string;
  /** TipoAmbiente: 1 production, 2 tests. */
  readonly environment: string;
}

/**
 * SHA-384 of NumFac + FecFac + HorFac + ValFac + 01 + ValImp1 + 04 + ValImp2 + 03 + ValImp3 +
 * ValTot + NitOFE + NumAdq + ClTec + TipoAmbiente, values with two decimals (anexo técnico 1.9).
 */
export function cufe(f: CufeFields): string {
  const text =
    f.number +
    f.date +
    f.time +
    value(f.base) +
    '01' +
    value(f.iva) +
    '04' +
    value(f.inc) +
    '03' +
    value(f.ica) +
    value(f.total) +
    f.nit +
    f.buyer +
    f.key +
    f.environment;
  return createHash('sha384').update(text, 'utf8').digest('hex');
}

/** An invoice's CUFE: its value before taxes, its IVA and INC, its total (the tip included). */
export function cufeOf(invoice: Invoice, nit: string, technicalKey: string, environment: string): string {
  return cufe({
    number: invoice.number,
    ...dateAndTime(invoice.issuedAt),
    base: invoice.baseTotal,
    ...taxTotals(invoice.taxes),
    ica: 0,
    total: invoice.total,
    nit,
    buyer: invoice.customer.idNumber,
    key: technicalKey,
    environment,
  });
}

/**
 * A credit note's CUDE: the note's own number, date and values (a return credits its lines; a void
 * what its invoice's returns left, taxes in proportion), the invoice's buyer, and the software PIN
 * instead of the technical key.
 */
export function cudeOf(
  note: CreditNote,
  number: string,
  invoice: Invoice,
  nit: string,
  softwarePin: string,
  environment: string,
): string {
  const lines = note.lines ?? [];
  const values =
    lines.length > 0
      ? {
          base: lines.reduce((s, l) => s + l.base, 0),
          ...taxTotals(lines.map((l) => ({ code: l.tax, tax: l.taxAmount }))),
        }
      : scaled(invoice, note.amount);
  return cufe({
    number,
    ...dateAndTime(note.requestedAt),
    ...values,
    ica: 0,
    total: note.amount,
    nit,
    buyer: invoice.customer.idNumber,
    key: softwarePin,
    environment,
  });
}

/** What a void credits: all of its invoice, or (after returns) its share of the invoice's values. */
function scaled(invoice: Invoice, amount: number): { base: number; iva: number; inc: number } {
  const { iva, inc } = taxTotals(invoice.taxes);
  if (amount >= invoice.total || invoice.total <= 0) return { base: invoice.baseTotal, iva, inc };
  const share = (n: number) => Math.round((n * amount) / invoice.total);
  return { base: share(invoice.baseTotal), iva: share(iva), inc: share(inc) };
}

interface PendingRow {
  seq: number;
  store_id: string;
  kind: string;
  body: string;
  invoice_id: string | null;
}

/**
 * The simulated transmission. `transmit` takes every pending document (oldest first), a batch at a
 * time, and settles it; a switch armed by the store (`rejectNext`) makes the next one `rejected`
 * with the given reason, so the path can be tried. A credit note whose invoice the DIAN rejected is
 * rejected too (`invoice-rejected`).
 */
export class DianSimulator {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly store: CloudStore,
  ) {
    this.stmts = {
      pending: db.prepare<[number], PendingRow>(
        `SELECT seq, store_id, kind, body, invoice_id FROM offline_sales
         WHERE dian_status = 'pending' ORDER BY seq LIMIT ?`,
      ),
      invoiceOf: db.prepare<[string, string], { body: string; dian_status: string | null }>(
        "SELECT body, dian_status FROM offline_sales WHERE store_id = ? AND kind = 'invoice' AND id = ?",
      ),
      settle: db.prepare<[string, string | null, string | null, string | null, number]>(
        'UPDATE offline_sales SET dian_status = ?, dian_cufe = ?, dian_at = ?, dian_reason = ? WHERE seq = ?',
      ),
      armed: db.prepare<[string], { dian_reject_next: string | null }>(
        'SELECT dian_reject_next FROM stores WHERE id = ?',
      ),
      arm: db.prepare<[string | null, string]>('UPDATE stores SET dian_reject_next = ? WHERE id = ?'),
    };
  }

  /** DIAN3: the next document of the store to be transmitted is rejected with this reason. */
  rejectNext(storeId: string, reason: string): void {
    this.stmts.arm.run(reason, storeId);
  }

  /** Settle up to `limit` pending documents; answers how many. */
  transmit(now: number, limit = 500): number {
    const at = new Date(now).toISOString();
    return this.db.transaction(() => {
      const rows = this.stmts.pending.all(limit);
      for (const row of rows) {
        const rejectReason = this.stmts.armed.get(row.store_id)?.dian_reject_next ?? null;
        if (rejectReason !== null) {
          this.stmts.arm.run(null, row.store_id);
          this.stmts.settle.run('rejected', null, at, rejectReason, row.seq);
          continue;
        }
        const settled = this.settle(row);
        if (settled.ok) this.stmts.settle.run('transmitted', settled.cufe, at, null, row.seq);
        else this.stmts.settle.run('rejected', null, at, settled.reason, row.seq);
      }
      return rows.length;
    })();
  }

  private settle(row: PendingRow): { ok: true; cufe: string } | { ok: false; reason: string } {
    const nit = this.store.profile(row.store_id)?.nit ?? '';
    if (row.kind === 'invoice') {
      const invoice = invoiceSchema.parse(JSON.parse(row.body));
      return { ok: true, cufe: cufeOf(invoice, nit, DEMO_TECHNICAL_KEY, DEMO_ENVIRONMENT) };
    }
    const note = creditNoteSchema.parse(JSON.parse(row.body));
    const stored = this.stmts.invoiceOf.get(row.store_id, note.invoiceId);
    if (!stored) return { ok: false, reason: 'unknown-invoice' };
    if (stored.dian_status === 'rejected') return { ok: false, reason: 'invoice-rejected' };
    const invoice = invoiceSchema.parse(JSON.parse(stored.body));
    return {
      ok: true,
      cufe: cudeOf(note, `NC${row.seq}`, invoice, nit, DEMO_SOFTWARE_PIN, DEMO_ENVIRONMENT),
    };
  }
}

/** The read-back's `dian` of a stored row (null for an unused number: nothing to transmit). */
export function dianStateOf(row: {
  kind: string;
  dian_status: string | null;
  dian_cufe: string | null;
  dian_at: string | null;
  dian_reason: string | null;
}): DianState | null {
  if (row.kind === 'unused-number' || row.dian_status === null) return null;
  const status = z.enum(DIAN_STATUSES).parse(row.dian_status);
  return {
    status,
    ...(row.dian_cufe === null ? {} : { cufe: row.dian_cufe }),
    ...(row.dian_at === null || status === 'pending' ? {} : { transmittedAt: row.dian_at }),
    ...(row.dian_reason === null ? {} : { reason: row.dian_reason }),
  };
}
