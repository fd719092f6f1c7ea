import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { TerminalApi } from '../support/api-client.js';
import { commandId, PIN } from '../support/store.js';

/**
 * PINs in Debian's Chromium against `caja demo` (issue 16 §4, §6; PIN2, PIN4): five wrong PINs
 * for one cashier show the attempts left, then a live countdown, while another user logs in; the
 * manager-PIN dialog says what it authorizes, refuses a cashier's PIN with the focus kept in the
 * field, and is driven with Enter and Esc only.
 */
let demo: DemoStore;
let browser: Browser;
const T = { timeout: 30_000 };
const viewport = { width: 1366, height: 768 };

const focused = (p: Page) => p.evaluate<string>(`document.activeElement?.getAttribute('data-testid') ?? ''`);
const seconds = async (p: Page) =>
  Number(/(\d+)\s*s/.exec((await p.getByTestId('login-countdown').textContent(T)) ?? '')?.[1] ?? NaN);

beforeAll(async () => {
  demo = await startDemo('caja-e2e-pin-focus-');
  browser = await launchBrowser();
  // Ana's shift on caja-2: Ventas sells in an open shift.
  const ana = await new TerminalApi(demo.caja2).login(PIN.ana);
  const shift = await ana.call('POST', '/api/shifts/open', {
    openingCash: 100_000,
    commandId: commandId('turno'),
  });
  expect(shift.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await browser.close();
  await demo.stop();
});

async function typePin(page: Page, pin: string): Promise<void> {
  await page.keyboard.type(pin, { delay: 60 });
  await page.keyboard.press('Enter');
}

describe('PINs on the cashier screen (issue 16 §4, §6)', () => {
  it('[PIN2][PIN4] five wrong PINs for Ana show the attempts left, then a countdown that ticks; Luis logs in meanwhile', async () => {
    const page = await browser.newPage({ viewport, locale: 'es-CO' });
    await page.goto(demo.caja1);
    await page.getByTestId('login-user-ana').click(T);
    await expect.poll(() => focused(page), T).toBe('login-pin-input');
    for (let i = 0; i < 3; i += 1) {
      await typePin(page, '0000');
      await expect.poll(() => page.getByTestId('login-attempts').textContent(), T).toContain(String(4 - i));
      // A refused PIN keeps the focus in the field.
      await expect.poll(() => focused(page), T).toBe('login-pin-input');
    }
    expect(await page.getByTestId('login-attempts').textContent()).toContain('Quedan 2 intentos');
    await typePin(page, '0000');
    await expect.poll(() => page.getByTestId('login-attempts').textContent(), T).toContain('Queda 1 intento');
    await typePin(page, '0000');
    await page.getByTestId('login-countdown').waitFor(T);
    expect(await page.getByTestId('login-countdown').textContent()).toMatch(/Intente de nuevo en \d+ s/);
    const first = await seconds(page);
    expect(first).toBeGreaterThan(20);
    expect(await page.getByTestId('pin-ok').isDisabled()).toBe(true);
    // It counts down live, without another PIN.
    await expect.poll(() => seconds(page), T).toBeLessThan(first);
    await screenshot(page, '02-pin');

    // Ana's lock is hers: Luis logs in on the same screen.
    await page.getByRole('button', { name: 'Cambiar de usuario' }).click(T);
    await page.getByTestId('login-user-luis').click(T);
    await expect.poll(() => focused(page), T).toBe('login-pin-input');
    await typePin(page, PIN.luis);
    await page.getByTestId('banner').waitFor(T);
    await page.close();
  });

  it('[PIN4] the manager-PIN dialog says what it authorizes, refuses a cashier’s PIN with the focus kept, and works with Enter and Esc only', async () => {
    const page = await browser.newPage({ viewport, locale: 'es-CO' });
    await page.goto(demo.caja2);
    await page.getByTestId('login-user-ana').click(T);
    await typePin(page, PIN.ana);
    await page.getByTestId('banner').waitFor(T);
    await page.getByTestId('nav-ventas').click(T);
    await page.getByTestId('product-search').click(T);
    await page.keyboard.type('BEB-001', { delay: 60 });
    await page.keyboard.press('Enter');
    const discount = page.getByTestId('cart-discount-BEB-001');
    await discount.waitFor(T);

    // Esc cancels: the dialog goes, the discount is not given.
    await discount.fill('25');
    await discount.press('Enter');
    const dialog = page.getByTestId('manager-pin-dialog');
    await dialog.waitFor(T);
    await expect.poll(() => focused(page), T).toBe('manager-pin-input');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', ...T });

    await discount.fill('25');
    await discount.press('Enter');
    await dialog.waitFor(T);
    expect(await page.getByTestId('manager-what').textContent()).toContain(
      'Descuento de 25 % en Gaseosa cola 400 ml — su límite es 10 %',
    );
    await expect.poll(() => focused(page), T).toBe('manager-pin-input');
    // A cashier's PIN: refused when typed, the dialog stays, the focus stays in the field.
    await typePin(page, PIN.luis);
    await expect
      .poll(() => dialog.getByTestId('error-message').textContent(), T)
      .toContain('Ese PIN no es de un gerente.');
    expect(await focused(page)).toBe('manager-pin-input');
    // A wrong PIN: how many attempts are left.
    await typePin(page, '4321');
    await expect
      .poll(() => page.getByTestId('manager-attempts').textContent(), T)
      .toMatch(/Quedan \d intentos/);
    expect(await focused(page)).toBe('manager-pin-input');
    await screenshot(page, 'pin-gerente');
    // The manager's PIN and Enter: the dialog closes and the discount is given.
    await typePin(page, PIN.marta);
    await dialog.waitFor({ state: 'detached', ...T });
    await expect.poll(() => page.getByTestId('cart-discount-BEB-001').inputValue(), T).toBe('25');
    await page.close();
  });
});
