import { verifyInvoice } from '../../domain/invoice-check.js';
import { journalEntrySchema, type JournalEntry } from '../../domain/journal-entry.js';
import type { DocumentKind } from './document-kind.js';

export { journalEntrySchema, type JournalEntry };
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * A terminal's journal: its fiscal records (invoices, credit-note requests, numbers reserved but
 * never issued, shift events), written by that terminal only, in chunks of 500 entries so that no
 * document grows without bound, each chunk in buckets of 100. Every entry is one immutable value
 * (canonical JSON in an ImmutableString): an issued record is never edited, and a peer's copy is
 * checked entry by entry (DESIGN: field-level CRDT for invoices costs 100× in load time).
 */
export const JOURNAL_CHUNK_SIZE = 500;
export const JOURNAL_BUCKET_SIZE = 100;
const BUCKETS = JOURNAL_CHUNK_SIZE / JOURNAL_BUCKET_SIZE;

export const journalKind: DocumentKind = {
  type: 'journal',
  schemaVersion: 1,
  skeleton: () => ({
    type: 'journal',
    schemaVersion: 1,
    entries: Object.fromEntries(Array.from({ length: BUCKETS }, (_, i) => [`b${i}`, {}])),
  }),
  migrations: [],
};

export function journalDocName(terminalId: string, chunk: number): string {
  return `journal/v1/${terminalId}/${chunk}`;
}

export function chunkOfSeq(seq: number): number {
  return Math.floor((seq - 1) / JOURNAL_CHUNK_SIZE);
}

/** Where entry `seq` lives inside its chunk: bucket and key. */
export function entryPath(seq: number): { bucket: string; key: string } {
  const index = (seq - 1) % JOURNAL_CHUNK_SIZE;
  return { bucket: `b${Math.floor(index / JOURNAL_BUCKET_SIZE)}`, key: String(seq).padStart(9, '0') };
}

/**
 * An entry value larger than this is quarantined without being parsed: a real one (an invoice of
 * 500 lines) stays far below it, and a peer must not make every terminal parse megabytes.
 */
export const MAX_ENTRY_BYTES = 256 * 1024;

/**
 * Whether a well-formed entry is trusted: signed by a key certified for its terminal, its number
 * inside that terminal's ranges (src/security/terminal-trust.ts). Undefined is "trusted"; the
 * screen, which holds no keys, reads without this and relies on the host's quarantine.
 */
export type EntryVerifier = (entry: JournalEntry) => string | undefined;

/**
 * Check one entry as it comes from a document: it parses, it belongs where it sits (its owner
 * terminal, its seq key), an invoice's figures add up, and (with `verify`) its signature holds.
 */
export function checkEntry(
  value: unknown,
  owner: string,
  seqKey: string,
  verify?: EntryVerifier,
): { ok: true; entry: JournalEntry } | { ok: false; reason: string } {
  const json = immutableJson(value, MAX_ENTRY_BYTES);
  if (!json.ok) return json;
  const parsed = journalEntrySchema.safeParse(json.value);
  if (!parsed.success) return { ok: false, reason: 'invalid-entry' };
  const entry = parsed.data;
  if (entry.terminalId !== owner) return { ok: false, reason: 'foreign-entry' };
  if (String(entry.seq).padStart(9, '0') !== seqKey) return { ok: false, reason: 'misplaced-entry' };
  if (entry.kind === 'invoice') {
    if (entry.invoice.terminalId !== owner) return { ok: false, reason: 'foreign-entry' };
    const check = verifyInvoice(entry.invoice);
    if (!check.ok) return { ok: false, reason: check.reason };
  }
  const distrust = verify?.(entry);
  if (distrust !== undefined) return { ok: false, reason: distrust };
  return { ok: true, entry };
}

/**
 * Bump when checkEntry's rules change: chunks validated under other rules are checked again
 * (see validation-cache.ts).
 */
export const JOURNAL_RULES_VERSION = 2;

/**
 * An entry of a chunk whose exact content (same heads) passed checkEntry before: parsed, not
 * validated again. Anything unexpected falls back to the full check.
 */
function trustedEntry(
  value: unknown,
  owner: string,
  seqKey: string,
  verify?: EntryVerifier,
): ReturnType<typeof checkEntry> {
  const json = immutableJson(value, MAX_ENTRY_BYTES);
  if (json.ok && isRecord(json.value)) {
    const { kind, seq, terminalId } = json.value;
    if (
      typeof kind === 'string' &&
      terminalId === owner &&
      typeof seq === 'number' &&
      String(seq).padStart(9, '0') === seqKey
    )
      return { ok: true, entry: json.value as JournalEntry };
  }
  return checkEntry(value, owner, seqKey, verify);
}

/**
 * Read every entry of a chunk; invalid ones are reported, valid ones kept. `trusted`: this
 * chunk's content was validated entry by entry before (its heads are in the validation cache).
 */
export function readJournalChunk(
  doc: unknown,
  owner: string,
  options: { trusted?: boolean; verify?: EntryVerifier | undefined } = {},
): { entries: JournalEntry[]; quarantined: Omit<QuarantinedItem, 'document'>[] } {
  const entries: JournalEntry[] = [];
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const read = options.trusted === true ? trustedEntry : checkEntry;
  const buckets = isRecord(doc) && isRecord(doc.entries) ? doc.entries : {};
  for (const [bucket, keys] of Object.entries(buckets)) {
    if (!isRecord(keys)) {
      quarantined.push({ path: `entries/${bucket}`, reason: 'invalid-bucket' });
      continue;
    }
    for (const [key, value] of Object.entries(keys)) {
      const checked = read(value, owner, key, options.verify);
      if (checked.ok) entries.push(checked.entry);
      else quarantined.push({ path: `entries/${bucket}/${key}`, reason: checked.reason });
    }
  }
  entries.sort((a, b) => a.seq - b.seq);
  return { entries, quarantined };
}
