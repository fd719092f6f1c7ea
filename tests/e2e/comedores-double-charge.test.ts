import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Invoice } from '../../src/domain/invoice.js';
import { launchBrowser, login, screenshot } from '../support/browser.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';

/**
 * FLR5 in a real browser: two terminals charge the same table while the LAN between them is cut
 * (real processes, a real proxy cut). After the LAN heals both screens show "cobro doble" with
 * both invoices; the manager voids one through the void dialog and the alert goes away on both.
 */
let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;
let browser: Browser;

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s/g, ' ');

beforeAll(async () => {
  store = await startStore(['caja-1', 'caja-2']);
  [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
  await c1.api.login(PIN.marta);
  await c2.api.login(PIN.luis);
  for (const t of [c1, c2])
    expect(
      (await t.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
        .status,
    ).toBe(201);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await store.stop();
});

describe('cobro doble on the floor', () => {
  it('[FLR5] a table charged on both sides of a LAN split is shown to the manager, who voids one charge', async () => {
    expect((await c1.api.call('POST', '/api/tables/terraza-3/open', { diners: 2 })).status).toBe(201);
    const added = await c1.api.call('POST', '/api/tables/terraza-3/lines', {
      commandId: commandId('line'),
      sku: 'RBE-007',
      quantity: 2,
    });
    expect(added.status).toBe(201);
    await eventually(async () => {
      const floor = await c2.api.call<{ tables: { table: { id: string }; total: number }[] }>(
        'GET',
        '/api/floor',
      );
      expect(floor.body.tables.find((t) => t.table.id === 'terraza-3')?.total).toBe(8_000);
    });

    store.link('caja-1', 'caja-2').cut();
    const close = (t: TestTerminal) =>
      t.api.call<{ invoices: Invoice[] }>('POST', '/api/tables/terraza-3/close', {
        commandId: commandId('close'),
        payments: [{ method: 'cash', amount: 10_000 }],
      });
    const [a, b] = [await close(c1), await close(c2)];
    expect([a.status, b.status]).toEqual([200, 200]);
    const second = b.body.invoices[0]?.number ?? '';
    // The screen shows prefix and consecutive apart ("C1-1" for the fiscal "C11").
    const shown = (i: Invoice | undefined) => (i ? `${i.prefix}-${i.consecutive}` : '');

    const viewport = { width: 1366, height: 768 };
    const manager = await browser.newPage({ viewport, locale: 'es-CO' });
    const cashier = await browser.newPage({ viewport, locale: 'es-CO' });
    await manager.goto(`http://127.0.0.1:${c1.port}`);
    await login(manager, 'marta', PIN.marta);
    await manager.getByTestId('nav-comedores').click();
    await cashier.goto(`http://127.0.0.1:${c2.port}`);
    await login(cashier, 'luis', PIN.luis);
    await cashier.getByTestId('nav-comedores').click();
    // Split: each side sees only its own charge, so no alert yet.
    await manager.getByTestId('floor-map').waitFor();
    expect(await manager.getByTestId('double-charge-terraza-3').count()).toBe(0);

    store.link('caja-1', 'caja-2').heal();
    for (const page of [manager, cashier]) {
      const alert = page.getByTestId('double-charge-terraza-3');
      await alert.waitFor({ timeout: 20_000 });
      await expect
        .poll(() => text(page, 'double-charge-terraza-3'), { timeout: 20_000 })
        .toContain(shown(b.body.invoices[0]));
      expect(await text(page, 'double-charge-terraza-3')).toContain(shown(a.body.invoices[0]));
    }
    expect(await text(manager, 'double-charge-terraza-3')).toContain('Cobro doble — Terraza 3');
    await screenshot(manager, 'comedores-cobro-doble');

    // The screen reads the documents before caja-1's host has checked caja-2's entries (it learns
    // caja-2's key over the LAN too): the void is asked once the host holds C21.
    await expect
      .poll(async () => (await c1.api.call('GET', `/api/invoices/${b.body.invoices[0]?.id ?? ''}`)).status, {
        timeout: 30_000,
      })
      .toBe(200);
    await manager.getByTestId(`double-charge-void-${second}`).click();
    await manager.getByTestId('void-dialog').waitFor();
    await manager.getByTestId('void-reason').fill('Cobro doble de la Terraza 3');
    await manager.getByTestId('void-confirm').click();
    // The void is recorded on caja-1 (the dialog closes; a refusal would stay in it, with its reason).
    await expect
      .poll(
        async () =>
          (await manager.getByTestId('void-dialog').count()) === 0
            ? 'closed'
            : ((await manager.getByTestId('void-dialog').textContent()) ?? ''),
        { timeout: 20_000 },
      )
      .toBe('closed');
    // caja-2's host learns the void over the LAN, and both screens drop the alert.
    await expect
      .poll(
        async () =>
          (await c2.api.call<{ voided: boolean }>('GET', `/api/invoices/${b.body.invoices[0]?.id ?? ''}`))
            .body.voided,
        { timeout: 30_000 },
      )
      .toBe(true);
    for (const page of [manager, cashier])
      await expect
        .poll(() => page.getByTestId('double-charge-terraza-3').count(), { timeout: 30_000 })
        .toBe(0);
  }, 120_000);
});
