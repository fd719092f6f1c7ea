import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo } from '@automerge/automerge-repo';
import { deriveDocumentId } from '../../src/crdt/documents/doc-ids.js';
import { journalDocName } from '../../src/crdt/documents/journal-doc.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useDocumentStorage } from '../../src/crdt/storage/document-storage.js';
import { openStorage } from '../../src/crdt/storage/open-storage.js';
import { StoreDocuments } from '../../src/crdt/store-documents.js';
import type { Numbering } from '../../src/domain/schemas.js';
import { Cashbox, type Actor } from '../../src/invoice/cashbox.js';
import { FiscalLog, LogAppendError } from '../../src/invoice/fiscal-log.js';
import { InvoiceIndex } from '../../src/invoice/invoice-index.js';
import { FiscalLedger } from '../../src/invoice/ledger.js';
import { demoCatalog } from '../../src/cloud/seed/demo-catalog.js';
import { writeCatalog } from '../../src/crdt/documents/catalog-doc.js';
import { tempDir } from '../support/processes.js';
import { generateSigningKey } from '../../src/security/signing.js';
import { certify, TerminalTrust } from '../../src/security/terminal-trust.js';

/**
 * The ledger and cashbox in one process on a real disk and a real repo (no network): ranges too
 * small or out of date to test through the demo store.
 */
const ana: Actor = { id: 'ana', name: 'Ana', role: 'cashier' };
const lanKey = new Uint8Array(randomBytes(32));
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const tiny: Numbering = {
  prefix: 'T9',
  from: 10,
  to: 12,
  resolutionNumber: '18764000009999',
  resolutionDate: '2026-01-01',
  validFrom: '2026-01-01',
  validUntil: '2026-12-31',
};

// One store key and one key of caja-9 for every till of this file (a reopened till keeps its key).
const storeKey = generateSigningKey().key;
const tillKey = generateSigningKey().key;

/** What caja-9 trusts: its own key, certified for the range under test. */
function trustFor(numbering: Numbering): TerminalTrust {
  const trust = new TerminalTrust('demo', storeKey.publicKey);
  trust.add(
    certify(
      {
        storeId: 'demo',
        terminalId: 'caja-9',
        publicKey: tillKey.publicKey,
        numbering,
        issuedAt: '2026-01-01T08:00:00-05:00',
      },
      storeKey,
    ),
  );
  return trust;
}

async function openTill(dir: string, numbering: Numbering, now: () => number, retryWritesMs = 2_000) {
  // As the terminal does (createRepo): saves of one document in order, flushes that wait for them.
  const storage = await openStorage(`${dir}/automerge`);
  const repo = new Repo({ storage });
  useDocumentStorage(repo, storage);
  const docs = new StoreDocuments({
    repo,
    storageDir: `${dir}/automerge`,
    storeId: 'demo',
    terminalId: 'caja-9',
    lanKey,
    trust: trustFor(numbering),
  });
  await docs.open();
  if (docs.catalog.products.length === 0) {
    await docs.changeShared('catalog', (d) => {
      writeCatalog(
        d,
        [],
        demoCatalog().map((p) => p.product),
        { version: '1', readAt: '2026-11-28T08:00:00-05:00', readBy: 'test' },
      );
    });
  }
  const { ledger, recovery } = await FiscalLedger.open({
    docs,
    fiscalDir: `${dir}/fiscal`,
    terminalId: 'caja-9',
    numbering,
    timeZone: 'America/Bogota',
    now,
    key: tillKey,
    retryWritesMs,
  });
  const index = new InvoiceIndex(docs);
  const cashbox = new Cashbox({
    terminalId: 'caja-9',
    storeId: 'demo',
    numbering,
    docs,
    ledger,
    index,
    discountLimitPercent: 10,
  });
  return {
    docs,
    ledger,
    cashbox,
    recovery,
    async close() {
      await repo.flush();
      await repo.shutdown();
      ledger.close();
    },
  };
}

const sale = () => ({
  commandId: randomUUID(),
  lines: [{ sku: 'BEB-001', quantity: 1 }],
  payments: [{ method: 'cash', amount: 5_000 }],
});

