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
    name: 'Cobrar',
    reach: async (page) => {
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
    name: 'Comedores floor',
    reach: async (page) => {
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
    name: 'Impresoras',
    reach: async (page) => {
      await page.keyboard.press('Escape');
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
    it(`has no serious or critical axe-core violation on any screen or main dialog at ${viewport.width}×${viewport.height}`, async () => {
      const page = await browser.newPage({ viewport, locale: 'es-CO' });
      page.setDefaultTimeout(30_000);
      await page.goto(url());
      const list = screens(table);
      const found: string[] = [];
      const checked: string[] = [];
      for (const screen of list) {
        await screen.reach(page);
        const results = await check(page);
        checked.push(screen.name);
        for (const v of results.violations)
          if (BLOCKING.has(v.impact ?? '')) found.push(describeViolation(screen.name, v));
      }
      if (found.length > 0)
        console.log(`axe-core at ${viewport.width}×${viewport.height}:\n${found.join('\n')}`);
      expect(checked).toEqual(list.map((s) => s.name));
      expect(found).toEqual([]);
      await page.close();
    }, 300_000);
  }
});
