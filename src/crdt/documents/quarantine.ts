/**
 * Remote data that does not parse is kept aside, counted and reported — never crashed on, and
 * never allowed to hide the valid data beside it (an invalid entry skips only itself).
 */
export interface QuarantinedItem {
  readonly document: string;
  /** Where in the document, e.g. "entries/b1/000123". */
  readonly path: string;
  readonly reason: string;
}

/** Past this many items the quarantine only counts: a flood of junk must not grow memory. */
const MAX_ITEMS = 2_000;

export class Quarantine {
  private readonly items = new Map<string, QuarantinedItem>();
  /** Items not kept because the list was full. */
  dropped = 0;

  add(item: QuarantinedItem): void {
    const key = `${item.document}|${item.path}`;
    if (this.items.size >= MAX_ITEMS && !this.items.has(key)) {
      this.dropped += 1;
      return;
    }
    this.items.set(key, item);
  }

  /** Forget what a document had quarantined before it is read again. */
  clearDocument(document: string): void {
    for (const [key, item] of this.items) if (item.document === document) this.items.delete(key);
  }

  /** Does a document have anything quarantined? */
  hasDocument(document: string): boolean {
    for (const item of this.items.values()) if (item.document === document) return true;
    return false;
  }

  clearPath(document: string, path: string): void {
    this.items.delete(`${document}|${path}`);
  }

  get size(): number {
    return this.items.size + this.dropped;
  }

  list(limit = 50): QuarantinedItem[] {
    return [...this.items.values()].slice(0, limit);
  }

  /** The journal entries left out, as "<terminal>/<seq>" (the screen hides them too). */
  journalEntries(limit = 1_000): string[] {
    const out: string[] = [];
    for (const item of this.items.values()) {
      const doc = /^journal\/([a-z0-9-]+)\/\d+$/.exec(item.document);
      const path = /^entries\/b\d\/(\d{9})$/.exec(item.path);
      if (doc?.[1] && path?.[1]) out.push(`${doc[1]}/${Number(path[1])}`);
      if (out.length >= limit) break;
    }
    return out;
  }
}

/** Values of shared documents are small; anything bigger is quarantined unread (DESIGN: caps). */
export const MAX_VALUE_BYTES = 64 * 1024;

/** Read an ImmutableString (or plain string) value as JSON; undefined when it is neither. */
export function immutableJson(
  value: unknown,
  maxLength = MAX_VALUE_BYTES,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const text =
    typeof value === 'string'
      ? value
      : value !== null && typeof value === 'object' && typeof (value as { val?: unknown }).val === 'string'
        ? (value as { val: string }).val
        : undefined;
  if (text === undefined) return { ok: false, reason: 'not-a-string' };
  if (text.length > maxLength) return { ok: false, reason: 'too-large' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not-json' };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
