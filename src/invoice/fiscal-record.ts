import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { journalEntrySchema, type JournalEntry } from '../domain/journal-entry.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { PREFIX_PATTERN } from '../domain/ids.js';

/**
 * The records of the fiscal log and how each is written in a frame's payload.
 *
 * - A reservation is JSON (`{"t":"reserve",…}`), as it always was: small, and readable with a hex
 *   dump by support staff.
 * - An entry copy was JSON too (`{"t":"entry","entry":{…}}`, format 1, still read). It is now
 *   format 2: the byte 0x02, the entry's seq (u32 BE), then the entry's canonical JSON — the same
 *   text as in the journal — compressed with raw deflate and ENTRY_DICTIONARY. A 1.7 KB invoice
 *   takes about 400 bytes, and opening the log reads the seq without inflating anything.
 *
 * The frame's CRC proves a record is the one this program wrote, so opening the log does not
 * validate records with the schema: a copy is inflated and checked only when the ledger needs it
 * (to rebuild a journal entry the automerge storage lost).
 */
export interface ReserveRecord {
  readonly t: 'reserve';
  readonly prefix: string;
  readonly consecutive: number;
  readonly at: string;
}

/** What the ledger appends. */
export type FiscalRecord = ReserveRecord | { readonly t: 'entry'; readonly entry: JournalEntry };

/** An entry copy as read back: its body is decoded and validated only when asked for. */
export interface LoggedEntry {
  readonly t: 'entry';
  readonly seq: number;
  decode(): { ok: true; entry: JournalEntry } | { ok: false; reason: string };
}

/** A record as read back from the log. */
export type LoggedRecord = ReserveRecord | LoggedEntry;

const ENTRY_V2 = 0x02;
const JSON_OPEN = 0x7b; // '{': formats 1 (entries) and every reservation

/**
 * The preset dictionary of format 2: the keys and common values of journal entries in canonical
 * JSON. Records written with it can only be read with it: never change this text; a different
 * dictionary needs a new format byte.
 */
export const ENTRY_DICTIONARY = Buffer.from(
  '{"at":"2026-11-28T10:00:00-05:00","by":{"id":"","name":""},"closedBy":{"id":"","name":""},"commandId":"","countedCash":0,"expectedCash":0,"kind":"cash-movement","amount":0,"reason":"","type":"out","openedBy":{"id":"","name":""},"openingCash":0,"seq":1,"shiftId":"","terminalId":"caja-1"}' +
    '{"at":"2026-11-28T10:00:00-05:00","commandId":"","creditNote":{"amount":0,"id":"","invoiceId":"","invoiceNumber":"","kind":"credit-note","reason":"","requestedAt":"2026-11-28T10:00:00-05:00","requestedBy":{"id":"","name":""},"schemaVersion":1,"storeId":"","terminalId":""},"kind":"credit-note","seq":1,"terminalId":"caja-1"}' +
    '{"at":"2026-11-28T10:00:00-05:00","commandId":"","invoice":{"baseTotal":0,"cashier":{"id":"","name":""},"change":0,"consecutive":1,"contingencyType":"03","customer":{"idNumber":"222222222222","idType":"CC","name":"Consumidor final"},"discountTotal":0,"gross":0,"id":"","issuedAt":"2026-11-28T10:00:00-05:00","kind":"invoice","lines":[{"amount":0,"base":0,"discount":0,"discountPercent":0,"gross":0,"name":"","quantity":1,"sku":"","tax":"IVA19","taxAmount":0,"unit":"unit","unitPrice":0},{"amount":0,"base":0,"discount":0,"discountPercent":0,"gross":0,"name":"","quantity":1,"sku":"","tax":"INC8","taxAmount":0,"unit":"kg","unitPrice":0},{"amount":0,"base":0,"discount":0,"discountPercent":0,"gross":0,"name":"","quantity":1,"sku":"","tax":"IVA5","taxAmount":0,"unit":"unit","unitPrice":0}],"number":"","paid":0,"paymentForm":"1","payments":[{"amount":0,"code":"10","method":"cash"},{"amount":0,"code":"48","method":"card"}],"prefix":"","resolution":{"from":1,"prefix":"","resolutionDate":"2026-01-15","resolutionNumber":"","to":0,"validFrom":"2026-01-15","validUntil":"2027-01-15"},"schemaVersion":1,"shiftId":"","split":{"orderId":"","part":1,"parts":2},"storeId":"","subtotal":0,"taxTotal":0,"taxes":[{"base":0,"code":"IVA19","rate":19,"tax":0},{"base":0,"code":"IVA5","rate":5,"tax":0},{"base":0,"code":"INC8","rate":8,"tax":0}],"terminalId":"","tip":0,"total":0},"kind":"invoice","seq":1,"terminalId":"caja-1"}',
  'utf8',
);

const MAX_SEQ = 0xffff_ffff;

/** The payload of one frame. */
export function encodeRecord(record: FiscalRecord): Buffer {
  if (record.t === 'reserve') return Buffer.from(JSON.stringify(record), 'utf8');
  const { seq } = record.entry;
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new Error(`entry seq ${seq} out of range`);
  const body = deflateRawSync(Buffer.from(canonicalJson(record.entry), 'utf8'), {
    dictionary: ENTRY_DICTIONARY,
  });
  const payload = Buffer.allocUnsafe(5 + body.length);
  payload[0] = ENTRY_V2;
  payload.writeUInt32BE(seq, 1);
  body.copy(payload, 5);
  return payload;
}

function checkedEntry(value: unknown, seq: number): ReturnType<LoggedEntry['decode']> {
  const parsed = journalEntrySchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'invalid-entry' };
  if (parsed.data.seq !== seq) return { ok: false, reason: 'seq-mismatch' };
  return { ok: true, entry: parsed.data };
}

function isReserve(value: Record<string, unknown>): value is Record<string, unknown> & ReserveRecord {
  return (
    Object.keys(value).length === 4 &&
    typeof value.prefix === 'string' &&
    PREFIX_PATTERN.test(value.prefix) &&
    Number.isInteger(value.consecutive) &&
    (value.consecutive as number) >= 0 &&
    typeof value.at === 'string'
  );
}

/** Read one payload whose CRC matched; undefined when it is no record this program writes. */
export function decodeRecord(payload: Buffer): LoggedRecord | undefined {
  if (payload[0] === ENTRY_V2 && payload.length > 5) {
    const seq = payload.readUInt32BE(1);
    if (seq < 1) return undefined;
    const body = payload.subarray(5);
    return {
      t: 'entry',
      seq,
      decode: () => {
        try {
          const text = inflateRawSync(body, { dictionary: ENTRY_DICTIONARY }).toString('utf8');
          return checkedEntry(JSON.parse(text), seq);
        } catch {
          return { ok: false, reason: 'not-readable' };
        }
      },
    };
  }
  if (payload[0] !== JSON_OPEN) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (record.t === 'reserve' && isReserve(record)) {
    return { t: 'reserve', prefix: record.prefix, consecutive: record.consecutive, at: record.at };
  }
  if (record.t === 'entry' && Object.keys(record).length === 2) {
    const entry = record.entry as { seq?: unknown } | null;
    if (entry === null || typeof entry !== 'object' || !Number.isInteger(entry.seq)) return undefined;
    const seq = entry.seq as number;
    if (seq < 1) return undefined;
    return { t: 'entry', seq, decode: () => checkedEntry(entry, seq) };
  }
  return undefined;
}
