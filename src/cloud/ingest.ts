import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import { creditNoteSchema, fiscalDocumentSchema, type CreditNote, type Invoice } from '../domain/invoice.js';
import type { Seal } from '../domain/seal.js';
import { invoiceNumber } from '../domain/ids.js';
import { unusedNumberId, type UnusedNumber, type UnusedSeal } from '../domain/unused-number.js';
import { PAYMENT_METHODS } from '../domain/payment.js';
import { isFinalConsumer } from '../domain/customer.js';
import { priceReturn, remainingAfterReturns, returnedMilli } from '../domain/returns.js';
import type { BatchResult, ItemResult, SealedDocument } from '../contract/cloud.js';
import { CloudStore } from './cloud-store.js';
import { checkInvoiceAgainst, checkNumber, checkSeal, result, unpack } from './ingest-checks.js';
import type { Certificate } from '../domain/certificate.js';
import type { Db } from './db.js';

/**
 * Offline-sales ingestion. Each item is its own unit (a savepoint): it is stored whole with its
 * stock movements, or not at all, and a failed item never blocks the others. The batch commits
 * once, so the answer is sent only after everything it acknowledges is on disk.
 *
 * Idempotency: an item is keyed by its id and, for invoices, by (prefix, consecutive). The same
 * content again is `duplicate` (a success that changes nothing); different content under the same
 * key is `conflict` (nothing changes).
 *
 * Trust: every item carries the seal of its journal entry, signed with a terminal key the store
 * certified; an item whose signature does not verify is `rejected` and stored nowhere. A document
 * dated after the moment it is received (beyond a tolerance for clocks) is refused too.
 */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;
