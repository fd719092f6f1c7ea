import { entryHash } from '../security/terminal-trust.js';
import { CHAIN_START } from '../domain/seal.js';
import type { JournalEntry } from './documents/journal-doc.js';

/**
 * One terminal's journal as this terminal holds it: the entries that passed the per-entry checks
 * (schema, place, signature, range), then the checks that need the neighbours (SIG2, SIG3):
 *
 * - the chain: an entry's `prev` is the hash of the entry before it. Two validly signed entries
 *   that do not link were both written with the terminal's key, so the later one is not the
 *   terminal's history as everyone else holds it: it is quarantined (`chain-broken`);
 * - numbers: a number (prefix + consecutive) is held by one entry only; a second entry with it is
 *   quarantined (`number-taken`), whichever arrived first — the lower seq keeps it.
 *
 * Entries may arrive in any order while syncing, so each check runs again when a neighbour comes.
 */
export interface Rejection {
  readonly seq: number;
  readonly reason: 'chain-broken' | 'number-taken';
}

function numberKey(entry: JournalEntry): string | undefined {
  if (entry.kind === 'invoice') return `${entry.invoice.prefix}|${entry.invoice.consecutive}`;
  if (entry.kind === 'reserved-not-issued') return `${entry.prefix}|${entry.consecutive}`;
  return undefined;
}

export class TerminalJournal {
  readonly entries = new Map<number, JournalEntry>();
  private readonly hashes = new Map<number, string>();
  private readonly numbers = new Map<string, number>();

  constructor(readonly terminalId: string) {}

  private hashOf(seq: number): string | undefined {
    let hash = this.hashes.get(seq);
    if (hash === undefined) {
      const entry = this.entries.get(seq);
      if (!entry) return undefined;
      hash = entryHash(entry);
      this.hashes.set(seq, hash);
    }
    return hash;
  }

  private links(entry: JournalEntry, before: string | undefined): boolean {
    if (entry.seq === 1) return entry.prev === CHAIN_START;
    return before === undefined || entry.prev === before;
  }

  /**
   * Take a checked entry. `trusted`: its chunk's exact content passed these checks before (the
   * validation cache), so only the bookkeeping is done. Answers what had to be left out — the
   * entry itself, or a neighbour that no longer fits.
   */
  accept(entry: JournalEntry, trusted = false): Rejection[] {
    const seq = entry.seq;
    const rejected: Rejection[] = [];
    const current = this.entries.get(seq);
    if (current) this.forget(seq);
    const key = numberKey(entry);
    if (!trusted) {
      if (!this.links(entry, this.hashOf(seq - 1))) return [{ seq, reason: 'chain-broken' }];
      const holder = key === undefined ? undefined : this.numbers.get(key);
      if (holder !== undefined && holder < seq) return [{ seq, reason: 'number-taken' }];
      if (holder !== undefined && holder > seq) {
        this.forget(holder);
        rejected.push({ seq: holder, reason: 'number-taken' });
      }
    }
    this.entries.set(seq, entry);
    if (key !== undefined) this.numbers.set(key, seq);
    if (!trusted) {
      const next = this.entries.get(seq + 1);
      if (next && !this.links(next, this.hashOf(seq))) {
        this.forget(seq + 1);
        rejected.push({ seq: seq + 1, reason: 'chain-broken' });
      }
    }
    return rejected;
  }

  /** Leave an entry out (its value was replaced by one that does not check). */
  forget(seq: number): void {
    const entry = this.entries.get(seq);
    if (!entry) return;
    this.entries.delete(seq);
    this.hashes.delete(seq);
    const key = numberKey(entry);
    if (key !== undefined && this.numbers.get(key) === seq) this.numbers.delete(key);
  }
}
