/**
 * bench:ui — the cashier's screen in headless Chromium (Debian's, as the browser tests use) against
 * a real `caja terminal` provisioned with a 10,000-product catalog: product search per keystroke,
 * confirm → receipt, page open → usable sale screen, and the size of the UI's code.
 *
 * Times are taken inside the page (performance.now(), the page's own clock, from a script that
 * runs before the app), so the DevTools protocol's round trips are not counted.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CloudStore } from '../src/cloud/cloud-store.js';
import { openDb } from '../src/cloud/db.js';
import { DEMO_STORE_ID, DEMO_USERS, demoStoreSeed } from '../src/cloud/seed/demo.js';
import { buildCloudServer } from '../src/cloud/server.js';
import { projectRoot } from '../src/host/paths.js';
import { provision } from '../src/host/provision.js';
import { launchBrowser } from '../tests/support/browser.js';
import { spawnCaja, tempDir, waitForLine, type Spawned } from '../tests/support/processes.js';
import { freePort } from '../tests/support/proxy.js';
import { bigCatalog } from './lib/big-catalog.js';
import { percentile, progress, report, type Figure } from './lib/report.js';

const CATALOG_SIZE = 10_000;
const OPENS = 5;
const WARMUP_SALES = 2;
const SALES = 30;
/** What cashiers type: product words, accents left out as they usually are, and a SKU. */
const QUERIES = [
  'arroz',
  'gaseosa cola',
  'leche entera',
  'jabon',
  'cafe',
  'pan tajado',
  'aceite',
  'queso',
  'huevos',
  'atun',
  'azucar',
  'harina',
  'galletas',
  'chocolate',
  'detergente',
  'champu',
  'papel higienico',
  'salchicha',
  'yogur',
  'mantequilla',
  'tomate',
  'cebolla',
  'platano',
  'gaseosa naranja',
  'cerveza',
  'agua',
  'jugo de mango',
  'arepa',
  'panela',
  'beb-01',
];
const VIEWPORT = { width: 1366, height: 768 };
const PIN = Object.fromEntries(DEMO_USERS.map((u) => [u.id, u.pin])) as Record<string, string>;

/**
 * Runs in the page before the app (plain JavaScript: the page's DOM is not typed in this Node
 * project). Records, on the page's clock: when the login screen and the sale screen (the catalog's
 * categories) appear, the PIN's OK and the payment's confirm clicks, when the receipt appears and
 * when its paper has loaded, and for each keystroke in the search box the time from its keydown to
 * the results in the DOM and laid out (the next task after the input event: Vue's update, a
 * microtask, has run by then).
 */
const PAGE_PROBES = `(() => {
  const marks = { search: [], confirms: 0, receipts: 0 };
  window.__bench = marks;
  const now = () => performance.now();
  const check = () => {
    if (marks.login === undefined && document.querySelector('[data-testid^="login-user-"]')) marks.login = now();
    if (marks.salesReady === undefined && document.querySelector('.category-button')) marks.salesReady = now();
    const number = document.querySelector('[data-testid="receipt-number"]');
    if (number && marks.receipts < marks.confirms) {
      marks.receipts = marks.confirms;
      marks.receipt = now();
    }
    const frame = document.querySelector('.receipt-frame');
    if (frame && !frame.__benchWatched) {
      frame.__benchWatched = true;
      frame.addEventListener('load', () => { marks.paper = now(); });
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  document.addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    if (target.closest('[data-testid="pin-ok"]')) marks.loginClick = now();
    if (target.closest('[data-testid="pay-confirm"]')) {
      marks.confirms += 1;
      marks.confirm = now();
      marks.receipt = undefined;
      marks.paper = undefined;
    }
  }, true);
  let keydownAt;
  document.addEventListener('keydown', (event) => {
    if (event.target instanceof Element && event.target.matches('[data-testid="product-search"]')) keydownAt = event.timeStamp;
  }, true);
  document.addEventListener('input', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches('[data-testid="product-search"]')) return;
    const start = keydownAt ?? event.timeStamp;
    keydownAt = undefined;
    const query = input.value;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      document.body.getBoundingClientRect();
      const results = document.querySelectorAll('.result-button').length;
      marks.search.push({ query, ms: now() - start, results });
    };
    channel.port2.postMessage(0);
  }, true);
})();`;

