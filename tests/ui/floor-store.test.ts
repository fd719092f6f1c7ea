// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvoiceRow } from '../../src/ui/live/views.js';
import { useFloorStore } from '../../src/ui/stores/floor.js';
import { useToastStore } from '../../src/ui/stores/toasts.js';
import { useLiveStore } from '../../src/ui/stores/live.js';
import { useManagerStore } from '../../src/ui/stores/manager.js';
import { useNavStore } from '../../src/ui/stores/nav.js';
import { useSessionStore } from '../../src/ui/stores/session.js';
import { useTableBillStore } from '../../src/ui/stores/table-bill.js';
import { DISHES, dish, FloorFixture } from './floor-fixtures.js';
import { fakeHost, settle } from './helpers.js';

let fixture: FloorFixture;

/** The live floor after a sync: what the host (or another terminal) wrote, read by the reader. */
function sync(): void {
  useLiveStore().floor = fixture.view;
}

const ok = (call: { path: string }) => ({ body: { order: { id: 'o1', path: call.path } } });

beforeEach(() => {
  setActivePinia(createPinia());
  const live = useLiveStore();
  live.products = DISHES;
  live.terminalId = 'caja-1';
  useSessionStore().user = { id: 'ana', name: 'Ana', role: 'cashier' };
  useSessionStore().token = 't';
  fixture = new FloorFixture();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the floor store (comedores, live from the floor document)', () => {
  it('[FLR1] shows each table free, occupied or waiting for the bill, by area, with its total', () => {
    fixture
      .open('o1', 'mesa-1', { diners: 4 })
      .add('o1', 'l1', 'PLA-001', 1)
      .add('o1', 'l2', 'RBE-001', 2)
      .open('o2', 'terraza-2')
      .add('o2', 'l3', 'POS-002')
      .bill('o2');
    sync();
    const floor = useFloorStore();
    expect(floor.isRestaurant).toBe(true);
    expect(floor.areas.map((a) => [a.area.name, a.tables.length])).toEqual([
      ['Salón', 8],
      ['Terraza', 4],
    ]);
    expect(floor.counts).toEqual({ free: 10, occupied: 1, billing: 1 });
    const mesa1 = floor.statuses.find((s) => s.table.id === 'mesa-1');
    expect(mesa1?.state).toBe('occupied');
    expect(mesa1?.total).toBe(44_000);
    expect(floor.statuses.find((s) => s.table.id === 'terraza-2')?.state).toBe('billing');
  });

  it('shows the Comedores tab only in a store with tables', () => {
    const nav = useNavStore();
    expect(nav.views).toEqual(['ventas', 'facturas', 'caja']);
    sync();
    expect(nav.views).toEqual(['ventas', 'comedores', 'facturas', 'caja']);
  });

  it('[FLR2] a product tapped adds a line; tapped again, one more of the same unsent line', async () => {
    fixture.open('o1', 'mesa-1');
    sync();
    const host = fakeHost({ 'POST /api/tables/mesa-1/lines': { status: 201, body: { order: {} } } });
    const floor = useFloorStore();
    floor.select('mesa-1');
    await floor.addProduct(dish('PLA-001'));
    const added = host.calls[0];
    expect(added?.body).toMatchObject({ sku: 'PLA-001', quantity: 1 });
    const lineId = (added?.body as { commandId: string }).commandId;
    expect(lineId).toMatch(/^linea-/);
    expect(floor.selectedLineId).toBe(lineId);
    fixture.add('o1', lineId, 'PLA-001');
    sync();
    const again = fakeHost({ [`PATCH /api/tables/mesa-1/lines/${lineId}`]: ok });
    await floor.addProduct(dish('PLA-001'));
    await floor.step(lineId, 1);
    expect(again.calls.map((c) => c.body)).toEqual([
      { commandId: expect.stringMatching(/^cambio-/) as unknown, delta: 1 },
      { commandId: expect.stringMatching(/^cambio-/) as unknown, delta: 1 },
    ]);
    // CMD3: two taps are two changes.
    const [first, second] = again.calls.map((c) => (c.body as { commandId: string }).commandId);
    expect(first).not.toBe(second);
    // Never below one: the −1 of a single unit is not sent (remove the line instead).
    const single = fakeHost({});
    fixture.add('o1', 'l9', 'RBE-001');
    sync();
    await floor.step('l9', -1);
    expect(single.calls).toEqual([]);
  });

  it('[CMD3] a line change that failed is sent again with its commandId; an answered one is not', async () => {
    fixture.open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001', 2);
    sync();
    const floor = useFloorStore();
    floor.select('mesa-1');
    const line = '/api/tables/mesa-1/lines/l1';
    const host = fakeHost({
      [`PATCH ${line}`]: [{ status: 503, body: { error: 'storage-unavailable' } }, ok, ok],
      [`DELETE ${line}`]: [{ status: 503, body: { error: 'storage-unavailable' } }, ok],
    });
    const idOf = (i: number) => (host.calls[i]?.body as { commandId?: string } | undefined)?.commandId;
    await floor.step('l1', 1);
    expect(floor.error).toBe('storage-unavailable');
    await floor.step('l1', 1);
    expect(floor.error).toBeNull();
    expect(idOf(1)).toBe(idOf(0));
    await floor.step('l1', 1);
    expect(idOf(2)).not.toBe(idOf(1));
    // A removal carries its commandId in the DELETE's body; its retry sends the same one.
    await floor.remove('l1');
    await floor.remove('l1');
    expect(host.calls.slice(3).map((c) => [c.method, c.path])).toEqual([
      ['DELETE', line],
      ['DELETE', line],
    ]);
    expect(idOf(3)).toMatch(/^cambio-/);
    expect(idOf(4)).toBe(idOf(3));
  });

  it('[FLR4] sends to the kitchen and shows the comanda; our own send is no news', async () => {
    fixture.open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001', 1, { note: 'sin cebolla' });
    sync();
    fakeHost({
      'POST /api/tables/mesa-1/send': {
        body: {
          order: {},
          ticket: 'COMANDA — Mesa 1\n1 × Bandeja paisa',
          comandas: { jobs: [], unrouted: [] },
        },
      },
    });
    const floor = useFloorStore();
    floor.select('mesa-1');
    floor.editNote('l1');
    expect(floor.pendingCount).toBe(1);
    expect(await floor.send()).toBe(true);
    expect(floor.ticket?.kind).toBe('comanda');
    expect(floor.ticket?.table).toBe('Mesa 1');
    expect(floor.ticket?.text).toContain('Bandeja');
    fixture.send('o1', 's1', ['l1'], 'caja-1');
    sync();
    await settle();
    expect(floor.notice).toBeNull();
    expect(floor.pendingCount).toBe(0);
  });

  it('[PRN6] every line on a station’s printer: no comanda for the browser, the stations named', async () => {
    fixture.open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001', 1);
    sync();
    const job = (title: string) => ({ id: title, kind: 'comanda', title, printerId: 'p', status: 'queued' });
    fakeHost({
      'POST /api/tables/mesa-1/send': {
        body: {
          order: {},
          ticket: 'COMANDA — Mesa 1\n1 × Bandeja paisa',
          comandas: { jobs: [job('Comanda Cocina — Mesa 1'), job('Comanda Barra — Mesa 1')], unrouted: [] },
        },
      },
    });
    const floor = useFloorStore();
    floor.select('mesa-1');
    expect(await floor.send()).toBe(true);
    expect(floor.ticket).toBeNull();
    expect(JSON.stringify(useToastStore().$state)).toContain('Cocina, Barra');
  });

  it('[FLR4] tells the person editing a line that another terminal sent it meanwhile', async () => {
    fixture.open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001').add('o1', 'l2', 'RBE-001');
    sync();
    const floor = useFloorStore();
    floor.select('mesa-1');
    floor.editNote('l1');
    fixture.send('o1', 's1', ['l1', 'l2'], 'caja-2');
    sync();
    await settle();
    expect(floor.notice).toEqual({ kind: 'sent', line: 'Bandeja paisa', by: 'Luis', terminalId: 'caja-2' });
    expect(floor.noteLineId).toBeNull();
  });

  it('tells when the line being edited was removed, or the order moved or charged elsewhere', async () => {
    fixture.open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001').add('o1', 'l2', 'RBE-001');
    sync();
    const floor = useFloorStore();
    floor.select('mesa-1');
    floor.selectLine('l2');
    fixture.remove('o1', 'l2');
    sync();
    await settle();
    expect(floor.notice).toEqual({ kind: 'removed', line: 'Limonada natural' });
    fixture.move('o1', 'mesa-5');
    sync();
    await settle();
    expect(floor.selectedTableId).toBe('mesa-5');
    expect(floor.notice).toEqual({ kind: 'moved', table: 'Mesa 5' });
    fixture.close('o1', 'c1', 'caja-2', [{ id: crypto.randomUUID(), number: 'C21' }]);
    sync();
    await settle();
    expect(floor.notice).toEqual({ kind: 'closed', table: 'Mesa 5', terminalId: 'caja-2' });
    expect(floor.selected?.state).toBe('free');
  });

  it('[FLR3] moves our order to a free table without a notice, even when the sync beats the answer', async () => {
    fixture.open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001');
    sync();
    const host = fakeHost({
      'POST /api/tables/mesa-1/move': () => {
        fixture.move('o1', 'mesa-6');
        sync();
        return { body: { order: {} } };
      },
      'POST /api/tables/mesa-6/merge': { body: { order: {} } },
    });
    const floor = useFloorStore();
    floor.select('mesa-1');
    expect(await floor.move('mesa-6')).toBe(true);
    await settle();
    expect(floor.selectedTableId).toBe('mesa-6');
    expect(floor.notice).toBeNull();
    expect(await floor.merge('mesa-2')).toBe(true);
    expect(host.calls.map((c) => [c.path, c.body])).toEqual([
      ['/api/tables/mesa-1/move', { to: 'mesa-6' }],
      ['/api/tables/mesa-6/merge', { from: 'mesa-2' }],
    ]);
  });

  it('[FLR5] raises "cobro doble" for a table closed twice, until one charge is voided', () => {
    const first = crypto.randomUUID();
    const second = crypto.randomUUID();
    fixture
      .open('o1', 'mesa-2')
      .add('o1', 'l1', 'RBE-001')
      .close('o1', 'a', 'caja-1', [{ id: first, number: 'C11' }])
      .close('o1', 'b', 'caja-2', [{ id: second, number: 'C21' }], '2026-11-28T12:41:00-05:00');
    sync();
    const floor = useFloorStore();
    expect(floor.alerts).toHaveLength(1);
    expect(floor.alerts[0]?.charges.map((c) => c.close.invoiceNumbers[0])).toEqual(['C11', 'C21']);
    const row = { invoice: { id: second }, voidedBy: { id: 'x' } } as unknown as InvoiceRow;
    useLiveStore().ledger = { invoices: [row], creditNotes: [], unused: [] };
    expect(floor.alerts).toEqual([]);
  });

  it('[FLR4] cancelling a sent line asks a manager’s PIN and sends it with the command', async () => {
    fixture.open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001').send('o1', 's1', ['l1']);
    sync();
    const host = fakeHost({
      'POST /api/tables/mesa-1/lines/l1/cancel': (call) =>
        call.headers['x-manager-pin'] === '9999'
          ? { body: { order: {} } }
          : { status: 401, body: { error: 'invalid-pin' } },
    });
    const floor = useFloorStore();
    floor.select('mesa-1');
    const manager = useManagerStore();
    const done = floor.cancelLine('l1', 1, 'El cliente cambió de opinión', 'anula-linea-1234');
    await settle();
    expect(manager.open).toBe(true);
    expect(manager.action).toBe('cancel-line');
    expect(manager.detail).toMatchObject({ kind: 'line', table: 'Mesa 1' });
    await manager.submit('1111');
    await settle();
    expect(manager.error).toBe('invalid-pin');
    expect(manager.attemptsLeft).toBe(4);
    await manager.submit('9999');
    expect(await done).toEqual({ done: true });
    expect(host.calls.map((c) => c.body)).toEqual([
      { commandId: 'anula-linea-1234', quantity: 1, reason: 'El cliente cambió de opinión' },
    ]);
    expect(host.calls[0]?.headers['x-manager-pin']).toBe('9999');
  });

  it('[FLR7] the close proposes the tip another terminal printed on the pre-bill', () => {
    fixture.open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001').bill('o1', 3_200);
    sync();
    const floor = useFloorStore();
    floor.select('mesa-1');
    const bill = useTableBillStore();
    expect(bill.openDialog()).toBe(true);
    expect(bill.tipText).toBe('3200');
  });

  it('[FLR8] renaming and adding tables ask a cashier for a manager’s PIN; a refusal gives its reason', async () => {
    const host = fakeHost({
      'PATCH /api/tables/mesa-1': (call) =>
        call.headers['x-manager-pin'] === '9999'
          ? { body: { table: { id: 'mesa-1', name: 'Ventana' } } }
          : { status: 401, body: { error: 'invalid-pin' } },
      'POST /api/areas/salon/tables': { status: 409, body: { error: 'table-name-taken', message: 'taken' } },
    });
    const floor = useFloorStore();
    const manager = useManagerStore();
    const renamed = floor.renameTable('mesa-1', 'Ventana');
    await settle();
    expect(manager.action).toBe('edit-tables');
    await manager.submit('9999');
    expect(await renamed).toEqual({ done: true });
    expect(host.calls[0]).toMatchObject({ method: 'PATCH', body: { name: 'Ventana' } });

    const added = floor.addTable('salon', 'Mesa 1', 4);
    await settle();
    await manager.submit('9999');
    expect(await added).toEqual({ done: false, reason: 'table-name-taken' });
    expect(host.calls[1]).toMatchObject({ method: 'POST', body: { name: 'Mesa 1', seats: 4 } });
    expect(floor.busy).toBe(false);
  });

  it('[FLR7] the pre-bill is asked with the tip, which the close then proposes', async () => {
    fixture.open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001').add('o1', 'l2', 'RBE-001', 3);
    sync();
    const host = fakeHost({
      'POST /api/tables/mesa-1/bill': { body: { order: {}, preBill: 'CUENTA — Mesa 1' } },
    });
    const floor = useFloorStore();
    floor.select('mesa-1');
    expect(await floor.requestBill(2_000)).toBe(true);
    expect(host.calls[0]?.body).toEqual({ tip: 2_000 });
    expect(floor.ticket?.kind).toBe('cuenta');
    const bill = useTableBillStore();
    expect(bill.openDialog()).toBe(true);
    expect(bill.tipText).toBe('2000');
  });
});

