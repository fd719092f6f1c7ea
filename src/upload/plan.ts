import type { UploadAck } from '../crdt/documents/uploads-doc.js';
import type { SealedDocument } from '../contract/cloud.js';
import type { CreditNote, Invoice } from '../domain/invoice.js';
import type { Seal } from '../domain/seal.js';
import { unusedOfEntry, type ReservedEntry } from '../domain/unused-number.js';
import type { IndexedInvoice } from '../invoice/invoice-index.js';

/**
 * What an upload sends (UPL1–UPL3, UPL10 in src/upload/SPEC.md), pure: every invoice of every
 * terminal not yet acknowledged, in order per terminal, then every number reserved and never
 * issued, then partial returns and effective voids not yet acknowledged.
 * A void request that another terminal's earlier request superseded is never sent.
 */
export interface UploadItem {
  /** The invoice or credit note with the seal of its journal entry (the cloud checks it). */
  readonly document: SealedDocument;
  /** The terminal whose sale (or number) it is (for a void: the voided invoice's terminal). */
  readonly terminalId: string;
  readonly number: string;
}

export function pendingItems(
  invoices: readonly IndexedInvoice[],
  acks: ReadonlyMap<string, UploadAck>,
  unusedNumbers: readonly ReservedEntry[],
): UploadItem[] {
  const byTerminal = (a: Invoice, b: Invoice) =>
    a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : a.consecutive - b.consecutive;
  const sales = invoices
    .filter((i) => !acks.has(i.invoice.id))
    .sort((a, b) => byTerminal(a.invoice, b.invoice))
    .map((i) => ({
      document: { ...i.invoice, seal: i.seal },
      terminalId: i.invoice.terminalId,
      number: i.invoice.number,
    }));
  const voids = invoices
    .filter(
      (i): i is IndexedInvoice & { voidedBy: CreditNote; voidSeal: Seal } =>
        i.voidedBy !== undefined && i.voidSeal !== undefined && !acks.has(i.voidedBy.id),
    )
    .sort((a, b) => byTerminal(a.invoice, b.invoice))
    .map((i) => ({
      document: { ...i.voidedBy, seal: i.voidSeal },
      terminalId: i.invoice.terminalId,
      number: i.invoice.number,
    }));
  // RET1: partial returns go before any void of the same invoice (a void credits what is left).
  const returns = invoices
    .slice()
    .sort((a, b) => byTerminal(a.invoice, b.invoice))
    .flatMap((i) =>
      i.returns
        .filter(
          (r): r is { creditNote: CreditNote; seal: Seal } =>
            r.seal !== undefined && !acks.has(r.creditNote.id),
        )
        .map((r) => ({
          document: { ...r.creditNote, seal: r.seal },
          terminalId: i.invoice.terminalId,
          number: i.invoice.number,
        })),
    );
  // UPL10: numbers reserved and never issued, so the cloud accounts for every number of a range.
  const unused = unusedNumbers
    .map((entry) => unusedOfEntry(entry))
    .filter(({ document }) => !acks.has(document.id))
    .map(({ document, seal }) => ({
      document: { ...document, seal },
      terminalId: document.terminalId,
      number: document.number,
    }));
  return [...sales, ...unused, ...returns, ...voids];
}

/** Batches of at most `size`, in order. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
