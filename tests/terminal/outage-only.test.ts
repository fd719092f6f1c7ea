import { afterAll, describe, expect, it } from 'vitest';
import type { ContingencyStatus, Episode } from '../../src/domain/episode.js';
import type { Invoice } from '../../src/domain/invoice.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';
import { waitForUpload } from '../support/upload.js';

/**
 * EPI5 with real processes and the product's rule (`--when-cloud-answers ask`): while the cloud
 * answers, a sale is refused and nothing of it is written; a cashier's PIN cannot authorize
 * selling offline, a manager's can, saying why; the authorization opens the store's episode with
 * who, why and when, both terminals then sell in it, a restart does not end it, the contingency
 * report names it, and the upload ends it — after which the rule applies again.
 */
let store: TestStore | undefined;

afterAll(async () => {
  await store?.stop();
});

interface Health {
  warnings: string[];
  contingency: ContingencyStatus;
  invoices: { total: number };
  numbering: { lastReserved: number | null };
}
const health = async (t: TestTerminal) => (await t.api.call<Health>('GET', '/api/health')).body;
const sale = (t: TestTerminal) =>
  t.api.call<{ invoice: Invoice; error?: string; message?: string }>('POST', '/api/sales', {
    commandId: commandId(t.id),
    lines: [{ sku: 'BEB-001', quantity: 1 }],
    payments: [{ method: 'cash', amount: 10_000 }],
  });

describe('the offline cashbox is for outages only (EPI5)', () => {
  it('[EPI5] refuses a sale while the cloud answers until a manager authorizes selling offline, recorded with who and why', async () => {
    store = await startStore(['caja-1', 'caja-2'], {
      whenCloudAnswers: 'ask',
      terminalArgs: ['--cloud-check-seconds', '0.5'],
    });
    const s = store;
    const [c1, c2] = s.terminals as [TestTerminal, TestTerminal];
    for (const t of [c1, c2]) {
      await t.api.login(PIN.ana);
      expect(
        (await t.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
          .status,
      ).toBe(201);
      await eventually(async () => {
        expect((await health(t)).warnings).toContain('offline-needs-authorization');
      }, 30_000);
    }

    // The cloud answers: the sale is refused, and nothing of it exists (no invoice, no number).
    const refused = await sale(c1);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('offline-not-authorized');
    expect(refused.body.message).toMatch(/manager/);
    const before = await health(c1);
    expect(before.invoices.total).toBe(0);
    expect(before.numbering.lastReserved).toBeNull();
    expect(before.contingency.state).toBe('none');

    // A cashier's PIN does not authorize it; a reason is required; a manager's PIN does.
    const reason = 'El sistema en línea no factura';
    const asCashier = await c1.api.call<{ error: string }>(
      'POST',
      '/api/contingency/authorize',
      { reason },
      { 'x-manager-pin': PIN.luis },
    );
    expect(asCashier.status).toBe(403);
    expect(asCashier.body.error).toBe('not-a-manager');
    const noReason = await c1.api.call<{ error: string }>(
      'POST',
      '/api/contingency/authorize',
      { reason: ' ' },
      { 'x-manager-pin': PIN.marta },
    );
    expect(noReason.status).toBe(400);
    expect((await health(c1)).contingency.state).toBe('none');
    const authorized = await c1.api.call<{ episode: Episode }>(
      'POST',
      '/api/contingency/authorize',
      { reason },
      { 'x-manager-pin': PIN.marta },
    );
    expect(authorized.status).toBe(201);
    const episode = authorized.body.episode;
    expect(episode).toMatchObject({
      startedBy: 'caja-1',
      cloudAtStart: 'reachable',
      authorization: { by: { id: 'marta' }, reason, terminalId: 'caja-1' },
    });

    // Both terminals sell in the authorized episode, and both say who authorized it.
    const first = await sale(c1);
    expect(first.status).toBe(201);
    expect(first.body.invoice.episodeId).toBe(episode.id);
    await eventually(async () => {
      expect((await health(c2)).contingency).toMatchObject({
        state: 'open',
        episodeId: episode.id,
        authorization: { by: { id: 'marta' }, reason },
      });
    }, 30_000);
    expect((await health(c2)).warnings).not.toContain('offline-needs-authorization');
    const second = await sale(c2);
    expect(second.status).toBe(201);
    expect(second.body.invoice.episodeId).toBe(episode.id);

    // Reaching the cloud does not end it (it answered all along): not even a restart's first check.
    await s.kill(c2, 'SIGTERM');
    await s.start(c2);
    await c2.api.login(PIN.ana);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await health(c2)).contingency).toMatchObject({ state: 'open', episodeId: episode.id });

    // The report names the authorization.
    const report = await c1.api.call<string>(
      'GET',
      `/api/contingency/episodes/${episode.id}/report?format=text`,
      undefined,
      { 'x-manager-pin': PIN.marta },
    );
    expect(report.status).toBe(200);
    expect(report.body).toContain('Autorizó');
    expect(report.body).toContain(`Motivo: ${reason}`);

    // The upload ends it; then the rule applies again.
    await c1.api.login(PIN.marta);
    const up = await c1.api.call<{ id: string }>('POST', '/api/uploads');
    expect(up.status).toBe(202);
    expect(await waitForUpload(c1, up.body.id)).toMatchObject({ state: 'done', created: 2, rejected: [] });
    await eventually(async () => {
      const h = await health(c2);
      expect(h.contingency.state).not.toBe('open');
      expect(h.warnings).toContain('offline-needs-authorization');
    }, 30_000);
    const after = await sale(c2);
    expect(after.status).toBe(409);
    expect(after.body.error).toBe('offline-not-authorized');
  }, 240_000);
});
