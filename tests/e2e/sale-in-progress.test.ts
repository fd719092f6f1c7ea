import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Invoice } from '../../src/domain/invoice.js';
import type { StoredCart } from '../../src/domain/sale-draft.js';
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
 * DRF1–DRF3 in a real browser (Debian's Chromium) against a real `caja terminal` process: the sale
 * in progress survives a SIGKILL of the terminal program and a reload of the page, sales are
 * parked and taken back, "Vaciar" and "Salir" ask first and can be undone.
 */
const VIEWPORT = { width: 1366, height: 768 };
const WAIT = { timeout: 30_000 };
let browser: Browser;
let store: TestStore;
let c1: TestTerminal;

beforeAll(async () => {
  browser = await launchBrowser();
  store = await startStore(['caja-1']);
  const [first] = store.terminals;
  if (!first) throw new Error('a terminal');
  c1 = first;
  await c1.api.login(PIN.ana);
  const opened = await c1.api.call('POST', '/api/shifts/open', {
    openingCash: 0,
    commandId: commandId('e2e-drf'),
  });
  expect(opened.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await browser.close();
  await store.stop();
});

const cartSkus = async (page: Page) =>
  (
    await Promise.all(
      (await page.locator('[data-testid^="cart-line-"]').all()).map((l) =>
        l.getAttribute('data-testid', WAIT),
      ),
    )
  ).map((id) => (id ?? '').replace('cart-line-', ''));

async function add(page: Page, query: string, sku: string): Promise<void> {
  const search = page.getByTestId('product-search');
  await search.fill(query, WAIT);
  await page.getByTestId(`product-result-${sku}`).click(WAIT);
  await page.getByTestId(`cart-line-${sku}`).waitFor(WAIT);
}

async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT, locale: 'es-CO' });
  page.setDefaultTimeout(30_000);
  await page.goto(`http://127.0.0.1:${c1.port}/`);
  return page;
}

const storedCart = async () => (await c1.api.call<{ cart: StoredCart | null }>('GET', '/api/cart')).body.cart;

