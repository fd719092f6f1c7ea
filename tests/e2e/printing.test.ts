import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, login, screenshot } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { escPosText, FakePrinter } from '../support/fake-printer.js';
import { PIN } from '../support/store.js';

/**
 * PRN1, PRN2 in a real browser: a manager configures a receipt printer (a fake network printer on
 * loopback) in Caja → "Impresoras y estaciones", prints the test page, and the next cash sale's
 * receipt comes out of that printer — never out of the browser's print dialog.
 */
let demo: DemoStore;
let browser: Browser;
const printer = new FakePrinter();

beforeAll(async () => {
  [demo] = await Promise.all([startDemo('caja-e2e-print-'), printer.start()]);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await printer.stop();
  await demo.stop();
});

const printed = () => printer.texts();
const browserPrints = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __prints: number }).__prints);

describe('printing from the screen', () => {
  it('a manager adds a receipt printer, prints the test page, and a sale prints its receipt there', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO' });
    // Count the browser's print dialogs (every frame: the receipt's own frame too).
    await page.addInitScript({
      content: 'window.__prints = 0; window.print = () => { window.top.__prints += 1; };',
    });
    await page.goto(demo.caja1);
    await login(page, 'marta', PIN.marta);
    await page.getByTestId('nav-caja').click();
    await page.getByTestId('shift-open-cash').fill('100000');
    await page.getByTestId('shift-open').click();
    await page.getByTestId('x-report-button').waitFor({ timeout: 20_000 });

    // Caja → Impresoras y estaciones → Agregar impresora: Recibos, network, this fake printer.
    await page.getByTestId('printers-open').click();
    await page.getByTestId('printers-screen').waitFor();
    await page.getByTestId('printer-add').click();
    await page.getByTestId('printer-name').fill('Recibos');
    await page.getByTestId('printer-role-receipt').check();
    await page.getByTestId('printer-type-tcp').check();
    await page.getByTestId('printer-host').fill('127.0.0.1');
    await page.getByTestId('printer-port').fill(String(printer.port));
    await page.getByTestId('printer-columns-42').check();
    await page.getByTestId('printer-mode-automatic').check();
    await page.getByTestId('printer-save').click();
    const row = page.locator('[data-testid^="printer-row-"]', { hasText: 'Recibos' });
    await row.waitFor({ timeout: 20_000 });

    await row.locator('[data-testid^="printer-test-"]').click();
    await expect
      .poll(() => printed().some((t) => t.includes('PRUEBA DE IMPRESIÓN')), { timeout: 30_000 })
      .toBe(true);
    expect(printed().find((t) => t.includes('PRUEBA'))).toContain('Señor Peña: ¿añadió el jalapeño?');
    await page.getByTestId('printer-tested').waitFor();
    // The jobs list is read when asked: "Actualizar" until the test page shows as printed.
    await expect
      .poll(
        async () => {
          await page.getByTestId('print-jobs-refresh').click();
          return page.locator('tr[data-status="done"]').count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    await screenshot(page, 'impresoras');
    await page.getByTestId('printers-back').click();

    // Caja shows the receipt printer once the health poll (or the save) says so.
    await expect
      .poll(async () => page.getByTestId('printing-receipt-printer').textContent(), { timeout: 20_000 })
      .toContain('Recibos');

    // A cash sale: the receipt prints on the printer, the screen says so, no print dialog.
    await page.getByTestId('nav-ventas').click();
    const search = page.getByTestId('product-search');
    await search.fill('gaseosa cola 400');
    await page.getByTestId('product-result-BEB-001').click();
    await page.getByTestId('pay-button').click();
    await page.getByTestId('pay-method-cash').click();
    await page.getByTestId('pay-amount').fill('10000');
    await page.getByTestId('pay-confirm').click();
    await page.getByTestId('receipt-preview').waitFor({ timeout: 30_000 });
    const number =
      (await page.getByTestId('receipt-number').getAttribute('data-number', { timeout: 30_000 })) ?? '';
    expect(number).toMatch(/^C1\d+$/);
    await expect
      .poll(async () => page.getByTestId('receipt-print-status').textContent(), { timeout: 10_000 })
      .toContain('Imprimiendo en Recibos');
    await expect.poll(() => printed().some((t) => t.includes(number)), { timeout: 30_000 }).toBe(true);
    const receipt = printer.jobs.find((j) => escPosText(j.bytes).includes(number));
    expect(escPosText(receipt?.bytes ?? new Uint8Array())).toContain('TOTAL');
    expect(await browserPrints(page)).toBe(0);
    await page.getByTestId('receipt-close').click();
    await page.close();
  }, 180_000);
});
