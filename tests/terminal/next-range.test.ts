import { afterAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../src/domain/invoice.js';
import type { Numbering } from '../../src/domain/schemas.js';
import { provision } from '../../src/host/provision.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';
import { waitForUpload, sellOne } from '../support/upload.js';

/**
 * RNG4 with real processes: caja-1 numbers from a range of three (C120001–C120003); the store
 * admin assigns the next one; "Leer catálogo" makes caja-1 hold it with a key certified for it;
 * the range is used up in the middle of the shift and the fourth sale is C120004, with no sale
 * refused; the switch survives a restart; caja-2 trusts the new key; the cloud takes all of them.
 */
let store: TestStore | undefined;

afterAll(async () => {
  await store?.stop();
});

const sell = sellOne;

const range = (from: number, to: number, resolutionNumber: string): Numbering => ({
  prefix: 'C1',
  from,
  to,
  resolutionNumber,
  resolutionDate: '2026-11-30',
  validFrom: '2026-11-30',
  validUntil: '2028-11-30',
});

describe('the next range', () => {
  it('[RNG4] is held from "Leer catálogo" and taken by itself when the current one is used up, with no sale refused', async () => {
    store = await startStore(['caja-1', 'caja-2']);
    const s = store;
    const [c1, c2] = s.terminals as [TestTerminal, TestTerminal];
    const assign = async (n: Numbering) => {
      const res = await fetch(`${s.cloud.url}/v1/stores/demo/terminals/caja-1/resolutions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.cloud.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(n),
      });
      expect(res.status).toBe(201);
    };
    // caja-1 is given a range of three numbers (and re-provisioned onto it, RNG2).
    await s.kill(c1, 'SIGTERM');
    const small = range(20_001, 20_003, '18764000007001');
    await assign(small);
    const again = await provision({
      cloudUrl: s.cloud.url,
      token: s.cloud.token,
      storeId: 'demo',
      terminalId: 'caja-1',
      dataDir: c1.data,
    });
    if (!again.ok) throw new Error(again.message);
    await s.start(c1);
    await c1.api.login(PIN.marta);
    expect(
      (await c1.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
        .status,
    ).toBe(201);

    // The store admin assigns the next one; "Leer catálogo" holds it.
    const next = range(20_004, 20_100, '18764000007002');
    await assign(next);
    const read = await c1.api.call<{ nextRange: Numbering | null }>('POST', '/api/catalog/read');
    expect(read.status).toBe(200);
    expect(read.body.nextRange).toEqual(next);
    type Health = {
      nextRange: Numbering | null;
      rangeSwitch: { from: Numbering; to: Numbering } | null;
      numbering: { from: number; to: number };
      quarantined: { count: number };
    };
    const health = async (t: TestTerminal) => (await t.api.call<Health>('GET', '/api/health')).body;
    expect((await health(c1)).nextRange).toEqual(next);

    // Five sales: the range runs out after the third; none is refused.
    const sold: Invoice[] = [];
    for (let i = 0; i < 5; i += 1) sold.push(await sell(c1));
    expect(sold.map((i) => i.number)).toEqual(['C120001', 'C120002', 'C120003', 'C120004', 'C120005']);
    expect(sold.map((i) => i.resolution.resolutionNumber)).toEqual([
      '18764000007001',
      '18764000007001',
      '18764000007001',
      '18764000007002',
      '18764000007002',
    ]);
    const after = await health(c1);
    expect(after.nextRange).toBeNull();
    expect(after.rangeSwitch).toMatchObject({ from: small, to: next });
    expect(after.numbering).toMatchObject({ from: 20_004, to: 20_100 });

    // The switch is durable: after a restart caja-1 goes on in the new range.
    await s.kill(c1, 'SIGTERM');
    await s.start(c1);
    await c1.api.login(PIN.marta);
    sold.push(await sell(c1));
    expect(sold.at(-1)?.number).toBe('C120006');

    // caja-2 trusts the new key: it holds all six, nothing in quarantine.
    await c2.api.login(PIN.marta);
    await eventually(async () => {
      const res = await c2.api.call<{ total: number }>('GET', '/api/invoices?terminal=caja-1');
      expect(res.body.total).toBe(6);
    }, 30_000);
    expect((await health(c2)).quarantined.count).toBe(0);

    // The cloud takes them all: each checked against the resolution and the key of its range.
    const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect(started.status).toBe(202);
    expect(await waitForUpload(c2, started.body.id)).toMatchObject({
      state: 'done',
      created: 6,
      rejected: [],
    });
    const cloud = new CloudClient({ baseUrl: s.cloud.url, token: s.cloud.token });
    const page = await cloud.offlineSales('demo', { terminal: 'caja-1' });
    expect(
      page.ok && page.value.items.map((x) => x.document.kind === 'invoice' && x.document.number),
    ).toEqual(sold.map((i) => i.number));
  }, 240_000);
});
