import { z } from 'zod';
import { numberingSchema, prefixSchema, slugSchema } from '../../domain/schemas.js';
import type { DocumentKind } from './document-kind.js';
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * The store document: the index of the store. Each terminal writes only its own keys: its entry
 * under `terminals`, one flat key per journal chunk it opens under `journals` ("caja-1/0",
 * "caja-1/1", …) and its key certificates under `keys` ("caja-1/<keyId>"). Flat keys make the index
 * a grow-only set: concurrent additions from several terminals never conflict.
 *
 * Nothing here is trusted for being here (a keyed rogue peer can write this document): a
 * certificate proves itself with the store's signature, a journal is opened only for a certified
 * terminal and only as far as its chunks fill up, and the terminal entries are display data.
 * (`store/v2`: v1 had no `keys` map, and a map cannot be added to a shipped genesis.)
 */
export const storeKind: DocumentKind = {
  type: 'store',
  schemaVersion: 1,
  skeleton: () => ({ type: 'store', schemaVersion: 1, terminals: {}, journals: {}, keys: {} }),
  migrations: [],
};

export const STORE_DOC_NAME = 'store/v2';

/** A terminal's journal never has more chunks than this (20 million entries). */
export const MAX_JOURNAL_CHUNKS = 40_000;

export const terminalEntrySchema = z.strictObject({
  terminalId: slugSchema,
  name: z.string().min(1).max(120),
  prefix: prefixSchema,
  numbering: numberingSchema,
  registeredAt: z.string().max(40),
  appVersion: z.string().max(40),
});
export type TerminalEntry = z.infer<typeof terminalEntrySchema>;

export interface StoreView {
  readonly terminals: ReadonlyMap<string, TerminalEntry>;
  /** Journal chunk indexes per terminal, ascending. */
  readonly journals: ReadonlyMap<string, readonly number[]>;
  /** Certificate values by key ("caja-1/<keyId>"), unverified: the reader checks them. */
  readonly keys: ReadonlyMap<string, unknown>;
}

const JOURNAL_KEY = /^([a-z0-9][a-z0-9-]{0,39})\/(\d{1,6})$/;
const CERT_KEY = /^([a-z0-9][a-z0-9-]{0,39})\/([A-Za-z0-9_-]{16})$/;

export function journalKey(terminalId: string, chunk: number): string {
  return `${terminalId}/${chunk}`;
}

export function certificateKey(terminalId: string, keyId: string): string {
  return `${terminalId}/${keyId}`;
}

export function readStore(doc: unknown): {
  view: StoreView;
  quarantined: Omit<QuarantinedItem, 'document'>[];
} {
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const terminals = new Map<string, TerminalEntry>();
  const journals = new Map<string, number[]>();
  const keys = new Map<string, unknown>();
  const record = isRecord(doc) ? doc : {};
  const rawTerminals = isRecord(record.terminals) ? record.terminals : {};
  for (const [key, value] of Object.entries(rawTerminals)) {
    const json = immutableJson(value);
    const parsed = json.ok ? terminalEntrySchema.safeParse(json.value) : undefined;
    if (!parsed?.success || parsed.data.terminalId !== key) {
      quarantined.push({
        path: `terminals/${key.slice(0, 80)}`,
        reason: json.ok ? 'invalid-terminal-entry' : json.reason,
      });
      continue;
    }
    terminals.set(key, parsed.data);
  }
  const rawJournals = isRecord(record.journals) ? record.journals : {};
  for (const key of Object.keys(rawJournals)) {
    const match = JOURNAL_KEY.exec(key);
    if (!match?.[1] || match[2] === undefined || Number(match[2]) >= MAX_JOURNAL_CHUNKS) {
      quarantined.push({ path: `journals/${key.slice(0, 80)}`, reason: 'invalid-journal-key' });
      continue;
    }
    const list = journals.get(match[1]) ?? [];
    list.push(Number(match[2]));
    journals.set(match[1], list);
  }
  for (const list of journals.values()) list.sort((a, b) => a - b);
  const rawKeys = isRecord(record.keys) ? record.keys : {};
  for (const [key, value] of Object.entries(rawKeys)) {
    const match = CERT_KEY.exec(key);
    const json = immutableJson(value);
    if (!match || !json.ok) {
      quarantined.push({
        path: `keys/${key.slice(0, 80)}`,
        reason: json.ok ? 'invalid-key-entry' : json.reason,
      });
      continue;
    }
    keys.set(key, json.value);
  }
  return { view: { terminals, journals, keys }, quarantined };
}
