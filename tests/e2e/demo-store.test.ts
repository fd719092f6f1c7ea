import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoCatalog } from '../../src/cloud/seed/demo-catalog.js';
import { formatCop } from '../../src/domain/money.js';
import type { Money } from '../../src/domain/money.js';
import { launchBrowser, login, screenshot } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { TerminalApi } from '../support/api-client.js';
import { commandId, PIN } from '../support/store.js';

/**
 * End to end in a real browser (Debian's Chromium) against the demo store started with the real
 * `caja demo` command: two terminals, the reference cloud, all on loopback.
 */
let demo: DemoStore;
let browser: Browser;
let caja1: string;
let caja2: string;

const byCop = (n: number) => formatCop(n as Money).replace(/\s/g, ' ');
const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s/g, ' ');
const milk = demoCatalog().find((p) => p.product.sku === 'LAC-001')?.product;

/**
 * Luis sells a few times on caja-2 through its API before the browser starts, so the list of
 * invoices shows a store at work: two terminals, several payment means, an identified customer.
 */
async function sellOnCaja2(url: string): Promise<void> {
  const api = await new TerminalApi(url.replace(/\/$/, '')).login(PIN.luis);
  const open = await api.call('POST', '/api/shifts/open', {
    openingCash: 150_000,
    commandId: commandId('e2e'),
  });
  expect(open.status).toBe(201);
  const sales = [
    { lines: [{ sku: 'BEB-003', quantity: 1 }], payments: [{ method: 'cash', amount: 20_000 }] },
    {
      lines: [
        { sku: 'BAS-002', quantity: 2 },
        { sku: 'LAC-001', quantity: 3 },
      ],
      payments: [{ method: 'debit-card', amount: 25_000 }],
      customer: { idType: 'CC', idNumber: '1020304050', name: 'María Fernanda Rojas' },
    },
    { lines: [{ sku: 'SNK-001', quantity: 4 }], payments: [{ method: 'transfer', amount: 10_400 }] },
  ];
  for (const sale of sales) {
    const res = await api.call('POST', '/api/sales', { ...sale, commandId: commandId('e2e') });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

beforeAll(async () => {
  demo = await startDemo('caja-e2e-');
  caja1 = demo.caja1;
  caja2 = demo.caja2;
  await sellOnCaja2(caja2);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await demo.stop();
});

describe('the cashier’s screen, two terminals of the demo store', () => {
  it('sells on caja-1, shows the sale on caja-2, voids it there and sees the void on caja-1, closes a shift', async () => {
    const viewport = { width: 1366, height: 768 };
    const page1 = await browser.newPage({ viewport, locale: 'es-CO' });
    const page2 = await browser.newPage({ viewport, locale: 'es-CO' });
    await page1.goto(caja1);
    await page1.getByTestId('login-user-ana').waitFor();
    await page1.getByTestId('login-terminal').waitFor();
    await screenshot(page1, '01-login');
    await page1.getByTestId('login-user-ana').click();
    await page1.getByTestId('pin-key-1').click();
    await page1.getByTestId('pin-key-2').click();
    await screenshot(page1, '02-pin');
    await page1.getByTestId('pin-clear').click();
    for (const digit of PIN.ana) await page1.getByTestId(`pin-key-${digit}`).click();
    await page1.getByTestId('pin-ok').click();
    await page1.getByTestId('banner').waitFor();
    await expect.poll(() => text(page1, 'banner')).toContain('MODO CONTINGENCIA');

    // caja-2 (Marta, manager) is on Facturas before the sale: the invoice must appear there live.
    await page2.goto(caja2);
    await login(page2, 'marta', PIN.marta);
    await page2.getByTestId('nav-facturas').click();

    // Caja: open the shift.
    await page1.getByTestId('nav-caja').click();
    await page1.getByTestId('shift-open-cash').fill('100000');
    await page1.getByTestId('shift-open').click();
    await page1.getByTestId('x-report-button').waitFor();
    await screenshot(page1, '06-caja');

    // Ventas: one product by search, one by barcode (a scanner types fast and presses Enter).
    await page1.getByTestId('nav-ventas').click();
    const search = page1.getByTestId('product-search');
    await search.fill('gaseosa cola 400');
    await page1.getByTestId('product-result-BEB-001').click();
    await search.fill('');
    await search.pressSequentially(milk?.barcode ?? '', { delay: 5 });
    await search.press('Enter');
    await page1.getByTestId('cart-line-LAC-001').waitFor();
    await page1.getByTestId('cart-line-BEB-001').waitFor();
    const total = 3_200 + 4_600;
    await expect.poll(() => text(page1, 'cart-total')).toContain(byCop(total));
    // Touch: a category shows its products.
    await page1.getByTestId('category-Bebidas').click();
    await page1.getByTestId('product-result-BEB-002').waitFor();
    await screenshot(page1, '03-ventas');

    await page1.getByTestId('pay-button').click();
    await page1.getByTestId('payment-dialog').waitFor();
    await page1.getByTestId('pay-method-cash').click();
    await page1.getByTestId('pay-amount').fill('20000');
    await expect.poll(() => text(page1, 'pay-change')).toContain(byCop(20_000 - total));
    await screenshot(page1, '04-pago');
    await page1.getByTestId('pay-confirm').click();
    await page1.getByTestId('receipt-preview').waitFor();
    // The screen shows prefix and consecutive apart ("C1-1"); the fiscal number is "C11".
    const number = (await page1.getByTestId('receipt-number').getAttribute('data-number')) ?? '';
    const issuedAt = Date.now();
    expect(number).toMatch(/^C1\d+$/);
    expect((await text(page1, 'receipt-number')).trim()).toBe(`C1-${number.slice(2)}`);
    // caja-2's list shows it without a reload. The time is printed, not asserted (speed belongs to
    // the benchmarks: bench:sync, bench:ui); the issue asks for it within 2 s.
    await page2.getByTestId(`invoice-row-${number}`).waitFor({ timeout: 10_000 });
    console.log(
      `e2e: ${number} issued on caja-1 shown in caja-2's Facturas after ${Date.now() - issuedAt} ms`,
    );
    await screenshot(page1, '05-recibo');
    await page1.getByTestId('receipt-close').click();

    await screenshot(page2, '07-facturas');
    // The money of a void goes back from caja-2's drawer (CRN2): the demo's caja-2 has a shift
    // open (Luis's); its expected cash before the void.
    await page2.getByTestId('nav-caja').click();
    await page2.getByTestId('x-report-button').click();
    const cashIn = async () => Number((await text(page2, 'x-expected-cash')).replace(/\D/g, ''));
    await page2.getByTestId('x-expected-cash').waitFor();
    const expectedBefore = await cashIn();
    await page2.getByTestId('nav-facturas').click();
    await page2.getByTestId(`invoice-row-${number}`).click();
    await page2.getByTestId('invoice-detail').waitFor();
    await page2.getByTestId('invoice-void').click();
    await page2.getByTestId('void-reason').fill('El cliente desistió de la compra');
    await page2.getByTestId('void-confirm').click();
    // CRN3: a credit-note request until the cloud acknowledges it.
    await expect.poll(() => text(page2, `invoice-status-${number}`)).toContain('Anulación solicitada');
    await screenshot(page2, '08-anulada');
    // caja-2's X report shows the refund, in cash (SHF5): 7.800 less expected in its drawer.
    await page2.getByTestId('nav-caja').click();
    await page2.getByTestId('x-report-button').click();
    await expect.poll(() => text(page2, 'x-refunds-total')).toContain(byCop(total));
    expect(await text(page2, 'x-refunds-cash')).toContain(byCop(total));
    expect(await cashIn()).toBe(expectedBefore - total);
    await screenshot(page2, '10-devolucion-x');

    // caja-1 sees the void live.
    await page1.getByTestId('nav-facturas').click();
    await expect
      .poll(() => text(page1, `invoice-status-${number}`), { timeout: 30_000 })
      .toContain('Anulación solicitada');

    // A second sale paid by debit card, then Ana closes the shift with Marta's PIN.
    await page1.getByTestId('nav-ventas').click();
    await page1.getByTestId('product-search').fill('arroz blanco 1 kg');
    await page1.getByTestId('product-result-BAS-002').click();
    await page1.getByTestId('pay-button').click();
    await page1.getByTestId('pay-method-debit-card').click();
    await page1.getByTestId('pay-amount').fill('5600');
    await page1.getByTestId('pay-confirm').click();
    await page1.getByTestId('receipt-preview').waitFor();
    await page1.getByTestId('receipt-close').click();

    // SHF6: closing first shows the Z with the difference. A count $ 57.800 short is beyond the
    // store's $ 20.000: it asks for a note and a manager.
    await page1.getByTestId('nav-caja').click();
    await page1.getByTestId('shift-close-counted').fill('50000');
    await page1.getByTestId('shift-close').click();
    await page1.getByTestId('preview-report').waitFor();
    expect(await text(page1, 'preview-difference')).toContain('57.800');
    await page1.getByTestId('close-limit').waitFor();
    expect(await page1.getByTestId('shift-close-confirm').isDisabled()).toBe(true);
    await screenshot(page1, '09-cierre-preview');
    await page1.getByTestId('shift-close-back').click();
    // Counted right: the cashier closes alone.
    await page1.getByTestId('shift-close-counted').fill(String(100_000 + total));
    await page1.getByTestId('shift-close').click();
    await page1.getByTestId('preview-report').waitFor();
    expect(await text(page1, 'preview-difference')).toContain(byCop(0));
    await page1.getByTestId('shift-close-confirm').click();
    await page1.getByTestId('z-report').waitFor();
    // Two sales on this shift (the void was requested on caja-2, so this drawer kept the cash).
    expect(await text(page1, 'z-sales-count')).toContain('2');
    expect(await text(page1, 'z-sales-total')).toContain(byCop(total + 5_600));
    expect(await text(page1, 'z-expected-cash')).toContain(byCop(100_000 + total));
    expect(await text(page1, 'z-difference')).toContain(byCop(0));
    await screenshot(page1, '09-cierre-z');
  }, 120_000);

  it('[CUS5] [CUS7] [RET1] Marta reads the directory, looks a buyer up by name, and returns one milk of Luis’s sale', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO' });
    await page.goto(caja2);
    await login(page, 'marta', PIN.marta);
    // "Leer catálogo" brings the cloud's customer directory with the catalog.
    await page.getByTestId('nav-caja').click();
    await page.getByTestId('catalog-read').click();
    await page.getByTestId('catalog-read-customers').waitFor({ timeout: 30_000 });
    expect(await text(page, 'catalog-read-customers')).toContain('3 en total');

    await page.getByTestId('nav-ventas').click();
    await page.getByTestId('customer-edit').click();
    await page.getByTestId('customer-search').fill('gomez');
    await page.getByTestId('customer-result-52345678').waitFor({ timeout: 30_000 });
    await screenshot(page, '11-cliente-directorio');
    await page.getByTestId('customer-result-52345678').click();
    expect(await page.getByTestId('customer-name').inputValue()).toBe('María Fernanda Gómez Ríos');
    expect(await page.getByTestId('customer-email').inputValue()).toBe('mafe.gomez@correo.example');
    // Luis's buyer (an offline invoice of this store) is in the directory, marked not uploaded.
    await page.getByTestId('customer-search').fill('rojas');
    await page.getByTestId('customer-result-offline').waitFor({ timeout: 30_000 });
    expect(await text(page, 'customer-results')).toContain('María Fernanda Rojas');
    await page.getByTestId('customer-save').click();
    await expect.poll(() => text(page, 'cart-customer')).toContain('María Fernanda Gómez Ríos · CC 52345678');

    // RET1: one of the three milks of C22 comes back; the card is credited.
    const price = (sku: string) =>
      demoCatalog().find((p) => p.product.sku === sku)?.product.price ?? Number.NaN;
    const saleTotal = 2 * price('BAS-002') + 3 * price('LAC-001');
    await page.getByTestId('nav-facturas').click();
    await page.getByTestId('invoice-row-C22').click();
    await page.getByTestId('invoice-return').click();
    await page.getByTestId('return-qty-LAC-001').fill('1');
    expect(await text(page, 'return-amount')).toContain(byCop(price('LAC-001')));
    expect(await text(page, 'return-amount')).toContain('Tarjeta de débito');
    await page.getByTestId('return-reason').fill('Leche con fecha vencida');
    await screenshot(page, '12-devolucion-parcial');
    await page.getByTestId('return-confirm').click();
    await page.getByTestId('detail-returns').waitFor({ timeout: 30_000 });
    expect(await text(page, 'detail-remaining')).toContain(byCop(saleTotal - price('LAC-001')));
    expect(await text(page, 'invoice-status-C22')).toContain('Con devolución');
    expect(await text(page, 'invoice-status-C22')).toContain('Vigente');
    await page.close();
  }, 120_000);
});
