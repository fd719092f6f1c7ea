import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Invoice } from '../../src/domain/invoice.js';
import { launchBrowser, login, screenshot } from '../support/browser.js';
import { commandId, eventually, PIN, startStore, type TestStore } from '../support/store.js';

/**
 * EPI5 in a real browser (Debian's Chromium), with the product's rule: the cloud answers, so the
 * banner tells Ana (cashier) to sell in the online system and offers "Autorizar venta offline";
 * she picks why, Marta types her manager PIN, and the banner says who authorized the contingency.
 */
const VIEWPORT = { width: 1366, height: 768 };
let browser: Browser;
let store: TestStore;

beforeAll(async () => {
  browser = await launchBrowser();
  store = await startStore(['caja-1'], {
    whenCloudAnswers: 'ask',
    terminalArgs: ['--cloud-check-seconds', '0.5'],
  });
}, 180_000);

afterAll(async () => {
  await browser.close();
  await store.stop();
});

const sale = () => ({
  commandId: commandId('e2e-gate'),
  lines: [{ sku: 'BEB-001', quantity: 1 }],
  payments: [{ method: 'cash', amount: 10_000 }],
});

describe('the outage-only rule in the browser', () => {
  it('[EPI5] the banner asks for a manager’s authorization while the cloud answers, and says who gave it', async () => {
    const [c1] = store.terminals;
    if (!c1) throw new Error('a terminal');
    await c1.api.login(PIN.ana);
    expect(
      (await c1.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('e2e') })).status,
    ).toBe(201);
    await eventually(async () => {
      const h = await c1.api.call<{ warnings: string[] }>('GET', '/api/health');
      expect(h.body.warnings).toContain('offline-needs-authorization');
    }, 30_000);
    const refused = await c1.api.call<{ error: string }>('POST', '/api/sales', sale());
    expect(refused.body.error).toBe('offline-not-authorized');

    const page = await browser.newPage({ viewport: VIEWPORT, locale: 'es-CO' });
    await page.goto(`http://127.0.0.1:${c1.port}/`);
    await login(page, 'ana', PIN.ana);
    const ask = page.getByTestId('banner-offline-authorize');
    await expect
      .poll(async () => (await ask.textContent())?.trim(), { timeout: 30_000 })
      .toBe('La nube responde: venda en el sistema en línea · Autorizar venta offline');
    await ask.click();
    const dialog = page.getByTestId('offline-authorize-dialog');
    await dialog.waitFor({ timeout: 10_000 });
    await page.getByTestId('offline-reason-other').check();
    await page.getByTestId('offline-reason-text').fill('Caída del proveedor tecnológico');
    await screenshot(page, '16-autorizar-venta-offline');
    await page.getByTestId('offline-authorize-ok').click();
    // Ana is a cashier: Marta types her manager PIN.
    await page.getByTestId('manager-pin-input').waitFor({ timeout: 10_000 });
    await page.getByTestId('manager-pin-input').fill(PIN.marta);
    await page.getByTestId('manager-pin-ok').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    const note = page.getByTestId('banner-contingency');
    await expect
      .poll(async () => (await note.textContent())?.trim() ?? '', { timeout: 30_000 })
      .toMatch(/^contingencia autorizada por Marta/);
    expect(await ask.count()).toBe(0);
    await screenshot(page, '17-contingencia-autorizada');

    const sold = await c1.api.call<{ invoice: Invoice }>('POST', '/api/sales', sale());
    expect(sold.status).toBe(201);
    const episodes = await c1.api.call<{
      episodes: { id: string; authorization?: { by: { id: string }; reason: string } }[];
    }>('GET', '/api/contingency/episodes');
    const episode = episodes.body.episodes.find((e) => e.id === sold.body.invoice.episodeId);
    expect(episode?.authorization).toMatchObject({
      by: { id: 'marta' },
      reason: 'Caída del proveedor tecnológico',
    });
    await page.close();
  }, 180_000);
});
