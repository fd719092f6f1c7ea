import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../src/domain/invoice.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import { commandId, eventually, startStore, type TestStore, type TestTerminal } from '../support/store.js';
import { setUp, waitForUpload } from '../support/upload.js';

/**
 * WRT1–WRT3: caja-1's data directory is a small tmpfs (this test mounts it, as root, and unmounts
 * it) that fills up in the middle of selling. A sale that could not be written answers `disk-full`
 * and exists nowhere afterwards — not on caja-1, not on caja-2, not in the cloud; its number is
 * accounted for as reserved-not-issued; the terminal says it cannot write and issues nothing until
 * it can, then sells again by itself. The upload takes the refused sales' numbers to the cloud as
 * unused numbers (UPL10), so the cloud's account of the range has no gap.
 */
let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;
let mountPoint = '';
const FILLER = () => `${mountPoint}/filler.bin`;

function mountTmpfs(dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m,mode=0700', 'tmpfs', dir]);
  mountPoint = dir;
}

beforeAll(async () => {
  store = await startStore(['caja-1', 'caja-2'], {
    prepare: (id, dir) => {
      if (id === 'caja-1') mountTmpfs(dir);
    },
  });
  [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
  await setUp(store);
}, 180_000);

afterAll(async () => {
  for (const t of store.terminals) await store.kill(t, 'SIGTERM');
  if (mountPoint !== '') execFileSync('umount', ['-l', mountPoint]);
  await store.stop();
});

interface Health {
  storage: { writable: boolean; failure: { reason: string } | null };
  warnings: string[];
  invoices: { total: number };
}
const health = async (t: TestTerminal) => (await t.api.call<Health>('GET', '/api/health')).body;
const sale = (id: string) =>
  c1.api.call<{ invoice?: Invoice; error?: string }>('POST', '/api/sales', {
    commandId: id,
    lines: [{ sku: 'BEB-001', quantity: 1 }],
    payments: [{ method: 'cash', amount: 10_000 }],
  });
const ids = async (t: TestTerminal) =>
  (await t.api.call<{ items: { invoice: Invoice }[] }>('GET', '/api/invoices?limit=500')).body.items
    .map((i) => i.invoice.id)
    .sort();

/** Leave `bytes` free on the small disk. */
function fillUpTo(bytes: number): void {
  const { bavail, bsize } = statfsSync(mountPoint);
  const free = bavail * bsize;
  writeFileSync(FILLER(), Buffer.alloc(Math.max(0, free - bytes)));
}

describe('a data directory that fills up mid-sale (WRT1–WRT3)', () => {
  it('refused sales exist nowhere, their numbers are accounted for, and the terminal sells again once there is room', async () => {
    const acknowledged: Invoice[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const res = await sale(commandId('before-full'));
      expect(res.status).toBe(201);
      if (res.body.invoice) acknowledged.push(res.body.invoice);
    }
    fillUpTo(24 * 1024);
    // Sell until the disk refuses; a sale either is issued whole or refused with a reason.
    for (let i = 0; i < 200 && refused.length < 3; i += 1) {
      const id = commandId('while-full');
      const res = await sale(id);
      if (res.status === 201 && res.body.invoice) acknowledged.push(res.body.invoice);
      else {
        expect({ status: res.status, error: res.body.error }).toEqual({ status: 507, error: 'disk-full' });
        refused.push(id);
      }
    }
    expect(refused.length).toBe(3);
    const full = await health(c1);
    expect(full.storage).toMatchObject({ writable: false, failure: { reason: 'disk-full' } });
    expect(full.warnings).toContain('cannot-write');

    // Room again: the terminal finds out by itself and sells normally.
    rmSync(FILLER());
    await eventually(async () => {
      expect((await health(c1)).storage.writable).toBe(true);
    }, 30_000);
    const after = await sale(commandId('after-full'));
    expect(after.status).toBe(201);
    if (after.body.invoice) acknowledged.push(after.body.invoice);

    // Exactly the acknowledged sales, on both terminals; every number issued or accounted for.
    const expected = acknowledged.map((i) => i.id).sort();
    for (const t of [c1, c2]) {
      await eventually(async () => {
        expect(await ids(t)).toEqual(expected);
        const journals = await t.api.call<{
          journals: { terminalId: string; missing: number[]; reservedNotIssued: number[] }[];
        }>('GET', '/api/journals');
        const own = journals.body.journals.find((j) => j.terminalId === 'caja-1');
        expect(own?.missing).toEqual([]);
      }, 30_000);
    }
    const numbers = acknowledged.map((i) => i.consecutive);
    expect(new Set(numbers).size).toBe(numbers.length);

    // A restart changes nothing of that.
    await store.kill(c1, 'SIGTERM');
    await store.start(c1);
    await c1.api.login('9999');
    expect(await ids(c1)).toEqual(expected);

    // The cloud gets exactly the acknowledged sales, and the refused sales' numbers as unused (UPL10).
    const journals = await c2.api.call<{ journals: { terminalId: string; reservedNotIssued: number[] }[] }>(
      'GET',
      '/api/journals',
    );
    // Whether a refused sale had reserved its number depends on which write failed first (none
    // may have): the deterministic case is tests/terminal/unused-numbers.test.ts.
    const unused = journals.body.journals.find((j) => j.terminalId === 'caja-1')?.reservedNotIssued ?? [];
    const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect((await waitForUpload(c2, started.body.id)).state).toBe('done');
    const cloud = new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token });
    const page = await cloud.offlineSales('demo', { limit: 1000 });
    if (!page.ok) throw new Error(page.message);
    const stored = (kind: string) => page.value.items.filter((i) => i.document.kind === kind);
    expect(
      stored('invoice')
        .map((i) => i.document.id)
        .sort(),
    ).toEqual(expected);
    expect(stored('unused-number').map((i) => i.document.id)).toEqual(unused.map((n) => `unused-C1-${n}`));
    const account = await cloud.numbering('demo');
    if (!account.ok) throw new Error(account.message);
    expect(account.value.ranges.find((r) => r.terminalId === 'caja-1')).toMatchObject({
      issued: acknowledged.length,
      unused: unused.length,
      missingCount: 0,
    });
  }, 240_000);
});
