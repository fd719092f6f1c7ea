import { afterAll, describe, expect, it } from 'vitest';
import type { ContingencyStatus } from '../../src/domain/episode.js';
import type { ContingencyReport } from '../../src/upload/contingency-report.js';
import { eventually, startStore, type TestStore, type TestTerminal } from '../support/store.js';
import { startCloud } from '../support/processes.js';
import { setUp, waitForUpload, sellOne } from '../support/upload.js';

/**
 * EPI1–EPI3 with real processes: the cloud goes down, both terminals sell in the same episode,
 * the cloud comes back and both show the countdown to the DIAN deadline (48 h after the end); the
 * upload ends it.
 */
let store: TestStore | undefined;

afterAll(async () => {
  await store?.stop();
});

interface Health {
  cloud: { reachable: boolean | null };
  contingency: ContingencyStatus;
}
const health = async (t: TestTerminal) => (await t.api.call<Health>('GET', '/api/health')).body;
const sell = sellOne;

describe('a contingency episode', () => {
  it('[EPI1] [EPI2] starts with the first sale while the cloud is out, ends when it answers again, and both terminals count down to the DIAN deadline', async () => {
    store = await startStore(['caja-1', 'caja-2'], { terminalArgs: ['--cloud-check-seconds', '0.5'] });
    const s = store;
    const [c1, c2] = s.terminals as [TestTerminal, TestTerminal];
    await setUp(s);
    const port = Number(new URL(s.cloud.url).port);
    await s.cloud.process.stop('SIGKILL');
    for (const t of [c1, c2])
      await eventually(async () => {
        expect((await health(t)).cloud.reachable).toBe(false);
      }, 30_000);

    const first = await sell(c1);
    expect(first.episodeId).toMatch(/^EP-\d{8}T\d{6}-caja-1$/);
    const episodeId = first.episodeId;
    // The other terminal sells in the same episode once it has heard of it.
    await eventually(async () => {
      expect((await health(c2)).contingency).toMatchObject({ state: 'open', episodeId });
    }, 30_000);
    const second = await sell(c2);
    expect(second.episodeId).toBe(episodeId);
    expect((await health(c1)).contingency).toMatchObject({ state: 'open', episodeId, deadline: null });

    // The cloud answers again: the episode ends, and both terminals show the deadline.
    const cloud = await startCloud(s.cloud.dbPath, s.cloud.token, port);
    Object.assign(s.cloud, cloud);
    // Both may notice at once and record the end; they converge on one.
    const [e1] = await eventually(async () => {
      const both = [(await health(c1)).contingency, (await health(c2)).contingency];
      for (const c of both) expect(c).toMatchObject({ state: 'to-transmit', episodeId, level: 'info' });
      expect(both[1]?.endedAt).toBe(both[0]?.endedAt);
      return both as [ContingencyStatus, ContingencyStatus];
    }, 30_000);
    expect(Date.parse(e1.deadline ?? '') - Date.parse(e1.endedAt ?? '')).toBe(48 * 3_600_000);
    expect([47, 48]).toContain(e1.hoursLeft);

    // The upload takes both sales; the countdown is over on both terminals.
    const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect((await waitForUpload(c2, started.body.id)).state).toBe('done');
    for (const t of [c1, c2])
      await eventually(async () => {
        expect((await health(t)).contingency).toMatchObject({ state: 'uploaded', episodeId, level: null });
      }, 30_000);
    // EPI4: the episode's report, as JSON and printed, with the DIAN's answer.
    const report = await eventually(async () => {
      const r = await c1.api.call<ContingencyReport>('GET', `/api/contingency/episodes/${episodeId}/report`);
      expect(r.status).toBe(200);
      expect(r.body.dian).toMatchObject({ transmitted: 2, pending: 0, rejected: [] });
      return r.body;
    }, 30_000);
    expect(report.episode).toMatchObject({ id: episodeId, startedBy: 'caja-1', cloudAtStart: 'unreachable' });
    expect(report.episode.endedHow).toBe('cloud-reached');
    expect(
      report.terminals.map((t) => [t.terminalId, t.first, t.last, t.issued, t.voided, t.unused]),
    ).toEqual([
      ['caja-1', first.number, first.number, 1, 0, []],
      ['caja-2', second.number, second.number, 1, 0, []],
    ]);
    expect(report.totals.total).toBe(first.total + second.total);
    expect(report.upload).toEqual({ documents: 2, uploaded: 2, pending: 0 });
    const text = await c1.api.call<string>(
      'GET',
      `/api/contingency/episodes/${episodeId}/report?format=text&width=42`,
    );
    expect(text.body).toContain('REPORTE DE CONTINGENCIA');
    expect(text.body).toContain(episodeId);
    expect(text.body).toContain(`Primera / última`);
    expect(Math.max(...text.body.split('\n').map((l) => l.length))).toBeLessThanOrEqual(42);
    console.log(text.body);
    expect((await c1.api.call('GET', '/api/contingency/episodes/EP-nope/report')).status).toBe(400);
    expect(
      (await c1.api.call('GET', '/api/contingency/episodes/EP-20200101T000000-caja-9/report')).status,
    ).toBe(404);

    // A sale now opens a new episode, one that knew the cloud answered; the list has both.
    const later = await sell(c1);
    expect(later.episodeId).not.toBe(episodeId);
    await eventually(async () => {
      const l = await c2.api.call<{ episodes: { id: string; invoices: number; terminals: string[] }[] }>(
        'GET',
        '/api/contingency/episodes',
      );
      expect(l.body.episodes.map((e) => e.id)).toEqual([later.episodeId, episodeId]);
    }, 30_000);
    const listed = (
      await c2.api.call<{ episodes: { id: string; invoices: number; terminals: string[] }[] }>(
        'GET',
        '/api/contingency/episodes',
      )
    ).body.episodes.find((e) => e.id === episodeId);
    expect(listed).toMatchObject({ invoices: 2, terminals: ['caja-1', 'caja-2'] });
  }, 180_000);
});