export class SalesLedger {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly store: CloudStore,
  ) {
    this.stmts = {
      byId: db.prepare<[string, string], { kind: string; content_hash: string }>(
        'SELECT kind, content_hash FROM offline_sales WHERE store_id = ? AND id = ?',
      ),
      byNumber: db.prepare<[string, string, number], { id: string; kind: string }>(
        "SELECT id, kind FROM offline_sales WHERE store_id = ? AND kind IN ('invoice', 'unused-number') AND prefix = ? AND consecutive = ?",
      ),
      creditNotesOf: db.prepare<[string, string], { body: string }>(
        "SELECT body FROM offline_sales WHERE store_id = ? AND kind = 'credit-note' AND invoice_id = ? ORDER BY seq",
      ),
      invoiceBody: db.prepare<[string, string], { body: string }>(
        "SELECT body FROM offline_sales WHERE store_id = ? AND kind = 'invoice' AND id = ?",
      ),
      // DIAN1: invoices and credit notes wait for the transmission; an unused number has none.
      insert: db.prepare(
        `INSERT INTO offline_sales (store_id, id, kind, terminal_id, prefix, consecutive, invoice_id, content_hash, body, received_at, seal_json, dian_status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      moveStock: db.prepare(
        `INSERT INTO inventory (store_id, sku, on_hand_milli) VALUES (?, ?, ?)
         ON CONFLICT (store_id, sku) DO UPDATE SET on_hand_milli = on_hand_milli + excluded.on_hand_milli`,
      ),
    };
  }

  ingest(storeId: string, items: readonly SealedDocument[], now: number): BatchResult {
    const receivedAt = new Date(now).toISOString();
    const results = this.db.transaction(() =>
      items.map((item) => {
        try {
          return this.db.transaction(() => this.ingestOne(storeId, item, now, receivedAt))();
        } catch (error) {
          return result(
            item,
            'rejected',
            'internal-error',
            error instanceof Error ? error.message : String(error),
          );
        }
      }),
    )();
    const summary = { created: 0, duplicate: 0, conflict: 0, rejected: 0 };
    for (const r of results) summary[r.status] += 1;
    return { results, summary };
  }

  private ingestOne(storeId: string, sealed: SealedDocument, now: number, receivedAt: string): ItemResult {
    const unpacked = unpack(sealed);
    const { item, seal, entry } = unpacked;
    const body = canonicalJson(item);
    const hash = createHash('sha256').update(body).digest('hex');
    const existing = this.stmts.byId.get(storeId, item.id);
    if (existing) {
      return existing.content_hash === hash && existing.kind === item.kind
        ? result(item, 'duplicate')
        : result(
            item,
            'conflict',
            'id-conflict',
            `a different document with id ${item.id} is already stored`,
          );
    }
    if (item.kind !== 'unused-number' && item.storeId !== storeId) {
      return result(item, 'rejected', 'wrong-store', `the document belongs to store ${item.storeId}`);
    }
    const terminal = this.store.terminal(storeId, item.terminalId);
    if (!terminal)
      return result(item, 'rejected', 'unknown-terminal', `terminal ${item.terminalId} is not in this store`);
    const signed = checkSeal(
      this.store,
      storeId,
      item,
      seal,
      entry,
      unpacked.unused ? undefined : item,
      body,
    );
    if (!signed.ok) return signed.refusal;
    const dated =
      item.kind === 'invoice' ? item.issuedAt : item.kind === 'credit-note' ? item.requestedAt : item.at;
    if (Date.parse(dated) > now + FUTURE_TOLERANCE_MS) {
      return result(
        item,
        'rejected',
        'issued-in-future',
        `dated ${dated}, after the moment it was received (${receivedAt}): the terminal's clock is wrong`,
      );
    }
    if (unpacked.unused)
      return this.ingestUnused(storeId, unpacked.item, unpacked.seal, signed.cert, hash, body, receivedAt);
    return unpacked.item.kind === 'invoice'
      ? this.ingestInvoice(
          storeId,
          unpacked.item,
          terminal,
          hash,
          body,
          receivedAt,
          unpacked.seal,
          signed.cert,
        )
      : this.ingestCreditNote(storeId, unpacked.item, hash, body, receivedAt, JSON.stringify(seal));
  }

  /** UPL10: a number reserved and never issued; it is then accounted for, and never issued after. */
  private ingestUnused(
    storeId: string,
    item: UnusedNumber,
    seal: UnusedSeal,
    cert: Certificate,
    hash: string,
    body: string,
    receivedAt: string,
  ): ItemResult {
    if (
      item.number !== invoiceNumber(item.prefix, item.consecutive) ||
      item.id !== unusedNumberId(item.prefix, item.consecutive) ||
      seal.at !== item.at
    )
      return result(
        item,
        'rejected',
        'unused-number-mismatch',
        `the unused number's id, number and seal do not agree on ${item.prefix}${item.consecutive}`,
      );
    const numbered = checkNumber(
      this.store,
      storeId,
      item,
      item.terminalId,
      item.prefix,
      item.consecutive,
      cert,
    );
    if (!numbered.ok) return numbered.refusal;
    const taken = this.stmts.byNumber.get(storeId, item.prefix, item.consecutive);
    if (taken)
      return result(item, 'conflict', 'number-taken', `${item.number} is already stored as sale ${taken.id}`);
    this.stmts.insert.run(
      storeId,
      item.id,
      'unused-number',
      item.terminalId,
      item.prefix,
      item.consecutive,
      null,
      hash,
      body,
      receivedAt,
      JSON.stringify(seal),
      null,
    );
    return result(item, 'created');
  }

  private ingestInvoice(
    storeId: string,
    invoice: Invoice,
    terminal: NonNullable<ReturnType<CloudStore['terminal']>>,
    hash: string,
    body: string,
    receivedAt: string,
    seal: Seal,
    cert: Certificate,
  ): ItemResult {
    const sealJson = JSON.stringify(seal);
    const numbered = checkNumber(
      this.store,
      storeId,
      invoice,
      terminal.id,
      invoice.prefix,
      invoice.consecutive,
      cert,
    );
    if (!numbered.ok) return numbered.refusal;
    const refused = checkInvoiceAgainst(invoice, numbered.assigned);
    if (refused) return refused;
    const taken = this.stmts.byNumber.get(storeId, invoice.prefix, invoice.consecutive);
    if (taken) {
      return taken.kind === 'unused-number'
        ? result(invoice, 'conflict', 'number-unused', `${invoice.number} was reported as never issued`)
        : result(
            invoice,
            'conflict',
            'number-taken',
            `${invoice.number} is already stored as sale ${taken.id}`,
          );
    }
    this.stmts.insert.run(
      storeId,
      invoice.id,
      'invoice',
      invoice.terminalId,
      invoice.prefix,
      invoice.consecutive,
      null,
      hash,
      body,
      receivedAt,
      sealJson,
      'pending',
    );
    for (const line of invoice.lines) {
      this.stmts.moveStock.run(storeId, line.sku, -Math.round(line.quantity * 1000));
    }
    // CUS6: a buyer identified on an offline invoice joins (or updates) the customer directory.
    if (!isFinalConsumer(invoice.customer)) {
      this.store.directory.upsert(
        storeId,
        invoice.customer,
        'offline-invoice',
        new Date(Date.parse(invoice.issuedAt)).toISOString(),
      );
    }
    return result(invoice, 'created');
  }

  private ingestCreditNote(
    storeId: string,
    note: CreditNote,
    hash: string,
    body: string,
    receivedAt: string,
    sealJson: string,
  ): ItemResult {
    const stored = this.stmts.invoiceBody.get(storeId, note.invoiceId);
    if (!stored) {
      return result(
        note,
        'rejected',
        'unknown-invoice',
        `invoice ${note.invoiceNumber} has not been uploaded yet`,
      );
    }
    const invoice = fiscalDocumentSchema.parse(JSON.parse(stored.body));
    if (invoice.kind !== 'invoice' || invoice.number !== note.invoiceNumber) {
      return result(
        note,
        'rejected',
        'credit-note-mismatch',
        `the credit note does not match invoice ${note.invoiceNumber}`,
      );
    }
    // CRN1–CRN2: a version 2 request states its concept, its shift and refunds adding up to it.
    if (
      note.schemaVersion === 2 &&
      (note.concept === undefined ||
        note.shiftId === undefined ||
        note.refunds === undefined ||
        note.refunds.reduce((sum, r) => sum + r.amount, 0) !== note.amount ||
        note.refunds.some((r) => PAYMENT_METHODS[r.method].code !== r.code))
    ) {
      return result(
        note,
        'rejected',
        'credit-note-mismatch',
        'the credit-note request states no concept or shift, or its refunds do not add up to it',
      );
    }
    const earlier = this.stmts.creditNotesOf
      .all(storeId, note.invoiceId)
      .map((row) => creditNoteSchema.parse(JSON.parse(row.body)));
    const voidedBy = earlier.find((n) => n.lines === undefined);
    if (voidedBy) {
      return result(
        note,
        'conflict',
        'already-voided',
        `invoice ${note.invoiceNumber} was already voided by ${voidedBy.id}`,
      );
    }
    const returns = earlier.filter((n) => n.lines !== undefined);
    // Stock back: a return's own lines; a void's, what the returns left (RET1, RET3).
    const back = new Map<string, number>();
    if (note.lines) {
      const priced = priceReturn(
        invoice,
        note.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        returns,
      );
      if (!priced.ok) return result(note, 'rejected', priced.reason, priced.message);
      if (
        note.concept !== '1' ||
        priced.value.amount !== note.amount ||
        canonicalJson(priced.value.lines) !== canonicalJson(note.lines)
      ) {
        return result(
          note,
          'rejected',
          'credit-note-mismatch',
          'a return is concept 1 and credits each product its share of the sale',
        );
      }
      for (const l of note.lines) back.set(l.sku, Math.round(l.quantity * 1000));
    } else {
      if (note.amount !== remainingAfterReturns(invoice, returns)) {
        return result(
          note,
          'rejected',
          'credit-note-mismatch',
          `the credit note does not credit what is left of invoice ${note.invoiceNumber}`,
        );
      }
      const returned = returnedMilli(returns);
      for (const line of invoice.lines)
        back.set(line.sku, (back.get(line.sku) ?? 0) + Math.round(line.quantity * 1000));
      for (const [sku, milli] of returned) back.set(sku, (back.get(sku) ?? 0) - milli);
    }
    this.stmts.insert.run(
      storeId,
      note.id,
      'credit-note',
      note.terminalId,
      null,
      null,
      note.invoiceId,
      hash,
      body,
      receivedAt,
      sealJson,
      'pending',
    );
    for (const [sku, milli] of back) if (milli !== 0) this.stmts.moveStock.run(storeId, sku, milli);
    return result(note, 'created');
  }
}