interface Marks {
  login?: number;
  salesReady?: number;
  loginClick?: number;
  confirm?: number;
  receipt?: number;
  paper?: number;
  search: { query: string; ms: number; results: number }[];
}

const marksOf = (page: Page) => page.evaluate<Marks>('window.__bench');

async function waitForMark(page: Page, name: keyof Marks, timeoutMs = 30_000): Promise<number> {
  await page.waitForFunction(`window.__bench && window.__bench.${name} !== undefined`, undefined, {
    timeout: timeoutMs,
    polling: 10,
  });
  const value = (await marksOf(page))[name];
  if (typeof value !== 'number') throw new Error(`no mark ${name}`);
  return value;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** The demo store with a 10,000-product catalog, from an in-process reference cloud. */
async function provisionTerminal(dir: string): Promise<string> {
  const token = randomBytes(18).toString('base64url');
  const db = openDb(join(dir, 'cloud.db'));
  const app = buildCloudServer({ db });
  try {
    const seed = { ...demoStoreSeed(token, (n) => randomBytes(n)), products: bigCatalog(CATALOG_SIZE) };
    new CloudStore(db).createStore(seed, Date.now());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const cloudUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const data = join(dir, 'caja-1');
    const result = await provision({
      cloudUrl,
      token,
      storeId: DEMO_STORE_ID,
      terminalId: 'caja-1',
      dataDir: data,
    });
    if (!result.ok) throw new Error(`provisioning: ${result.message}`);
    return data;
  } finally {
    // The terminal then runs as in a contingency: its cloud does not answer.
    await app.close();
    db.close();
  }
}

/** The sale screen needs an open shift: Ana opens hers through the API, as the UI would. */
async function openShift(url: string): Promise<void> {
  const call = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { token?: string };
  };
  const { token } = await call('/api/session', { pin: PIN.ana });
  await call('/api/shifts/open', { openingCash: 100_000, commandId: `bench-ui-${Date.now()}` }, token);
}

async function login(page: Page, userId: string): Promise<void> {
  await page.getByTestId(`login-user-${userId}`).click();
  for (const digit of PIN[userId] ?? '') await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-ok').click();
}

interface OpenTimes {
  loginCold: number;
  afterPin: number;
  loginWarm: number;
  reloadLoggedIn: number;
}

/** One cashier arriving at a fresh browser profile: open, log in, reload, open again. */
async function openOnce(browser: Browser, url: string): Promise<OpenTimes> {
  const context: BrowserContext = await browser.newContext({ viewport: VIEWPORT, locale: 'es-CO' });
  try {
    await context.addInitScript(PAGE_PROBES);
    const page = await context.newPage();
    await page.goto(url);
    const loginCold = await waitForMark(page, 'login');
    await login(page, 'ana');
    const salesReady = await waitForMark(page, 'salesReady');
    const afterPin = salesReady - ((await marksOf(page)).loginClick ?? salesReady);
    // A reload keeps the session: straight to the sale screen.
    await page.reload();
    const reloadLoggedIn = await waitForMark(page, 'salesReady');
    await page.getByTestId('logout').click();
    await page.goto(url);
    const loginWarm = await waitForMark(page, 'login');
    return { loginCold, afterPin, loginWarm, reloadLoggedIn };
  } finally {
    await context.close();
  }
}

