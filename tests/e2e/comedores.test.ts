import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Invoice } from '../../src/domain/invoice.js';
import { formatCop, type Money } from '../../src/domain/money.js';
import { TerminalApi } from '../support/api-client.js';
import { launchBrowser, login, screenshot } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { commandId, PIN } from '../support/store.js';

/**
 * Comedores end to end in a real browser (Debian's Chromium) against the demo store started with
 * the real `caja demo` command: a waiter on caja-1 and a cashier on caja-2 work one table at the
 * same time; every change shows on the other screen live; the bill is split in two with a tip.
 */
let demo: DemoStore;
let browser: Browser;
let caja1: string;
let caja2: string;

const byCop = (n: number) => formatCop(n as Money).replace(/\s/g, ' ');
const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s/g, ' ');
const attributes = async (page: Page, selector: string, name: string) =>
  (await Promise.all((await page.locator(selector).all()).map((l) => l.getAttribute(name)))).map(
    (v) => v ?? '',
  );
const skus = async (page: Page) =>
  (await attributes(page, '[data-testid="order-lines"] [data-sku]', 'data-sku')).sort();
const line = (page: Page, sku: string) => page.locator(`[data-sku="${sku}"]`).first();

async function addProduct(page: Page, query: string, sku: string, times = 1): Promise<void> {
  await page.getByTestId('product-search').fill(query);
  for (let i = 0; i < times; i += 1) {
    await page.getByTestId(`product-result-${sku}`).click();
    // One tap at a time: the second tap adds to the line the first one made.
    await line(page, sku).waitFor();
    if (i + 1 < times)
      await expect.poll(() => line(page, sku).getByTestId('line-qty').textContent()).toBe(String(i + 1));
  }
}

beforeAll(async () => {
  demo = await startDemo('caja-e2e-comedores-');
  caja1 = demo.caja1;
  caja2 = demo.caja2;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await demo.stop();
});

