import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/domain/customer.js';
import type { DirectoryEntry } from '../../src/domain/customer-directory.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';
import { waitForUpload } from '../support/upload.js';

/**
 * CUS5–CUS7 with real processes: the cloud's customer directory read with "Leer catálogo" and
 * searched on every terminal; buyers identified offline seen by the other terminal before the
 * upload, and in the cloud's directory after it.
 */
let store: TestStore;
let caja1: TestTerminal;
let caja2: TestTerminal;

interface Search {
  customers: DirectoryEntry[];
  directory: { version: string | null; readAt: string | null; count: number };
}
const search = async (t: TestTerminal, q: string) => {
  const res = await t.api.call<Search>('GET', `/api/customers?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return res.body;
};
interface CatalogRead {
  customers: {
    version: string;
    notModified: boolean;
    added: number;
    changed: number;
    removed: number;
    count: number;
  };
}

beforeAll(async () => {
  store = await startStore(['caja-1', 'caja-2']);
  [caja1, caja2] = store.terminals as [TestTerminal, TestTerminal];
  await caja1.api.login(PIN.ana);
  await caja2.api.login(PIN.marta);
  for (const t of store.terminals)
    expect(
      (await t.api.call('POST', '/api/shifts/open', { openingCash: 50_000, commandId: commandId('turno') }))
        .status,
    ).toBe(201);
}, 180_000);

afterAll(async () => {
  await store.stop();
});

describe('the customer directory across the store', () => {
  it('[CUS5] "Leer catálogo" brings the cloud’s directory to every terminal, searchable by ID and by name', async () => {
    // Never read: nothing but what the store's own invoices carry (none yet).
    expect(await search(caja1, 'gomez')).toEqual({
      customers: [],
      directory: { version: null, readAt: null, count: 0 },
    });
    // A cashier may not read the catalog.
    expect((await caja1.api.call<{ error: string }>('POST', '/api/catalog/read')).body.error).toBe(
      'manager-required',
    );
    const read = await caja2.api.call<CatalogRead>('POST', '/api/catalog/read');
    expect(read.status).toBe(200);
    expect(read.body.customers).toMatchObject({
      notModified: false,
      added: 3,
      changed: 0,
      removed: 0,
      count: 3,
    });

    // caja-1 gets it over the LAN.
    const byNit = await eventually(async () => {
      const found = await search(caja1, '900123456');
      expect(found.customers).toHaveLength(1);
      return found;
    }, 30_000);
    expect(byNit.customers[0]).toMatchObject({
      source: 'cloud',
      customer: { idType: 'NIT', idNumber: '900123456', checkDigit: 8, name: 'Eventos Andinos S.A.S.' },
    });
    expect(byNit.directory.count).toBe(3);
    expect((await search(caja1, 'maria gomez')).customers.map((e) => e.customer.idNumber)).toEqual([
      '52345678',
    ]);
    expect((await search(caja1, '1032')).customers.map((e) => e.customer.name)).toEqual([
      'Julián Andrés Peña',
    ]);
    // Bad queries are refused with a reason.
    const bad = await caja1.api.call<{ error: string }>('GET', `/api/customers?q=${'x'.repeat(61)}`);
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid-query' } });
    const again = await caja2.api.call<CatalogRead>('POST', '/api/catalog/read');
    expect(again.body.customers).toMatchObject({ notModified: true, count: 3 });
  }, 120_000);

  it('[CUS6] [CUS7] a buyer created offline on caja-1 is found on caja-2 at once, and in the cloud’s directory after the upload', async () => {
    const pedro: Customer = {
      idType: 'CC',
      idNumber: '79111222',
      name: 'Pedro Pablo Ruiz',
      email: 'pedro.ruiz@correo.example',
    };
    const mafe = (await search(caja1, '52345678')).customers[0]?.customer;
    if (!mafe) throw new Error('no Mafe in the directory');
    for (const customer of [pedro, { ...mafe, email: 'mafe@nuevo.example' }]) {
      const sale = await caja1.api.call('POST', '/api/sales', {
        commandId: commandId('cus'),
        lines: [{ sku: 'BEB-001', quantity: 1 }],
        payments: [{ method: 'cash', amount: 10_000 }],
        customer,
      });
      expect(sale.status).toBe(201);
    }
    const seen = await eventually(async () => {
      const found = await search(caja2, 'pedro ruiz');
      expect(found.customers).toHaveLength(1);
      return found.customers[0];
    }, 30_000);
    expect(seen).toEqual({ source: 'offline', customer: pedro });
    expect((await search(caja2, 'mafe')).customers).toEqual([]);
    // Both invoices reach caja-2 (in any order): the newer data of Mafe shows there too.
    await eventually(async () => {
      expect((await search(caja2, '52345678')).customers[0]).toMatchObject({
        source: 'offline',
        customer: { email: 'mafe@nuevo.example' },
      });
    }, 30_000);
    expect((await search(caja2, 'a')).directory.count).toBe(4);

    const started = await caja2.api.call<{ id: string }>('POST', '/api/uploads');
    expect(started.status).toBe(202);
    expect(await waitForUpload(caja2, started.body.id)).toMatchObject({
      state: 'done',
      total: 2,
      rejected: [],
    });

    const cloud = new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token });
    const directory = await cloud.customers('demo');
    if (!directory.ok || directory.value.notModified) throw new Error('no directory');
    const inCloud = new Map(directory.value.directory.customers.map((c) => [c.idNumber, c]));
    expect(inCloud.get('79111222')).toEqual(pedro);
    expect(inCloud.get('52345678')?.email).toBe('mafe@nuevo.example');

    // Read again: the cloud gives them back; they are the cloud's entries now.
    const read = await caja2.api.call<CatalogRead>('POST', '/api/catalog/read');
    expect(read.body.customers).toMatchObject({ notModified: false, added: 1, changed: 1, count: 4 });
    await eventually(async () => {
      const found = await search(caja1, '79111222');
      expect(found.customers).toEqual([{ source: 'cloud', customer: pedro }]);
    }, 30_000);
  }, 120_000);
});
