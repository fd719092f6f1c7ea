import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudClient } from '../../src/upload/cloud-client.js';
import { product } from '../support/invoices.js';
import { commandId, documentsOf, eventually, PIN, startStore, type TestStore } from '../support/store.js';

let store: TestStore;

beforeAll(async () => {
  store = await startStore();
  const [a, b, c] = store.terminals;
  await a?.api.login(PIN.ana);
  await b?.api.login(PIN.luis);
  await c?.api.login(PIN.marta);
}, 180_000);

afterAll(async () => {
  await store.stop();
});

describe('three terminals of one store', () => {
  it('see each other (health: peers connected, no quarantine)', async () => {
    await eventually(async () => {
      for (const t of store.terminals) {
        const health = await t.api.call<{ peersConnected: number; quarantined: { count: number } }>(
          'GET',
          '/api/health',
        );
        expect(health.body.peersConnected).toBe(2);
        expect(health.body.quarantined.count).toBe(0);
      }
    }, 15_000);
  });

  it('converge on every document after each sells and a manager reads the catalog', async () => {
    for (const t of store.terminals) {
      expect(
        (await t.api.call('POST', '/api/shifts/open', { openingCash: 50_000, commandId: commandId('turno') }))
          .status,
      ).toBe(201);
      for (let i = 0; i < 5; i += 1) {
        const sale = await t.api.call('POST', '/api/sales', {
          commandId: commandId(t.id),
          lines: [{ sku: 'BEB-001', quantity: 1 + i }],
          payments: [{ method: 'cash', amount: 100_000 }],
        });
        expect(sale.status).toBe(201);
      }
    }
    // The back office changes a price; Marta (manager) reads the catalog on caja-3.
    const cloud = new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token });
    expect((await cloud.putProduct('demo', { ...product('SNK-005'), price: 2_300 })).ok).toBe(true);
    const manager = store.terminals[2];
    const read = await manager?.api.call<{ priceChanges: { sku: string; from: number; to: number }[] }>(
      'POST',
      '/api/catalog/read',
    );
    expect(read?.status).toBe(200);
    expect(read?.body.priceChanges).toEqual([
      { sku: 'SNK-005', name: product('SNK-005').name, from: 1_800, to: 2_300 },
    ]);

    await eventually(async () => {
      const all = await Promise.all(store.terminals.map((t) => documentsOf(t)));
      const [first, ...rest] = all;
      // store, catalog, customers, contingency, devices, floor, uploads and one journal chunk per terminal.
      expect(Object.keys(first ?? {})).toHaveLength(10);
      for (const other of rest) expect(other).toEqual(first);
    }, 30_000);

    for (const t of store.terminals) {
      const invoices = await t.api.call<{ total: number; items: { invoice: { number: string } }[] }>(
        'GET',
        '/api/invoices?limit=500',
      );
      expect(invoices.body.total).toBe(15);
      expect(new Set(invoices.body.items.map((i) => i.invoice.number)).size).toBe(15);
      const catalog = await t.api.call<{ products: { sku: string; price: number }[] }>('GET', '/api/catalog');
      expect(catalog.body.products.find((p) => p.sku === 'SNK-005')?.price).toBe(2_300);
    }
  });
});
