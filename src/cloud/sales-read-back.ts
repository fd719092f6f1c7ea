import { sealSchema, type Seal } from '../domain/seal.js';
import { unusedSealSchema, type UnusedSeal } from '../domain/unused-number.js';
import { storedDocumentSchema, type OfflineSalesPage, type StoredSale } from '../contract/cloud.js';
import type { Db } from './db.js';
import { dianStateOf } from './dian.js';

interface SaleRow {
  seq: number;
  kind: string;
  dian_status: string | null;
  dian_cufe: string | null;
  dian_at: string | null;
  dian_reason: string | null;
  body: string;
  received_at: string;
  seal_json: string | null;
  voided_by: string | null;
}

function sealOrUnused(kind: string, json: string): Seal | UnusedSeal {
  const value: unknown = JSON.parse(json);
  return kind === 'unused-number' ? unusedSealSchema.parse(value) : sealSchema.parse(value);
}

/**
 * The read-back (`GET /v1/stores/{storeId}/offline-sales`): everything stored for a store, in
 * arrival order, page by page — each document with its seal, the void that voided it, and where
 * it is in its transmission to the DIAN (DIAN1). What the terminals trust (UPL8).
 */
export class SalesReadBack {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = db.prepare<[string, number, string | null, string | null, number], SaleRow>(
      `SELECT s.seq, s.kind, s.body, s.received_at, s.seal_json, s.dian_status, s.dian_cufe, s.dian_at,
         s.dian_reason, v.id AS voided_by FROM offline_sales s
       LEFT JOIN offline_sales v ON v.store_id = s.store_id AND v.kind = 'credit-note' AND v.invoice_id = s.id
         AND json_extract(v.body, '$.lines') IS NULL
       WHERE s.store_id = ? AND s.seq > ? AND (? IS NULL OR s.terminal_id = ?)
       ORDER BY s.seq LIMIT ?`,
    );
  }

  page(
    storeId: string,
    query: { terminal?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
  ): OfflineSalesPage {
    const limit = query.limit ?? 500;
    const after = query.cursor === undefined ? 0 : Number(query.cursor);
    const terminal = query.terminal ?? null;
    const rows = this.stmt.all(storeId, after, terminal, terminal, limit + 1);
    const items: StoredSale[] = rows.slice(0, limit).map((row) => ({
      seq: row.seq,
      receivedAt: row.received_at,
      document: storedDocumentSchema.parse(JSON.parse(row.body)),
      seal: row.seal_json === null ? null : sealOrUnused(row.kind, row.seal_json),
      voidedBy: row.voided_by,
      dian: dianStateOf(row),
    }));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? String(last.seq) : null };
  }
}