describe('the sale in progress', () => {
  it('[DRF1][DRF3] survives a SIGKILL of the terminal program and a reload; finished after the PIN again', async () => {
    const page = await openPage();
    await login(page, 'ana', PIN.ana);
    await add(page, 'gaseosa cola 400', 'BEB-001');
    await add(page, 'leche', 'LAC-001');
    await page.getByTestId('cart-inc-LAC-001').click();
    await expect
      .poll(() => page.getByTestId('cart-counts').textContent(), WAIT)
      .toMatch(/2 productos · 3 unidades/);
    // The cart is on the terminal's disk before the program dies.
    await eventually(async () => {
      expect((await storedCart())?.draft.lines.map((l) => [l.sku, l.quantity])).toEqual([
        ['BEB-001', 1],
        ['LAC-001', 2],
      ]);
    }, 30_000);

    await store.kill(c1);
    await store.start(c1);
    await c1.api.login(PIN.ana);

    // The screen notices the host forgot its session: the PIN again, for Ana, with the reason.
    await page.getByTestId('session-lost').waitFor(WAIT);
    expect(await page.getByTestId('session-lost').textContent()).toMatch(
      /sesión de Ana terminó.*se reinició/,
    );
    await screenshot(page, 'sesion-perdida');
    for (const digit of PIN.ana) await page.getByTestId(`pin-key-${digit}`).click();
    await page.getByTestId('pin-ok').click();
    await page.getByTestId('banner').waitFor(WAIT);
    await expect.poll(() => cartSkus(page), WAIT).toEqual(['BEB-001', 'LAC-001']);

    // A reload of the page keeps the session and the cart.
    await page.reload();
    await page.getByTestId('banner').waitFor(WAIT);
    await expect.poll(() => cartSkus(page), WAIT).toEqual(['BEB-001', 'LAC-001']);

    await page.getByTestId('pay-button').click();
    await page.getByTestId('payment-dialog').waitFor(WAIT);
    await page.getByTestId('pay-method-cash').click();
    await page.getByTestId('pay-amount').fill('100000');
    await page.getByTestId('pay-confirm').click();
    await page.getByTestId('receipt-preview').waitFor(WAIT);
    const number = ((await page.getByTestId('receipt-number').textContent()) ?? '').trim();
    expect(number).toMatch(/^C1/);
    // DRF3: the issued sale is no longer the sale in progress.
    expect(await storedCart()).toBeNull();
    const invoices = await c1.api.call<{ items: { invoice: Invoice }[] }>('GET', '/api/invoices');
    const issued = invoices.body.items.map((i) => i.invoice).filter((i) => i.lines.length === 2);
    expect(issued.map((i) => i.lines.map((l) => [l.sku, l.quantity]))).toEqual([
      [
        ['BEB-001', 1],
        ['LAC-001', 2],
      ],
    ]);
    await page.close();
  }, 240_000);

  it('[DRF2] two sales parked and taken back, one touch each; the cart on screen goes aside in its place', async () => {
    const page = await openPage();
    await login(page, 'ana', PIN.ana);
    await add(page, 'gaseosa cola 400', 'BEB-001');
    await page.getByTestId('cart-park').click();
    await expect.poll(() => cartSkus(page), WAIT).toEqual([]);
    await add(page, 'leche', 'LAC-001');
    await page.getByTestId('cart-park').click();
    await expect.poll(() => page.getByTestId('parked-open').textContent(), WAIT).toMatch(/En espera \(2\)/);

    await page.getByTestId('parked-open').click();
    await page.getByTestId('parked-dialog').waitFor(WAIT);
    expect(await page.getByTestId('parked-0').textContent()).toMatch(/Ana.*1 producto.*Gaseosa/);
    await screenshot(page, 'ventas-en-espera');
    await page.getByTestId('parked-restore-0').click();
    await page.getByTestId('parked-dialog').waitFor({ state: 'detached', ...WAIT });
    await expect.poll(() => cartSkus(page), WAIT).toEqual(['BEB-001']);
    await expect.poll(() => page.getByTestId('parked-open').textContent(), WAIT).toMatch(/\(1\)/);

    // Taking the other back while one is on screen: the one on screen waits instead.
    await page.getByTestId('parked-open').click();
    await page.getByTestId('parked-restore-0').click();
    await expect.poll(() => cartSkus(page), WAIT).toEqual(['LAC-001']);
    const parked = await c1.api.call<{ sales: { draft: { lines: { sku: string }[] } }[] }>(
      'GET',
      '/api/parked-sales',
    );
    expect(parked.body.sales.map((s) => s.draft.lines.map((l) => l.sku))).toEqual([['BEB-001']]);
    await page.close();
  }, 180_000);

  it('[DRF1] "Vaciar" asks first (Esc keeps the sale, Enter empties it) and "Deshacer" brings it back', async () => {
    const page = await openPage();
    await login(page, 'ana', PIN.ana);
    await expect.poll(() => cartSkus(page), WAIT).toEqual(['LAC-001']);
    await page.getByTestId('cart-clear').click();
    await page.getByTestId('clear-dialog').waitFor(WAIT);
    await page.keyboard.press('Escape');
    await page.getByTestId('clear-dialog').waitFor({ state: 'detached', ...WAIT });
    expect(await cartSkus(page)).toEqual(['LAC-001']);
    await page.getByTestId('cart-clear').click();
    await page.getByTestId('clear-dialog').waitFor(WAIT);
    await page.keyboard.press('Enter');
    await expect.poll(() => cartSkus(page), WAIT).toEqual([]);
    await page.getByTestId('toast-undo').click();
    await expect.poll(() => cartSkus(page), WAIT).toEqual(['LAC-001']);
    await eventually(async () => {
      expect((await storedCart())?.draft.lines.map((l) => l.sku)).toEqual(['LAC-001']);
    }, 30_000);
    await page.close();
  }, 180_000);

  it('[DRF1] "Salir" with a sale asks first; after "Descartar y salir", "Deshacer" gives back the session and the sale', async () => {
    const page = await openPage();
    await login(page, 'ana', PIN.ana);
    await expect.poll(() => cartSkus(page), WAIT).toEqual(['LAC-001']);
    await page.getByTestId('logout').click();
    await page.getByTestId('leave-dialog').waitFor(WAIT);
    await page.getByTestId('leave-discard').click();
    await page.getByTestId('leave-undo').waitFor(WAIT);
    await page.getByTestId('leave-undo').click();
    await page.getByTestId('banner').waitFor(WAIT);
    await expect.poll(() => cartSkus(page), WAIT).toEqual(['LAC-001']);

    // Enter on the question keeps the sale aside, and the log-in is free for the next cashier.
    await page.getByTestId('logout').click();
    await page.getByTestId('leave-dialog').waitFor(WAIT);
    await page.keyboard.press('Enter');
    await page.getByTestId('login-user-luis').waitFor(WAIT);
    await eventually(async () => {
      const parked = await c1.api.call<{ sales: { owner: { id: string } }[] }>('GET', '/api/parked-sales');
      expect(parked.body.sales.map((s) => s.owner.id)).toEqual(['ana', 'ana']);
    }, 30_000);
    await page.close();
  }, 180_000);

  it('the line just added stays in view however long the cart, with the item and unit counts', async () => {
    const page = await openPage();
    await login(page, 'ana', PIN.ana);
    await page.getByTestId('category-Bebidas').click();
    const tiles = page.locator('[data-testid^="product-result-"]');
    await tiles.first().waitFor(WAIT);
    const count = Math.min(await tiles.count(), 10);
    for (let i = 0; i < count; i += 1) await tiles.nth(i).click();
    await expect
      .poll(() => page.getByTestId('cart-counts').textContent(), WAIT)
      .toMatch(new RegExp(`${count} productos · ${count} unidades`));
    const lastSku = (await cartSkus(page)).at(-1) ?? '';
    const inView = await page.evaluate<boolean>(`(() => {
      const list = document.querySelector('.cart-lines');
      const line = document.querySelector('[data-testid="cart-line-${lastSku}"]');
      if (!list || !line) return false;
      const a = list.getBoundingClientRect();
      const b = line.getBoundingClientRect();
      return b.top >= a.top - 1 && b.bottom <= a.bottom + 1;
    })()`);
    expect(inView).toBe(true);
    await page.close();
  }, 180_000);
});
