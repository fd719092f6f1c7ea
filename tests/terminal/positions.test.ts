import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { NumberingAccount } from '../../src/contract/cloud.js';
import type { Invoice } from '../../src/domain/invoice.js';
import type { Numbering } from '../../src/domain/schemas.js';
import { provision } from '../../src/host/provision.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';
import { sellMany, waitForUpload } from '../support/upload.js';

/**
 * RNG5 with real processes, a cloud that hands out positions of ten numbers: caja-1 issues three
 * invoices (C11–C13, which caja-2 holds), then its disk is wiped and it is provisioned again while
 * caja-2 is away. It numbers from C111 — a position its earlier installation never had — holds the
 * next position once half of this one is used, and goes on into it with no sale refused. Both
 * installations' invoices reach the cloud, and its account of the range has nothing missing.
 */
let store: TestStore | undefined;

afterAll(async () => {
  await store?.stop();
});

type Health = {
  numbering: { from: number; to: number; usedPercent: number; resolutionLeft: number };
  nextRange: Numbering | null;
  nextPosition: { from: number; to: number } | null;
  rangeSwitch: { from: Numbering; to: Numbering } | null;
};

async function openShift(t: TestTerminal): Promise<void> {
  await t.api.login(PIN.marta);
  expect(
    (await t.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') })).status,
  ).toBe(201);
}

describe('a wiped terminal provisioned again (RNG5)', () => {
  it('[RNG5] numbers from a position nobody ever had, takes the next one by itself, and every number is accounted for', async () => {
    store = await startStore(['caja-1', 'caja-2'], { cloudArgs: ['--position-size', '10'] });
    const s = store;
    const [c1, c2] = s.terminals as [TestTerminal, TestTerminal];
    await openShift(c1);
    const first = await sellMany(c1, 3);
    expect(first.map((i) => i.number)).toEqual(['C11', 'C12', 'C13']);
    await c2.api.login(PIN.marta);
    await eventually(async () => {
      const res = await c2.api.call<{ total: number }>('GET', '/api/invoices?terminal=caja-1');
      expect(res.body.total).toBe(3);
    }, 30_000);

    // caja-2 goes away; caja-1's disk is wiped and the technician provisions it again.
    await s.kill(c2, 'SIGTERM');
    await s.kill(c1, 'SIGKILL');
    rmSync(c1.data, { recursive: true, force: true });
    const again = await provision({
      cloudUrl: s.cloud.url,
      token: s.cloud.token,
      storeId: 'demo',
      terminalId: 'caja-1',
      dataDir: c1.data,
    });
    if (!again.ok) throw new Error(again.message);
    expect(again.value.range).toMatch(/^prefijo C1, 11–20 \(of 1–20000\)/);
    await s.start(c1);
    await openShift(c1);
    const health = async () => (await c1.api.call<Health>('GET', '/api/health')).body;

    // Its first number is the first of its new position, not C11 again.
    const second = await sellMany(c1, 5);
    expect(second.map((i) => i.number)).toEqual(['C111', 'C112', 'C113', 'C114', 'C115']);
    const half = await health();
    expect(half.numbering).toMatchObject({ from: 11, to: 20, usedPercent: 50, resolutionLeft: 19_980 });

    // Half of the position used: "Leer catálogo" holds the next position of the same resolution.
    const read = await c1.api.call<{ nextRange: Numbering | null; nextPosition: { from: number } | null }>(
      'POST',
      '/api/catalog/read',
    );
    expect(read.status).toBe(200);
    expect(read.body.nextPosition).toEqual({ from: 21, to: 30 });
    expect(read.body.nextRange?.resolutionNumber).toBe(second[0]?.resolution.resolutionNumber);

    // The position runs out in the middle of the shift: no sale is refused.
    const third = await sellMany(c1, 6);
    expect(third.map((i) => i.number)).toEqual(['C116', 'C117', 'C118', 'C119', 'C120', 'C121']);
    const after = await health();
    expect(after.numbering).toMatchObject({ from: 21, to: 30 });
    expect(after.nextPosition).toBeNull();
    expect(after.rangeSwitch?.to.resolutionNumber).toBe(after.rangeSwitch?.from.resolutionNumber);

    // caja-1 uploads what it issued since; caja-2 comes back (the LAN between them still cut) and
    // uploads what the earlier installation issued. The cloud takes both.
    const up1 = await c1.api.call<{ id: string }>('POST', '/api/uploads');
    expect(up1.status).toBe(202);
    expect(await waitForUpload(c1, up1.body.id)).toMatchObject({ state: 'done', created: 11, rejected: [] });
    s.link('caja-1', 'caja-2').cut();
    await s.start(c2);
    await c2.api.login(PIN.marta);
    const up2 = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect(up2.status).toBe(202);
    expect(await waitForUpload(c2, up2.body.id)).toMatchObject({ state: 'done', created: 3, rejected: [] });

    const res = await fetch(`${s.cloud.url}/v1/stores/demo/offline-sales/numbering`, {
      headers: { authorization: `Bearer ${s.cloud.token}` },
    });
    const account = (await res.json()) as NumberingAccount;
    const range = account.ranges.find((r) => r.terminalId === 'caja-1');
    expect(range).toMatchObject({ issued: 14, unused: 0, last: 21, missingCount: 0, missing: [] });
    expect(range?.positions?.map((p) => [p.from, p.to, p.last, p.missingCount])).toEqual([
      [1, 10, 3, 0],
      [11, 20, 20, 0],
      [21, 30, 21, 0],
    ]);
    const all: Invoice[] = [...first, ...second, ...third];
    expect(new Set(all.map((i) => i.number)).size).toBe(14);
  }, 240_000);
});
