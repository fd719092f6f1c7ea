import axe from 'axe-core';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { PIN } from '../support/store.js';

/**
 * Issue 16 §9: axe-core in Debian's Chromium against `caja demo`, on every screen and main
 * dialog a cashier, a waiter or a manager reaches. A screen is a name and the steps that bring the
 * page to it from the previous one; add a dialog by adding a step to `screens`.
 */
let demo: DemoStore;
let browser: Browser;

/** Every wait has its own deadline: a loaded 2-core machine, real processes. */
const WAIT = { timeout: 30_000 };

interface Screen {
  readonly name: string;
  /** From the previous screen of the list to this one; resolves when it is shown. */
  readonly reach: (page: Page) => Promise<void>;
}

const byTestId = (page: Page, id: string) => page.getByTestId(id).first();
const click = (page: Page, id: string) => byTestId(page, id).click(WAIT);
const shown = (page: Page, id: string) => byTestId(page, id).waitFor(WAIT);
/** Esc closes the dialog on top (the dialog's own key), then it is gone. */
async function dismiss(page: Page, dialog: string): Promise<void> {
  await page.keyboard.press('Escape');
  await byTestId(page, dialog).waitFor({ state: 'detached', ...WAIT });
}

/** `table`: each run opens its own table (the floor is shared by the demo's two terminals). */
const screens = (table: string): readonly Screen[] => [
  { name: 'log-in', reach: (page) => shown(page, 'login-user-marta') },
  {
    name: 'PIN',
    reach: async (page) => {
      await click(page, 'login-user-marta');
      await shown(page, 'pin-key-1');
    },
  },
  {
    name: 'Caja (shift closed)',
    reach: async (page) => {
      for (const digit of PIN.marta) await click(page, `pin-key-${digit}`);
      await click(page, 'pin-ok');
      await shown(page, 'banner');
      await click(page, 'nav-caja');
      await shown(page, 'shift-open-cash');
    },
  },
  {
    name: 'Caja (shift open)',
    reach: async (page) => {
      await byTestId(page, 'shift-open-cash').fill('100000', WAIT);
      await click(page, 'shift-open');
      await shown(page, 'x-report-button');
    },
  },
  {
    name: 'Ventas with a cart',
    reach: async (page) => {
      await click(page, 'nav-ventas');
      await byTestId(page, 'product-search').fill('leche', WAIT);
      await click(page, 'product-result-LAC-001');
      await byTestId(page, 'product-search').fill('gaseosa', WAIT);
      await click(page, 'product-result-BEB-001');
      await shown(page, 'cart-line-BEB-001');
    },
  },
  {
    name: 'Ventas: customer',
    reach: async (page) => {
      await click(page, 'customer-edit');
      await shown(page, 'customer-dialog');
    },
  },
  {
    name: 'Ventas: Vaciar asks first',
    reach: async (page) => {
      await dismiss(page, 'customer-dialog');
      await click(page, 'cart-clear');
      await shown(page, 'clear-dialog');
    },
  },
  {
    name: 'Ventas en espera',
    reach: async (page) => {
      await dismiss(page, 'clear-dialog');
      await click(page, 'cart-park');
      await click(page, 'parked-open');
      await shown(page, 'parked-dialog');
    },
  },
  {
    name: 'Cobrar',
    reach: async (page) => {
      await click(page, 'parked-restore-0');
      await byTestId(page, 'parked-dialog').waitFor({ state: 'detached', ...WAIT });
      await shown(page, 'cart-line-BEB-001');
      await click(page, 'pay-button');
      await shown(page, 'payment-dialog');
      await click(page, 'pay-method-cash');
      await byTestId(page, 'pay-amount').fill('20000', WAIT);
    },
  },
  {
    name: 'receipt',
    reach: async (page) => {
      await click(page, 'pay-confirm');
      await shown(page, 'receipt-preview');
    },
  },
  {
    name: 'Facturas with a detail',
    reach: async (page) => {
      await click(page, 'receipt-close');
      await click(page, 'nav-facturas');
      await page.locator('[data-testid^="invoice-row-"]').first().click(WAIT);
      await shown(page, 'invoice-detail');
    },
  },
  {
    name: 'Facturas: void',
    reach: async (page) => {
      await click(page, 'invoice-void');
      await shown(page, 'void-dialog');
    },
  },
  {
    name: 'Comedores floor',
    reach: async (page) => {
      await dismiss(page, 'void-dialog');
      await click(page, 'nav-comedores');
      await shown(page, 'floor-map');
    },
  },
  {
    name: 'Comedores: open a table',
    reach: async (page) => {
      await click(page, `table-${table}`);
      await shown(page, 'diners-2');
    },
  },
  {
    name: 'Comedores: an order',
    reach: async (page) => {
      await click(page, 'diners-2');
      await click(page, 'open-table-confirm');
      await shown(page, 'order-panel');
      await byTestId(page, 'product-search').fill('gaseosa', WAIT);
      await click(page, 'product-result-BEB-001');
      await page.locator('[data-testid="order-lines"] [data-sku="BEB-001"]').waitFor(WAIT);
    },
  },
  {
    name: 'Comedores: comanda',
    reach: async (page) => {
      await click(page, 'order-send');
      await shown(page, 'ticket-dialog');
    },
  },
  {
    name: 'Comedores: pre-bill',
    reach: async (page) => {
      await click(page, 'ticket-close');
      await click(page, 'order-bill');
      await shown(page, 'bill-dialog');
    },
  },
  {
    name: 'Cobrar mesa',
    reach: async (page) => {
      await dismiss(page, 'bill-dialog');
      await click(page, 'order-close');
      await shown(page, 'close-table-dialog');
    },
  },
  {
    name: 'Impresoras',
    reach: async (page) => {
      await dismiss(page, 'close-table-dialog');
      await click(page, 'nav-caja');
      await click(page, 'printers-open');
      await shown(page, 'printers-screen');
    },
  },
  {
    name: 'Impresoras: a new printer',
    reach: async (page) => {
      await click(page, 'printer-add');
      await shown(page, 'printer-name');
    },
  },
  {
    name: 'upload preflight',
    reach: async (page) => {
      await page.reload();
      await shown(page, 'banner');
      await click(page, 'nav-caja');
      await click(page, 'upload-review');
      await shown(page, 'upload-preflight');
    },
  },
];

