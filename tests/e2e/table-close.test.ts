import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { TerminalApi } from '../support/api-client.js';
import { launchBrowser, login, screenshot } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { commandId, PIN } from '../support/store.js';

/**
 * Comedores driven from the keyboard in Debian's Chromium against `caja demo` (issue 16 §4, §7):
 * Cuenta and Cobrar mesa open on their field and never on the ✕, Enter does what the primary
 * button says, Esc cancels; charging lines the kitchen has not received warns first; and a
 * 3-part table close, counted in keys and touches and timed in the browser.
 */
let demo: DemoStore;
let browser: Browser;
let page: Page;
const T = { timeout: 30_000 };

/** What has the focus: its test id, or its tag and accessible name (the ✕ is `button:Cerrar`). */
const focused = (p: Page) =>
  p.evaluate<string>(`(() => {
    const e = document.activeElement;
    if (!e) return '';
    return e.getAttribute('data-testid') ?? e.tagName.toLowerCase() + ':' + (e.getAttribute('aria-label') ?? '');
  })()`);
const inDialog = (p: Page, testId: string) =>
  p.evaluate<boolean>(
    `document.querySelector('[data-testid="${testId}"]')?.contains(document.activeElement) ?? false`,
  );

beforeAll(async () => {
  demo = await startDemo('caja-e2e-table-close-');
  browser = await launchBrowser();
  // Ana's shift on caja-1: closing a table issues invoices there.
  const ana = await new TerminalApi(demo.caja1).login(PIN.ana);
  const shift = await ana.call('POST', '/api/shifts/open', {
    openingCash: 100_000,
    commandId: commandId('turno'),
  });
  expect(shift.status).toBe(201);
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO' });
  await page.goto(demo.caja1);
  await login(page, 'ana', PIN.ana);
  await page.getByTestId('nav-comedores').click();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await demo.stop();
});

/** Open a free table and add products by SKU from the keyboard (the same code again adds one more). */
async function openWith(table: string, lines: readonly [sku: string, quantity: number][]): Promise<void> {
  await page.getByTestId(`table-${table}`).click(T);
  await page.getByTestId('open-table-dialog').waitFor(T);
  await page.keyboard.press('Enter');
  await page.getByTestId('order-panel').waitFor(T);
  for (const [sku, quantity] of lines)
    for (let i = 1; i <= quantity; i += 1) {
      await page.keyboard.type(sku, { delay: 60 });
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator(`[data-sku="${sku}"] [data-testid="line-qty"]`).first().textContent(), T)
        .toBe(String(i));
    }
}

