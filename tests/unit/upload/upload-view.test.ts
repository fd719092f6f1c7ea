import { describe, expect, it } from 'vitest';
import type { UploadRun } from '../../../src/crdt/documents/uploads-doc.js';
import type { Preflight, TerminalPreflight } from '../../../src/upload/preflight.js';
import {
  lastErrorReason,
  missingCount,
  percentSent,
  preflightTotals,
  runningUploads,
  STALE_RUN_MS,
  uploadToMention,
} from '../../../src/upload/upload-view.js';

const NOW = Date.parse('2026-11-28T19:10:00Z');

function run(overrides: Partial<UploadRun>): UploadRun {
  return {
    id: 'r1',
    terminalId: 'caja-1',
    by: { id: 'marta', name: 'Marta' },
    startedAt: '2026-11-28T14:05:00-05:00',
    updatedAt: '2026-11-28T14:09:30-05:00',
    state: 'running',
    total: 120,
    sent: 40,
    ...overrides,
  };
}

function terminal(overrides: Partial<TerminalPreflight>): TerminalPreflight {
  return {
    terminalId: 'caja-1',
    name: 'Caja 1',
    prefix: 'C1',
    invoices: 0,
    voids: 0,
    uploaded: 0,
    pending: 0,
    pendingTotal: 0,
    total: 0,
    firstNumber: null,
    lastNumber: null,
    reservedNotIssued: 0,
    unusedPending: 0,
    missing: [],
    connected: true,
    lastSeenAt: null,
    ...overrides,
  };
}

describe('what a screen shows about an upload (pure)', () => {
  it('finds this terminal’s running run (the newest) and the others’, skipping finished ones', () => {
    const runs = [
      run({ id: 'old', startedAt: '2026-11-28T10:00:00-05:00', state: 'done' }),
      run({ id: 'mine-1', startedAt: '2026-11-28T13:00:00-05:00', updatedAt: '2026-11-28T13:01:00-05:00' }),
      run({ id: 'mine-2' }),
      run({ id: 'theirs', terminalId: 'caja-2' }),
      run({ id: 'theirs-done', terminalId: 'caja-2', state: 'cancelled' }),
    ];
    const found = runningUploads(runs, 'caja-1', NOW);
    expect(found.own?.id).toBe('mine-2');
    expect(found.own?.stale).toBe(false);
    expect(found.others.map((r) => r.id)).toEqual(['theirs']);
    expect(runningUploads(runs, 'caja-3', NOW).own).toBeUndefined();
  });

  it('calls a run stale after STALE_RUN_MS without news (a terminal killed mid-upload leaves it running)', () => {
    const updatedAt = '2026-11-28T14:09:30-05:00';
    const fresh = runningUploads(
      [run({ terminalId: 'caja-2', updatedAt })],
      'caja-1',
      Date.parse(updatedAt) + 1_000,
    );
    expect(fresh.others[0]?.stale).toBe(false);
    const stale = runningUploads(
      [run({ terminalId: 'caja-2', updatedAt })],
      'caja-1',
      Date.parse(updatedAt) + STALE_RUN_MS + 1,
    );
    expect(stale.others[0]?.stale).toBe(true);
  });

  it('mentions this terminal’s live run first, else another live one, never a stale one', () => {
    const late = Date.parse('2026-11-28T14:09:30-05:00') + STALE_RUN_MS + 1;
    const mine = run({ id: 'mine' });
    const theirs = run({ id: 'theirs', terminalId: 'caja-2', updatedAt: '2026-11-28T14:20:00-05:00' });
    expect(uploadToMention(runningUploads([theirs, mine], 'caja-1', NOW))?.id).toBe('mine');
    expect(uploadToMention(runningUploads([theirs, mine], 'caja-1', late))?.id).toBe('theirs');
    expect(uploadToMention(runningUploads([mine], 'caja-1', late))).toBeUndefined();
  });

  it('says how much is sent, in whole percent; nothing to send is complete', () => {
    expect(percentSent({ sent: 40, total: 120 })).toBe(33);
    expect(percentSent({ sent: 120, total: 120 })).toBe(100);
    expect(percentSent({ sent: 0, total: 0 })).toBe(100);
  });

  it('reads the reason of a failed attempt ("<reason>: <message>"), else calls it a stopped upload', () => {
    expect(lastErrorReason('cloud-error: HTTP 500')).toEqual({ reason: 'cloud-error', detail: 'HTTP 500' });
    expect(lastErrorReason('injected-fault: injected failure')).toEqual({
      reason: 'injected-fault',
      detail: 'injected failure',
    });
    expect(lastErrorReason('cannot reach the cloud at http://x: fetch failed')).toEqual({
      reason: 'upload-stopped',
      detail: 'cannot reach the cloud at http://x: fetch failed',
    });
    expect(lastErrorReason(null)).toBeNull();
    expect(lastErrorReason('')).toBeNull();
  });

  it('sums the preflight over terminals for the store’s row, counting missing numbers', () => {
    expect(
      missingCount([
        { from: 1045, to: 1047 },
        { from: 1050, to: 1050 },
      ]),
    ).toBe(4);
    const preflight: Preflight = {
      terminals: [
        terminal({
          invoices: 60,
          voids: 1,
          uploaded: 10,
          pending: 51,
          total: 600_000,
          pendingTotal: 500_000,
        }),
        terminal({
          terminalId: 'caja-2',
          invoices: 50,
          pending: 50,
          total: 400_000,
          pendingTotal: 400_000,
          missing: [{ from: 1045, to: 1047 }],
          reservedNotIssued: 2,
        }),
      ],
      pending: 101,
      uploaded: 10,
      warnings: [],
    };
    expect(preflightTotals(preflight)).toEqual({
      invoices: 110,
      voids: 1,
      uploaded: 10,
      pending: 101,
      total: 1_000_000,
      pendingTotal: 900_000,
      missingNumbers: 3,
      reservedNotIssued: 2,
    });
  });
});