/**
 * WCAG 2.1 A and AA and axe's best practices. The receipt's frame is the printed receipt's HTML,
 * not the screen: it is left out (an uninjected frame would also hold axe for a minute).
 */
const AXE_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  iframes: false,
  resultTypes: ['violations'],
};

const BLOCKING = new Set(['serious', 'critical']);

function describeViolation(screen: string, v: Result): string {
  const nodes = v.nodes
    .slice(0, 12)
    .map((n) => `      ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
    .join('\n');
  return `  [${screen}] ${v.id} (${v.impact ?? '?'}): ${v.help}\n${nodes}`;
}

/**
 * Issue 16 §8: every visible touch target at least 44×44 px. A radio or checkbox counts by its
 * label (the whole label is the target); text fields and the receipt's frame are not buttons.
 */
const SMALL_TARGETS = `(() => {
  const MIN = 44;
  const targets = document.querySelectorAll(
    'button, a[href], select, summary, [role="button"], [role="tab"], [tabindex="0"], input[type="checkbox"], input[type="radio"]',
  );
  const small = [];
  for (const el of targets) {
    const target = el.matches('input') ? (el.closest('label') ?? el) : el;
    const box = target.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(target).visibility === 'hidden') continue;
    if (box.width >= MIN - 0.5 && box.height >= MIN - 0.5) continue;
    const id = el.getAttribute('data-testid') ?? target.getAttribute('data-testid');
    const name = id ? '[data-testid=' + id + ']' : el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
    small.push(name + ' ' + Math.round(box.width) + '×' + Math.round(box.height) + ' "' + (target.textContent ?? '').trim().slice(0, 24) + '"');
  }
  return [...new Set(small)];
})()`;

async function check(page: Page): Promise<AxeResults> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"')))
    await page.addScriptTag({ content: axe.source });
  return page.evaluate<AxeResults>(`window.axe.run(document, ${JSON.stringify(AXE_OPTIONS)})`);
}

beforeAll(async () => {
  demo = await startDemo('caja-e2e-a11y-');
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await demo.stop();
});

describe('accessibility of the screen (issue 16 §9)', () => {
  for (const { viewport, url, table } of [
    { viewport: { width: 1366, height: 768 }, url: () => demo.caja1, table: 'mesa-4' },
    { viewport: { width: 1024, height: 768 }, url: () => demo.caja2, table: 'mesa-6' },
  ]) {
    it(`has no serious or critical axe-core violation and no touch target under 44×44 px on any screen or main dialog at ${viewport.width}×${viewport.height}`, async () => {
      const page = await browser.newPage({ viewport, locale: 'es-CO' });
      page.setDefaultTimeout(30_000);
      await page.goto(url());
      const list = screens(table);
      const found: string[] = [];
      const checked: string[] = [];
      for (const screen of list) {
        await screen.reach(page);
        const results = await check(page);
        if (process.env.CAJA_A11Y_SHOTS)
          await page.screenshot({
            path: `${process.env.CAJA_A11Y_SHOTS}/${viewport.width}-${checked.length}.png`,
          });
        checked.push(screen.name);
        for (const v of results.violations)
          if (BLOCKING.has(v.impact ?? '')) found.push(describeViolation(screen.name, v));
        for (const small of await page.evaluate<string[]>(SMALL_TARGETS))
          found.push(`  [${screen.name}] touch target under 44×44 px: ${small}`);
      }
      if (found.length > 0)
        console.log(`axe-core at ${viewport.width}×${viewport.height}:\n${found.join('\n')}`);
      expect(checked).toEqual(list.map((s) => s.name));
      expect(found).toEqual([]);
      await page.close();
    }, 300_000);
  }
});
