import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/crdt/documents/floor-orders.js';
import type { Invoice } from '../../src/domain/invoice.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';

let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;

beforeAll(async () => {
  store = await startStore(['caja-1', 'caja-2']);
  [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
  await c1.api.login(PIN.ana);
  await c2.api.login(PIN.marta);
  for (const t of [c1, c2])
    expect(
      (await t.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
        .status,
    ).toBe(201);
}, 180_000);

afterAll(async () => {
  await store.stop();
});

interface FloorAnswer {
  tables: {
    table: { id: string };
    state: string;
    total: number;
    orders: {
      order: Order;
      lines: { line: { id: string; sku: string }; quantityMilli: number; sent: boolean }[];
    }[];
  }[];
  alerts: { kind: string; orderId: string; closes: { invoiceNumbers: string[] }[] }[];
}
const floor = (t: TestTerminal) => t.api.call<FloorAnswer>('GET', '/api/floor');
const tableOf = async (t: TestTerminal, id: string) =>
  (await floor(t)).body.tables.find((x) => x.table.id === id);
const add = (t: TestTerminal, table: string, sku: string, quantity: number, note?: string) =>
  t.api.call<{ order: Order; error?: string }>('POST', `/api/tables/${table}/lines`, {
    commandId: commandId('line'),
    sku,
    quantity,
    ...(note ? { note } : {}),
  });

describe('comedores across terminals', () => {
  it('[FLR1] [FLR2] two terminals add to one table while the LAN is split; after healing both lines are on both', async () => {
    expect((await c1.api.call('POST', '/api/tables/mesa-1/open', { diners: 4 })).status).toBe(201);
    await eventually(async () => {
      expect((await tableOf(c2, 'mesa-1'))?.state).toBe('occupied');
    });
    store.link('caja-1', 'caja-2').cut();
    expect((await add(c1, 'mesa-1', 'PLA-001', 2, 'sin cebolla')).status).toBe(201);
    expect((await add(c2, 'mesa-1', 'RBE-001', 3)).status).toBe(201);
    store.link('caja-1', 'caja-2').heal();
    await eventually(async () => {
      for (const t of [c1, c2]) {
        const table = await tableOf(t, 'mesa-1');
        expect(table?.orders).toHaveLength(1);
        expect(table?.orders[0]?.lines.map((l) => l.line.sku).sort()).toEqual(['PLA-001', 'RBE-001']);
      }
    }, 20_000);
  }, 60_000);

  it('[FLR2] concurrent quantity changes to one line add up', async () => {
    const table = await tableOf(c1, 'mesa-1');
    const line = table?.orders[0]?.lines.find((l) => l.line.sku === 'RBE-001')?.line.id ?? '';
    store.link('caja-1', 'caja-2').cut();
    expect(
      (
        await c1.api.call('PATCH', `/api/tables/mesa-1/lines/${line}`, {
          commandId: commandId('cambio'),
          delta: 1,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await c2.api.call('PATCH', `/api/tables/mesa-1/lines/${line}`, {
          commandId: commandId('cambio'),
          delta: 2,
        })
      ).status,
    ).toBe(200);
    store.link('caja-1', 'caja-2').heal();
    await eventually(async () => {
      for (const t of [c1, c2]) {
        const lines = (await tableOf(t, 'mesa-1'))?.orders[0]?.lines;
        expect(lines?.find((l) => l.line.id === line)?.quantityMilli).toBe(6000);
      }
    }, 20_000);
  }, 60_000);

  it('[FLR4] sends only new lines to the kitchen; a sent line is reduced only by a manager cancellation, shown on the next ticket', async () => {
    const first = await c1.api.call<{ ticket: string }>('POST', '/api/tables/mesa-1/send');
    expect(first.status).toBe(200);
    expect(first.body.ticket).toContain('Bandeja paisa');
    expect(first.body.ticket).toContain('sin cebolla');
    expect((await c1.api.call<{ error: string }>('POST', '/api/tables/mesa-1/send')).body.error).toBe(
      'nothing-to-send',
    );
    expect((await add(c1, 'mesa-1', 'POS-002', 1)).status).toBe(201);
    const second = await c1.api.call<{ ticket: string }>('POST', '/api/tables/mesa-1/send');
    expect(second.body.ticket).toContain('Tres leches');
    expect(second.body.ticket).not.toContain('Bandeja paisa');
    const table = await tableOf(c1, 'mesa-1');
    const bandeja = table?.orders[0]?.lines.find((l) => l.line.sku === 'PLA-001')?.line.id ?? '';
    expect(
      (
        await c1.api.call<{ error: string }>('PATCH', `/api/tables/mesa-1/lines/${bandeja}`, {
          commandId: commandId('cambio'),
          delta: -1,
        })
      ).body.error,
    ).toBe('line-sent');
    expect(
      (
        await c1.api.call<{ error: string }>('POST', `/api/tables/mesa-1/lines/${bandeja}/cancel`, {
          commandId: commandId('anula-linea'),
          quantity: 1,
          reason: 'cliente cambió de opinión',
        })
      ).body.error,
    ).toBe('manager-required');
    const cancel = await c1.api.call(
      'POST',
      `/api/tables/mesa-1/lines/${bandeja}/cancel`,
      { commandId: commandId('anula-linea'), quantity: 1, reason: 'cliente cambió de opinión' },
      { 'x-manager-pin': PIN.marta },
    );
    expect(cancel.status).toBe(200);
    const third = await c1.api.call<{ ticket: string }>('POST', '/api/tables/mesa-1/send');
    expect(third.body.ticket).toContain('ANULAR 1 × Bandeja paisa');
  });

  it('[FLR6] [TIP1] [TIP2] splits the bill in two invoices with INC 8 % and the tip outside the base; the table is free again', async () => {
    // caja-2 prices the bill once caja-1's cancellation has reached it over the LAN.
    await eventually(async () => {
      const bill = await c2.api.call<{ preBill: string }>('POST', '/api/tables/mesa-1/bill');
      // 78.000 with INC 8 %: 29.630 + 33.333 + 9.259 = 72.222 before tax; 10 % is 7.222.
      expect(bill.body.preBill).toMatch(/Propina sugerida 10 %\s+\$ 7\.222/);
    }, 30_000);
    // A tip chosen for the pre-bill is kept on the order, for whichever terminal charges it.
    const withTip = await c2.api.call<{ order: Order }>('POST', '/api/tables/mesa-1/bill', { tip: 7_222 });
    expect(withTip.body.order.billTip).toBe(7_222);
    await eventually(async () => {
      expect((await tableOf(c1, 'mesa-1'))?.orders[0]?.order.billTip).toBe(7_222);
    });
    const tooMuch = await c2.api.call<{ error: string }>('POST', '/api/tables/mesa-1/bill', { tip: 7_223 });
    expect(tooMuch.body.error).toBe('invalid-tip');
    expect((await tableOf(c2, 'mesa-1'))?.state).toBe('billing');
    const total = (await tableOf(c2, 'mesa-1'))?.total ?? 0;
    // Bandeja 1 × 32.000 + limonada 6 × 6.000 + tres leches 10.000 = 78.000
    expect(total).toBe(78_000);
    const close = await c2.api.call<{ invoices: Invoice[] }>('POST', '/api/tables/mesa-1/close', {
      commandId: commandId('close'),
      split: { kind: 'equal', parts: 2 },
      tip: 7_222,
      payments: [[{ method: 'cash', amount: 50_000 }], [{ method: 'credit-card', amount: 42_611 }]],
    });
    expect(close.status).toBe(200);
    const invoices = close.body.invoices;
    expect(invoices).toHaveLength(2);
    expect(invoices.reduce((s, i) => s + i.subtotal, 0)).toBe(78_000);
    expect(invoices.reduce((s, i) => s + i.tip, 0)).toBe(7_222);
    for (const invoice of invoices) {
      expect(invoice.taxes.map((t) => t.code)).toEqual(['INC8']);
      expect(invoice.taxes.reduce((s, t) => s + t.base + t.tax, 0)).toBe(invoice.subtotal);
      expect(invoice.total).toBe(invoice.subtotal + invoice.tip);
      expect(invoice.split).toMatchObject({ parts: 2 });
    }
    expect((await tableOf(c2, 'mesa-1'))?.state).toBe('free');
    await eventually(async () => {
      expect((await tableOf(c1, 'mesa-1'))?.state).toBe('free');
    });
  });

  it('[FLR5] two terminals closing one table during a split: both invoices kept, a "cobro doble" alert to resolve', async () => {
    expect((await c1.api.call('POST', '/api/tables/terraza-2/open', { diners: 2 })).status).toBe(201);
    expect((await add(c1, 'terraza-2', 'RBE-006', 2)).status).toBe(201);
    await eventually(async () => {
      expect((await tableOf(c2, 'terraza-2'))?.orders[0]?.lines).toHaveLength(1);
    });
    store.link('caja-1', 'caja-2').cut();
    const pay = [{ method: 'cash', amount: 10_000 }];
    const a = await c1.api.call<{ invoices: Invoice[] }>('POST', '/api/tables/terraza-2/close', {
      commandId: commandId('close'),
      payments: pay,
    });
    const b = await c2.api.call<{ invoices: Invoice[] }>('POST', '/api/tables/terraza-2/close', {
      commandId: commandId('close'),
      payments: pay,
    });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    store.link('caja-1', 'caja-2').heal();
    const alert = await eventually(async () => {
      const f = await floor(c1);
      const found = f.body.alerts.find((x) => x.kind === 'double-charge');
      expect(found?.closes).toHaveLength(2);
      return found;
    }, 20_000);
    const numbers = alert?.closes.flatMap((c) => c.invoiceNumbers).sort();
    expect(numbers).toEqual([a.body.invoices[0]?.number, b.body.invoices[0]?.number].sort());
  }, 60_000);

  it('moves and merges tables; bad input answers reasons', async () => {
    expect((await c1.api.call('POST', '/api/tables/mesa-2/open', { diners: 2 })).status).toBe(201);
    expect((await add(c1, 'mesa-2', 'ENT-001', 1)).status).toBe(201);
    expect((await c1.api.call('POST', '/api/tables/mesa-3/open', { diners: 2 })).status).toBe(201);
    expect((await add(c1, 'mesa-3', 'ENT-002', 1)).status).toBe(201);
    expect(
      (await c1.api.call<{ error: string }>('POST', '/api/tables/mesa-2/move', { to: 'mesa-3' })).body.error,
    ).toBe('table-occupied');
    expect((await c1.api.call('POST', '/api/tables/mesa-2/move', { to: 'mesa-4' })).status).toBe(200);
    expect((await c1.api.call('POST', '/api/tables/mesa-4/merge', { from: 'mesa-3' })).status).toBe(200);
    const merged = await tableOf(c1, 'mesa-4');
    expect(merged?.orders[0]?.lines.map((l) => l.line.sku).sort()).toEqual(['ENT-001', 'ENT-002']);
    expect((await tableOf(c1, 'mesa-3'))?.state).toBe('free');
    expect(
      (await c1.api.call<{ error: string }>('POST', '/api/tables/mesa-99/open', { diners: 2 })).body.error,
    ).toBe('unknown-table');
    expect(
      (await c1.api.call<{ error: string }>('POST', '/api/tables/mesa-4/open', { diners: 2 })).body.error,
    ).toBe('table-occupied');
    expect((await add(c1, 'mesa-5', 'ENT-001', 1)).body.error).toBe('table-not-open');
    expect((await add(c1, 'mesa-4', 'NOPE-9', 1)).body.error).toBe('unknown-sku');
    expect((await add(c1, 'mesa-4', 'ENT-001', 0.5)).body.error).toBe('fractional-quantity');
    // SAL1 on tables: the same commandId again adds nothing; for another product it is refused.
    const lineId = commandId('line');
    const addAs = (sku: string) =>
      c1.api.call<{ error?: string }>('POST', '/api/tables/mesa-4/lines', {
        commandId: lineId,
        sku,
        quantity: 1,
      });
    expect((await addAs('ENT-001')).status).toBe(201);
    expect((await addAs('ENT-001')).status).toBe(201);
    expect((await addAs('ENT-002')).body.error).toBe('command-id-reused');
    expect((await tableOf(c1, 'mesa-4'))?.orders[0]?.lines.filter((l) => l.line.id === lineId)).toHaveLength(
      1,
    );
    const badSplit = await c1.api.call<{ error: string }>('POST', '/api/tables/mesa-4/close', {
      commandId: commandId('close'),
      split: { kind: 'equal', parts: 2 },
      payments: [{ method: 'cash', amount: 100_000 }],
    });
    expect(badSplit.body.error).toBe('split-payments-mismatch');
  });

  it('[FLR8] a manager adds and renames tables on one terminal; every terminal sees them, orders stay', async () => {
    interface TableAnswer {
      table: { id: string; name: string; areaId: string; seats: number };
      error?: string;
    }
    const addTable = (t: TestTerminal, area: string, body: unknown, headers: Record<string, string> = {}) =>
      t.api.call<TableAnswer>('POST', `/api/areas/${area}/tables`, body, headers);
    // The cashier on caja-1 needs a manager's PIN for it.
    expect((await addTable(c1, 'terraza', { name: 'Terraza 5', seats: 2 })).body.error).toBe(
      'manager-required',
    );
    const added = await addTable(
      c1,
      'terraza',
      { name: 'Terraza 5', seats: 2 },
      { 'x-manager-pin': PIN.marta },
    );
    expect(added.status).toBe(201);
    expect(added.body.table).toMatchObject({ name: 'Terraza 5', areaId: 'terraza', seats: 2 });
    const id = added.body.table.id;
    await eventually(async () => {
      expect((await tableOf(c2, id))?.state).toBe('free');
    });
    // A new table is a table like the others: open it, add to it.
    expect((await c2.api.call('POST', `/api/tables/${id}/open`, { diners: 2 })).status).toBe(201);
    expect((await add(c2, id, 'ENT-001', 1)).status).toBe(201);
    // Renamed by the manager on caja-2: the order stays with it, caja-1 shows the new name.
    const renamed = await c2.api.call<TableAnswer>('PATCH', `/api/tables/${id}`, { name: 'Balcón' });
    expect(renamed.body.table).toMatchObject({ id, name: 'Balcón', seats: 2 });
    await eventually(async () => {
      const view = await c1.api.call<{ tables: { table: { id: string; name: string }; state: string }[] }>(
        'GET',
        '/api/floor',
      );
      expect(view.body.tables.find((t) => t.table.id === id)).toMatchObject({
        table: { name: 'Balcón' },
        state: 'occupied',
      });
    });
    // Bad input: a name another table has, an unknown area or table, an empty change.
    const taken = await c2.api.call<TableAnswer>('PATCH', `/api/tables/${id}`, { name: 'mesa 1' });
    expect([taken.status, taken.body.error]).toEqual([409, 'table-name-taken']);
    expect((await addTable(c2, 'terraza', { name: 'Balcón', seats: 2 })).body.error).toBe('table-name-taken');
    const unknownArea = await addTable(c2, 'sotano', { name: 'Sótano 1', seats: 2 });
    expect([unknownArea.status, unknownArea.body.error]).toEqual([404, 'unknown-area']);
    expect((await c2.api.call<TableAnswer>('PATCH', '/api/tables/mesa-99', { name: 'X' })).body.error).toBe(
      'unknown-table',
    );
    expect((await c2.api.call<TableAnswer>('PATCH', `/api/tables/${id}`, {})).body.error).toBe(
      'invalid-body',
    );
    expect((await addTable(c2, 'terraza', { name: 'T6', seats: 0 })).body.error).toBe('invalid-body');
    const view = await floor(c2);
    expect(view.body.tables.filter((t) => t.table.id.startsWith('terraza')).length).toBe(5);
  });

  it('[SAL1] [FLR2] [FLR4] [FLR6] table commands: the same commandId again replays; on another table or order, with another body or for another command, 409 command-id-reused', async () => {
    const manager = { 'x-manager-pin': PIN.marta };
    const reused = (res: { status: number; body: { error?: string } }, what: string) => {
      expect({ what, status: res.status, error: res.body.error }).toEqual({
        what,
        status: 409,
        error: 'command-id-reused',
      });
    };
    for (const table of ['mesa-6', 'mesa-7', 'mesa-8'])
      expect((await c1.api.call('POST', `/api/tables/${table}/open`, { diners: 2 })).status).toBe(201);
    const lineId = commandId('line');
    const addAs = (t: TestTerminal, table: string, sku: string, extra: Record<string, unknown> = {}) =>
      t.api.call<{ order: Order; error?: string }>('POST', `/api/tables/${table}/lines`, {
        commandId: lineId,
        sku,
        quantity: 1,
        ...extra,
      });

    // Add a line: the retry adds nothing, on this terminal or on the other one.
    const added = await addAs(c1, 'mesa-6', 'PLA-001');
    expect(added.status).toBe(201);
    const again = await addAs(c1, 'mesa-6', 'PLA-001');
    expect(again.status).toBe(201);
    expect(again.body.order.id).toBe(added.body.order.id);
    reused(await addAs(c1, 'mesa-7', 'PLA-001'), 'the same line on another table');
    reused(await addAs(c1, 'mesa-6', 'PLA-001', { note: 'sin cebolla' }), 'another note');
    reused(await addAs(c1, 'mesa-6', 'ENT-001'), 'another product');
    const mesa7 = (await tableOf(c1, 'mesa-7'))?.orders[0]?.order.id ?? '';
    reused(await addAs(c1, 'mesa-6', 'PLA-001', { orderId: mesa7 }), 'another order');
    await eventually(async () => {
      expect((await tableOf(c2, 'mesa-6'))?.orders[0]?.lines.map((l) => l.line.id)).toEqual([lineId]);
    }, 30_000);
    expect((await addAs(c2, 'mesa-6', 'PLA-001')).status).toBe(201);
    reused(await addAs(c2, 'mesa-7', 'PLA-001'), 'the same line on another table, from another terminal');
    for (const t of [c1, c2]) {
      await eventually(async () => {
        const six = await tableOf(t, 'mesa-6');
        expect(six?.orders[0]?.lines.map((l) => [l.line.id, l.quantityMilli])).toEqual([[lineId, 1000]]);
        expect((await tableOf(t, 'mesa-7'))?.orders[0]?.lines).toEqual([]);
      }, 30_000);
    }

    // Cancel a sent line (manager): the retry cancels nothing more, even once nothing is left of
    // the line (the first run took it all).
    expect((await add(c1, 'mesa-7', 'ENT-001', 2)).status).toBe(201);
    expect((await c1.api.call('POST', '/api/tables/mesa-7/send')).status).toBe(200);
    expect((await c1.api.call('POST', '/api/tables/mesa-6/send')).status).toBe(200);
    const entrada = (await tableOf(c1, 'mesa-7'))?.orders[0]?.lines[0]?.line.id ?? '';
    const cancelId = commandId('cancel');
    const cancel = (table: string, line: string, body: Record<string, unknown>, id = cancelId) =>
      c1.api.call<{ order: Order; error?: string }>(
        'POST',
        `/api/tables/${table}/lines/${line}/cancel`,
        { commandId: id, quantity: 2, reason: 'cliente cambió de opinión', ...body },
        manager,
      );
    expect((await cancel('mesa-7', entrada, {})).status).toBe(200);
    const cancelledAgain = await cancel('mesa-7', entrada, {});
    expect(cancelledAgain.status).toBe(200);
    expect(cancelledAgain.body.order.cancellations.map((c) => c.id)).toEqual([cancelId]);
    reused(await cancel('mesa-7', entrada, { quantity: 1 }), 'another quantity');
    reused(await cancel('mesa-7', entrada, { reason: 'se demoró mucho' }), 'another reason');
    reused(await cancel('mesa-6', lineId, { quantity: 1 }), 'a cancellation on another table');
    reused(await cancel('mesa-7', entrada, { quantity: 1 }, lineId), "an added line's commandId");
    reused(await addAs(c1, 'mesa-8', 'PLA-001', { commandId: cancelId }), "a cancellation's commandId");
    expect((await tableOf(c1, 'mesa-6'))?.orders[0]?.order.cancellations).toEqual([]);

    // Close (charge) a table: the retry gives the same invoice; the same commandId on another
    // table with the very same bill and payments is another command, not a replay of this one.
    expect((await add(c1, 'mesa-8', 'PLA-001', 1)).status).toBe(201);
    const total = (await tableOf(c1, 'mesa-6'))?.total ?? 0;
    expect((await tableOf(c1, 'mesa-8'))?.total).toBe(total);
    const closeId = commandId('close');
    const close = (table: string, amount = total, id = closeId) =>
      c1.api.call<{ invoices: Invoice[]; error?: string }>('POST', `/api/tables/${table}/close`, {
        commandId: id,
        payments: [{ method: 'cash', amount }],
      });
    const closed = await close('mesa-6');
    expect(closed.status).toBe(200);
    const closedAgain = await close('mesa-6');
    expect(closedAgain.status).toBe(200);
    expect(closedAgain.body.invoices).toEqual(closed.body.invoices);
    reused(await close('mesa-6', total + 1_000), 'another payment');
    reused(await close('mesa-8'), 'the same close on another table');
    reused(await close('mesa-8', total, lineId), "an added line's commandId");
    expect((await tableOf(c1, 'mesa-8'))?.state).toBe('occupied');
    // A retry of the line on the closed table still answers its order.
    const afterClose = await addAs(c1, 'mesa-6', 'PLA-001');
    expect(afterClose.status).toBe(201);
    expect(afterClose.body.order.closes.map((c) => c.commandId)).toEqual([closeId]);
    const other = await close('mesa-8', total, commandId('close'));
    expect(other.status).toBe(200);
    expect(other.body.invoices[0]?.number).not.toBe(closed.body.invoices[0]?.number);
    expect((await tableOf(c1, 'mesa-8'))?.state).toBe('free');
  }, 120_000);
});
