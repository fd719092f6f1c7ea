import { afterEach, describe, expect, it } from 'vitest';
import type { Preflight } from '../../src/upload/preflight.js';
import { startCloud } from '../support/processes.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';
import { expectAllUploaded, expectCloudHolds, sellMany, setUp, waitForUpload } from '../support/upload.js';

/**
 * "Subir venta offline" against the reference cloud, all real processes, with faults: 500s, answers
 * lost after the commit, the cloud down mid-upload, the uploading terminal killed mid-upload, two
 * managers uploading at once. At the end the cloud holds every sale and void exactly once and stock
 * is the seed minus what was sold plus what was voided.
 */
let store: TestStore | undefined;

afterEach(async () => {
  await store?.stop();
  store = undefined;
});

describe('Subir venta offline', () => {
  it('[UPL1] [UPL4] [UPL6] preflight, upload through 500s and lost answers, report checked against the cloud', async () => {
    store = await startStore(['caja-1', 'caja-2'], {
      cloudArgs: ['--fail-rate', '0.3', '--drop-rate', '0.35', '--fault-seed', '7'],
      terminalArgs: ['--upload-batch-size', '10'],
    });
    await setUp(store);
    const [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
    const sold = [...(await sellMany(c1, 60)), ...(await sellMany(c2, 50))];
    const victim = sold[3];
    // Sold on caja-1, voided on caja-2 once the LAN has brought it there.
    await eventually(async () => {
      expect((await c2.api.call('GET', `/api/invoices/${victim?.id ?? ''}`)).status).toBe(200);
    });
    expect(
      (
        await c2.api.call('POST', `/api/invoices/${victim?.id ?? ''}/void`, {
          commandId: commandId('anula'),
          reason: 'devolución del cliente',
        })
      ).status,
    ).toBe(200);
    await eventually(async () => {
      const pre = await c2.api.call<Preflight>('GET', '/api/uploads/preflight');
      expect(pre.body.pending).toBe(111);
    });
    const pre = await c2.api.call<Preflight>('GET', '/api/uploads/preflight');
    expect(pre.body.terminals.map((t) => [t.terminalId, t.invoices, t.pending])).toEqual([
      ['caja-1', 60, 61],
      ['caja-2', 50, 50],
      ['caja-3', 0, 0],
    ]);
    expect(pre.body.warnings).toEqual([]);
    // A cashier cannot upload.
    const cashier = c1.api.token;
    await c1.api.login(PIN.ana);
    expect((await c1.api.call<{ error: string }>('POST', '/api/uploads')).body.error).toBe(
      'manager-required',
    );
    c1.api.token = cashier;

    const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect(started.status).toBe(202);
    const status = await waitForUpload(c2, started.body.id);
    expect(status).toMatchObject({ state: 'done', total: 111, sent: 111, rejected: [] });
    expect(status.created + status.duplicate).toBe(111);
    expect(status.duplicate).toBeGreaterThan(0);
    expect(status.attempts).toBeGreaterThan(Math.ceil(111 / 10));
    await expectCloudHolds(store, sold, new Set([victim?.id ?? '']));
    await expectAllUploaded(store);

    const report = await c2.api.call<{
      checkedAgainstCloud: boolean;
      differences: { missingInCloud: string[]; unknownHere: string[] };
      store: { invoices: number; voids: { count: number } };
    }>('GET', `/api/uploads/${started.body.id}/report`);
    expect(report.body).toMatchObject({
      checkedAgainstCloud: true,
      differences: { missingInCloud: [], unknownHere: [] },
      store: { invoices: 109, voids: { count: 1 } },
    });
    // Nothing left: a second upload sends nothing.
    const again = await c1.api.call<{ id: string }>('POST', '/api/uploads');
    expect((await waitForUpload(c1, again.body.id)).total).toBe(0);
  }, 180_000);

  it('[UPL5] resumes after the cloud goes down mid-upload and after the uploading terminal is killed', async () => {
    store = await startStore(['caja-1', 'caja-2'], { terminalArgs: ['--upload-batch-size', '10'] });
    await setUp(store);
    const [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
    const sold = [...(await sellMany(c1, 80)), ...(await sellMany(c2, 80))];
    await eventually(async () => {
      expect((await c1.api.call<Preflight>('GET', '/api/uploads/preflight')).body.pending).toBe(160);
    });
    // The cloud dies right after the upload starts, and comes back on the same port a moment later.
    const port = new URL(store.cloud.url).port;
    const first = await c1.api.call<{ id: string }>('POST', '/api/uploads');
    await new Promise((r) => setTimeout(r, 30));
    await store.cloud.process.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 1_500));
    const revived = await startCloud(store.cloud.dbPath, store.cloud.token, Number(port));
    const firstStatus = await waitForUpload(c1, first.body.id);
    expect(firstStatus.state).toBe('done');

    // More sales, then the uploading terminal is killed mid-upload and restarted.
    const more = await sellMany(c2, 120);
    await eventually(async () => {
      expect((await c1.api.call<Preflight>('GET', '/api/uploads/preflight')).body.pending).toBe(120);
    });
    await c1.api.call<{ id: string }>('POST', '/api/uploads');
    await new Promise((r) => setTimeout(r, 80));
    await store.kill(c1);
    await store.start(c1);
    await c1.api.login(PIN.marta);
    const resumed = await c1.api.call<{ id: string }>('POST', '/api/uploads');
    const resumedStatus = await waitForUpload(c1, resumed.body.id);
    expect(resumedStatus.state).toBe('done');
    expect(resumedStatus.total).toBeLessThanOrEqual(120);
    await expectCloudHolds({ ...store, cloud: revived }, [...sold, ...more], new Set());
    await expectAllUploaded(store);

    // A run killed while it is surely running (the cloud is away, it keeps retrying) is not left
    // "running" in the uploads document for every terminal to show once its terminal is back.
    await sellMany(c2, 5);
    await eventually(async () => {
      expect((await c1.api.call<Preflight>('GET', '/api/uploads/preflight')).body.pending).toBe(5);
    });
    await revived.process.stop('SIGKILL');
    const killed = await c1.api.call<{ id: string }>('POST', '/api/uploads');
    const running = async () =>
      (await c2.api.call<{ uploads: { id: string }[] }>('GET', '/api/health')).body.uploads.map((u) => u.id);
    await eventually(async () => {
      expect(await running()).toContain(killed.body.id);
    });
    await store.kill(c1);
    await store.start(c1);
    await eventually(async () => {
      expect(await running()).not.toContain(killed.body.id);
    });
  }, 180_000);

  it('[UPL5] two managers upload at the same moment from two terminals: each sale once', async () => {
    store = await startStore(['caja-1', 'caja-2'], { terminalArgs: ['--upload-batch-size', '15'] });
    await setUp(store);
    const [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
    const sold = [...(await sellMany(c1, 70)), ...(await sellMany(c2, 70))];
    await eventually(async () => {
      for (const t of [c1, c2])
        expect((await t.api.call<Preflight>('GET', '/api/uploads/preflight')).body.pending).toBe(140);
    });
    const [a, b] = await Promise.all([
      c1.api.call<{ id: string }>('POST', '/api/uploads'),
      c2.api.call<{ id: string }>('POST', '/api/uploads'),
    ]);
    const [sa, sb] = await Promise.all([waitForUpload(c1, a.body.id), waitForUpload(c2, b.body.id)]);
    expect([sa.state, sb.state]).toEqual(['done', 'done']);
    expect(sa.created + sb.created).toBe(140);
    await expectCloudHolds(store, sold, new Set());
    await expectAllUploaded(store);
  }, 180_000);

  it('[UPL4] warns about a terminal that is not connected and what it may hold', async () => {
    store = await startStore(['caja-1', 'caja-2']);
    await setUp(store);
    const [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
    await sellMany(c1, 3);
    await eventually(async () => {
      expect((await c2.api.call<Preflight>('GET', '/api/uploads/preflight')).body.pending).toBe(3);
    });
    store.link('caja-1', 'caja-2').cut();
    await eventually(async () => {
      const pre = await c2.api.call<Preflight>('GET', '/api/uploads/preflight');
      const warning = pre.body.warnings.find((w) => w.kind === 'terminal-not-seen');
      expect(warning?.message).toMatch(
        /^caja-1 no está conectada desde las \d\d:\d\d: sus ventas posteriores no se subirán$/,
      );
    }, 30_000);
  }, 90_000);
});
