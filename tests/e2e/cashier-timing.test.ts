import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoCatalog } from '../../src/cloud/seed/demo-catalog.js';
import { launchBrowser, login, scanKeys } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { PIN } from '../support/store.js';

/**
 * A scanned 5-item cash sale at the keyboard, as a cashier makes it on `caja demo` in Debian's
 * Chromium: five scans, F4 (Cobrar), the bill the customer gives, Enter (Confirmar), Enter (the
 * receipt closes). The page counts the cashier's keys (a scan's burst is counted as one scan) and
 * its own clock times the sale from the first scan to the receipt on screen.
 */
let demo: DemoStore;
let browser: Browser;
const WAIT = { timeout: 30_000 };

const scanned = demoCatalog()
  .map((d) => d.product)
  .filter((p) => p.barcode !== undefined && p.active && p.openPrice !== true && p.unit === 'unit')
  .slice(0, 5);

/** Counts keys the page receives that are not part of a scanner's burst (set by `scan`). */
const COUNT_KEYS = `window.cashierKeys = 0; window.inScan = false;
  document.addEventListener('keydown', (e) => { if (!window.inScan) window.cashierKeys += 1; }, { capture: true });`;

/** A scan (scanKeys), its keys not counted as the cashier's. */
async function scan(page: Page, code: string): Promise<void> {
  await page.evaluate('window.inScan = true');
  await scanKeys(page, code);
  await page.evaluate('window.inScan = false');
}

beforeAll(async () => {
  demo = await startDemo('caja-e2e-timing-');
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await demo.stop();
});

describe('a scanned cash sale at the keyboard', () => {
  it('five scans, F4, the bill, Enter, Enter: keys and time measured in the browser', async () => {
    expect(scanned).toHaveLength(5);
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO' });
    page.setDefaultTimeout(30_000);
    await page.goto(demo.caja1);
    await login(page, 'ana', PIN.ana);
    await page.getByTestId('nav-caja').click();
    await page.getByTestId('shift-open-cash').fill('100000');
    await page.getByTestId('shift-open').click();
    await page.getByTestId('x-report-button').waitFor(WAIT);
    await page.getByTestId('nav-ventas').click();
    await page.getByTestId('product-search').waitFor(WAIT);
    await page.evaluate(COUNT_KEYS);

    const start = await page.evaluate<number>('performance.now()');
    for (const product of scanned) {
      await scan(page, product.barcode ?? '');
      await page.getByTestId(`cart-line-${product.sku}`).waitFor(WAIT);
    }
    const total = scanned.reduce((sum, p) => sum + p.price, 0);
    const bill = Math.ceil(total / 50_000) * 50_000;
    await page.keyboard.press('F4');
    await page.getByTestId('payment-dialog').waitFor(WAIT);
    await page.keyboard.type(String(bill));
    await expect.poll(() => page.getByTestId('pay-change').textContent(WAIT), WAIT).toMatch(/\d/);
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-number').waitFor(WAIT);
    const receiptShown = await page.evaluate<number>('performance.now()');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-preview').waitFor({ state: 'detached', ...WAIT });
    const keys = await page.evaluate<number>('window.cashierKeys');

    // F4, the bill's digits, Enter to confirm, Enter to close the receipt: nothing else.
    expect(keys).toBe(1 + String(bill).length + 2);
    console.log(
      `e2e timing: a scanned 5-item cash sale: 5 scans + ${keys} keys (F4, ${String(bill)}, Enter, Enter), ` +
        `${Math.round(receiptShown - start)} ms from the first scan to the receipt, measured in the browser`,
    );
    await page.close();
  }, 180_000);
});
