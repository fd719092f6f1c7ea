import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Invoice } from '../../src/domain/invoice.js';
import { launchBrowser, login, screenshot } from '../support/browser.js';
import { startCloud } from '../support/processes.js';
import { commandId, eventually, PIN, startStore, type TestStore } from '../support/store.js';
import { waitForUpload } from '../support/upload.js';
import { CloudClient } from '../../src/upload/cloud-client.js';

/**
 * EPI2–EPI4 in a real browser (Debian's Chromium): the cloud is out and caja-1 sells; the banner
 * says since when the store is in contingency; the cloud answers again and the banner counts down
 * to the DIAN deadline; in Caja, Marta (manager) opens the episode's report.
 */
const VIEWPORT = { width: 1366, height: 768 };
let browser: Browser;
let store: TestStore;

beforeAll(async () => {
  browser = await launchBrowser();
  store = await startStore(['caja-1', 'caja-2'], { terminalArgs: ['--cloud-check-seconds', '0.5'] });
}, 180_000);

afterAll(async () => {
  await browser.close();
  await store.stop();
});

describe('the contingency in the browser', () => {
  it('[EPI2] [EPI4] shows the open episode, then the countdown to the DIAN deadline, and the episode’s report', async () => {
    const [c1] = store.terminals;
    if (!c1) throw new Error('a terminal');
    await c1.api.login(PIN.marta);
    const opened = await c1.api.call('POST', '/api/shifts/open', {
      openingCash: 50_000,
      commandId: commandId('e2e'),
    });
    expect(opened.status).toBe(201);
    const port = Number(new URL(store.cloud.url).port);
    await store.cloud.process.stop('SIGKILL');
    await eventually(async () => {
      const h = await c1.api.call<{ cloud: { reachable: boolean | null } }>('GET', '/api/health');
      expect(h.body.cloud.reachable).toBe(false);
    }, 30_000);
    const sale = await c1.api.call<{ invoice: Invoice }>('POST', '/api/sales', {
      commandId: commandId('e2e-contingency'),
      lines: [{ sku: 'BEB-001', quantity: 2 }],
      payments: [{ method: 'cash', amount: 10_000 }],
    });
    expect(sale.status).toBe(201);
    const startedAt = sale.body.invoice.issuedAt.slice(11, 16);

    const page = await browser.newPage({ viewport: VIEWPORT, locale: 'es-CO' });
    await page.goto(`http://127.0.0.1:${c1.port}/`);
    await login(page, 'marta', PIN.marta);
    const banner = page.getByTestId('banner-contingency');
    await expect
      .poll(async () => (await banner.textContent())?.trim(), { timeout: 30_000 })
      .toBe(`Contingencia desde las ${startedAt}`);
    await screenshot(page, '13-contingencia-abierta');

    // The cloud answers again: the episode ends and the banner counts down.
    const cloud = await startCloud(store.cloud.dbPath, store.cloud.token, port);
    Object.assign(store.cloud, cloud);
    await expect
      .poll(async () => (await banner.textContent())?.trim(), { timeout: 30_000 })
      .toMatch(/^Faltan 4[78] h para transmitir a la DIAN$/);
    expect(await banner.getAttribute('data-level')).toBe('info');
    await screenshot(page, '14-plazo-dian');

    // Caja: the episode, and its report.
    await page.getByTestId('nav-caja').click();
    const panel = page.getByTestId('contingency-panel');
    await expect
      .poll(async () => (await panel.getByTestId('contingency-status').textContent()) ?? '', {
        timeout: 30_000,
      })
      .toMatch(/Faltan 4[78] h para transmitir a la DIAN/);
    const episodeId = sale.body.invoice.episodeId ?? '';
    await panel.getByTestId(`episode-report-${episodeId}`).click();
    const dialog = page.getByTestId('contingency-report');
    await dialog.waitFor();
    const frame = page.frameLocator('[data-testid="contingency-report"] iframe');
    await expect
      .poll(async () => (await frame.locator('body').textContent()) ?? '', { timeout: 30_000 })
      .toContain('REPORTE DE CONTINGENCIA');
    const body = (await frame.locator('body').textContent()) ?? '';
    expect(body).toContain(episodeId);
    expect(body).toContain(sale.body.invoice.number);
    await screenshot(page, '15-reporte-contingencia');
    await page.close();
  }, 180_000);

  it('[DIAN1] Facturas shows each invoice’s DIAN status, and the manager sees the rejected ones with the reason', async () => {
    const [c1] = store.terminals;
    if (!c1) throw new Error('a terminal');
    await c1.api.login(PIN.marta);
    const sell = async () => {
      const res = await c1.api.call<{ invoice: Invoice }>('POST', '/api/sales', {
        commandId: commandId('e2e-dian'),
        lines: [{ sku: 'BEB-001', quantity: 1 }],
        payments: [{ method: 'cash', amount: 10_000 }],
      });
      expect(res.status).toBe(201);
      return res.body.invoice;
    };
    const upload = async () => {
      const started = await c1.api.call<{ id: string }>('POST', '/api/uploads');
      expect(started.status).toBe(202);
      expect(await waitForUpload(c1, started.body.id)).toMatchObject({ state: 'done', rejected: [] });
    };
    const transmitted = await sell();
    await upload();
    const cloud = new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token });
    const settled = async () =>
      eventually(async () => {
        const page = await cloud.offlineSales('demo', { limit: 1000 });
        if (!page.ok) throw new Error(page.message);
        expect(page.value.items.every((i) => i.dian?.status !== 'pending')).toBe(true);
      }, 30_000);
    await settled();
    const reason = 'FAK24: el NIT del adquiriente no es válido';
    const armed = await fetch(`${store.cloud.url}/v1/stores/demo/dian/reject-next`, {
      method: 'POST',
      headers: { authorization: `Bearer ${store.cloud.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason }),
    });
    expect(armed.status).toBe(202);
    const refused = await sell();
    await upload();
    await settled();

    const page = await browser.newPage({ viewport: VIEWPORT, locale: 'es-CO' });
    await page.goto(`http://127.0.0.1:${c1.port}/`);
    await login(page, 'marta', PIN.marta);
    await page.getByTestId('nav-facturas').click();
    const badge = (n: string) => page.getByTestId(`invoice-dian-${n}`);
    await expect
      .poll(
        async () =>
          badge(refused.number)
            .getAttribute('data-status')
            .catch(() => null),
        { timeout: 45_000 },
      )
      .toBe('rejected');
    expect(await badge(transmitted.number).getAttribute('data-status')).toBe('transmitted');
    expect((await badge(transmitted.number).textContent())?.trim()).toBe('DIAN: transmitida');
    const list = page.getByTestId('dian-rejected');
    expect(await list.textContent()).toContain(`${refused.prefix}-${refused.consecutive} — ${reason}`);
    await page.getByTestId(`invoice-row-${refused.number}`).click();
    expect((await page.getByTestId('detail-dian-reason').textContent())?.trim()).toBe(
      `La DIAN la rechazó: ${reason}`,
    );
    await screenshot(page, '18-facturas-dian');
    await page.close();
  }, 180_000);
});
