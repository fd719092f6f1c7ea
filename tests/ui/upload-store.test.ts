// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useHealthStore } from '../../src/ui/stores/health.js';
import { useManagerStore } from '../../src/ui/stores/manager.js';
import { useSessionStore } from '../../src/ui/stores/session.js';
import { setUploadPollMs, useUploadStore } from '../../src/ui/stores/upload.js';
import { fakeHost, settle, type FakeCall } from './helpers.js';
import {
  healthAnswer,
  NOW,
  preflightAnswer,
  reportAnswer,
  runRecord,
  statusAnswer,
  UPLOAD_ID,
} from './upload-fixtures.js';

const STATUS = `GET /api/uploads/${UPLOAD_ID}`;
const REPORT = `GET /api/uploads/${UPLOAD_ID}/report`;
const CANCEL = `POST /api/uploads/${UPLOAD_ID}/cancel`;

async function until(check: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await settle(2);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const paths = (calls: FakeCall[]) => calls.map((c) => `${c.method} ${c.path}`);

function asManager(): void {
  useSessionStore().user = { id: 'marta', name: 'Marta', role: 'manager' };
}
function asCashier(): void {
  useSessionStore().user = { id: 'ana', name: 'Ana', role: 'cashier' };
}

beforeEach(() => {
  setActivePinia(createPinia());
  setUploadPollMs(1);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  useUploadStore().reset();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('upload store (Subir venta offline)', () => {
  it('a manager reviews, uploads, watches it to the end and gets the report', async () => {
    asManager();
    const host = fakeHost({
      'GET /api/uploads/preflight': { body: preflightAnswer() },
      'POST /api/uploads': { status: 202, body: { id: UPLOAD_ID } },
      [STATUS]: [
        { body: statusAnswer({ sent: 0, created: 0, duplicate: 0 }) },
        { body: statusAnswer() },
        { body: statusAnswer({ state: 'done', sent: 120, secondsLeft: 0 }) },
      ],
      [REPORT]: { body: reportAnswer() },
      'GET /api/health': { body: healthAnswer() },
    });
    const upload = useUploadStore();
    expect(await upload.review()).toBe(true);
    expect(upload.open).toBe(true);
    expect(upload.step).toBe('review');
    expect(upload.preflight?.pending).toBe(1_382);
    expect(useManagerStore().open).toBe(false);

    expect(await upload.start()).toBe(true);
    expect(upload.step).toBe('sending');
    await until(() => upload.step === 'report', 'the report');
    expect(upload.report?.store.invoices).toBe(6);
    expect(upload.status?.state).toBe('done');
    expect(upload.running).toBe(false);
    const seen = paths(host.calls);
    expect(seen[0]).toBe('GET /api/uploads/preflight');
    expect(seen[1]).toBe('POST /api/uploads');
    expect(seen.filter((p) => p === STATUS)).toHaveLength(3);
    expect(seen.at(-1)).toBe(REPORT);
    // A manager's own session is enough: no PIN travels.
    expect(host.calls.every((c) => c.headers['x-manager-pin'] === undefined)).toBe(true);
  });

  it('a cashier’s screen asks a manager’s PIN once and sends it with every call of this upload only', async () => {
    asCashier();
    const pinned = (answer: { status?: number; body?: unknown }) => (call: FakeCall) =>
      call.headers['x-manager-pin'] === '9999'
        ? answer
        : { status: 401, body: { error: 'invalid-pin', message: 'wrong PIN' } };
    const host = fakeHost({
      'GET /api/uploads/preflight': pinned({ body: preflightAnswer() }),
      'POST /api/uploads': pinned({ status: 202, body: { id: UPLOAD_ID } }),
      [STATUS]: [
        pinned({ body: statusAnswer() }),
        pinned({ body: statusAnswer({ state: 'done', sent: 120 }) }),
      ],
      [REPORT]: pinned({ body: reportAnswer() }),
      'GET /api/health': { body: healthAnswer() },
    });
    const upload = useUploadStore();
    const manager = useManagerStore();
    const reviewing = upload.review();
    await settle();
    expect(manager.open).toBe(true);
    expect(manager.action).toBe('upload');
    await manager.submit('1111');
    await settle();
    expect(manager.error).toBe('invalid-pin');
    await manager.submit('9999');
    expect(await reviewing).toBe(true);
    expect(manager.open).toBe(false);

    await upload.start();
    await until(() => upload.report !== null, 'the report');
    expect(manager.open).toBe(false);
    const guarded = host.calls.filter((c) => c.path.startsWith('/api/uploads'));
    // The wrong PIN never reached the upload: it was refused when typed (PIN4).
    expect(guarded.map((c) => c.headers['x-manager-pin'])).toEqual(guarded.map(() => '9999'));

    // Back to Caja: the PIN is forgotten; the next review asks again.
    upload.close();
    expect(upload.open).toBe(false);
    expect(upload.preflight).toBeNull();
    const again = upload.review();
    await settle();
    expect(manager.open).toBe(true);
    manager.cancel();
    expect(await again).toBe(false);
    expect(upload.open).toBe(false);
  });

  it('cancels: the host stops after the batch in flight, and the report of what was sent follows', async () => {
    asManager();
    let cancelled = false;
    const host = fakeHost({
      'GET /api/uploads/preflight': { body: preflightAnswer() },
      'POST /api/uploads': { status: 202, body: { id: UPLOAD_ID } },
      [STATUS]: () => ({
        body: cancelled
          ? statusAnswer({ state: 'cancelled', lastError: 'the upload was cancelled' })
          : statusAnswer(),
      }),
      [CANCEL]: () => {
        cancelled = true;
        return { body: { id: UPLOAD_ID, state: 'running', cancelling: true } };
      },
      [REPORT]: { body: reportAnswer({ run: statusAnswer({ state: 'cancelled' }) }) },
      'GET /api/health': { body: healthAnswer() },
    });
    const upload = useUploadStore();
    await upload.review();
    await upload.start();
    await until(() => paths(host.calls).filter((p) => p === STATUS).length >= 3, 'a few polls');
    await upload.cancel();
    expect(paths(host.calls)).toContain(CANCEL);
    await until(() => upload.report !== null, 'the report');
    expect(upload.status?.state).toBe('cancelled');
    expect(upload.cancelling).toBe(false);
  });

  it('after a reload a manager finds this terminal’s running upload again (from the uploads document)', async () => {
    asManager();
    const host = fakeHost({
      [STATUS]: [{ body: statusAnswer() }, { body: statusAnswer({ state: 'done', sent: 120 }) }],
      [REPORT]: { body: reportAnswer() },
      'GET /api/health': { body: healthAnswer({ uploads: [runRecord()] }) },
    });
    useHealthStore().health = healthAnswer({
      uploads: [runRecord(), runRecord({ id: 'x', terminalId: 'caja-1' })],
    });
    const upload = useUploadStore();
    expect(upload.ownRunning?.id).toBe(UPLOAD_ID);
    await upload.adopt();
    expect(upload.open).toBe(true);
    expect(upload.step).toBe('sending');
    await until(() => upload.report !== null, 'the report');
    expect(paths(host.calls)[0]).toBe(STATUS);
  });

  it('after a reload, a run the host no longer knows (it restarted) is left alone, quietly', async () => {
    asManager();
    const host = fakeHost({
      [STATUS]: { status: 404, body: { error: 'unknown-upload', message: 'no upload' } },
    });
    useHealthStore().health = healthAnswer({ uploads: [runRecord()] });
    const upload = useUploadStore();
    await upload.adopt();
    await upload.adopt();
    expect(upload.open).toBe(false);
    expect(upload.error).toBeNull();
    expect(upload.ownRunning).toBeUndefined();
    expect(host.calls).toHaveLength(1);
  });

  it('a cashier’s screen does not adopt by itself (following needs a manager’s PIN)', async () => {
    asCashier();
    const host = fakeHost({});
    useHealthStore().health = healthAnswer({ uploads: [runRecord()] });
    const upload = useUploadStore();
    await upload.adopt();
    expect(host.calls).toHaveLength(0);
    expect(useManagerStore().open).toBe(false);
    expect(upload.ownRunning?.id).toBe(UPLOAD_ID);
  });

  it('a stale run in the uploads document (a crash left it "running") is not this terminal’s upload', () => {
    asManager();
    fakeHost({});
    useHealthStore().health = healthAnswer({
      uploads: [runRecord({ updatedAt: '2026-11-28T13:00:00-05:00' })],
    });
    expect(useUploadStore().ownRunning).toBeUndefined();
  });

  it('keeps polling through a host hiccup, and stops when the host forgot the run', async () => {
    asManager();
    const host = fakeHost({
      'GET /api/uploads/preflight': { body: preflightAnswer() },
      'POST /api/uploads': { status: 202, body: { id: UPLOAD_ID } },
      [STATUS]: [
        { body: statusAnswer() },
        { status: 500, body: { error: 'internal-error', message: 'busy' } },
        { body: statusAnswer({ sent: 60 }) },
        { status: 404, body: { error: 'unknown-upload', message: 'no upload' } },
      ],
      'GET /api/health': { body: healthAnswer() },
    });
    const upload = useUploadStore();
    await upload.review();
    await upload.start();
    await until(() => upload.status?.sent === 60, 'the poll after the hiccup');
    await until(() => upload.lost, 'the run to be lost');
    expect(upload.error).toEqual({ action: 'status', reason: 'unknown-upload' });
    const polls = paths(host.calls).filter((p) => p === STATUS).length;
    await settle(20);
    expect(paths(host.calls).filter((p) => p === STATUS)).toHaveLength(polls);
    upload.close();
    expect(upload.status).toBeNull();
  });

  it('when this terminal is already uploading (another screen pressed it), follows that run', async () => {
    asManager();
    fakeHost({
      'GET /api/uploads/preflight': { body: preflightAnswer() },
      'POST /api/uploads': { status: 409, body: { error: 'upload-running', message: 'running' } },
      'GET /api/health': { body: healthAnswer({ uploads: [runRecord()] }) },
      [STATUS]: { body: statusAnswer() },
    });
    const upload = useUploadStore();
    await upload.review();
    expect(await upload.start()).toBe(false);
    expect(upload.step).toBe('sending');
    expect(upload.status?.id).toBe(UPLOAD_ID);
    expect(upload.error).toBeNull();
  });

  it('shows why the review failed, and closing the screen while uploading keeps watching', async () => {
    asManager();
    fakeHost({
      'GET /api/uploads/preflight': [
        { status: 503, body: { error: 'cloud-unreachable', message: 'x' } },
        { body: preflightAnswer() },
      ],
      'POST /api/uploads': { status: 202, body: { id: UPLOAD_ID } },
      [STATUS]: { body: statusAnswer() },
      'GET /api/health': { body: healthAnswer() },
    });
    const upload = useUploadStore();
    expect(await upload.review()).toBe(false);
    expect(upload.error).toEqual({ action: 'preflight', reason: 'cloud-unreachable' });
    expect(upload.open).toBe(false);
    await upload.review();
    await upload.start();
    upload.close();
    expect(upload.open).toBe(false);
    expect(upload.running).toBe(true);
    // "Ver progreso" opens it again without a new review.
    await upload.review();
    expect(upload.open).toBe(true);
    expect(upload.step).toBe('sending');
    upload.reset();
    expect(upload.status).toBeNull();
    expect(upload.open).toBe(false);
  });
});
