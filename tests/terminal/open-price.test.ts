import { afterAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../src/domain/invoice.js';
import { MAX_OPEN_PRICE } from '../../src/domain/open-price.js';
import { commandId, PIN, startStore, type TestStore, type TestTerminal } from '../support/store.js';
import { expectCloudHolds, waitForUpload } from '../support/upload.js';

/** OPN1–OPN3 with real processes: a price typed at the sale, refused where it does not belong, uploaded. */
let store: TestStore | undefined;

afterAll(async () => {
  await store?.stop();
});

describe('open-price products', () => {
  it('[OPN1] [OPN2] [OPN3] sells "Varios supermercado" at the price typed, refuses a price elsewhere, and the cloud takes the invoice', async () => {
    store = await startStore(['caja-1']);
    const [c1] = store.terminals as [TestTerminal];
    await c1.api.login(PIN.marta);
    expect(
      (await c1.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
        .status,
    ).toBe(201);
    const sell = (lines: unknown[]) =>
      c1.api.call<{ invoice: Invoice; error?: string }>('POST', '/api/sales', {
        commandId: commandId('venta'),
        lines,
        payments: [{ method: 'cash', amount: 100_000 }],
      });

    // OPN1: a typed price on a product sold at its catalog price is refused, by reason.
    expect(await sell([{ sku: 'BEB-001', quantity: 1, unitPrice: 1_000 }])).toMatchObject({
      status: 422,
      body: { error: 'price-not-open' },
    });
    // OPN2: an open-price line without a price, at zero, fractional or beyond the bound.
    for (const unitPrice of [undefined, 0, 12.5, MAX_OPEN_PRICE + 1]) {
      expect(
        await sell([{ sku: 'VAR-001', quantity: 1, ...(unitPrice === undefined ? {} : { unitPrice }) }]),
      ).toMatchObject({
        status: 422,
        body: { error: 'invalid-open-price' },
      });
    }
    // OPN3: a table order has no typed price.
    expect((await c1.api.call('POST', '/api/tables/mesa-1/open', { diners: 2 })).status).toBe(201);
    expect(
      await c1.api.call('POST', '/api/tables/mesa-1/lines', {
        commandId: commandId('linea'),
        sku: 'VAR-001',
        quantity: 1,
      }),
    ).toMatchObject({ status: 422, body: { error: 'invalid-open-price' } });

    const sold = await sell([
      { sku: 'VAR-001', quantity: 2, unitPrice: 12_350 },
      { sku: 'BEB-001', quantity: 1 },
    ]);
    expect(sold.status).toBe(201);
    const varios = sold.body.invoice.lines.find((l) => l.sku === 'VAR-001');
    expect(varios).toMatchObject({
      name: 'Varios supermercado',
      unitPrice: 12_350,
      gross: 24_700,
      tax: 'IVA19',
    });
    expect(varios?.base).toBe(Math.round((24_700 * 100) / 119));

    // The reference cloud recomputes the invoice from its own lines: the typed price goes up as it is.
    const started = await c1.api.call<{ id: string }>('POST', '/api/uploads');
    expect(started.status).toBe(202);
    expect(await waitForUpload(c1, started.body.id)).toMatchObject({ state: 'done', total: 1, rejected: [] });
    await expectCloudHolds(store, [sold.body.invoice], new Set());
  }, 120_000);
});
