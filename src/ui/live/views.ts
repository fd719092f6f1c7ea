import type { JournalEntry } from '../../crdt/documents/journal-doc.js';
import type { UploadAck } from '../../crdt/documents/uploads-doc.js';
import type { CreditNote, Invoice } from '../../domain/invoice.js';
import { compareVoidRequests } from '../../invoice/effective-void.js';

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
}

const searchTexts = new WeakMap<Invoice, string>();

function searchTextOf(invoice: Invoice): string {
  let text = searchTexts.get(invoice);
  if (text === undefined) {
    const c = invoice.customer;
    text = `${invoice.number} ${c.name} ${c.idNumber}`.toLowerCase();
    searchTexts.set(invoice, text);
  }
  return text;
}

export function buildLedgerViews(chunks: Iterable<readonly JournalEntry[]>): LedgerViews {
  const invoices = new Map<string, Invoice>();
  const creditNotes: CreditNote[] = [];
  const voids = new Map<string, CreditNote[]>();
  const returns = new Map<string, CreditNote[]>();
  for (const entries of chunks) {
    for (const entry of entries) {
      if (entry.kind === 'invoice') invoices.set(entry.invoice.id, entry.invoice);
      else if (entry.kind === 'credit-note') {
        creditNotes.push(entry.creditNote);
        // RET1: a partial return (a credit note with lines) does not void the invoice.
        if (entry.creditNote.lines !== undefined) {
          const list = returns.get(entry.creditNote.invoiceId);
          if (list) list.push(entry.creditNote);
          else returns.set(entry.creditNote.invoiceId, [entry.creditNote]);
          continue;
        }
        const list = voids.get(entry.creditNote.invoiceId);
        if (list) list.push(entry.creditNote);
        else voids.set(entry.creditNote.invoiceId, [entry.creditNote]);
      }
    }
  }
  // VOID2, the same rule as the host's index: effective void first.
  for (const list of voids.values()) list.sort(compareVoidRequests);
  for (const list of returns.values()) list.sort(compareVoidRequests);
  const rows: InvoiceRow[] = [];
  for (const invoice of invoices.values()) {
    const requests = voids.get(invoice.id) ?? [];
    rows.push({
      invoice,
      voidedBy: requests[0],
      voidRequests: requests,
      returns: returns.get(invoice.id) ?? [],
      searchText: searchTextOf(invoice),
    });
  }
  rows.sort((a, b) => {
    const x = a.invoice;
    const y = b.invoice;
    if (x.issuedAt !== y.issuedAt) return x.issuedAt < y.issuedAt ? 1 : -1;
    return x.number < y.number ? 1 : x.number > y.number ? -1 : 0;
  });
  return { invoices: rows, creditNotes };
}

export interface PendingUpload {
  readonly terminalId: string;
  readonly invoices: number;
  readonly voids: number;
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

/**
 * What is not in the uploads document yet, per terminal: invoices by the terminal that issued
 * them, effective voids and partial returns (counted with the voids) by the terminal that
 * requested them.
 */
export function pendingUploads(
  views: LedgerViews,
  acks: ReadonlyMap<string, UploadAck>,
  terminalIds: Iterable<string>,
): PendingUpload[] {
  const counts = new Map<string, { invoices: number; voids: number }>();
  const at = (terminalId: string) => {
    let count = counts.get(terminalId);
    if (!count) {
      count = { invoices: 0, voids: 0 };
      counts.set(terminalId, count);
    }
    return count;
  };
  for (const id of terminalIds) at(id);
  for (const row of views.invoices) if (!acks.has(row.invoice.id)) at(row.invoice.terminalId).invoices += 1;
  // Only the effective void of an invoice is uploaded: a request another one superseded never is.
  for (const row of views.invoices) {
    const note = row.voidedBy;
    if (note && !acks.has(note.id)) at(note.terminalId).voids += 1;
    for (const ret of row.returns) if (!acks.has(ret.id)) at(ret.terminalId).voids += 1;
  }
  return [...counts.entries()]
    .map(([terminalId, c]) => ({ terminalId, ...c }))
    .sort((a, b) => (a.terminalId < b.terminalId ? -1 : 1));
}
