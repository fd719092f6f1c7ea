import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cashSuggestions } from '../../src/domain/cash-suggestions.js';
import type { Invoice } from '../../src/domain/invoice.js';
import { formatCop, type Money } from '../../src/domain/money.js';
import { TerminalApi } from '../support/api-client.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { commandId, PIN } from '../support/store.js';

/**
 * A whole sale by touch only on `caja demo` in Debian's Chromium, as a cashier at a touch screen
 * does it: the PIN pad, category tiles, the numpad for a quantity, a discount and an open-price
 * product's price, the bills received (each touch adds, CASH1), Confirmar. No key is pressed; the
 * page counts the touches and times the sale itself.
 */
let demo: DemoStore;
let browser: Browser;

const WAIT = { timeout: 30_000 };
const POLL = { timeout: 30_000, interval: 100 };
const byCop = (n: number) => formatCop(n as Money).replace(/\s/g, ' ');
const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent(WAIT)) ?? '').replace(/\s/g, ' ');

/** The page's own record: every touch (pointer of type touch), every key, and when the receipt showed. */
const RECORD = `window.touches = [];
  window.keys = 0;
  document.addEventListener('pointerdown', (e) => { if (e.pointerType === 'touch') window.touches.push(e.timeStamp); }, { capture: true });
  document.addEventListener('keydown', () => { window.keys += 1; }, { capture: true });
  new MutationObserver(() => {
    if (window.receiptAt === undefined && document.querySelector('[data-testid="receipt-number"]'))
      window.receiptAt = performance.now();
  }).observe(document, { childList: true, subtree: true });`;

beforeAll(async () => {
  demo = await startDemo('caja-e2e-numpad-');
  // The shift is opened before the sale (through the API: counting the drawer is not the sale).
  const api = await new TerminalApi(demo.caja1.replace(/\/$/, '')).login(PIN.ana);
  const open = await api.call('POST', '/api/shifts/open', {
    openingCash: 100_000,
    commandId: commandId('e2e'),
  });
  expect(open.status).toBe(201);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await demo.stop();
});

describe('a sale by touch', () => {
  it('[CASH1] [OPN1] logs in, picks by category, sets quantity, discount and an open price on the numpad, pays with bills that add, and issues that invoice', async () => {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'es-CO',
      hasTouch: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.addInitScript(RECORD);
    await page.goto(demo.caja1);
    await page.getByTestId('login-user-ana').waitFor(WAIT);

    let touches = 0;
    const tap = async (testId: string) => {
      await page.getByTestId(testId).tap(WAIT);
      touches += 1;
    };
    const backToCategories = async () => {
      await page.getByRole('button', { name: /Categorías/ }).tap(WAIT);
      touches += 1;
    };

    // The PIN pad.
    await tap('login-user-ana');
    for (const digit of PIN.ana) await tap(`pin-key-${digit}`);
    await tap('pin-ok');
    await page.getByTestId('banner').waitFor(WAIT);
    if (!(await page.getByTestId('product-search').isVisible())) await tap('nav-ventas');
    await page.getByTestId('line-numpad').waitFor(WAIT);
    const saleStartsAt = touches;
    const startedAt = await page.evaluate<number>('performance.now()');

    // Three sodas: the tile, then 3 on the numpad (Cant. is the numpad's first mode).
    await tap('category-Bebidas');
    await tap('product-result-BEB-001');
    await tap('numpad-3');
    await expect.poll(() => page.getByTestId('cart-qty-BEB-001').inputValue(), POLL).toBe('3');

    // Milk with 5 % off: within the cashier's limit (10 %), no manager asked.
    await backToCategories();
    await tap('category-Lácteos, huevos y carnes');
    await tap('product-result-LAC-001');
    await tap('numpad-mode-discount');
    await tap('numpad-5');
    await expect.poll(() => page.getByTestId('cart-discount-LAC-001').inputValue(), POLL).toBe('5');

    // "Varios supermercado": the numpad asks its price first (Precio), 8.500 typed as 8 5 00.
    await backToCategories();
    await tap('category-Varios');
    await tap('product-result-VAR-001');
    await expect
      .poll(() => page.getByTestId('numpad-mode-price').getAttribute('aria-checked'), POLL)
      .toBe('true');
    await tap('numpad-8');
    await tap('numpad-5');
    await tap('numpad-00');
    await expect.poll(() => text(page, 'numpad-display'), POLL).toContain('8.500');
    const total = 3 * 3_200 + (4_600 - 230) + 8_500;
    await expect.poll(() => text(page, 'cart-total'), POLL).toContain(byCop(total));
    await screenshot(page, 'numpad');

    // Cobrar; the bills offered come from the total; two touches of 50.000 are 100.000.
    await tap('pay-button');
    await page.getByTestId('payment-dialog').waitFor(WAIT);
    const offered = await Promise.all(
      (await page.locator('[data-testid^="pay-bill-"]').all()).map(async (b) =>
        Number(((await b.getAttribute('data-testid', WAIT)) ?? '').replace('pay-bill-', '')),
      ),
    );
    expect(offered).toEqual(cashSuggestions(total));
    await tap('pay-bill-50000');
    await expect.poll(() => page.getByTestId('pay-amount').inputValue(), POLL).toBe('50.000');
    await tap('pay-bill-50000');
    await expect.poll(() => page.getByTestId('pay-amount').inputValue(), POLL).toBe('100.000');
    await expect.poll(() => text(page, 'pay-change'), POLL).toContain(byCop(100_000 - total));
    await tap('pay-confirm');
    // The fiscal number (C11) is the element's data-number; the screen shows it as C1-1.
    const number = (await page.getByTestId('receipt-number').getAttribute('data-number', WAIT)) ?? '';
    expect(number).toMatch(/^C1\d+$/);
    expect((await text(page, 'receipt-number')).trim()).toBe(`C1-${number.slice(2)}`);

    const measured = await page.evaluate<{ touches: number[]; keys: number; receiptAt: number }>(
      '({ touches: window.touches, keys: window.keys, receiptAt: window.receiptAt })',
    );
    // Every action was a touch the page saw, and not one key was pressed.
    expect(measured.touches).toHaveLength(touches);
    expect(measured.keys).toBe(0);
    const first = measured.touches[0] ?? 0;
    console.log(
      `e2e numpad: a 3-line sale by touch (quantity, discount, open price, 2 bills): ${touches - saleStartsAt} touches ` +
        `from the first category to Confirmar, ${Math.round(measured.receiptAt - startedAt)} ms to the receipt ` +
        `measured in the browser; with the log-in ${touches} touches, ${Math.round(measured.receiptAt - first)} ms`,
    );

    // The invoice the host issued has those lines and prices.
    const api = await new TerminalApi(demo.caja1.replace(/\/$/, '')).login(PIN.ana);
    const list = await api.call<{ items: { invoice: Invoice }[] }>('GET', '/api/invoices');
    const invoice = list.body.items.map((i) => i.invoice).find((i) => i.number === number);
    expect(invoice?.lines.map((l) => [l.sku, l.quantity, l.unitPrice, l.discountPercent, l.amount])).toEqual([
      ['BEB-001', 3, 3_200, 0, 9_600],
      ['LAC-001', 1, 4_600, 5, 4_370],
      ['VAR-001', 1, 8_500, 0, 8_500],
    ]);
    expect(invoice).toMatchObject({ total, paid: 100_000, change: 100_000 - total });
    expect(invoice?.payments).toMatchObject([{ method: 'cash', amount: 100_000 }]);
    await context.close();
  }, 180_000);
});
