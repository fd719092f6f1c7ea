import { afterAll, describe, expect, it } from 'vitest';
import type { Product } from '../../src/domain/catalog.js';
import {
  DEFAULT_SCALE_LABEL_FORMAT,
  makeScaleLabel,
  scaleLabelLayout,
} from '../../src/domain/scale-label.js';
import { commandId, PIN, startStore, type TestStore, type TestTerminal } from '../support/store.js';

/** SCL1–SCL3 with a real terminal: a scanned code, a scale label of the demo store, a misread one. */
let store: TestStore | undefined;

afterAll(async () => {
  await store?.stop();
});

describe('POST /api/catalog/scan', () => {
  it('[SCL2] [SCL3] answers the product of a barcode, and of a scale label with its weight; refuses a misread label and an unknown code', async () => {
    store = await startStore(['caja-1']);
    const [c1] = store.terminals as [TestTerminal];
    await c1.api.login(PIN.ana);
    const catalog = await c1.api.call<{ products: Product[] }>('GET', '/api/catalog');
    const byWeight = catalog.body.products.filter((p) => p.unit === 'kg');
    // Every product sold by weight in the demo store has a PLU for the scale.
    expect(byWeight.length).toBeGreaterThan(20);
    expect(byWeight.every((p) => /^\d{5}$/.test(p.plu ?? ''))).toBe(true);
    const banano = byWeight.find((p) => p.name.startsWith('Banano'));
    if (!banano?.plu) throw new Error('no Banano in the demo catalog');
    const barcoded = catalog.body.products.find((p) => p.barcode !== undefined);
    if (!barcoded?.barcode) throw new Error('no barcode in the demo catalog');

    const scan = (code: string) => c1.api.call('POST', '/api/catalog/scan', { code });
    expect((await scan(barcoded.barcode)).body).toEqual({ product: barcoded });
    const layout = scaleLabelLayout(DEFAULT_SCALE_LABEL_FORMAT);
    if (!layout.ok) throw new Error(layout.message);
    const label = makeScaleLabel(layout.value, 0, banano.plu, 1250);
    const weighed = await scan(label);
    expect(weighed.status).toBe(200);
    expect(weighed.body).toEqual({ product: banano, quantity: 1.25 });
    const misread = `${label.slice(0, 12)}${(Number(label[12]) + 3) % 10}`;
    expect(await scan(misread)).toMatchObject({ status: 422, body: { error: 'bad-check-digit' } });
    expect(await scan('7700000000000')).toMatchObject({ status: 404, body: { error: 'unknown-code' } });
    expect(await scan('')).toMatchObject({ status: 400, body: { error: 'invalid-body' } });

    // The weight the label carried is what the sale charges.
    expect(
      (await c1.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
        .status,
    ).toBe(201);
    const sale = await c1.api.call<{ invoice: { total: number; lines: { quantityMilli: number }[] } }>(
      'POST',
      '/api/sales',
      {
        commandId: commandId('venta'),
        lines: [{ sku: banano.sku, quantity: weighed.body.quantity }],
        payments: [{ method: 'cash', amount: 50_000 }],
      },
    );
    expect(sale.status).toBe(201);
    expect(sale.body.invoice.total).toBe(Math.round(banano.price * 1.25));
  }, 120_000);
});