describe('closing a table (split, tip, payments)', () => {
  beforeEach(() => {
    fixture
      .open('o1', 'mesa-1')
      .add('o1', 'l1', 'PLA-001')
      .add('o1', 'l2', 'RBE-001', 6)
      .add('o1', 'l3', 'POS-002');
    sync();
    useFloorStore().select('mesa-1');
  });

  it('[FLR6] [FLR7] [TIP2] [SPL1] proposes 10 % of the service before tax, splits in equal parts and sends one payment list per part', async () => {
    const invoices = [
      { id: 'i1', number: 'C11' },
      { id: 'i2', number: 'C12' },
    ];
    const host = fakeHost({ 'POST /api/tables/mesa-1/close': { body: { invoices, order: {} } } });
    const bill = useTableBillStore();
    bill.openDialog();
    // 78.000 with INC 8 %: bases 29.630 + 33.333 + 9.259 = 72.222, so 10 % is 7.222.
    expect(bill.tipText).toBe('7222');
    bill.setSplit('equal', 2);
    expect(bill.preview.ok && bill.preview.value.parts.map((p) => [p.subtotal, p.tip, p.total])).toEqual([
      [39_000, 3_611, 42_611],
      [39_000, 3_611, 42_611],
    ]);
    bill.setPayment(0, { method: 'cash', amountText: '50.000' });
    bill.setPayment(1, { method: 'credit-card' });
    expect(bill.settlements.map((s) => s.ok && s.value.change)).toEqual([7_389, 0]);
    expect(bill.canConfirm).toBe(true);
    expect(await bill.confirm()).toEqual(invoices);
    expect(host.calls[0]?.body).toEqual({
      commandId: bill.commandId,
      tip: 7_222,
      split: { kind: 'equal', parts: 2 },
      payments: [[{ method: 'cash', amount: 50_000 }], [{ method: 'credit-card', amount: 42_611 }]],
    });
    expect(bill.issued).toEqual(invoices);
    expect(bill.open).toBe(false);
    bill.finish();
    expect(useFloorStore().selectedTableId).toBeNull();
  });

  it('[FLR6] by lines deals the lines round the parts; an empty part is refused', () => {
    const bill = useTableBillStore();
    bill.openDialog();
    bill.setSplit('lines', 2);
    expect(bill.splitRequest).toEqual({ kind: 'lines', parts: [['l1', 'l3'], ['l2']] });
    bill.assign('l2', 0);
    expect(bill.emptyPart).toBe(true);
    expect(bill.canConfirm).toBe(false);
  });

  it('[FLR7] refuses a tip above 10 % and accepts none', () => {
    const bill = useTableBillStore();
    bill.openDialog();
    bill.tipText = '7223';
    expect(bill.problem).toBe('invalid-tip');
    bill.tipText = '0';
    expect(bill.problem).toBeNull();
    expect(bill.preview.ok && bill.preview.value.total).toBe(78_000);
  });

  it('retries an uncertain close with the same command, the split and tip locked', async () => {
    const host = fakeHost({
      'POST /api/tables/mesa-1/close': [
        { status: 500, body: { error: 'journal-write-failed' } },
        { body: { invoices: [{ id: 'i1' }], order: {} } },
      ],
    });
    const bill = useTableBillStore();
    bill.openDialog();
    bill.setSplit('equal', 2);
    expect(await bill.confirm()).toBeUndefined();
    expect(bill.error).toBe('journal-write-failed');
    expect(bill.locked).toBe(true);
    bill.setSplit('none');
    bill.closeDialog();
    bill.openDialog();
    expect(bill.splitKind).toBe('equal');
    await bill.confirm();
    const [first, second] = host.calls.map((c) => c.body as { commandId: string; split: unknown });
    expect(second?.commandId).toBe(first?.commandId);
    expect(second?.split).toEqual(first?.split);
  });
});
