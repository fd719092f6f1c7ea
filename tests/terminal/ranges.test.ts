import { afterAll, describe, expect, it } from 'vitest';
import { provision } from '../../src/host/provision.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import { commandId, PIN, startStore, type TestStore, type TestTerminal } from '../support/store.js';
import { waitForUpload, sellOne } from '../support/upload.js';

/**
 * RNG1–RNG2 with real processes: a store admin gives caja-1 a new range while two of its invoices
 * are on paper and not uploaded; the terminal is re-provisioned, numbers from the new range with a
 * new key, and the upload takes the old invoices and the new one.
 */
let store: TestStore | undefined;

afterAll(async () => {
  await store?.stop();
});

const sell = sellOne;

describe('a terminal given a new range', () => {
  it('[RNG1] [RNG2] keeps its older invoices uploadable and numbers from the new range after re-provisioning', async () => {
    store = await startStore(['caja-1']);
    const [c1] = store.terminals as [TestTerminal];
    await c1.api.login(PIN.marta);
    expect(
      (await c1.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
        .status,
    ).toBe(201);
    const old = [await sell(c1), await sell(c1)];
    expect(old.map((i) => i.number)).toEqual(['C11', 'C12']);
    await store.kill(c1, 'SIGTERM');

    // The store admin assigns caja-1 its next resolution.
    const next = {
      prefix: 'C1',
      from: 20_001,
      to: 40_000,
      resolutionNumber: '18764000007777',
      resolutionDate: '2026-11-30',
      validFrom: '2026-11-30',
      validUntil: '2028-11-30',
    };
    const assigned = await fetch(`${store.cloud.url}/v1/stores/demo/terminals/caja-1/resolutions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${store.cloud.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(next),
    });
    expect(assigned.status).toBe(201);
    const again = await provision({
      cloudUrl: store.cloud.url,
      token: store.cloud.token,
      storeId: 'demo',
      terminalId: 'caja-1',
      dataDir: c1.data,
    });
    if (!again.ok) throw new Error(again.message);
    expect(again.value.reprovisioned).toBe(true);
    expect(again.value.range).toContain('20001');

    await store.start(c1);
    await c1.api.login(PIN.marta);
    const fresh = await sell(c1);
    expect(fresh.number).toBe('C120001');
    expect(fresh.resolution).toMatchObject({ resolutionNumber: '18764000007777', from: 20_001 });

    const started = await c1.api.call<{ id: string }>('POST', '/api/uploads');
    expect(started.status).toBe(202);
    expect(await waitForUpload(c1, started.body.id)).toMatchObject({
      state: 'done',
      total: 3,
      created: 3,
      rejected: [],
    });
    const cloud = new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token });
    const page = await cloud.offlineSales('demo');
    expect(
      page.ok && page.value.items.map((s) => s.document.kind === 'invoice' && s.document.number),
    ).toEqual(['C11', 'C12', 'C120001']);
  }, 180_000);
});
