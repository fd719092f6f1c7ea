import { describe, expect, it } from 'vitest';
import {
  contingencyStatus,
  episodeId,
  offlineSaleGate,
  openEpisode,
  type Episode,
} from '../../../src/domain/episode.js';

const h = 3_600_000;
const start = Date.parse('2026-12-02T15:00:00Z');
const episode = (overrides: Partial<Episode> = {}): Episode => ({
  id: episodeId(start, 'caja-1'),
  startedAt: '2026-12-02T10:00:00-05:00',
  startedBy: 'caja-1',
  cloudAtStart: 'unreachable',
  ...overrides,
});

describe('contingency episodes (EPI1–EPI3)', () => {
  it('[EPI1] an episode id is readable and distinct per terminal; several open ones are one outage, the earliest', () => {
    expect(episodeId(start, 'caja-1')).toBe('EP-20261202T150000-caja-1');
    const a = episode();
    const b = episode({
      id: episodeId(start + 1000, 'caja-2'),
      startedAt: '2026-12-02T10:00:01-05:00',
      startedBy: 'caja-2',
    });
    expect(openEpisode([b, a])?.id).toBe(a.id);
    expect(openEpisode([{ ...a, endedAt: '2026-12-02T12:00:00-05:00' }])).toBeUndefined();
  });

  it('[EPI2] [EPI3] no episode; one open; then the deadline 48 h after its end, escalating at 24 h and 40 h', () => {
    expect(contingencyStatus([], 5, start).state).toBe('none');
    expect(contingencyStatus([episode()], 5, start)).toMatchObject({ state: 'open', deadline: null });
    const ended = episode({
      endedAt: '2026-12-02T12:00:00-05:00',
      endedBy: 'caja-2',
      endedHow: 'cloud-reached',
    });
    const end = Date.parse('2026-12-02T17:00:00Z');
    const at = (hours: number, pending = 3) => contingencyStatus([ended], pending, end + hours * h);
    expect(at(0)).toMatchObject({
      state: 'to-transmit',
      deadline: '2026-12-04T17:00:00.000Z',
      hoursLeft: 48,
      level: 'info',
    });
    expect(at(23.5)).toMatchObject({ hoursLeft: 24, level: 'info' });
    expect(at(24)).toMatchObject({ hoursLeft: 24, level: 'warning' });
    expect(at(40)).toMatchObject({ hoursLeft: 8, level: 'critical' });
    expect(at(49)).toMatchObject({ hoursLeft: -1, level: 'overdue' });
    expect(at(10, 0)).toMatchObject({ state: 'uploaded', level: null });
    // The store's window.
    expect(contingencyStatus([ended], 1, end, 72)).toMatchObject({ deadline: '2026-12-05T17:00:00.000Z' });
  });

  it('[EPI5] refuses to sell offline while the cloud answers, unless an episode is open; unknown reachability holds nothing up', () => {
    expect(offlineSaleGate(true, [])).toMatchObject({ ok: false, reason: 'offline-not-authorized' });
    expect(offlineSaleGate(false, []).ok).toBe(true);
    expect(offlineSaleGate(null, []).ok).toBe(true);
    const authorized = episode({
      cloudAtStart: 'reachable',
      authorization: {
        by: { id: 'marta', name: 'Marta' },
        reason: 'El sistema en línea no factura',
        at: '2026-12-02T10:00:00-05:00',
        terminalId: 'caja-1',
      },
    });
    expect(offlineSaleGate(true, [authorized]).ok).toBe(true);
    // An ended episode does not authorize anything.
    const ended = { ...authorized, endedAt: '2026-12-02T12:00:00-05:00', endedHow: 'uploaded' as const };
    expect(offlineSaleGate(true, [ended]).ok).toBe(false);
    expect(contingencyStatus([authorized], 0, start).authorization?.by.id).toBe('marta');
  });
});
