import { appendFileSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type JournalEntry } from '../../../src/domain/journal-entry.js';
import { canonicalJson } from '../../../src/domain/canonical-json.js';
import { FiscalLog, type FiscalRecord, type LoggedRecord } from '../../../src/invoice/fiscal-log.js';
import { ENTRY_DICTIONARY } from '../../../src/invoice/fiscal-record.js';
import { makeInvoice } from '../../support/invoices.js';
import { tempDir } from '../../support/processes.js';
import { chainEntries } from '../../support/signing.js';
import { generateSigningKey } from '../../../src/security/signing.js';

const key = generateSigningKey().key;

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const reserve = (consecutive: number): FiscalRecord => ({
  t: 'reserve',
  prefix: 'C1',
  consecutive,
  at: '2026-11-28T10:00:00-05:00',
});

const invoiceEntry = (seq: number): JournalEntry => {
  const invoice = makeInvoice({ consecutive: seq });
  const [entry] = chainEntries(key, [
    {
      kind: 'invoice' as const,
      seq,
      terminalId: 'caja-1',
      at: invoice.issuedAt,
      commandId: `cmd-${String(seq).padStart(8, '0')}`,
      invoice,
    },
  ]);
  if (!entry) throw new Error('no entry');
  return entry;
};

/** One frame as format 1 wrote it: the record as JSON. */
function v1Frame(record: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(record), 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt32BE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

function decoded(record: LoggedRecord | undefined): JournalEntry | undefined {
  if (record?.t !== 'entry') return undefined;
  const result = record.decode();
  return result.ok ? result.entry : undefined;
}

function fresh() {
  const dir = tempDir('caja-log-');
  dirs.push(dir);
  return dir.path;
}

describe('fiscal log', () => {
  it('[NUM2] keeps every appended record across reopen', () => {
    const dir = fresh();
    const { log } = FiscalLog.open(dir);
    for (let i = 1; i <= 50; i += 1) log.append(reserve(i));
    log.close();
    const again = FiscalLog.open(dir);
    expect(again.records).toHaveLength(50);
    expect(again.records.at(-1)).toEqual(reserve(50));
    expect(again.problems).toEqual([]);
    again.log.close();
  });

  it('[NUM7] cuts off a torn last record and keeps appending after it', () => {
    const dir = fresh();
    const { log } = FiscalLog.open(dir);
    log.append(reserve(1));
    log.append(reserve(2));
    log.close();
    const path = join(dir, 'fiscal.log');
    const size = readFileSync(path).length;
    truncateSync(path, size - 5);
    const reopened = FiscalLog.open(dir);
    expect(reopened.records).toEqual([reserve(1)]);
    expect(reopened.problems[0]).toMatch(/torn/);
    reopened.log.append(reserve(3));
    reopened.log.close();
    expect(FiscalLog.open(dir).records).toEqual([reserve(1), reserve(3)]);
  });

  it('[NUM7] keeps a corrupt file aside and continues from the last good record', () => {
    const dir = fresh();
    const { log } = FiscalLog.open(dir);
    log.append(reserve(1));
    log.append(reserve(2));
    log.close();
    const path = join(dir, 'fiscal.log');
    const bytes = readFileSync(path);
    const second = bytes.readUInt32BE(0) + 8;
    bytes[second + 12] = (bytes[second + 12] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const reopened = FiscalLog.open(dir);
    expect(reopened.records).toEqual([reserve(1)]);
    expect(reopened.problems.join(' ')).toMatch(/checksum/);
    expect(readdirSync(dir).some((f) => f.startsWith('fiscal.log.aside-'))).toBe(true);
    reopened.log.close();
  });

  it('[NUM7] [STO3] a flipped byte inside one record in the middle loses that record only; the ones after it are read', () => {
    const dir = fresh();
    const { log } = FiscalLog.open(dir);
    for (const n of [1, 2, 3]) log.append(reserve(n));
    log.close();
    const path = join(dir, 'fiscal.log');
    const bytes = readFileSync(path);
    const second = bytes.readUInt32BE(0) + 8;
    bytes[second + 12] = (bytes[second + 12] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const reopened = FiscalLog.open(dir);
    expect(reopened.records).toEqual([reserve(1), reserve(3)]);
    expect(reopened.problems.join(' ')).toMatch(/checksum\): left out/);
    reopened.log.append(reserve(4));
    reopened.log.close();
    // The file was rewritten without the corrupt record (the original kept aside): read cleanly.
    const third = FiscalLog.open(dir);
    expect(third.records).toEqual([reserve(1), reserve(3), reserve(4)]);
    expect(third.problems).toEqual([]);
    third.log.close();
  });

  it('[NUM7] refuses garbage that is not a frame at all without crashing', () => {
    const dir = fresh();
    appendFileSync(join(dir, 'fiscal.log'), 'hello, this is not a log');
    const opened = FiscalLog.open(dir);
    expect(opened.records).toEqual([]);
    expect(opened.problems.length).toBeGreaterThan(0);
    opened.log.close();
  });

  it('[NUM2] keeps an entry copy compressed, and reads it back equal to what was written', () => {
    const dir = fresh();
    const { log } = FiscalLog.open(dir);
    const entries = [1, 2, 3].map(invoiceEntry);
    for (const entry of entries) {
      log.append(reserve(entry.seq));
      log.append({ t: 'entry', entry });
    }
    log.close();
    const size = readFileSync(join(dir, 'fiscal.log')).length;
    const json = entries.reduce((sum, e) => sum + canonicalJson(e).length, 0);
    expect(size).toBeLessThan(json / 2);
    const again = FiscalLog.open(dir);
    expect(again.problems).toEqual([]);
    const copies = again.records.filter((r) => r.t === 'entry');
    expect(copies.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(copies.map(decoded)).toEqual(entries);
    again.log.close();
  });

  it('[NUM7] still reads records written in format 1 (JSON entry copies), before and after new ones', () => {
    const dir = fresh();
    const old = invoiceEntry(1);
    writeFileSync(
      join(dir, 'fiscal.log'),
      Buffer.concat([v1Frame(reserve(1)), v1Frame({ t: 'entry', entry: old })]),
    );
    const { log, records, problems } = FiscalLog.open(dir);
    expect(problems).toEqual([]);
    expect(records[0]).toEqual(reserve(1));
    expect(decoded(records[1])).toEqual(old);
    const next = invoiceEntry(2);
    log.append(reserve(2));
    log.append({ t: 'entry', entry: next });
    log.close();
    const again = FiscalLog.open(dir);
    expect(again.records.map(decoded)).toEqual([undefined, old, undefined, next]);
    again.log.close();
  });

  it('[NUM7] a copy whose body does not hold a valid entry is reported when it is needed, not used', () => {
    const dir = fresh();
    const bad = { ...invoiceEntry(4), seq: 5 };
    writeFileSync(join(dir, 'fiscal.log'), v1Frame({ t: 'entry', entry: { ...bad, kind: 'nonsense' } }));
    const { log, records } = FiscalLog.open(dir);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ t: 'entry', seq: 5 });
    const entry = records[0];
    expect(entry?.t === 'entry' && entry.decode()).toEqual({ ok: false, reason: 'invalid-entry' });
    log.close();
  });

  it('[NUM7] the dictionary of format 2 never changes (old logs must stay readable)', () => {
    expect(createHash('sha256').update(ENTRY_DICTIONARY).digest('hex')).toBe(
      'cdc21c1d341434e7c1b1547593af11b8b74811dfa148d9da2f7f17b838158da8',
    );
  });
});
