import { type JournalEntry } from '../domain/journal-entry.js';
import type { CreditNote, Invoice } from '../domain/invoice.js';
import { unusedNumberId, type ReservedEntry } from '../domain/unused-number.js';
import { compareVoidRequests } from './effective-void.js';

/**
 * The one rule for grouping every terminal's journal entries into invoices with their voids and
 * partial returns, and for ordering them. Pure and incremental: the host's index (with seals) and
 * the screen's live views both fill one from the entries they read.
 */
export interface BookRow {
  readonly invoice: Invoice;
  /** VOID2: the effective void — the earliest request, then the smallest id. */
  readonly voidedBy: CreditNote | undefined;
  /** Every void request for it, effective one first. */
  readonly voidRequests: readonly CreditNote[];
  /** RET1: its partial returns (credit notes with lines), oldest first. */
  readonly returns: readonly CreditNote[];
}

/** Newest first: by issue time, then by number. */
export function compareNewestFirst(a: Invoice, b: Invoice): number {
  if (a.issuedAt !== b.issuedAt) return a.issuedAt < b.issuedAt ? 1 : -1;
  return a.number < b.number ? 1 : a.number > b.number ? -1 : 0;
}

export class InvoiceBook {
  private readonly invoices = new Map<string, Invoice>();
  private readonly voids = new Map<string, CreditNote[]>();
  private readonly returnsOf = new Map<string, CreditNote[]>();
  /** UPL10: numbers reserved and never issued, by their unused-number id. */
  private readonly unused = new Map<string, ReservedEntry>();
  private sorted: Invoice[] | undefined;

  /** Takes one entry; answers whether it was new to the book (an entry seen before is ignored). */
  take(entry: JournalEntry): boolean {
    if (entry.kind === 'invoice') {
      if (this.invoices.has(entry.invoice.id)) return false;
      this.invoices.set(entry.invoice.id, entry.invoice);
      this.sorted = undefined;
      return true;
    }
    if (entry.kind === 'reserved-not-issued') {
      const id = unusedNumberId(entry.prefix, entry.consecutive);
      if (this.unused.has(id)) return false;
      this.unused.set(id, entry);
      return true;
    }
    if (entry.kind !== 'credit-note') return false;
    // RET1: a partial return (a credit note with lines) does not void the invoice.
    const lists = entry.creditNote.lines !== undefined ? this.returnsOf : this.voids;
    const list = lists.get(entry.creditNote.invoiceId) ?? [];
    if (list.some((c) => c.id === entry.creditNote.id)) return false;
    list.push(entry.creditNote);
    list.sort(compareVoidRequests);
    lists.set(entry.creditNote.invoiceId, list);
    return true;
  }

  has(id: string): boolean {
    return this.invoices.has(id);
  }

  row(id: string): BookRow | undefined {
    const invoice = this.invoices.get(id);
    return invoice ? this.rowOf(invoice) : undefined;
  }

  private rowOf(invoice: Invoice): BookRow {
    const requests = this.voids.get(invoice.id) ?? [];
    return {
      invoice,
      voidedBy: requests[0],
      voidRequests: requests,
      returns: this.returnsOf.get(invoice.id) ?? [],
    };
  }

  /** Every invoice, newest first. */
  rows(): BookRow[] {
    this.sorted ??= [...this.invoices.values()].sort(compareNewestFirst);
    return this.sorted.map((invoice) => this.rowOf(invoice));
  }

  /** Every credit-note request: voids (every request, superseded ones too) and partial returns. */
  creditNotes(): CreditNote[] {
    return [...[...this.voids.values()].flat(), ...[...this.returnsOf.values()].flat()];
  }

  voidRequests(): CreditNote[] {
    return [...this.voids.values()].flat();
  }

  /** Every terminal's numbers reserved and never issued (UPL10), in number order per terminal. */
  unusedNumbers(): ReservedEntry[] {
    return [...this.unused.values()].sort((a, b) =>
      a.terminalId !== b.terminalId ? (a.terminalId < b.terminalId ? -1 : 1) : a.consecutive - b.consecutive,
    );
  }

  get size(): number {
    return this.invoices.size;
  }
}