describe('comedores on two terminals of the demo store', () => {
  it('a waiter on caja-1 and a cashier on caja-2 fill one table at once, send it to the kitchen, split it in two with a tip and close it', async () => {
    // Other tables of the evening, through caja-1's API: one eating, one waiting for the bill.
    const api = await new TerminalApi(caja1).login(PIN.marta);
    const addByApi = (table: string, sku: string, quantity: number) =>
      api.call('POST', `/api/tables/${table}/lines`, { commandId: commandId('line'), sku, quantity });
    expect((await api.call('POST', '/api/tables/mesa-2/open', { diners: 3 })).status).toBe(201);
    await addByApi('mesa-2', 'PLA-003', 2);
    await addByApi('mesa-2', 'RBE-010', 2);
    expect((await api.call('POST', '/api/tables/terraza-1/open', { diners: 2 })).status).toBe(201);
    await addByApi('terraza-1', 'DSY-001', 2);
    await addByApi('terraza-1', 'RBE-006', 2);
    expect((await api.call('POST', '/api/tables/terraza-1/bill', {})).status).toBe(200);

    const viewport = { width: 1366, height: 768 };
    const waiter = await browser.newPage({ viewport, locale: 'es-CO' });
    const cashier = await browser.newPage({ viewport, locale: 'es-CO' });
    await waiter.goto(caja1);
    await login(waiter, 'ana', PIN.ana);
    await cashier.goto(caja2);
    await login(cashier, 'luis', PIN.luis);

    // The cashier opens the shift of caja-2 (closing a table issues invoices there).
    await cashier.getByTestId('nav-caja').click();
    await cashier.getByTestId('shift-open-cash').fill('100000');
    await cashier.getByTestId('shift-open').click();
    await cashier.getByTestId('x-report-button').waitFor();
    await cashier.getByTestId('nav-comedores').click();
    await cashier.getByTestId('floor-map').waitFor();

    // The waiter opens Mesa 5 for four and orders an ajiaco; the cashier's floor shows it live.
    await waiter.getByTestId('nav-comedores').click();
    await waiter.getByTestId('table-mesa-5').click();
    await waiter.getByTestId('diners-4').click();
    await waiter.getByTestId('open-table-confirm').click();
    await waiter.getByTestId('order-panel').waitFor();
    await addProduct(waiter, 'ajiaco', 'PLA-002');
    await expect
      .poll(() => cashier.getByTestId('table-mesa-5').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('occupied');
    await expect.poll(() => text(cashier, 'table-mesa-5')).toContain(byCop(28_000));
    await expect
      .poll(() => cashier.getByTestId('table-terraza-1').getAttribute('data-state'))
      .toBe('billing');
    await screenshot(cashier, 'comedores-floor');

    // Both add to the table at the same moment, from two terminals.
    await cashier.getByTestId('table-mesa-5').click();
    await cashier.getByTestId('order-panel').waitFor();
    await Promise.all([
      (async () => {
        await addProduct(waiter, 'bandeja', 'PLA-001');
        await line(waiter, 'PLA-001').getByRole('button', { name: 'Nota' }).click();
        await waiter.getByTestId('line-note-input').fill('sin cebolla');
        await waiter.getByTestId('line-note-save').click();
      })(),
      (async () => {
        await addProduct(cashier, 'limonada natural', 'RBE-001', 2);
        await addProduct(cashier, 'tres leches', 'POS-002');
      })(),
    ]);
    const all = ['PLA-001', 'PLA-002', 'POS-002', 'RBE-001'];
    for (const page of [waiter, cashier]) {
      await expect.poll(() => skus(page), { timeout: 30_000 }).toEqual(all);
      await expect.poll(() => text(page, 'order-total')).toContain(byCop(32_000 + 28_000 + 12_000 + 10_000));
      await expect.poll(() => line(page, 'PLA-001').textContent()).toContain('sin cebolla');
    }
    // The cashier's lines show on the waiter's screen as coming from caja-2.
    expect(await line(waiter, 'RBE-001').textContent()).toContain('Caja 2');
    await waiter.getByTestId('product-search').fill('');
    await waiter.getByTestId('category-Platos fuertes').click();
    await screenshot(waiter, 'comedores-order');

    // The waiter sends it to the kitchen: one comanda with the four dishes and the note.
    await waiter.getByTestId('order-send').click();
    const comanda = (await waiter.getByTestId('ticket-comanda').textContent()) ?? '';
    for (const dish of [
      'Ajiaco santafereño',
      'Bandeja paisa',
      'sin cebolla',
      '2 × Limonada natural',
      'Tres leches',
    ])
      expect(comanda).toContain(dish);
    await waiter.getByTestId('ticket-close').click();
    await expect
      .poll(() => line(cashier, 'PLA-001').getAttribute('data-sent'), { timeout: 30_000 })
      .toBe('true');
    expect(await cashier.getByTestId('order-send').isDisabled()).toBe(true);

    // The cashier prints the bill, asking the tip first: $ 7.000, under the 10 % of the service
    // before tax (29.630 + 25.926 + 11.111 + 9.259 = 75.926 → at most $ 7.592, TIP2).
    const service = 82_000;
    const tip = 7_000;
    const tooMuch = await api.call<{ error: string }>('POST', '/api/tables/mesa-5/bill', { tip: 7_593 });
    expect([tooMuch.status, tooMuch.body.error]).toEqual([422, 'invalid-tip']);
    await cashier.getByTestId('order-bill').click();
    // Money is shown with thousands separators as it is typed (MoneyInput).
    await expect.poll(() => cashier.getByTestId('tip-amount').inputValue()).toBe('7.592');
    await cashier.getByTestId('tip-amount').fill(String(tip));
    await expect.poll(() => text(cashier, 'bill-total')).toContain(byCop(service + tip));
    await cashier.getByTestId('bill-print').click();
    const cuenta = (await cashier.getByTestId('ticket-cuenta').textContent()) ?? '';
    expect(cuenta).toContain('Propina voluntaria');
    expect(cuenta).toContain('7.000');
    await cashier.getByTestId('ticket-close').click();
    await expect.poll(() => text(waiter, 'order-state'), { timeout: 30_000 }).toContain('Cuenta pedida');

    // Charge in two equal parts: the tip chosen for the bill is proposed; cash and debit card.
    await cashier.getByTestId('order-close').click();
    await cashier.getByTestId('close-table-dialog').waitFor();
    expect(await cashier.getByTestId('tip-amount').inputValue()).toBe('7.000');
    await cashier.getByTestId('split-equal').click();
    const part = (service + tip) / 2;
    await expect.poll(() => text(cashier, 'part-total-1')).toContain(byCop(part));
    await expect.poll(() => text(cashier, 'part-total-2')).toContain(byCop(part));
    // Part 1 pays 20.000 in cash and the rest (24.500) by credit card; part 2 by debit card.
    await cashier.getByTestId('part-1-amount').fill('20000');
    await cashier.getByTestId('part-1-add-method').click();
    await cashier.getByTestId('part-1-second-credit-card').click();
    await expect.poll(() => text(cashier, 'part-1-change')).toContain(byCop(0));
    await cashier.getByTestId('part-2-method-debit-card').click();
    await screenshot(cashier, 'comedores-split');
    await cashier.getByTestId('close-confirm').click();
    await cashier.getByTestId('table-closed-dialog').waitFor();
    const numbers = (await attributes(cashier, '[data-testid^="closed-invoice-"]', 'data-testid')).map((id) =>
      id.replace('closed-invoice-', ''),
    );
    expect(numbers).toHaveLength(2);
    expect(await text(cashier, 'table-closed-dialog')).toContain('INC 8 %');
    // Each invoice's receipt, as it prints.
    await cashier.getByTestId(`closed-receipt-${numbers[0] ?? ''}`).click();
    await expect
      .poll(() => cashier.getByTestId('receipt-number').getAttribute('data-number'))
      .toBe(numbers[0]);
    await cashier.locator('.receipt-frame').waitFor();
    await cashier.getByTestId('receipt-close').click();

    // Both invoices as the host recorded them: INC 8 % on the service, the tip outside the base.
    const host2 = await new TerminalApi(caja2).login(PIN.marta);
    const listed = await host2.call<{ items: { invoice: Invoice }[] }>(
      'GET',
      '/api/invoices?terminal=caja-2',
    );
    const invoices = listed.body.items.map((i) => i.invoice).filter((i) => numbers.includes(i.number));
    expect(invoices).toHaveLength(2);
    for (const invoice of invoices) {
      expect(invoice.taxes.map((t) => t.code)).toEqual(['INC8']);
      expect(invoice.taxes[0]?.rate).toBe(8);
      expect(invoice.taxes.reduce((s, t) => s + t.base + t.tax, 0)).toBe(invoice.subtotal);
      expect(invoice.total).toBe(invoice.subtotal + invoice.tip);
      expect(invoice.subtotal).toBe(service / 2);
      expect(invoice.tip).toBe(tip / 2);
      expect(invoice.split).toMatchObject({ parts: 2 });
    }
    expect(invoices.map((i) => i.payments.map((p) => [p.method, p.amount])).sort()).toEqual([
      [
        ['cash', 20_000],
        ['credit-card', part - 20_000],
      ],
      [['debit-card', part]],
    ]);

    // The table is free on both screens; the waiter, still on it, is told where it was charged.
    await cashier.getByTestId('table-closed-done').click();
    await expect.poll(() => cashier.getByTestId('table-mesa-5').getAttribute('data-state')).toBe('free');
    await expect
      .poll(() => text(waiter, 'floor-notice'), { timeout: 30_000 })
      .toContain('se cobró en Caja 2');
    await waiter.getByTestId('order-back').click();
    await expect.poll(() => waiter.getByTestId('table-mesa-5').getAttribute('data-state')).toBe('free');
    await expect.poll(() => text(waiter, 'count-occupied')).toBe('1');
  }, 180_000);

  it("[FLR8] a cashier renames a table and adds one with a manager's PIN; the other terminal shows them live", async () => {
    const viewport = { width: 1366, height: 768 };
    const waiter = await browser.newPage({ viewport, locale: 'es-CO' });
    const cashier = await browser.newPage({ viewport, locale: 'es-CO' });
    await waiter.goto(caja1);
    await login(waiter, 'ana', PIN.ana);
    await waiter.getByTestId('nav-comedores').click();
    await waiter.getByTestId('floor-map').waitFor();
    await cashier.goto(caja2);
    await login(cashier, 'luis', PIN.luis);
    await cashier.getByTestId('nav-comedores').click();

    await cashier.getByTestId('floor-edit-tables').click();
    await cashier.getByTestId('tables-admin-dialog').waitFor();
    await cashier.getByTestId('admin-name-terraza-4').fill('Terraza VIP');
    await cashier.getByTestId('admin-save-terraza-4').click();
    // Luis is a cashier: Marta authorizes it with her PIN, and Luis stays logged in.
    await cashier.getByTestId('manager-pin-dialog').waitFor();
    await cashier.getByTestId('manager-pin-input').fill(PIN.marta);
    await cashier.getByTestId('manager-pin-ok').click();
    await expect.poll(() => text(waiter, 'table-terraza-4'), { timeout: 10_000 }).toContain('Terraza VIP');

    // A name another table has is refused with its reason, and nothing changes.
    await cashier.getByTestId('admin-new-name-salon').fill('mesa 1');
    await cashier.getByTestId('admin-add-salon').click();
    await cashier.getByTestId('manager-pin-input').fill(PIN.marta);
    await cashier.getByTestId('manager-pin-ok').click();
    await expect.poll(() => text(cashier, 'error-message')).toContain('Ya hay una mesa con ese nombre');

    await cashier.getByTestId('admin-new-name-salon').fill('Mesa 9');
    await cashier.getByTestId('admin-new-seats-salon').fill('6');
    await cashier.getByTestId('admin-add-salon').click();
    await cashier.getByTestId('manager-pin-input').fill(PIN.marta);
    await cashier.getByTestId('manager-pin-ok').click();
    await expect.poll(() => text(waiter, 'area-salon'), { timeout: 10_000 }).toContain('Mesa 9');
    await screenshot(cashier, 'comedores-mesas');
    expect(await text(cashier, 'area-salon')).toContain('Mesa 9');
    await expect.poll(() => text(waiter, 'area-salon')).toContain('9 mesas');
  }, 120_000);
});
