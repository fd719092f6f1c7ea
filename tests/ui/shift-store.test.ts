// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShiftReport } from '../../src/contract/host-api.js';
import { useCatalogReadStore } from '../../src/ui/stores/catalog-read.js';
import { useManagerStore } from '../../src/ui/stores/manager.js';
import { useSessionStore } from '../../src/ui/stores/session.js';
import { useShiftStore } from '../../src/ui/stores/shift.js';
import { fakeHost, settle, type FakeCall } from './helpers.js';

const shift = {
  shiftId: 'caja-1-abc',
  openedAt: '2026-11-28T08:00:00-05:00',
  openedBy: { id: 'ana', name: 'Ana' },
  openingCash: 100_000,
};
const report: ShiftReport = {
  shiftId: shift.shiftId,
  terminalId: 'caja-1',
  openedAt: shift.openedAt,
  openedBy: shift.openedBy,
  closedAt: '2026-11-28T18:00:00-05:00',
  closedBy: { id: 'marta', name: 'Marta' },
  salesCount: 2,
  salesTotal: 13_400,
  byPaymentMethod: { cash: 7_800, transfer: 0, 'credit-card': 0, 'debit-card': 5_600, other: 0 },
  taxes: [],
  tips: 0,
  voids: { count: 0, total: 0, numbers: [] },
  refunds: {
    count: 0,
    total: 0,
    byPaymentMethod: { cash: 0, transfer: 0, 'credit-card': 0, 'debit-card': 0, other: 0 },
    taxes: [],
    notes: [],
  },
  firstNumber: 'C11',
  lastNumber: 'C12',
  reservedNotIssued: [],
  openingCash: 100_000,
  cashIn: 0,
  cashOut: 0,
  expectedCash: 107_800,
  countedCash: 107_800,
  difference: 0,
  drawerOpenings: [],
};

beforeEach(() => {
  setActivePinia(createPinia());
  useSessionStore().user = { id: 'ana', name: 'Ana', role: 'cashier' };
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const bodies = (calls: FakeCall[], path: string) =>
  calls.filter((c) => c.path === path).map((c) => c.body as Record<string, unknown>);

describe('shift store (Caja)', () => {
  it('opens the shift with the opening cash; a retry after a failure reuses the command id', async () => {
    const host = fakeHost({
      'POST /api/shifts/open': [
        { status: 500, body: { error: 'journal-write-failed', message: 'disk' } },
        { status: 201, body: { shift } },
      ],
      'GET /api/health': { body: { shift } },
    });
    const store = useShiftStore();
    expect(await store.openShift(100_000)).toBe(false);
    expect(store.error).toEqual({ action: 'open', reason: 'journal-write-failed' });
    expect(await store.openShift(100_000)).toBe(true);
    const sent = bodies(host.calls, '/api/shifts/open');
    expect(sent.map((b) => b.openingCash)).toEqual([100_000, 100_000]);
    expect(sent[0]?.commandId).toBe(sent[1]?.commandId);
    expect(store.shift?.shiftId).toBe(shift.shiftId);
  });

  it('records cash movements, each with its own command id', async () => {
    const host = fakeHost({
      'POST /api/shifts/current/movements': { status: 201, body: { shiftId: shift.shiftId } },
    });
    const store = useShiftStore();
    await store.addMovement({ type: 'out', amount: 20_000, reason: 'Pago proveedor' });
    await store.addMovement({ type: 'in', amount: 5_000, reason: 'Sencillo' });
    const sent = bodies(host.calls, '/api/shifts/current/movements');
    expect(sent[0]).toMatchObject({ type: 'out', amount: 20_000, reason: 'Pago proveedor' });
    expect(sent[0]?.commandId).not.toBe(sent[1]?.commandId);
  });

  it('closes the shift with a manager PIN; a PIN the action refuses keeps the dialog open and the same command', async () => {
    const host = fakeHost({
      // A host that takes every PIN at the check but refuses one with the action: the retry path.
      'POST /api/session/elevate': { body: { user: { id: 'marta', name: 'Marta', role: 'manager' } } },
      'POST /api/shifts/current/close': (call: FakeCall) =>
        call.headers['x-manager-pin'] === '9999'
          ? { body: { report } }
          : { status: 401, body: { error: 'invalid-pin', message: 'wrong PIN' } },
      'GET /api/health': { body: { shift: null } },
    });
    const store = useShiftStore();
    const manager = useManagerStore();
    const closing = store.closeShift(107_800);
    await settle();
    expect(manager.open).toBe(true);
    expect(manager.action).toBe('close-shift');
    await manager.submit('1111');
    await settle();
    expect(manager.open).toBe(true);
    expect(manager.error).toBe('invalid-pin');
    await manager.submit('9999');
    expect(await closing).toBe(true);
    expect(manager.open).toBe(false);
    expect(store.zReport?.difference).toBe(0);
    const sent = host.calls.filter((c) => c.path === '/api/shifts/current/close');
    expect(sent.map((c) => c.headers['x-manager-pin'])).toEqual(['1111', '9999']);
    expect((sent[0]?.body as { commandId: string }).commandId).toBe(
      (sent[1]?.body as { commandId: string }).commandId,
    );
    expect(store.shift).toBeNull();
  });

  it('does nothing when the manager dialog is cancelled', async () => {
    const host = fakeHost({});
    const store = useShiftStore();
    const closing = store.closeShift(1);
    await settle();
    useManagerStore().cancel();
    expect(await closing).toBe(false);
    expect(host.calls).toHaveLength(0);
    expect(store.busy).toBeNull();
  });

  it('reads the X report', async () => {
    fakeHost({
      'GET /api/shifts/current/report': {
        body: { report: { ...report, closedAt: null, countedCash: null } },
      },
    });
    const store = useShiftStore();
    await store.loadXReport();
    expect(store.xReport?.salesCount).toBe(2);
  });
});

describe('catalog read (Leer catálogo)', () => {
  it('reports what changed, a manager logged in is not asked for a PIN', async () => {
    useSessionStore().user = { id: 'marta', name: 'Marta', role: 'manager' };
    const answer = {
      version: '8',
      notModified: false,
      added: ['NEW-1'],
      removed: [],
      priceChanges: [{ sku: 'BEB-001', name: 'Gaseosa', from: 3200, to: 3400 }],
      changed: [],
    };
    const host = fakeHost({ 'POST /api/catalog/read': { body: answer } });
    const store = useCatalogReadStore();
    await store.read();
    expect(store.result).toEqual(answer);
    expect(host.calls[0]?.headers['x-manager-pin']).toBeUndefined();
  });

  it('shows the cloud’s failure reason', async () => {
    useSessionStore().user = { id: 'marta', name: 'Marta', role: 'manager' };
    fakeHost({
      'POST /api/catalog/read': { status: 503, body: { error: 'cloud-unreachable', message: 'down' } },
    });
    const store = useCatalogReadStore();
    await store.read();
    expect(store.error).toBe('cloud-unreachable');
    expect(store.busy).toBe(false);
  });
});
