import type { QuarantinedItem } from './quarantine.js';
import { isRecord } from './quarantine.js';

/**
 * What every document type declares, in its own file: the name its id derives from, the genesis
 * skeleton, the schema version and the migrations to it.
 */
export interface DocumentKind {
  readonly type: string;
  /** The current schema version; documents start at 1 and migrate up. */
  readonly schemaVersion: number;
  /** Fixed for ever for a given name: see doc-ids.ts. */
  skeleton(): Record<string, unknown>;
  /** migrations[n] turns version n+1 into n+2 (index 0: 1 → 2). */
  readonly migrations: readonly ((doc: Record<string, unknown>) => void)[];
}

export type HeaderCheck =
  { ok: true; version: number } | { ok: false; item: Omit<QuarantinedItem, 'document'> };

/** Check the header every document has: its type and a schema version this program understands. */
export function checkHeader(kind: DocumentKind, doc: unknown): HeaderCheck {
  if (!isRecord(doc) || doc.type !== kind.type) {
    return { ok: false, item: { path: 'type', reason: `not a ${kind.type} document` } };
  }
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, item: { path: 'schemaVersion', reason: 'missing schema version' } };
  }
  if (version > kind.schemaVersion) {
    // Written by a newer program on another terminal: kept as is, not understood, not dropped.
    return { ok: false, item: { path: 'schemaVersion', reason: `newer-schema:${version}` } };
  }
  return { ok: true, version };
}

/** Apply the pending migrations inside a change; returns whether anything ran. */
export function migrate(kind: DocumentKind, doc: Record<string, unknown>): boolean {
  const from = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 1;
  for (let v = from; v < kind.schemaVersion; v += 1) {
    kind.migrations[v - 1]?.(doc);
    doc.schemaVersion = v + 1;
  }
  return from < kind.schemaVersion;
}

/** A small, stable bucket of a key (FNV-1a), so that no map grows past a few hundred keys. */
export function bucketOf(key: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}

export function bucketNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
}
