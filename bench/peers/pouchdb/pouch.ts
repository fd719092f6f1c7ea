/**
 * The few parts of PouchDB (pouchdb-node 9, from the npm registry) the baseline uses, typed here
 * instead of pulling in @types packages written for older majors. Loaded with require: the
 * package is CommonJS.
 */
import { createRequire } from 'node:module';

export interface PouchChange {
  readonly id: string;
  readonly seq: number | string;
  readonly changes: readonly { rev: string }[];
  readonly deleted?: boolean;
}

export interface PouchChanges {
  readonly results: PouchChange[];
  readonly last_seq: number | string;
}

/** A changes feed: a promise of the results when one-off, an emitter when live. */
export interface PouchChangesFeed extends PromiseLike<PouchChanges> {
  on(event: 'change', listener: (change: PouchChange) => void): PouchChangesFeed;
  on(event: 'error', listener: (error: unknown) => void): PouchChangesFeed;
  cancel(): void;
}

export interface PouchReplication {
  on(event: string, listener: (info: unknown) => void): PouchReplication;
  cancel(): void;
}

export interface PouchDatabase {
  info(): Promise<{ doc_count: number; update_seq: number | string }>;
  get(id: string): Promise<Record<string, unknown>>;
  put(doc: Record<string, unknown>): Promise<{ ok: boolean; id: string; rev: string }>;
  bulkDocs(docs: readonly Record<string, unknown>[], options?: { new_edits?: boolean }): Promise<unknown[]>;
  allDocs(options: {
    startkey?: string;
    endkey?: string;
    descending?: boolean;
    limit?: number;
  }): Promise<{ total_rows: number; rows: { id: string }[] }>;
  changes(options: {
    since?: number | string;
    limit?: number;
    style?: string;
    live?: boolean;
    return_docs?: boolean;
  }): PouchChangesFeed;
  revsDiff(diffs: Record<string, string[]>): Promise<Record<string, unknown>>;
  bulkGet(options: {
    docs: { id: string; rev?: string }[];
    revs?: boolean;
    latest?: boolean;
  }): Promise<{ results: unknown[] }>;
  sync(remote: string, options: { live: boolean; retry: boolean }): PouchReplication;
  replicate: {
    to(remote: string): Promise<{ docs_written: number; docs_read: number; ok: boolean }>;
  };
  close(): Promise<void>;
}

export type PouchConstructor = new (name: string) => PouchDatabase;

/** The database every terminal serves, at http://127.0.0.1:<port>/pos. */
export const DB_NAME = 'pos';

/** Loaded on demand: the benchmark drivers import this file for DB_NAME alone. */
export function loadPouchDB(): PouchConstructor {
  return createRequire(import.meta.url)('pouchdb-node') as PouchConstructor;
}

/** PouchDB's errors carry an HTTP status and a CouchDB error name. */
export function pouchError(error: unknown): { status: number; error: string; reason: string } {
  const e = error as { status?: unknown; name?: unknown; message?: unknown };
  return {
    status: typeof e.status === 'number' ? e.status : 500,
    error: typeof e.name === 'string' ? e.name : 'error',
    reason: typeof e.message === 'string' ? e.message : String(error),
  };
}
