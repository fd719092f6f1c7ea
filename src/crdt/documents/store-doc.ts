import { z } from 'zod';
import { numberingSchema, prefixSchema, slugSchema } from '../../domain/schemas.js';
import type { DocumentKind } from './document-kind.js';
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * The store document: the index of the store. Each terminal writes only its own keys: its entry
 * under `terminals` and one flat key per journal chunk it opens under `journals`
 * ("caja-1/0", "caja-1/1", …). Flat keys make the index a grow-only set: concurrent additions from
 * several terminals never conflict, and a chunk once listed is never forgotten.
 */
export const storeKind: DocumentKind = {
  type: 'store',
  schemaVersion: 1,
  skeleton: () => ({ type: 'store', schemaVersion: 1, terminals: {}, journals: {} }),
  migrations: [],
};

export const STORE_DOC_NAME = 'store/v1';

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
}

const JOURNAL_KEY = /^([a-z0-9][a-z0-9-]{0,39})\/(\d{1,6})$/;

export function journalKey(terminalId: string, chunk: number): string {
  return `${terminalId}/${chunk}`;
}

export function readStore(doc: unknown): {
  view: StoreView;
  quarantined: Omit<QuarantinedItem, 'document'>[];
} {
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const terminals = new Map<string, TerminalEntry>();
  const journals = new Map<string, number[]>();
  const record = isRecord(doc) ? doc : {};
  const rawTerminals = isRecord(record.terminals) ? record.terminals : {};
  for (const [key, value] of Object.entries(rawTerminals)) {
    const json = immutableJson(value);
    const parsed = json.ok ? terminalEntrySchema.safeParse(json.value) : undefined;
    if (!parsed?.success || parsed.data.terminalId !== key) {
      quarantined.push({
        path: `terminals/${key}`,
        reason: json.ok ? 'invalid-terminal-entry' : json.reason,
      });
      continue;
    }
    terminals.set(key, parsed.data);
  }
  const rawJournals = isRecord(record.journals) ? record.journals : {};
  for (const key of Object.keys(rawJournals)) {
    const match = JOURNAL_KEY.exec(key);
    if (!match?.[1] || match[2] === undefined) {
      quarantined.push({ path: `journals/${key}`, reason: 'invalid-journal-key' });
      continue;
    }
    const list = journals.get(match[1]) ?? [];
    list.push(Number(match[2]));
    journals.set(match[1], list);
  }
  for (const list of journals.values()) list.sort((a, b) => a - b);
  return { view: { terminals, journals }, quarantined };
}
