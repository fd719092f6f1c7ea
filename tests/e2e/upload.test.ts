import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Invoice } from '../../src/domain/invoice.js';
import { formatCop, type Money } from '../../src/domain/money.js';
import { PAYMENT_METHOD_IDS, type PaymentMethod } from '../../src/domain/payment.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import { TerminalApi } from '../support/api-client.js';
import { launchBrowser, login, screenshot } from '../support/browser.js';
import { startDemo, type DemoStore } from '../support/demo.js';
import { commandId, eventually, PIN, startStore, type TestStore } from '../support/store.js';

/**
 * "Subir venta offline" in a real browser (Debian's Chromium): the demo store started with the real
 * `caja demo` command (two terminals, the reference cloud). Sales on both terminals, then Marta
 * (manager) reviews, uploads from caja-2, watches it finish and reads the report, which must match
 * what was sold and what the cloud reads back. A second store with a failing cloud shows an upload
 * the person can watch, and a reload that finds it again.
 */
const VIEWPORT = { width: 1366, height: 768 };
let browser: Browser;

const byCop = (n: number) => formatCop(n as Money).replace(/\s/g, ' ');
const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s/g, ' ');
/** The cells of a table row, as shown. */
const cells = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).locator('td').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim());

/** In the page: keep the HTML of every frame print.ts adds (the report it prints). */
const WATCH_PRINT_FRAMES = `(() => {
  window.printedFrames = [];
  new MutationObserver((records) => {
    for (const r of records)
      for (const node of r.addedNodes)
        if (node instanceof HTMLIFrameElement) window.printedFrames.push(node.srcdoc);
  }).observe(document.body, { childList: true });
})()`;

interface SaleSpec {
  readonly lines: readonly { sku: string; quantity: number }[];
  readonly payments: readonly { method: PaymentMethod; amount: number }[];
  readonly tip?: number;
  readonly channel?: string;
}

