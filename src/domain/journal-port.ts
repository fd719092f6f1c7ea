import type { Product } from './catalog.js';
import type { JournalEntry } from './journal-entry.js';

/**
 * What selling needs of the store's documents, as a port: every terminal's journal entries, and
 * the owner's appends to its own journal. The crdt documents implement it
 * (src/crdt/store-documents.ts), as automerge-repo's StorageAdapterInterface keeps the repo apart
 * from its storage; src/invoice depends on the port only.
 */
export interface JournalPort {
  /** Every terminal's journal entries known here, by terminal, by seq. */
  journalEntries(terminalId: string): ReadonlyMap<number, JournalEntry>;
  terminalsWithJournals(): string[];
  /** Own entries not checked against the fiscal log yet (SIG4). */
  uncheckedOwnSeqs(): Set<number>;
  /** Append an entry to this terminal's own journal (its durable copy is the fiscal log's). */
  appendOwn(entry: JournalEntry): Promise<void>;
}

/** The catalog a sale is priced from (a new object whenever the catalog changed). */
export interface CatalogPort {
  readonly catalog: { readonly products: readonly Product[] };
}