/** The consecutives the fiscal log holds: its invoices and reserved-not-issued (and old reserve records). */
function takenIn(dir: string): number[] {
  const { log, records } = FiscalLog.open(`${dir}/fiscal`);
  log.close();
  return records.flatMap((r) => {
    if (r.t === 'reserve') return [r.consecutive];
    const decoded = r.decode();
    if (!decoded.ok) throw new Error(decoded.reason);
    const { entry } = decoded;
    if (entry.kind === 'invoice') return [entry.invoice.consecutive];
    return entry.kind === 'reserved-not-issued' ? [entry.consecutive] : [];
  });
}

/** A terminal that opened a shift, sold once and stopped: its data directory, clock and sale. */
async function closedTillWithOneSale() {
  const dir = tempDir('caja-ledger-');
  dirs.push(dir);
  const now = () => Date.parse('2026-11-28T15:00:00Z');
  const till = await openTill(dir.path, tiny, now);
  await till.cashbox.shifts.openShift(randomUUID(), 0, ana);
  const sold = await till.cashbox.sell(sale(), ana);
  await till.close();
  return { dir, now, sold };
}

describe('ledger and cashbox on a small range', () => {
  it('[NUM5] an exhausted range answers range-exhausted and reserves nothing', async () => {
    const dir = tempDir('caja-ledger-');
    dirs.push(dir);
    const now = () => Date.parse('2026-11-28T15:00:00Z');
    const till = await openTill(dir.path, tiny, now);
    await till.cashbox.shifts.openShift(randomUUID(), 0, ana);
    const numbers: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const r = await till.cashbox.sell(sale(), ana);
      if (!r.ok) throw new Error(r.message);
      numbers.push(r.value.invoice.number);
    }
    expect(numbers).toEqual(['T910', 'T911', 'T912']);
    const entries = till.docs.journalEntries('caja-9').size;
    const refused = await till.cashbox.sell(sale(), ana);
    expect(refused).toMatchObject({ ok: false, reason: 'range-exhausted' });
    expect(till.docs.journalEntries('caja-9').size).toBe(entries);
    await till.close();
    expect(takenIn(dir.path)).toEqual([10, 11, 12]);
  });

  it('[NUM5] a date outside the validity answers range-not-valid and reserves nothing', async () => {
    const dir = tempDir('caja-ledger-');
    dirs.push(dir);
    let clock = Date.parse('2026-12-31T23:00:00Z'); // still the 31st in Bogotá (18:00)
    const till = await openTill(dir.path, tiny, () => clock);
    await till.cashbox.shifts.openShift(randomUUID(), 0, ana);
    expect((await till.cashbox.sell(sale(), ana)).ok).toBe(true);
    clock = Date.parse('2027-01-01T05:30:00Z'); // 00:30 of January 1st in Bogotá
    expect(await till.cashbox.sell(sale(), ana)).toMatchObject({ ok: false, reason: 'range-not-valid' });
    await till.close();
    expect(takenIn(dir.path)).toEqual([10]);
  });

  it('[NUM6] warns at 90 % of the range and 7 days before it expires', async () => {
    const dir = tempDir('caja-ledger-');
    dirs.push(dir);
    const wide: Numbering = { ...tiny, from: 1, to: 10, validUntil: '2026-12-05' };
    const till = await openTill(dir.path, wide, () => Date.parse('2026-11-28T15:00:00Z'));
    await till.cashbox.shifts.openShift(randomUUID(), 0, ana);
    expect(till.ledger.rangeStatus()).toMatchObject({ nearExhaustion: false, nearExpiry: true, daysLeft: 7 });
    for (let i = 0; i < 9; i += 1) expect((await till.cashbox.sell(sale(), ana)).ok).toBe(true);
    expect(till.ledger.rangeStatus()).toMatchObject({ used: 9, usedPercent: 90, nearExhaustion: true });
    await till.close();
  });

  it('[NUM2] a sale is one synced record in the fiscal log: its invoice, which reserves its number', async () => {
    const dir = tempDir('caja-ledger-');
    dirs.push(dir);
    const till = await openTill(dir.path, tiny, () => Date.parse('2026-11-28T15:00:00Z'));
    await till.cashbox.shifts.openShift(randomUUID(), 0, ana);
    const syncs = vi.spyOn(FiscalLog.prototype, 'append');
    try {
      expect((await till.cashbox.sell(sale(), ana)).ok).toBe(true);
      expect(syncs.mock.calls.map(([record, options]) => [record.t, options?.sync])).toEqual([
        ['entry', undefined],
      ]);
    } finally {
      syncs.mockRestore();
    }
    await till.close();
    const opened = FiscalLog.open(`${dir.path}/fiscal`);
    opened.log.close();
    expect(opened.records.some((r) => r.t === 'reserve')).toBe(false);
    expect(takenIn(dir.path)).toEqual([10]);
  });

  it('[NUM4] a number reserved before a crash (a reserve record of an earlier version) is recorded as reserved-not-issued at the next start, never reissued', async () => {
    const dir = tempDir('caja-ledger-');
    dirs.push(dir);
    const now = () => Date.parse('2026-11-28T15:00:00Z');
    const till = await openTill(dir.path, tiny, now);
    await till.cashbox.shifts.openShift(randomUUID(), 0, ana);
    expect((await till.cashbox.sell(sale(), ana)).ok).toBe(true);
    await till.close();
    // Earlier versions reserved a number with its own record before the invoice: the process
    // died right after one.
    const { log } = FiscalLog.open(`${dir.path}/fiscal`);
    log.append({ t: 'reserve', prefix: 'T9', consecutive: 11, at: '2026-11-28T10:00:00-05:00' });
    log.close();

    const again = await openTill(dir.path, tiny, now);
    expect(again.recovery.reservedNotIssued).toEqual(['T911']);
    const next = await again.cashbox.sell(sale(), ana);
    expect(next).toMatchObject({ ok: true, value: { invoice: { number: 'T912' } } });
    const kinds = [...again.docs.journalEntries('caja-9').values()].map((e) => e.kind);
    expect(kinds.filter((k) => k === 'reserved-not-issued')).toHaveLength(1);
    await again.close();
    // A third start finds nothing more to record.
    const third = await openTill(dir.path, tiny, now);
    expect(third.recovery.reservedNotIssued).toEqual([]);
    await third.close();
  });

  it('[STO4] killed before the first save of its journal chunk (its directory made, no chunk renamed into it): starts, and the journal comes back from the log', async () => {
    const { dir, now, sold } = await closedTillWithOneSale();
    // What a SIGKILL between the mkdir and the rename of the chunk's first save leaves.
    const id = deriveDocumentId(lanKey, 'demo', journalDocName('caja-9', 0));
    const chunkDir = join(dir.path, 'automerge', id.slice(0, 2), id.slice(2));
    rmSync(chunkDir, { recursive: true, force: true });
    mkdirSync(join(chunkDir, 'incremental'), { recursive: true });
    writeFileSync(join(chunkDir, 'incremental', `.abc.tmp-999999-00000000-1`), 'torn');
    const again = await openTill(dir.path, tiny, now);
    expect(again.recovery.rebuiltIntoJournal).toBe(2);
    expect([...again.docs.journalEntries('caja-9').values()].map((e) => e.kind)).toEqual([
      'shift-opened',
      'invoice',
    ]);
    expect(sold).toMatchObject({ ok: true });
    expect(await again.cashbox.sell(sale(), ana)).toMatchObject({
      ok: true,
      value: { invoice: { number: 'T911' } },
    });
    await again.close();
  });

  it('[NUM2] [NUM7] the journal is rebuilt from the fiscal log when the automerge storage is lost', async () => {
    const { dir, now, sold } = await closedTillWithOneSale();
    rmSync(`${dir.path}/automerge`, { recursive: true, force: true });
    const again = await openTill(dir.path, tiny, now);
    expect(again.recovery.rebuiltIntoJournal).toBe(2);
    const entries = [...again.docs.journalEntries('caja-9').values()];
    expect(entries.find((e) => e.kind === 'invoice')).toMatchObject({
      invoice: { id: sold.ok ? sold.value.invoice.id : '' },
    });
    expect(again.cashbox.shift).toBeDefined();
    expect(await again.cashbox.sell(sale(), ana)).toMatchObject({
      ok: true,
      value: { invoice: { number: 'T911' } },
    });
    await again.close();
  });

  it.each([
    { cutBack: true, unissued: 0, next: 'T911' },
    { cutBack: false, unissued: 1, next: 'T912' },
  ])(
    '[WRT1] [WRT2] [WRT3] a sale the log cannot take (cut back: $cutBack): refused disk-full, nothing written; a record that may be in the log keeps its number, reserved-not-issued once writes work',
    async ({ cutBack, unissued, next }) => {
      const dir = tempDir('caja-ledger-');
      dirs.push(dir);
      const till = await openTill(
        dir.path,
        { ...tiny, to: 20 },
        () => Date.parse('2026-11-28T15:00:00Z'),
        50,
      );
      await till.cashbox.shifts.openShift(randomUUID(), 0, ana);
      expect((await till.cashbox.sell(sale(), ana)).ok).toBe(true);
      const entries = till.docs.journalEntries('caja-9').size;
      // The disk fills: every entry write fails for a while.
      const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const append: FiscalLog['append'] = Reflect.get(FiscalLog.prototype, 'append');
      let failing = true;
      const spy = vi.spyOn(FiscalLog.prototype, 'append').mockImplementation(function (
        this: FiscalLog,
        record,
        options,
      ) {
        if (failing && record.t === 'entry') throw new LogAppendError(full, cutBack);
        append.call(this, record, options);
      });
      const refused = await till.cashbox.sell(sale(), ana);
      expect(refused).toMatchObject({ ok: false, reason: 'disk-full' });
      expect(till.docs.journalEntries('caja-9').size).toBe(entries);
      expect(till.ledger.writes.failure?.reason).toBe('disk-full');
      // While it cannot write, nothing is even tried.
      expect(await till.cashbox.sell(sale(), ana)).toMatchObject({ ok: false, reason: 'disk-full' });
      failing = false;
      await vi.waitFor(
        () => {
          expect(till.ledger.writes.failure).toBeUndefined();
        },
        { timeout: 10_000, interval: 20 },
      );
      spy.mockRestore();
      const kinds = [...till.docs.journalEntries('caja-9').values()].map((e) => e.kind);
      expect(kinds.filter((k) => k === 'reserved-not-issued')).toHaveLength(unissued);
      expect(await till.cashbox.sell(sale(), ana)).toMatchObject({
        ok: true,
        value: { invoice: { number: next } },
      });
      await till.close();
    },
  );

  it('[WRT1] the journal storage failing after the log took the entry: the sale is issued, the terminal stops until it can write, then the journal catches up', async () => {
    const dir = tempDir('caja-ledger-');
    dirs.push(dir);
    const till = await openTill(dir.path, { ...tiny, to: 20 }, () => Date.parse('2026-11-28T15:00:00Z'), 50);
    await till.cashbox.shifts.openShift(randomUUID(), 0, ana);
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const spy = vi.spyOn(till.docs, 'appendOwn').mockRejectedValueOnce(full);
    const issued = await till.cashbox.sell(sale(), ana);
    expect(issued).toMatchObject({ ok: true, value: { invoice: { number: 'T910' } } });
    expect(till.ledger.writes.failure?.reason).toBe('disk-full');
    expect(await till.cashbox.sell(sale(), ana)).toMatchObject({ ok: false, reason: 'disk-full' });
    await vi.waitFor(
      () => {
        expect(till.ledger.writes.failure).toBeUndefined();
      },
      { timeout: 10_000, interval: 20 },
    );
    spy.mockRestore();
    const invoices = [...till.docs.journalEntries('caja-9').values()].flatMap((e) =>
      e.kind === 'invoice' ? [e.invoice.number] : [],
    );
    expect(invoices).toEqual(['T910']);
    await till.close();
  });

  it('[CLK1] a clock set back behind the terminal’s own last entry refuses to issue; set right, it sells', async () => {
    const dir = tempDir('caja-ledger-');
    dirs.push(dir);
    let clock = Date.parse('2026-11-28T15:00:00Z');
    const till = await openTill(dir.path, tiny, () => clock);
    await till.cashbox.shifts.openShift(randomUUID(), 0, ana);
    expect((await till.cashbox.sell(sale(), ana)).ok).toBe(true);
    clock -= 3_600_000;
    const entries = till.docs.journalEntries('caja-9').size;
    expect(await till.cashbox.sell(sale(), ana)).toMatchObject({ ok: false, reason: 'clock-behind' });
    expect(till.docs.journalEntries('caja-9').size).toBe(entries);
    // A few minutes behind (two terminals a little apart, an NTP step) is no reason to stop a till.
    clock += 3_600_000 - 4 * 60_000;
    expect((await till.cashbox.sell(sale(), ana)).ok).toBe(true);
    await till.close();
  });
});
