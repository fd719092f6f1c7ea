import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/crdt/documents/floor-orders.js';
import type { CreditNote, Invoice } from '../../src/domain/invoice.js';
import type { ShiftReport } from '../../src/invoice/shift-report.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';

/**
 * Every command that records money or fiscal data requires a commandId and answers a retry with
 * its first answer, recording nothing twice — also after the terminal restarted
 * (src/invoice/SPEC.md CMD1–CMD2, src/restaurant/SPEC.md CMD3). Real `caja` processes.
 */
let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;

beforeAll(async () => {
  store = await startStore(['caja-1', 'caja-2']);
  [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
  await c1.api.login(PIN.marta);
  await c2.api.login(PIN.marta);
}, 180_000);

afterAll(async () => {
  await store.stop();
});

/** Kill the terminal (no clean shutdown), start it again, log in again. */
async function restart(t: TestTerminal): Promise<void> {
  await store.kill(t, 'SIGKILL');
  await store.start(t);
  await t.api.login(PIN.marta);
}

type ErrorAnswer = { error?: string; message?: string };
const report = async (t: TestTerminal, shiftId = 'current') =>
  (await t.api.call<{ report: ShiftReport }>('GET', `/api/shifts/${shiftId}/report`)).body.report;
const openShift = (t: TestTerminal, body: Record<string, unknown>) =>
  t.api.call<{ shift: { shiftId: string } } & ErrorAnswer>('POST', '/api/shifts/open', body);
const movement = (t: TestTerminal, body: Record<string, unknown>) =>
  t.api.call<{ shiftId: string; movement: { amount: number } } & ErrorAnswer>(
    'POST',
    '/api/shifts/current/movements',
    body,
  );
const closeShift = (t: TestTerminal, body: Record<string, unknown>) =>
  t.api.call<{ report: ShiftReport } & ErrorAnswer>('POST', '/api/shifts/current/close', body);
const voidIt = (t: TestTerminal, id: string, body: Record<string, unknown>) =>
  t.api.call<{ creditNote: CreditNote; alreadyVoided: boolean } & ErrorAnswer>(
    'POST',
    `/api/invoices/${id}/void`,
    body,
  );
const sell = async (t: TestTerminal): Promise<Invoice> => {
  const res = await t.api.call<{ invoice: Invoice }>('POST', '/api/sales', {
    commandId: commandId('venta'),
    lines: [{ sku: 'BEB-001', quantity: 2 }],
    payments: [{ method: 'cash', amount: 50_000 }],
  });
  expect(res.status).toBe(201);
  return res.body.invoice;
};

describe('commands that record money need a commandId and are idempotent (CMD1–CMD3)', () => {
  it('[CMD1] a money or table-line command without a commandId is 400 invalid-body naming it, and records nothing', async () => {
    const line = '/api/tables/mesa-1/lines/linea-12345678';
    const refused: [string, string, unknown][] = [
      ['POST', '/api/shifts/open', { openingCash: 100_000 }],
      ['POST', '/api/shifts/current/movements', { type: 'in', amount: 5_000, reason: 'Base' }],
      ['POST', '/api/shifts/current/close', { countedCash: 100_000 }],
      ['POST', `/api/invoices/${randomUUID()}/void`, { reason: 'error de digitación' }],
      [
        'POST',
        `/api/invoices/${randomUUID()}/returns`,
        { reason: 'no le gustó', lines: [{ sku: 'BEB-001', quantity: 1 }], refund: { method: 'cash' } },
      ],
      ['PATCH', line, { delta: 1 }],
      ['PATCH', line, { note: 'sin hielo' }],
      ['DELETE', line, undefined],
      ['DELETE', line, {}],
      ['POST', `${line}/cancel`, { quantity: 1, reason: 'cliente cambió de opinión' }],
    ];
    for (const [method, path, body] of refused) {
      const res = await c1.api.call<ErrorAnswer>(method, path, body);
      expect({ method, path, status: res.status, error: res.body.error }).toEqual({
        method,
        path,
        status: 400,
        error: 'invalid-body',
      });
      expect(res.body.message).toContain('commandId is required');
    }
    // Nothing was recorded: no shift opened.
    expect((await c1.api.call<ErrorAnswer>('GET', '/api/shifts/current')).body.error).toBe('no-open-shift');
  }, 60_000);

  it('[CMD2] [SHF1] a retried shift open answers the same shift; the same commandId for another opening is command-id-reused', async () => {
    const id = commandId('turno');
    const first = await openShift(c1, { commandId: id, openingCash: 100_000 });
    expect(first.status).toBe(201);
    const again = await openShift(c1, { commandId: id, openingCash: 100_000 });
    expect([again.status, again.body]).toEqual([201, first.body]);
    const reused = await openShift(c1, { commandId: id, openingCash: 90_000 });
    expect([reused.status, reused.body.error]).toEqual([409, 'command-id-reused']);
    expect((await report(c1)).openingCash).toBe(100_000);
  }, 60_000);

  it('[CMD2] [SHF1] a retried cash movement is recorded once and answers the first answer, also after a restart', async () => {
    const id = commandId('mov');
    const body = { commandId: id, type: 'in', amount: 7_000, reason: 'Base adicional' };
    const before = await report(c1);
    const first = await movement(c1, body);
    expect(first.status).toBe(201);
    expect(first.body.movement).toMatchObject({ commandId: id, type: 'in', amount: 7_000 });
    const [a, b] = await Promise.all([movement(c1, body), movement(c1, body)]);
    for (const retry of [a, b]) expect([retry.status, retry.body]).toEqual([201, first.body]);
    expect((await report(c1)).cashIn).toBe(before.cashIn + 7_000);
    const reused = await movement(c1, { ...body, amount: 8_000 });
    expect([reused.status, reused.body.error]).toEqual([409, 'command-id-reused']);

    await restart(c1);
    const afterRestart = await movement(c1, body);
    expect([afterRestart.status, afterRestart.body]).toEqual([201, first.body]);
    const after = await report(c1);
    expect(after.cashIn).toBe(before.cashIn + 7_000);
    expect(after.expectedCash).toBe(before.expectedCash + 7_000);
    expect((await movement(c1, { ...body, type: 'out' })).body.error).toBe('command-id-reused');
  }, 90_000);

  it('[CMD2] [VOID1] a retried void answers the same credit note and refunds once; another reason is command-id-reused', async () => {
    const invoice = await sell(c1);
    const before = await report(c1);
    const id = commandId('anula');
    const body = { commandId: id, reason: 'error de digitación' };
    const first = await voidIt(c1, invoice.id, body);
    expect(first.status).toBe(200);
    expect(first.body.alreadyVoided).toBe(false);
    const [a, b] = await Promise.all([voidIt(c1, invoice.id, body), voidIt(c1, invoice.id, body)]);
    for (const retry of [a, b]) {
      expect(retry.status).toBe(200);
      expect(retry.body.creditNote).toEqual(first.body.creditNote);
      expect(retry.body.alreadyVoided).toBe(false);
    }
    const reused = await voidIt(c1, invoice.id, { ...body, reason: 'otra razón' });
    expect([reused.status, reused.body.error]).toEqual([409, 'command-id-reused']);
    const after = await report(c1);
    expect(after.refunds.count).toBe(before.refunds.count + 1);
    expect(after.refunds.total).toBe(before.refunds.total + invoice.total);

    await restart(c1);
    const afterRestart = await voidIt(c1, invoice.id, body);
    expect(afterRestart.status).toBe(200);
    expect(afterRestart.body.creditNote).toEqual(first.body.creditNote);
    expect((await report(c1)).refunds.count).toBe(before.refunds.count + 1);
  }, 90_000);

  it('[CMD2] [SHF3] a retried shift close answers the same Z report, also after a restart; another count is command-id-reused', async () => {
    const expected = (await report(c1)).expectedCash;
    const id = commandId('cierre');
    const body = { commandId: id, countedCash: expected };
    const first = await closeShift(c1, body);
    expect(first.status).toBe(200);
    expect(first.body.report).toMatchObject({ countedCash: expected, difference: 0 });
    expect(first.body.report.closedAt).not.toBeNull();
    const again = await closeShift(c1, body);
    expect([again.status, again.body]).toEqual([200, first.body]);
    const reused = await closeShift(c1, { ...body, countedCash: expected + 1_000 });
    expect([reused.status, reused.body.error]).toEqual([409, 'command-id-reused']);

    await restart(c1);
    const afterRestart = await closeShift(c1, body);
    expect([afterRestart.status, afterRestart.body]).toEqual([200, first.body]);
    // Still closed: the retry opened nothing and closed nothing else.
    expect((await c1.api.call<ErrorAnswer>('GET', '/api/shifts/current')).body.error).toBe('no-open-shift');
  }, 90_000);

  it('[CMD3] [FLR2] a retried quantity change applies once — through another terminal and after a restart too; a retried removal answers again', async () => {
    type OrderAnswer = { order: Order } & ErrorAnswer;
    expect((await c1.api.call('POST', '/api/tables/mesa-3/open', { diners: 2 })).status).toBe(201);
    const lineId = commandId('linea');
    const added = await c1.api.call<OrderAnswer>('POST', '/api/tables/mesa-3/lines', {
      commandId: lineId,
      sku: 'RBE-001',
      quantity: 1,
    });
    expect(added.status).toBe(201);
    const path = `/api/tables/mesa-3/lines/${lineId}`;
    const quantityOn = async (t: TestTerminal) => {
      const answer = await t.api.call<{
        tables: {
          table: { id: string };
          orders: { lines: { line: { id: string }; quantityMilli: number }[] }[];
        }[];
      }>('GET', '/api/floor');
      const table = answer.body.tables.find((x) => x.table.id === 'mesa-3');
      return table?.orders[0]?.lines.find((l) => l.line.id === lineId)?.quantityMilli;
    };

    const change = { commandId: commandId('cambio'), delta: 2 };
    const first = await c1.api.call<OrderAnswer>('PATCH', path, change);
    expect(first.status).toBe(200);
    const retries = await Promise.all([
      c1.api.call<OrderAnswer>('PATCH', path, change),
      c1.api.call<OrderAnswer>('PATCH', path, change),
    ]);
    for (const again of retries) expect([again.status, again.body]).toEqual([200, first.body]);
    expect(await quantityOn(c1)).toBe(3_000);
    const reused = await c1.api.call<OrderAnswer>('PATCH', path, { ...change, delta: 1 });
    expect([reused.status, reused.body.error]).toEqual([409, 'command-id-reused']);

    // The retry through the other terminal, once the floor synced: the record travels with it.
    await eventually(async () => {
      expect(await quantityOn(c2)).toBe(3_000);
    }, 30_000);
    expect((await c2.api.call<OrderAnswer>('PATCH', path, change)).status).toBe(200);
    await restart(c1);
    const afterRestart = await c1.api.call<OrderAnswer>('PATCH', path, change);
    expect(afterRestart.status).toBe(200);
    await eventually(async () => {
      for (const t of [c1, c2]) expect(await quantityOn(t)).toBe(3_000);
    }, 30_000);

    // A removal carries its commandId in the DELETE's JSON body; its retry answers the same order.
    const remove = { commandId: commandId('cambio') };
    const removed = await c1.api.call<OrderAnswer>('DELETE', path, remove);
    expect(removed.status).toBe(200);
    expect(removed.body.order.lines.some((l) => l.id === lineId)).toBe(false);
    const removedAgain = await c1.api.call<OrderAnswer>('DELETE', path, remove);
    expect([removedAgain.status, removedAgain.body]).toEqual([200, removed.body]);
    // A new command on the removed line is a new command: the line is gone.
    expect((await c1.api.call<OrderAnswer>('DELETE', path, { commandId: commandId('cambio') })).status).toBe(
      404,
    );
  }, 120_000);
});
