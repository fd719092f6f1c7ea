import type { UploadAck } from '../crdt/documents/uploads-doc.js';
import type { CreditNote, FiscalDocument, Invoice } from '../domain/invoice.js';
import type { IndexedInvoice } from '../invoice/invoice-index.js';

/**
 * What an upload sends (UPL1–UPL3 in src/upload/SPEC.md), pure: every invoice of every terminal
 * not yet acknowledged, in order per terminal, then every effective void not yet acknowledged.
 * A void request that another terminal's earlier request superseded is never sent.
 */
export interface UploadItem {
  readonly document: FiscalDocument;
  /** The terminal whose sale it is (for a void: the voided invoice's terminal). */
  readonly terminalId: string;
  readonly number: string;
}

export function pendingItems(
  invoices: readonly IndexedInvoice[],
  acks: ReadonlyMap<string, UploadAck>,
): UploadItem[] {
  const byTerminal = (a: Invoice, b: Invoice) =>
    a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : a.consecutive - b.consecutive;
  const sales = invoices
    .map((i) => i.invoice)
    .filter((invoice) => !acks.has(invoice.id))
    .sort(byTerminal)
    .map((invoice) => ({ document: invoice, terminalId: invoice.terminalId, number: invoice.number }));
  const voids = invoices
    .filter(
      (i): i is IndexedInvoice & { voidedBy: CreditNote } =>
        i.voidedBy !== undefined && !acks.has(i.voidedBy.id),
    )
    .sort((a, b) => byTerminal(a.invoice, b.invoice))
    .map((i) => ({ document: i.voidedBy, terminalId: i.invoice.terminalId, number: i.invoice.number }));
  return [...sales, ...voids];
}

/** Batches of at most `size`, in order. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