async function sell(api: TerminalApi, sale: SaleSpec): Promise<Invoice> {
  const res = await api.call<{ invoice: Invoice }>('POST', '/api/sales', {
    commandId: commandId('e2e-upload'),
    ...sale,
  });
  if (res.status !== 201) throw new Error(`sale: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.invoice;
}

async function openShift(api: TerminalApi): Promise<void> {
  const res = await api.call('POST', '/api/shifts/open', {
    openingCash: 100_000,
    commandId: commandId('e2e'),
  });
  if (res.status !== 201) throw new Error(`open shift: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Every offline sale the cloud holds for the demo store (its own read-back endpoint). */
async function cloudReadBack(cloud: CloudClient): Promise<{ id: string; kind: string }[]> {
  const out: { id: string; kind: string }[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await cloud.offlineSales('demo', { limit: 500, ...(cursor ? { cursor } : {}) });
    if (!page.ok) throw new Error(page.message);
    out.push(...page.value.items.map((i) => ({ id: i.document.id, kind: i.document.kind })));
    if (page.value.nextCursor === null) return out;
    cursor = page.value.nextCursor;
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
});

describe('Subir venta offline in the browser, demo store', () => {
  let demo: DemoStore;
  let caja1 = '';
  let caja2 = '';
  let cloud: CloudClient;

  beforeAll(async () => {
    demo = await startDemo('caja-e2e-upload-');
    caja1 = demo.caja1;
    caja2 = demo.caja2;
    cloud = new CloudClient({ baseUrl: demo.cloud.url, token: demo.cloud.token });
  }, 90_000);

  afterAll(async () => {
    await demo.stop();
  });

  it('the manager uploads from caja-2 the sales of both terminals, watches it and reads a report that matches the cloud', async () => {
    // Sales on both terminals (through the API, as the cashier screen sends them), one voided.
    const ana = await new TerminalApi(caja1).login(PIN.ana);
    const luis = await new TerminalApi(caja2).login(PIN.luis);
    await openShift(ana);
    await openShift(luis);
    const sold: Invoice[] = [
      await sell(ana, {
        lines: [
          { sku: 'BEB-001', quantity: 2 },
          { sku: 'LAC-001', quantity: 1 },
        ],
        payments: [{ method: 'cash', amount: 20_000 }],
      }),
      await sell(ana, {
        lines: [{ sku: 'DES-001', quantity: 1 }],
        payments: [{ method: 'debit-card', amount: 13_900 }],
      }),
      await sell(ana, {
        lines: [{ sku: 'BAS-002', quantity: 3 }],
        payments: [{ method: 'transfer', amount: 16_800 }],
      }),
      await sell(ana, {
        lines: [{ sku: 'BEB-002', quantity: 1 }],
        payments: [{ method: 'cash', amount: 6_900 }],
      }),
      await sell(luis, {
        lines: [{ sku: 'DSY-001', quantity: 2 }],
        // A breakfast served at a table: 32.000 is 29.630 before INC, so a tip of at most 2.963.
        payments: [{ method: 'credit-card', amount: 34_900 }],
        tip: 2_900,
        channel: 'mesa',
      }),
      await sell(luis, {
        lines: [
          { sku: 'LAC-002', quantity: 2 },
          { sku: 'BAS-001', quantity: 1 },
        ],
        payments: [{ method: 'cash', amount: 50_000 }],
      }),
      await sell(luis, {
        lines: [{ sku: 'DES-004', quantity: 1 }],
        payments: [
          { method: 'cash', amount: 4_000 },
          { method: 'debit-card', amount: 4_900 },
        ],
      }),
    ];
    const voided = sold[3];
    if (!voided) throw new Error('no sale to void');
    const marta = await new TerminalApi(caja2).login(PIN.marta);
    // Sold on caja-1: caja-2 voids it once the LAN has brought it there.
    await expect
      .poll(async () => (await marta.call('GET', `/api/invoices/${voided.id}`)).status, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe(200);
    expect(
      (
        await marta.call('POST', `/api/invoices/${voided.id}/void`, {
          reason: 'El cliente devolvió la gaseosa',
          commandId: commandId('e2e-void'),
        })
      ).status,
    ).toBe(200);

    // What the report must say: the sales minus the void, by payment means (cash net of change).
    const valid = sold.filter((i) => i.id !== voided.id);
    const byMethod = Object.fromEntries(PAYMENT_METHOD_IDS.map((m) => [m, 0])) as Record<
      PaymentMethod,
      number
    >;
    for (const invoice of valid) {
      for (const p of invoice.payments) byMethod[p.method] += p.amount;
      byMethod.cash -= invoice.change;
    }
    const total = valid.reduce((s, i) => s + i.total, 0);
    const tips = valid.reduce((s, i) => s + i.tip, 0);
    expect(tips).toBe(2_900);

    // Marta on caja-2: the banner suggests the upload, Caja opens the review.
    const page = await browser.newPage({ viewport: VIEWPORT, locale: 'es-CO' });
    await page.goto(caja2);
    await login(page, 'marta', PIN.marta);
    await page.getByTestId('banner-cloud-back').waitFor({ timeout: 40_000 });
    expect(await page.getByTestId('banner-cloud-back').getAttribute('title')).toContain(
      'La nube responde de nuevo',
    );
    await page.getByTestId('banner-cloud-back').click();
    await page.getByTestId('upload-entry').waitFor();
    expect(await text(page, 'upload-cloud-back')).toContain('suba la venta offline');
    await screenshot(page, 'upload-caja');

    await page.getByTestId('upload-review').click();
    await page.getByTestId('upload-preflight').waitFor();
    // caja-2 has all of caja-1's sales once the LAN has carried them: refresh until it does.
    await expect
      .poll(
        async () => {
          const pending = (await cells(page, 'preflight-total'))[4];
          if (pending !== '8') await page.getByTestId('upload-refresh').click();
          return pending;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('8');
    // Per terminal: invoices, voided, already in the cloud, pending, totals, numbers, complete, seen.
    const sum = (list: readonly Invoice[]) => list.reduce((s, i) => s + i.total, 0);
    expect(await cells(page, 'preflight-row-caja-1')).toEqual([
      'Caja 1 C1',
      '4',
      '1',
      '0',
      '5',
      byCop(sum(sold.slice(0, 4))),
      byCop(sum(sold.slice(0, 4))),
      'C1-1 – C1-4',
      'completa',
      'conectada',
    ]);
    expect(await cells(page, 'preflight-row-caja-2')).toEqual([
      'Caja 2 C2',
      '3',
      '0',
      '0',
      '3',
      byCop(sum(sold.slice(4))),
      byCop(sum(sold.slice(4))),
      'C2-1 – C2-3',
      'completa',
      'esta caja',
    ]);
    expect(await text(page, 'upload-start')).toContain('Subir 8 documentos');
    await screenshot(page, 'upload-preflight');

    await page.getByTestId('upload-start').click();
    // Eight documents to a cloud on loopback take a blink: the progress the person can watch is
    // shown (and photographed) with the failing cloud below.
    await page.locator('[data-testid="upload-progress"], [data-testid="upload-report"]').first().waitFor();

    // The report: the run, then what the cloud holds, checked against its read-back.
    await page.getByTestId('upload-report').waitFor({ timeout: 60_000 });
    expect(await text(page, 'upload-report-state')).toContain('Completa');
    expect(await text(page, 'report-run-sent')).toContain('8 de 8');
    expect(await text(page, 'report-run-created')).toBe('8');
    expect(await text(page, 'report-run-rejected')).toBe('0');
    expect(await text(page, 'report-checked-ok')).toContain('coincide');
    expect((await text(page, 'report-invoices-store')).trim()).toBe('6');
    expect((await text(page, 'report-invoices-caja-1')).trim()).toBe('3');
    expect((await text(page, 'report-invoices-caja-2')).trim()).toBe('3');
    expect(await text(page, 'report-total-store')).toContain(byCop(total));
    for (const m of PAYMENT_METHOD_IDS) {
      if (byMethod[m] === 0 && m !== 'cash') continue;
      expect({ m, shown: (await text(page, `report-${m}-store`)).trim() }).toEqual({
        m,
        shown: byCop(byMethod[m]),
      });
    }
    expect(await text(page, 'report-voids-store')).toContain(`1 · ${byCop(voided.total)}`);
    expect(await text(page, 'report-numbers-caja-1')).toContain('C1-1 – C1-4 (4)');
    expect(await text(page, 'report-numbers-caja-2')).toContain('C2-1 – C2-3 (3)');
    expect(await text(page, 'report-rejected')).toContain('La nube no rechazó nada');
    await screenshot(page, 'upload-report');

    // Printing puts the report alone in a frame and prints it.
    await page.evaluate(WATCH_PRINT_FRAMES);
    await page.getByTestId('upload-print').click();
    await expect.poll(() => page.evaluate<string>('window.printedFrames.join("")')).not.toBe('');
    const printed = (await page.evaluate<string>('window.printedFrames.join("")')).replace(/&nbsp;/g, ' ');
    expect(printed).toContain('Informe de subida de venta offline');
    expect(printed).toContain(byCop(total));

    // The cloud's own read-back: every invoice and the void, exactly once.
    const inCloud = await cloudReadBack(cloud);
    const ids = inCloud.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(sold.length + 1);
    for (const invoice of sold) expect(ids.filter((id) => id === invoice.id)).toHaveLength(1);
    expect(inCloud.filter((i) => i.kind === 'credit-note')).toHaveLength(1);

    // Every terminal shows everything as uploaded; nothing left to review.
    await expect.poll(() => text(page, 'banner-pending'), { timeout: 10_000 }).toBe('Por subir: 0');
    await eventually(async () => {
      for (const url of [caja1, caja2]) {
        const health = await new TerminalApi(url).call<{ status: string }>('GET', '/api/health');
        expect(health.status).toBe(200);
      }
      const c1 = await ana.call<{ invoices: { pendingUpload: number; voidsPendingUpload: number } }>(
        'GET',
        '/api/health',
      );
      expect(c1.body.invoices).toEqual(expect.objectContaining({ pendingUpload: 0, voidsPendingUpload: 0 }));
    }, 10_000);
    await page.getByTestId('upload-review-again').click();
    await page.getByTestId('upload-nothing').waitFor();
    expect(await page.getByTestId('upload-start').isDisabled()).toBe(true);
    await page.getByTestId('upload-back').click();
    await page.getByTestId('upload-entry').waitFor();
    await page.close();
  }, 180_000);
});

describe('Subir venta offline in the browser, a cloud that fails', () => {
  let store: TestStore;

  beforeAll(async () => {
    store = await startStore(['caja-1', 'caja-2'], {
      cloudArgs: ['--fail-rate', '0.5', '--fault-seed', '11'],
      terminalArgs: ['--upload-batch-size', '5'],
    });
  }, 120_000);

  afterAll(async () => {
    await store.stop();
  });

  it('shows the upload going on through 500s, finds it again after a reload, and the other terminal sees the hint', async () => {
    const N = 120;
    const [c1, c2] = store.terminals;
    if (!c1 || !c2) throw new Error('two terminals');
    await c1.api.login(PIN.ana);
    await c2.api.login(PIN.luis);
    await openShift(c1.api);
    await openShift(c2.api);
    const sold: Invoice[] = [];
    for (let i = 0; i < N; i += 1) {
      const api = i % 2 === 0 ? c1.api : c2.api;
      sold.push(
        await sell(api, {
          lines: [
            { sku: ['BEB-001', 'LAC-001', 'BAS-002', 'DES-001'][i % 4] ?? 'BEB-001', quantity: 1 + (i % 3) },
          ],
          payments: [{ method: 'cash', amount: 100_000 }],
        }),
      );
    }
    const url2 = `http://127.0.0.1:${c2.port}/`;
    const url1 = `http://127.0.0.1:${c1.port}/`;
    const page = await browser.newPage({ viewport: VIEWPORT, locale: 'es-CO' });
    await page.goto(url2);
    await login(page, 'marta', PIN.marta);
    await page.getByTestId('nav-caja').click();
    await page.getByTestId('upload-review').click();
    await page.getByTestId('upload-preflight').waitFor();
    await expect
      .poll(
        async () => {
          const pending = (await cells(page, 'preflight-total'))[4];
          if (pending !== String(N)) await page.getByTestId('upload-refresh').click();
          return pending;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(String(N));

    await page.getByTestId('upload-start').click();
    await page.getByTestId('upload-progress').waitFor();
    // The cloud fails half of the requests: the upload goes on, retrying, and says so.
    await expect
      .poll(() => page.getByTestId('upload-last-error').count(), { timeout: 20_000, interval: 100 })
      .toBeGreaterThan(0);
    const count = await text(page, 'upload-count');
    expect(count).toMatch(/^\d+ de 120$/);
    expect(await text(page, 'upload-state')).toContain('En curso');
    expect(await page.getByTestId('progress-row-caja-1').count()).toBe(1);
    await screenshot(page, 'upload-progress');

    // A reload mid-upload: the session is kept and Caja finds the upload going on again.
    await page.reload();
    await page.getByTestId('banner').waitFor();
    await page.getByTestId('nav-caja').click();
    await page
      .locator('[data-testid="upload-progress"], [data-testid="upload-report"]')
      .first()
      .waitFor({ timeout: 20_000 });

    // caja-1's manager sees the other upload going on (while it lasts).
    const other = await browser.newPage({ viewport: VIEWPORT, locale: 'es-CO' });
    await other.goto(url1);
    await login(other, 'marta', PIN.marta);
    await other.getByTestId('nav-caja').click();
    await other.getByTestId('upload-entry').waitFor();
    const running = async () =>
      (await c2.api.call<{ uploads: { state: string }[] }>('GET', '/api/health')).body.uploads.length > 0;
    await expect
      .poll(async () => (await other.getByTestId('upload-other-running').count()) > 0 || !(await running()), {
        timeout: 15_000,
      })
      .toBe(true);
    // The terminal's name comes with the store document, a moment after the hint itself: wait
    // for it (or for the upload to end and the hint to go).
    const hint = other.getByTestId('upload-other-running');
    await expect
      .poll(
        async () =>
          (await hint.count()) === 0 ||
          (
            (await hint
              .first()
              .textContent({ timeout: 5_000 })
              .catch(() => '')) ?? ''
          ).includes('Caja 2 está subiendo la venta offline'),
        { timeout: 30_000 },
      )
      .toBe(true);
    await other.close();

    await page.getByTestId('upload-report').waitFor({ timeout: 120_000 });
    expect(await text(page, 'upload-report-state')).toContain('Completa');
    expect(await text(page, 'report-run-sent')).toContain('120 de 120');
    expect((await text(page, 'report-invoices-store')).trim()).toBe('120');
    expect(await text(page, 'report-checked-ok')).toContain('coincide');
    const inCloud = await cloudReadBack(
      new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token }),
    );
    expect(new Set(inCloud.map((i) => i.id)).size).toBe(N);
    expect(inCloud).toHaveLength(N);
    for (const invoice of sold) expect(inCloud.some((i) => i.id === invoice.id)).toBe(true);
    await page.close();
  }, 240_000);
});