async function measureSearch(page: Page): Promise<number[]> {
  const search = page.getByTestId('product-search');
  const times: number[] = [];
  for (const query of QUERIES) {
    await search.fill('');
    await page.evaluate('window.__bench.search = []');
    // A fast cashier: about 30 characters a second.
    await search.pressSequentially(query, { delay: 30 });
    // (Emptying the box, back to the categories, is not a search: its entry is left out.)
    await page.waitForFunction(
      `window.__bench.search.filter((e) => e.query !== '').length >= ${query.length}`,
      undefined,
      { polling: 10 },
    );
    const entries = (await marksOf(page)).search.filter((e) => e.query !== '');
    const last = entries.at(-1);
    if (!last || last.query !== query)
      throw new Error(`search for "${query}" not seen: ${JSON.stringify(last)}`);
    if (query !== 'beb-01' && last.results === 0) throw new Error(`no results for "${query}"`);
    times.push(...entries.map((e) => e.ms));
  }
  await search.fill('');
  return times;
}

/** Of confirm → receipt, the time the host took to answer the sale (Resource Timing). */
const SALE_REQUEST = `(() => {
  const entry = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/sales')).at(-1);
  return entry ? entry.responseEnd - entry.startTime : -1;
})()`;

async function measureSales(
  page: Page,
  barcodes: readonly string[],
): Promise<{ receipt: number[]; paper: number[]; request: number[] }> {
  const receipt: number[] = [];
  const paper: number[] = [];
  const request: number[] = [];
  const search = page.getByTestId('product-search');
  for (let i = 0; i < WARMUP_SALES + SALES; i += 1) {
    for (const code of [barcodes[(i * 7) % barcodes.length], barcodes[(i * 13 + 5) % barcodes.length]]) {
      await search.fill(code ?? '');
      await search.press('Enter');
    }
    await page.getByTestId('pay-button').click();
    await page.getByTestId('pay-amount').fill('500000');
    await page.evaluate('performance.clearResourceTimings()');
    await page.getByTestId('pay-confirm').click();
    const shown = await waitForMark(page, 'receipt');
    const loaded = await waitForMark(page, 'paper');
    const confirm = (await marksOf(page)).confirm ?? shown;
    if (i >= WARMUP_SALES) {
      receipt.push(shown - confirm);
      paper.push(loaded - confirm);
      request.push(await page.evaluate<number>(SALE_REQUEST));
    }
    await page.getByTestId('receipt-close').click();
    await page.getByTestId('receipt-preview').waitFor({ state: 'detached' });
    if ((i + 1) % 10 === 0) progress('ui', `sales: ${i + 1} / ${WARMUP_SALES + SALES}`);
  }
  return { receipt, paper, request };
}

