import { type JournalEntry } from '../domain/journal-entry.js';
import type { JournalPort } from '../domain/journal-port.js';
import type { CreditNote, Invoice } from '../domain/invoice.js';
import { sealOf, type Seal } from '../domain/seal.js';
import { InvoiceBook, type BookRow } from './invoice-book.js';
import type { ReservedEntry } from '../domain/unused-number.js';
import { keepNewest, type SeenBuyer } from '../domain/customer-directory.js';

export interface IndexedInvoice {
  readonly invoice: Invoice;
  /** The credit note that voids it (the earliest, when several terminals voided it at once). */
  readonly voidedBy: CreditNote | undefined;
  /** Every credit-note request for it, effective one first. */
  readonly voidRequests: readonly CreditNote[];
  /** The seal of the invoice's journal entry, and of the effective void's (sent with the upload). */
  readonly seal: Seal;
  readonly voidSeal: Seal | undefined;
  /** RET1: its partial returns (credit notes with lines), oldest first, each with its seal. */
  readonly returns: readonly { readonly creditNote: CreditNote; readonly seal: Seal | undefined }[];
}

/**
 * The merged view of every terminal's invoices and voids on this terminal, maintained
 * incrementally as journal entries arrive (own commits or sync from peers).
 */
export class InvoiceIndex {
  private readonly book = new InvoiceBook();
  private readonly seals = new Map<string, Seal>();
  private readonly seen = new Map<string, number>();
  private readonly buyerMap = new Map<string, SeenBuyer>();

  constructor(private readonly docs: Pick<JournalPort, 'journalEntries' | 'terminalsWithJournals'>) {}

  /** Take in entries not seen yet; cheap when nothing is new. */
  refresh(): void {
    for (const terminalId of this.docs.terminalsWithJournals()) {
      const entries = this.docs.journalEntries(terminalId);
      const from = this.seen.get(terminalId) ?? 0;
      if (entries.size === from) continue;
      // Entries of a peer may arrive out of order while syncing: take every seq not taken yet.
      for (const entry of entries.values()) this.take(entry);
      this.seen.set(terminalId, entries.size);
    }
  }

  private take(entry: JournalEntry): void {
    if (!this.book.take(entry)) return;
    if (entry.kind === 'invoice') {
      this.seals.set(entry.invoice.id, sealOf(entry));
      keepNewest(this.buyerMap, { customer: entry.invoice.customer, seenAt: entry.invoice.issuedAt });
    } else if (entry.kind === 'credit-note') this.seals.set(entry.creditNote.id, sealOf(entry));
  }

  get(id: string): IndexedInvoice | undefined {
    this.refresh();
    const row = this.book.row(id);
    return row ? this.indexed(row) : undefined;
  }

  private indexed(row: BookRow): IndexedInvoice {
    const seal = this.seals.get(row.invoice.id);
    if (!seal) throw new Error(`invoice ${row.invoice.id} has no seal`);
    return {
      invoice: row.invoice,
      voidedBy: row.voidedBy,
      voidRequests: row.voidRequests,
      seal,
      voidSeal: row.voidedBy ? this.seals.get(row.voidedBy.id) : undefined,
      returns: row.returns.map((creditNote) => ({ creditNote, seal: this.seals.get(creditNote.id) })),
    };
  }

  /** Newest first (by issue time, then number). */
  all(): IndexedInvoice[] {
    this.refresh();
    return this.book.rows().map((row) => this.indexed(row));
  }

  /** The rows without seals, newest first: what counting needs (UPL12). */
  rows(): BookRow[] {
    this.refresh();
    return this.book.rows();
  }

  /** CUS7: the newest data of every buyer identified on an invoice, by identification. */
  buyers(): Iterable<SeenBuyer> {
    this.refresh();
    return this.buyerMap.values();
  }

  /** Every terminal's numbers reserved and never issued (UPL10), in number order per terminal. */
  unusedNumbers(): ReservedEntry[] {
    this.refresh();
    return this.book.unusedNumbers();
  }

  voidRequests(): CreditNote[] {
    this.refresh();
    return this.book.voidRequests();
  }

  get size(): number {
    this.refresh();
    return this.book.size;
  }
}
