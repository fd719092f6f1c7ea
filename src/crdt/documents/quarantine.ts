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

export class Quarantine {
  private readonly items = new Map<string, QuarantinedItem>();

  add(item: QuarantinedItem): void {
    this.items.set(`${item.document}|${item.path}`, item);
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
    return this.items.size;
  }

  list(limit = 50): QuarantinedItem[] {
    return [...this.items.values()].slice(0, limit);
  }
}

/** Read an ImmutableString (or plain string) value as JSON; undefined when it is neither. */
export function immutableJson(value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  const text =
    typeof value === 'string'
      ? value
      : value !== null && typeof value === 'object' && typeof (value as { val?: unknown }).val === 'string'
        ? (value as { val: string }).val
        : undefined;
  if (text === undefined) return { ok: false, reason: 'not-a-string' };
  if (text.length > 1_000_000) return { ok: false, reason: 'too-large' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not-json' };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
