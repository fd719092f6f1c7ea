import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoCatalog } from '../../src/cloud/seed/demo-catalog.js';
import {
  DEFAULT_SCALE_LABEL_FORMAT,
  makeScaleLabel,
  scaleLabelLayout,
} from '../../src/domain/scale-label.js';
import { launchBrowser, login, scanKeys } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { PIN } from '../support/store.js';

/**
 * SCL3–SCL4 in a real browser (Debian's Chromium) against `caja demo`: a USB scanner in keyboard
 * mode is keys a few milliseconds apart and an Enter, sent wherever the focus is. Playwright's
 * keyboard is the scanner.
 */
let demo: DemoStore;
let browser: Browser;

/** Every wait has its own deadline: a loaded 2-core machine, real processes. */
const WAIT = { timeout: 30_000 };
const POLL = { timeout: 30_000, interval: 100 };

const catalog = demoCatalog().map((d) => d.product);
const bySku = (sku: string) => {
  const product = catalog.find((p) => p.sku === sku);
  if (!product) throw new Error(`no ${sku} in the demo catalog`);
  return product;
};
const milk = bySku('LAC-001');
const soda = bySku('BEB-001');
const banana = catalog.find((p) => p.name.startsWith('Banano'));
const layout = scaleLabelLayout(DEFAULT_SCALE_LABEL_FORMAT);

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent(WAIT)) ?? '').replace(/\s/g, ' ');
const quantity = async (page: Page, sku: string) =>
  Number((await page.getByTestId(`cart-qty-${sku}`).inputValue(WAIT)).replace(',', '.'));
const cartSkus = async (page: Page) =>
  (
    await Promise.all(
      (await page.locator('[data-testid^="cart-line-"]').all()).map((l) =>
        l.getAttribute('data-testid', WAIT),
      ),
    )
  ).map((id) => (id ?? '').replace('cart-line-', ''));

/** Records when the page sees each key press (capture phase, before the screen's own listener). */
const RECORD_KEY_TIMES = `window.keyTimes = [];
  document.addEventListener('keydown', (e) => window.keyTimes.push(e.timeStamp), { capture: true });`;

/** The largest pause between two key presses the page saw since the last call (ms). */
const largestGap = (page: Page) =>
  page.evaluate<number>(`(() => {
    const times = window.keyTimes;
    window.keyTimes = [];
    return times.slice(1).reduce((max, t, i) => Math.max(max, t - times[i]), 0);
  })()`);

/** The scanner (scanKeys); logs the largest pause the page saw between its keys. */
async function scan(page: Page, code: string): Promise<void> {
  await largestGap(page);
  await scanKeys(page, code);
  console.log(
    `e2e scanner: ${code}, largest pause between its keys ${Math.round(await largestGap(page))} ms`,
  );
}

beforeAll(async () => {
  demo = await startDemo('caja-e2e-scanner-');
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await demo.stop();
});

describe('a barcode scanner on the demo store’s screens', () => {
  it('[SCL3] [SCL4] adds what is scanned wherever the focus is, never presses the focused button, says an unknown code, adds a scale label’s weight; on a table’s order too', async () => {
    if (!banana?.plu || !layout.ok || !milk.barcode || !soda.barcode) throw new Error('demo catalog');
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO' });
    page.setDefaultTimeout(30_000);
    await page.addInitScript(RECORD_KEY_TIMES);
    await page.goto(demo.caja1);
    await page.getByTestId('login-user-ana').waitFor(WAIT);
    await login(page, 'ana', PIN.ana);
    await page.getByTestId('nav-caja').click();
    await page.getByTestId('shift-open-cash').fill('100000');
    await page.getByTestId('shift-open').click();
    await page.getByTestId('x-report-button').waitFor(WAIT);
    await page.getByTestId('nav-ventas').click();
    await page.getByTestId('product-search').waitFor(WAIT);

    // (a) The focus on a cart button (takeaway): the milk is added, the button is not pressed.
    const takeaway = page.getByTestId('channel-llevar');
    await takeaway.focus();
    await scan(page, milk.barcode);
    await page.getByTestId(`cart-line-${milk.sku}`).waitFor(WAIT);
    expect(await takeaway.getAttribute('aria-checked', WAIT)).toBe('false');
    // On the line's + button: one more milk from the scan, none from the button.
    const plus = page.getByTestId(`cart-inc-${milk.sku}`);
    await plus.focus();
    await scan(page, milk.barcode);
    await expect.poll(() => quantity(page, milk.sku), POLL).toBe(2);
    await page.waitForTimeout(500);
    expect(await quantity(page, milk.sku)).toBe(2);
    expect(await page.evaluate<string>(`document.activeElement?.getAttribute('data-testid')`)).toBe(
      `cart-inc-${milk.sku}`,
    );

    // (b) An unknown code, then a valid one: only the valid one is added; the message keeps the code.
    const unknown = '7709999999999';
    await scan(page, unknown);
    await expect.poll(() => text(page, 'scan-problem'), POLL).toContain(`Código no encontrado: ${unknown}`);
    await expect.poll(() => page.getByTestId('product-search').inputValue(WAIT), POLL).toBe(unknown);
    await scan(page, soda.barcode);
    await page.getByTestId(`cart-line-${soda.sku}`).waitFor(WAIT);
    expect(await cartSkus(page)).toEqual([milk.sku, soda.sku]);
    expect(await text(page, 'scan-problem')).toContain(unknown);
    await expect.poll(() => page.getByTestId('product-search').inputValue(WAIT), POLL).toBe('');

    // (c) A scale label of the bananas, 1,250 g, with the focus back on a button.
    await page.getByTestId('customer-edit').focus();
    await scan(page, makeScaleLabel(layout.value, 0, banana.plu, 1250));
    await page.getByTestId(`cart-line-${banana.sku}`).waitFor(WAIT);
    await expect.poll(() => quantity(page, banana.sku), POLL).toBe(1.25);
    expect(await page.getByTestId('customer-dialog').count()).toBe(0);
    expect(await cartSkus(page)).toEqual([milk.sku, soda.sku, banana.sku]);

    // (d) Comedores: a table's order, the focus on its pre-bill button.
    await page.getByTestId('nav-comedores').click();
    await page.getByTestId('table-mesa-4').click();
    await page.getByTestId('diners-2').click();
    await page.getByTestId('open-table-confirm').click();
    await page.getByTestId('order-panel').waitFor(WAIT);
    const preBill = page.getByTestId('order-bill');
    await preBill.waitFor(WAIT);
    await preBill.focus();
    await scan(page, soda.barcode);
    await page.locator(`[data-testid="order-lines"] [data-sku="${soda.sku}"]`).waitFor(WAIT);
    await expect.poll(() => text(page, 'order-lines'), POLL).toContain(soda.name);
    // The pre-bill dialog did not open.
    await page.waitForTimeout(500);
    expect(await page.locator('.modal, [role="dialog"]').count()).toBe(0);
    await page.close();
  }, 180_000);
});
