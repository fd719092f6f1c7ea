import type { JournalEntry } from '../crdt/documents/journal-doc.js';
import type { StoreDocuments } from '../crdt/store-documents.js';
import type { CreditNote, Invoice } from '../domain/invoice.js';
import { sealOf, type Seal } from '../domain/seal.js';
import { compareVoidRequests } from './effective-void.js';
import { unusedNumberId, type ReservedEntry } from '../domain/unused-number.js';
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
  private readonly invoices = new Map<string, Invoice>();
  private readonly seals = new Map<string, Seal>();
  private readonly voids = new Map<string, CreditNote[]>();
  private readonly returns = new Map<string, CreditNote[]>();
  private readonly seen = new Map<string, number>();
  private readonly buyerMap = new Map<string, SeenBuyer>();
  /** UPL10: numbers reserved and never issued, by their unused-number id. */
  private readonly unused = new Map<string, ReservedEntry>();
  private sorted: Invoice[] | undefined;

  constructor(private readonly docs: StoreDocuments) {}

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
    if (entry.kind === 'invoice') {
      if (!this.invoices.has(entry.invoice.id)) {
        this.invoices.set(entry.invoice.id, entry.invoice);
        this.seals.set(entry.invoice.id, sealOf(entry));
        keepNewest(this.buyerMap, { customer: entry.invoice.customer, seenAt: entry.invoice.issuedAt });
        this.sorted = undefined;
      }
    } else if (entry.kind === 'reserved-not-issued') {
      this.unused.set(unusedNumberId(entry.prefix, entry.consecutive), entry);
    } else if (entry.kind === 'credit-note' && entry.creditNote.lines !== undefined) {
      const list = this.returns.get(entry.creditNote.invoiceId) ?? [];
      if (!list.some((c) => c.id === entry.creditNote.id)) {
        list.push(entry.creditNote);
        this.seals.set(entry.creditNote.id, sealOf(entry));
        list.sort(compareVoidRequests);
        this.returns.set(entry.creditNote.invoiceId, list);
      }
    } else if (entry.kind === 'credit-note') {
      const list = this.voids.get(entry.creditNote.invoiceId) ?? [];
      if (!list.some((c) => c.id === entry.creditNote.id)) {
        list.push(entry.creditNote);
        this.seals.set(entry.creditNote.id, sealOf(entry));
        // VOID2: the earliest request (then the smallest id) is the effective void on every terminal.
        list.sort(compareVoidRequests);
        this.voids.set(entry.creditNote.invoiceId, list);
      }
    }
  }

  get(id: string): IndexedInvoice | undefined {
    this.refresh();
    const invoice = this.invoices.get(id);
    return invoice ? this.indexed(invoice) : undefined;
  }

  private indexed(invoice: Invoice): IndexedInvoice {
    const requests = this.voids.get(invoice.id) ?? [];
    const voidedBy = requests[0];
    const seal = this.seals.get(invoice.id);
    if (!seal) throw new Error(`invoice ${invoice.id} has no seal`);
    return {
      invoice,
      voidedBy,
      voidRequests: requests,
      seal,
      voidSeal: voidedBy ? this.seals.get(voidedBy.id) : undefined,
      returns: (this.returns.get(invoice.id) ?? []).map((creditNote) => ({
        creditNote,
        seal: this.seals.get(creditNote.id),
      })),
    };
  }

  /** Newest first (by issue time, then number). */
  all(): IndexedInvoice[] {
    this.refresh();
    this.sorted ??= [...this.invoices.values()].sort((a, b) =>
      a.issuedAt < b.issuedAt ? 1 : a.issuedAt > b.issuedAt ? -1 : a.number < b.number ? 1 : -1,
    );
    return this.sorted.map((invoice) => this.indexed(invoice));
  }

  /** CUS7: the newest data of every buyer identified on an invoice, by identification. */
  buyers(): Iterable<SeenBuyer> {
    this.refresh();
    return this.buyerMap.values();
  }

  /** Every terminal's numbers reserved and never issued (UPL10), in number order per terminal. */
  unusedNumbers(): ReservedEntry[] {
    this.refresh();
    return [...this.unused.values()].sort((a, b) =>
      a.terminalId !== b.terminalId ? (a.terminalId < b.terminalId ? -1 : 1) : a.consecutive - b.consecutive,
    );
  }

  voidRequests(): CreditNote[] {
    this.refresh();
    return [...this.voids.values()].flat();
  }

  get size(): number {
    this.refresh();
    return this.invoices.size;
  }
}
