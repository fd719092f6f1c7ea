import { checkEntry } from '../../crdt/documents/journal-doc.js';
import { type JournalEntry } from '../../domain/journal-entry.js';
import { isRecord } from '../../crdt/documents/quarantine.js';

/** The text of an ImmutableString (or a plain string) value, to tell whether an entry changed. */
export function rawText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.val === 'string') return value.val;
  return undefined;
}

interface Cached {
  readonly raw: string | undefined;
  readonly entry: JournalEntry | undefined;
}

/**
 * One journal chunk, read incrementally: an entry is checked with the journal's own reader
 * (`checkEntry`: schema, owner, seq, invoice figures) only when its text is new, so a change to a
 * chunk costs a walk over its ≤ 500 keys, not 500 parses. Invalid entries are skipped and counted.
 */
export class JournalChunkReader {
  private readonly cache = new Map<string, Cached>();
  private entries: readonly JournalEntry[] = [];
  private invalid = 0;

  constructor(readonly owner: string) {}

  /** Read the chunk's current document; returns whether its valid entries changed. */
  read(doc: unknown): boolean {
    const buckets = isRecord(doc) && isRecord(doc.entries) ? doc.entries : {};
    let changed = false;
    const seen = new Set<string>();
    for (const [bucket, keys] of Object.entries(buckets)) {
      if (!isRecord(keys)) continue;
      for (const [key, value] of Object.entries(keys)) {
        const id = `${bucket}/${key}`;
        seen.add(id);
        const raw = rawText(value);
        const cached = this.cache.get(id);
        if (cached && cached.raw === raw && raw !== undefined) continue;
        const checked = checkEntry(value, this.owner, key);
        this.cache.set(id, { raw, entry: checked.ok ? checked.entry : undefined });
        changed = true;
      }
    }
    for (const id of this.cache.keys()) {
      if (!seen.has(id)) {
        this.cache.delete(id);
        changed = true;
      }
    }
    if (changed) {
      const entries: JournalEntry[] = [];
      let invalid = 0;
      for (const cached of this.cache.values()) {
        if (cached.entry) entries.push(cached.entry);
        else invalid += 1;
      }
      entries.sort((a, b) => a.seq - b.seq);
      this.entries = entries;
      this.invalid = invalid;
    }
    return changed;
  }

  get current(): readonly JournalEntry[] {
    return this.entries;
  }

  get invalidCount(): number {
    return this.invalid;
  }
}