/** The built UI (dist/ui): its own code gzipped, and automerge's wasm apart. */
function codeSizes(): Figure[] {
  const dir = resolve(projectRoot(), 'dist/ui');
  const files = [
    join(dir, 'index.html'),
    ...readdirSync(join(dir, 'assets')).map((f) => join(dir, 'assets', f)),
  ];
  let code = 0;
  let codeRaw = 0;
  let wasm = 0;
  let wasmRaw = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const gz = gzipSync(bytes, { level: 9 }).length;
    if (file.endsWith('.wasm')) {
      wasm += gz;
      wasmRaw += bytes.length;
    } else if (/\.(js|css|html)$/.test(file)) {
      code += gz;
      codeRaw += bytes.length;
    }
  }
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
  return [
    { name: 'UI code gzipped (JS + CSS + HTML, no wasm)', value: kb(code), unit: 'KB', target: '<= 300' },
    { name: 'UI code uncompressed', value: kb(codeRaw), unit: 'KB' },
    { name: 'automerge wasm gzipped (cached asset)', value: kb(wasm), unit: 'KB' },
    { name: 'automerge wasm uncompressed', value: kb(wasmRaw), unit: 'KB' },
  ];
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const dir = tempDir('caja-bench-ui-');
  let terminal: Spawned | undefined;
  let browser: Browser | undefined;
  const stopTerminal = () => terminal?.child.kill('SIGKILL');
  process.on('exit', stopTerminal);
  try {
    progress('ui', `provisioning caja-1 with a ${CATALOG_SIZE.toLocaleString('en')}-product catalog…`);
    const data = await provisionTerminal(dir.path);
    const port = await freePort();
    terminal = spawnCaja([
      'terminal',
      '--data',
      data,
      '--port',
      String(port),
      '--lan-port',
      String(await freePort()),
      '--lan-host',
      '127.0.0.1',
      '--no-mdns',
      '--when-cloud-answers',
      'sell',
    ]);
    const url = `${(await waitForLine(terminal, /serving (\S+)/, 60_000))[1] ?? ''}/`;
    await openShift(url);
    progress('ui', `terminal at ${url} (shift open); starting Chromium`);
    browser = await launchBrowser();

    const opens: OpenTimes[] = [];
    for (let i = 0; i < OPENS; i += 1) {
      opens.push(await openOnce(browser, url));
      progress('ui', `page opens: ${i + 1} / ${OPENS}`);
    }

    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'es-CO' });
    await context.addInitScript(PAGE_PROBES);
    const page = await context.newPage();
    await page.goto(url);
    await login(page, 'ana');
    await waitForMark(page, 'salesReady');
    progress('ui', 'searching, one keystroke at a time');
    const search = await measureSearch(page);
    progress('ui', `${search.length} keystrokes measured; selling`);
    const barcodes = bigCatalog(CATALOG_SIZE)
      .filter((_, i) => i % 97 === 0)
      .flatMap((p) => (p.product.barcode === undefined ? [] : [p.product.barcode]));
    const sales = await measureSales(page, barcodes);
    await context.close();

    const s = sorted(search);
    const receipt = sorted(sales.receipt);
    const paper = sorted(sales.paper);
    const p50 = (values: readonly number[]) => percentile(sorted(values), 50);
    const coldUsable = opens.map((o) => o.loginCold + o.afterPin);
    report(
      'ui',
      [
        {
          name: `search per keystroke p50 (${CATALOG_SIZE} products)`,
          value: percentile(s, 50),
          unit: 'ms',
          target: '<= 16',
        },
        {
          name: `search per keystroke p99 (${s.length} keystrokes)`,
          value: percentile(s, 99),
          unit: 'ms',
          target: '<= 16',
        },
        { name: 'confirm → receipt shown p50', value: percentile(receipt, 50), unit: 'ms', target: '<= 100' },
        {
          name: `confirm → receipt shown p99 (${SALES} sales)`,
          value: percentile(receipt, 99),
          unit: 'ms',
          target: '<= 100',
        },
        { name: '  of which the host answering the sale, p50', value: p50(sales.request), unit: 'ms' },
        { name: 'confirm → receipt paper loaded p50', value: percentile(paper, 50), unit: 'ms' },
        { name: 'confirm → receipt paper loaded p99', value: percentile(paper, 99), unit: 'ms' },
        {
          name: 'open → login screen, cold cache p50',
          value: p50(opens.map((o) => o.loginCold)),
          unit: 'ms',
        },
        {
          name: 'open → login screen, warm cache p50',
          value: p50(opens.map((o) => o.loginWarm)),
          unit: 'ms',
        },
        { name: 'PIN OK → sale screen usable p50', value: p50(opens.map((o) => o.afterPin)), unit: 'ms' },
        {
          name: 'open → usable sale screen, cold (PIN typing excluded) p50',
          value: p50(coldUsable),
          unit: 'ms',
          target: '<= 1000',
        },
        {
          name: `open → usable sale screen, cold, worst of ${OPENS}`,
          value: Math.max(...coldUsable),
          unit: 'ms',
        },
        {
          name: 'reopen logged in → usable sale screen p50',
          value: p50(opens.map((o) => o.reloadLoggedIn)),
          unit: 'ms',
          target: '<= 1000',
        },
        ...codeSizes(),
        { name: 'benchmark wall time', value: (Date.now() - started) / 1000, unit: 's' },
      ],
      [
        'search: from the keydown to the results in the DOM and laid out (the paint of the frame is not counted)',
        "usable sale screen: the catalog's categories shown (the catalog is in and searchable); cold = a new browser profile",
        `machine load average (1 min): ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end, on ${cpus().length} cores; the p99 figures follow it`,
      ],
    );
  } finally {
    await browser?.close();
    if (terminal) await terminal.stop('SIGTERM');
    process.off('exit', stopTerminal);
    dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