describe('Comedores from the keyboard (issue 16 §4, §7)', () => {
  it('[§4] Cuenta and Cobrar mesa open on their field, not on ✕; Esc cancels; Enter prints the bill and the ticket takes the focus', async () => {
    await openWith('mesa-4', [['PLA-001', 1]]);
    await page.keyboard.press('F6');
    // The demo has no kitchen printer: the comanda shows on screen, on its print button.
    const comanda = page.getByTestId('ticket-dialog');
    await comanda.waitFor(T);
    await expect.poll(() => focused(page), T).toBe('ticket-print');
    await page.keyboard.press('Escape');
    await comanda.waitFor({ state: 'detached', ...T });

    await page.keyboard.press('F9');
    await page.getByTestId('close-table-dialog').waitFor(T);
    expect(await focused(page)).toBe('part-1-amount');
    await page.keyboard.press('Escape');
    await page.getByTestId('close-table-dialog').waitFor({ state: 'detached', ...T });

    await page.keyboard.press('F7');
    await page.getByTestId('bill-dialog').waitFor(T);
    const onOpen = await focused(page);
    expect(onOpen).not.toMatch(/^button:/);
    expect(await inDialog(page, 'bill-dialog')).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('bill-dialog').waitFor({ state: 'detached', ...T });

    await page.keyboard.press('F7');
    await page.getByTestId('bill-dialog').waitFor(T);
    await page.keyboard.press('Enter');
    await page.getByTestId('ticket-dialog').waitFor(T);
    await page.getByTestId('bill-dialog').waitFor({ state: 'detached', ...T });
    // "Imprimir cuenta": the focus is on the ticket, not left behind it.
    await expect.poll(() => inDialog(page, 'ticket-dialog'), T).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('ticket-dialog').waitFor({ state: 'detached', ...T });
  });

  it('[§7] charging lines not sent to the kitchen warns with their count; Esc goes back; Enter sends and charges; the change shows large — a 3-part close, counted and timed', async () => {
    await page.getByTestId('order-back').click(T);
    let keys = 0;
    let touches = 0;
    const press = async (key: string) => {
      keys += 1;
      await page.keyboard.press(key);
    };
    const type = async (text: string) => {
      keys += text.length;
      // At a person's pace: a burst of keys ended by Enter is a scanner's (SCL4).
      await page.keyboard.type(text, { delay: 60 });
    };
    const tap = async (testId: string) => {
      touches += 1;
      await page.getByTestId(testId).click(T);
    };
    const started = await page.evaluate<number>('performance.now()');

    // Open the table, 2 bandejas and 3 limonadas, all from the keyboard after the first touch.
    await tap('table-mesa-3');
    await page.getByTestId('open-table-dialog').waitFor(T);
    await press('Enter');
    await page.getByTestId('order-panel').waitFor(T);
    const qty = (sku: string) =>
      page.locator(`[data-sku="${sku}"] [data-testid="line-qty"]`).first().textContent();
    // The same code again adds one more to its unsent line.
    const add = async (sku: string, expected: string) => {
      await type(sku);
      await press('Enter');
      await expect.poll(() => qty(sku), T).toBe(expected);
    };
    await add('PLA-001', '1');
    await add('PLA-001', '2');
    await add('RBE-001', '1');
    await add('RBE-001', '2');
    await add('RBE-001', '3');

    // Not counted: F9 warns, Esc goes back to the order with nothing lost.
    await page.keyboard.press('F9');
    await page.getByTestId('unsent-dialog').waitFor(T);
    await expect.poll(() => focused(page), T).toBe('unsent-send');
    await page.keyboard.press('Escape');
    await page.getByTestId('unsent-dialog').waitFor({ state: 'detached', ...T });
    expect(await qty('RBE-001')).toBe('3');

    // F9 with the lines not sent: the warning says how many; Enter = "Enviar y cobrar".
    await press('F9');
    await page.getByTestId('unsent-dialog').waitFor(T);
    expect(await page.getByTestId('unsent-count').textContent()).toContain('2 líneas');
    await expect.poll(() => focused(page), T).toBe('unsent-send');
    await press('Enter');
    // The comanda shows on screen (no kitchen printer in the demo); closing it opens the charge.
    await page.getByTestId('ticket-dialog').waitFor(T);
    await expect.poll(() => focused(page), T).toBe('ticket-print');
    await press('Escape');
    await page.getByTestId('close-table-dialog').waitFor(T);

    // Three equal parts; the first pays 50.000 in cash, the others the exact amount.
    await tap('split-equal');
    await tap('parts-inc');
    await expect.poll(() => page.getByTestId('parts-value').textContent(), T).toContain('3');
    await tap('part-1-amount');
    await type('50000');
    await press('Enter');
    await page.getByTestId('table-closed-dialog').waitFor(T);
    await expect.poll(() => focused(page), T).toBe('table-closed-done');
    const change = (await page.getByTestId('closed-change').textContent()) ?? '';
    const elapsed = (await page.evaluate<number>('performance.now()')) - started;
    expect(change).toMatch(/\$\s?\d/);
    expect(change.replace(/\D/g, '')).not.toBe('0');
    expect(await page.locator('[data-testid^="closed-invoice-"]').count()).toBe(3);
    await screenshot(page, 'comedores-cambio');
    expect(await focused(page)).toBe('table-closed-done');
    await press('Enter');
    await page.getByTestId('table-closed-dialog').waitFor({ state: 'detached', ...T });
    console.log(
      `3-part table close (open, 2 products, send, split in 3, charge): ${keys} keys + ${touches} touches, ${Math.round(elapsed)} ms in the browser`,
    );
  });
});
