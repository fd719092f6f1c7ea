import { type JournalEntry } from '../../domain/journal-entry.js';
import type { UploadAck } from '../../crdt/documents/uploads-doc.js';
import type { CreditNote, Invoice } from '../../domain/invoice.js';
import type { ReservedEntry } from '../../domain/unused-number.js';
import { InvoiceBook } from '../../invoice/invoice-book.js';
import { pendingUploads as countPending, type PendingUpload } from '../../upload/pending.js';

export type { PendingUpload };

/**
 * The views the screens show, built from every terminal's journal entries (already validated by
 * the readers). Pure functions: the live store calls them when a document changed.
 */
export interface InvoiceRow {
  readonly invoice: Invoice;
  /** The effective void: the earliest request, then the smallest id (src/invoice/SPEC.md VOID2). */
  readonly voidedBy: CreditNote | undefined;
  readonly voidRequests: readonly CreditNote[];
  /** RET1: its partial returns (credit notes with lines), oldest first. */
  readonly returns: readonly CreditNote[];
  /** Lower-case number, customer name and id, for the list's text filter. */
  readonly searchText: string;
}

export interface LedgerViews {
  /** Every terminal's invoices, newest first (issue time, then number). */
  readonly invoices: readonly InvoiceRow[];
  readonly creditNotes: readonly CreditNote[];
  /** UPL10: every terminal's numbers reserved and never issued. */
  readonly unused: readonly ReservedEntry[];
}

const searchTexts = new WeakMap<Invoice, string>();

function searchTextOf(invoice: Invoice): string {
  let text = searchTexts.get(invoice);
  if (text === undefined) {
    const c = invoice.customer;
    // The fiscal number and the screen's form of it ("C1-1"): either one finds the invoice.
    text = `${invoice.number} ${invoice.prefix}-${invoice.consecutive} ${c.name} ${c.idNumber}`.toLowerCase();
    searchTexts.set(invoice, text);
  }
  return text;
}

export function buildLedgerViews(chunks: Iterable<readonly JournalEntry[]>): LedgerViews {
  // The host's index groups and orders with the same book (VOID2, RET1).
  const book = new InvoiceBook();
  for (const entries of chunks) for (const entry of entries) book.take(entry);
  const invoices = book.rows().map((row) => ({ ...row, searchText: searchTextOf(row.invoice) }));
  return { invoices, creditNotes: book.creditNotes(), unused: book.unusedNumbers() };
}

/** UPL12: what is not in the uploads document yet, per terminal (the host's rule). */
export function pendingUploads(
  views: LedgerViews,
  acks: ReadonlyMap<string, UploadAck>,
  terminalIds: Iterable<string>,
): PendingUpload[] {
  return countPending(views.invoices, views.unused, acks, terminalIds);
}

/**
 * CRN3: what the list says of a voided invoice: a credit-note request until the cloud
 * acknowledged it ("Anulación solicitada"), voided after ("Anulada").
 */
export function voidState(
  row: InvoiceRow,
  acks: ReadonlyMap<string, unknown>,
): 'valid' | 'void-requested' | 'voided' {
  if (!row.voidedBy) return 'valid';
  return acks.has(row.voidedBy.id) ? 'voided' : 'void-requested';
}
