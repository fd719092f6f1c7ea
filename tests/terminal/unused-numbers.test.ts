import { TerminalApi } from '../support/api-client.js';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FiscalLog } from '../../src/invoice/fiscal-log.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';
import { waitForUpload, sellOne } from '../support/upload.js';

/**
 * UPL10 and RNG3 with real processes: caja-1 is killed between reserving a number and issuing it
 * (its fiscal log holds the reservation and nothing else, as a SIGKILL at that moment leaves it).
 * At the next start the number is recorded as reserved-not-issued; the upload, from the other
 * terminal, takes it to the cloud as an unused number, and the cloud's account of the range has no
 * gap.
 */
let store: TestStore | undefined;

afterAll(async () => {
  await store?.stop();
});

const sell = sellOne;

interface Health {
  invoices: { pendingUpload: number; unusedNumbersPendingUpload: number };
}

describe('a number reserved and never issued', () => {
  it('[NUM4] [UPL10] [RNG3] left by a crash, goes to the cloud with the upload and closes the range’s gap', async () => {
    store = await startStore(['caja-1', 'caja-2']);
    const [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
    for (const t of [c1, c2]) {
      await t.api.login(PIN.marta);
      expect(
        (await t.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
          .status,
      ).toBe(201);
    }
    const before = [await sell(c1), await sell(c1)];
    expect(before.map((i) => i.number)).toEqual(['C11', 'C12']);

    // Killed right after reserving C13: the reservation is durable, the invoice never was.
    await store.kill(c1, 'SIGKILL');
    const { log } = FiscalLog.open(join(c1.data, 'fiscal'));
    log.append({ t: 'reserve', prefix: 'C1', consecutive: 3, at: new Date().toISOString() });
    log.close();
    await store.start(c1);
    await c1.api.login(PIN.marta);
    const after = await sell(c1);
    expect(after.number).toBe('C14');

    // Both terminals know C13 is accounted for, and that it is still to be uploaded.
    for (const t of [c1, c2]) {
      await eventually(async () => {
        const journals = await t.api.call<{
          journals: { terminalId: string; reservedNotIssued: number[]; missing: number[] }[];
        }>('GET', '/api/journals');
        expect(journals.body.journals.find((j) => j.terminalId === 'caja-1')).toMatchObject({
          reservedNotIssued: [3],
          missing: [],
        });
        const health = await t.api.call<Health>('GET', '/api/health');
        expect(health.body.invoices).toMatchObject({ pendingUpload: 3, unusedNumbersPendingUpload: 1 });
      }, 30_000);
    }
    const preflight = await c2.api.call<{
      terminals: { terminalId: string; pending: number; reservedNotIssued: number; unusedPending: number }[];
      warnings: { kind: string }[];
    }>('GET', '/api/uploads/preflight');
    expect(preflight.body.terminals.find((t) => t.terminalId === 'caja-1')).toMatchObject({
      pending: 4,
      reservedNotIssued: 1,
      unusedPending: 1,
    });
    expect(preflight.body.warnings.filter((w) => w.kind === 'missing-numbers')).toEqual([]);

    const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect(started.status).toBe(202);
    const run = await waitForUpload(c2, started.body.id);
    expect(run).toMatchObject({ state: 'done', created: 4 });

    const cloud = new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token });
    const page = await cloud.offlineSales('demo', { terminal: 'caja-1', limit: 1000 });
    if (!page.ok) throw new Error(page.message);
    expect(page.value.items.map((s) => [s.document.kind, s.document.id])).toEqual([
      ['invoice', before[0]?.id],
      ['invoice', before[1]?.id],
      ['invoice', after.id],
      ['unused-number', 'unused-C1-3'],
    ]);
    expect(page.value.items.at(-1)?.document).toMatchObject({
      kind: 'unused-number',
      terminalId: 'caja-1',
      prefix: 'C1',
      consecutive: 3,
      number: 'C13',
      reason: 'reserved before a crash or failure and never issued',
    });
    const account = await cloud.numbering('demo');
    if (!account.ok) throw new Error(account.message);
    expect(account.value.ranges.find((r) => r.terminalId === 'caja-1')).toMatchObject({
      prefix: 'C1',
      from: 1,
      issued: 3,
      voided: 0,
      unused: 1,
      last: 4,
      missingCount: 0,
      missing: [],
    });

    // The report says so, and nothing is pending any more on either terminal.
    const report = await c2.api.call<{
      store: { unused: { count: number } };
      terminals: Record<string, { unused: { numbers: string[] } }>;
    }>('GET', `/api/uploads/${started.body.id}/report`);
    expect(report.body.store.unused.count).toBe(1);
    expect(report.body.terminals['caja-1']?.unused.numbers).toEqual(['C13']);
    for (const t of [c1, c2])
      await eventually(async () => {
        const health = await t.api.call<Health>('GET', '/api/health');
        expect(health.body.invoices).toMatchObject({ pendingUpload: 0, unusedNumbersPendingUpload: 0 });
      }, 30_000);
  }, 180_000);

  it('[DIAN1] [DIAN3] the upload report says what the DIAN transmitted and what it rejected, with the reason', async () => {
    if (!store) throw new Error('no store');
    const [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
    type Report = {
      dian: {
        pending: number;
        transmitted: number;
        rejected: { number: string; kind: string; reason: string }[];
      } | null;
    };
    const reportOf = async (id: string) =>
      (await c2.api.call<Report>('GET', `/api/uploads/${id}/report`)).body;
    const upload = async () => {
      const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
      expect(started.status).toBe(202);
      expect((await waitForUpload(c2, started.body.id)).state).toBe('done');
      return started.body.id;
    };
    // The three invoices of the first upload are transmitted within moments (unused numbers are not).
    // The first upload's invoices are transmitted within moments (an unused number has nothing to transmit).
    const cloud = new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token });
    await eventually(async () => {
      const page = await cloud.offlineSales('demo', { limit: 1000 });
      if (!page.ok) throw new Error(page.message);
      expect(page.value.items.map((s) => s.dian?.status ?? null)).toEqual([
        'transmitted',
        'transmitted',
        'transmitted',
        null,
      ]);
    }, 30_000);
    const reason = 'FAD06: el número no corresponde a la resolución';
    const armed = await fetch(`${store.cloud.url}/v1/stores/demo/dian/reject-next`, {
      method: 'POST',
      headers: { authorization: `Bearer ${store.cloud.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason }),
    });
    expect(armed.status).toBe(202);
    const rejected = await sell(c1);
    await eventually(async () => {
      const res = await c2.api.call<{ total: number }>('GET', '/api/invoices');
      expect(res.body.total).toBe(4);
    }, 30_000);
    const id = await upload();
    const report = await eventually(async () => {
      const r = await reportOf(id);
      expect(r.dian).toMatchObject({ pending: 0, transmitted: 3 });
      return r;
    }, 30_000);
    expect(report.dian?.rejected).toEqual([
      expect.objectContaining({ number: rejected.number, kind: 'invoice', reason }),
    ]);

    // DIAN1 in Facturas: every terminal tells each invoice's state, the rejected one with its reason.
    const status = await eventually(async () => {
      const res = await c2.api.call<{
        readAt: string;
        documents: Record<string, { status: string; cufe?: string; reason?: string }>;
        summary: { rejected: { number: string }[] } | null;
      }>('GET', '/api/dian/status');
      expect(res.status).toBe(200);
      expect(res.body.documents[rejected.id]).toMatchObject({ status: 'rejected', reason });
      return res.body;
    }, 30_000);
    const states = Object.values(status.documents);
    expect(states.filter((d) => d.status === 'transmitted')).toHaveLength(3);
    for (const d of states.filter((x) => x.status === 'transmitted'))
      expect(d.cufe).toMatch(/^[0-9a-f]{96}$/);
    expect(status.summary?.rejected.map((r) => r.number)).toEqual([rejected.number]);
    expect(
      (await new TerminalApi(`http://127.0.0.1:${c2.port}`).call('GET', '/api/dian/status')).status,
    ).toBe(401);
  }, 120_000);
});
