import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { waitForUpload } from '../support/upload.js';
import { CloudClient } from '../../src/upload/cloud-client.js';

/**
 * Refunds come out of the drawer that hands the money back (src/invoice/SPEC.md SHF5, CRN1–CRN3,
 * SHF6), checked to the peso on both drawers' reports. Figures worked out by hand beside them.
 */
let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;

beforeAll(async () => {
  store = await startStore(['caja-1', 'caja-2']);
  [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
  await c1.api.login(PIN.ana);
  await c2.api.login(PIN.marta);
}, 180_000);

afterAll(async () => {
  await store.stop();
});

const manager = { 'x-manager-pin': PIN.marta };
const open = async (t: TestTerminal, openingCash: number) => {
  const res = await t.api.call<{ shift: { shiftId: string } }>('POST', '/api/shifts/open', {
    openingCash,
    commandId: commandId('turno'),
  });
  expect(res.status).toBe(201);
  return res.body.shift.shiftId;
};
const report = async (t: TestTerminal, shiftId = 'current') =>
  (await t.api.call<{ report: ShiftReport }>('GET', `/api/shifts/${shiftId}/report`)).body.report;
const sell = async (t: TestTerminal, body: Record<string, unknown>) => {
  const res = await t.api.call<{ invoice: Invoice }>('POST', '/api/sales', {
    commandId: commandId('venta'),
    ...body,
  });
  expect(res.status).toBe(201);
  return res.body.invoice;
};
const voidIt = (
  t: TestTerminal,
  id: string,
  body: Record<string, unknown>,
  headers?: Record<string, string>,
) =>
  t.api.call<{ creditNote: CreditNote; error?: string }>(
    'POST',
    `/api/invoices/${id}/void`,
    { commandId: commandId('anula'), ...body },
    headers,
  );

describe('refunds in the drawer that pays them (SHF5, CRN1–CRN3)', () => {
  let shift1 = '';
  let a: Invoice;
  let b: Invoice;

  it('[SHF5] [CRN1] [CRN2] a caja-1 sale of an earlier shift voided on caja-2: the refund is in caja-2’s Z, caja-1’s Z stays as it was', async () => {
    shift1 = await open(c1, 100_000);
    // 3 × Tres leches $ 10.000 = $ 30.000 (INC 8 %: base 27.778, INC 2.222), paid with 50.000.
    a = await sell(c1, {
      lines: [{ sku: 'POS-002', quantity: 3 }],
      payments: [{ method: 'cash', amount: 50_000 }],
    });
    expect([a.total, a.change]).toEqual([30_000, 20_000]);
    // 2 × Leche entera $ 4.600 = $ 9.200 (IVA 0 %), debit card.
    b = await sell(c1, {
      lines: [{ sku: 'LAC-001', quantity: 2 }],
      payments: [{ method: 'debit-card', amount: 9_200 }],
    });
    // A cashier closes with the count right: 100.000 + 30.000 in cash.
    const z1 = await c1.api.call<{ report: ShiftReport }>('POST', '/api/shifts/current/close', {
      commandId: commandId('cierre'),
      countedCash: 130_000,
    });
    expect(z1.status).toBe(200);
    expect(z1.body.report).toMatchObject({ salesTotal: 39_200, expectedCash: 130_000, difference: 0 });
    await open(c1, 100_000);

    await eventually(async () => {
      expect((await c2.api.call('GET', `/api/invoices/${b.id}`)).status).toBe(200);
    }, 30_000);
    // caja-2 has no open shift: no drawer to pay the money back from.
    const closed = await voidIt(c2, a.id, { reason: 'El cliente devolvió los postres' });
    expect(closed.body.error).toBe('no-open-shift');
    const shift2 = await open(c2, 50_000);
    const voided = await voidIt(c2, a.id, { reason: 'El cliente devolvió los postres' });
    expect(voided.status).toBe(200);
    // Concept 2 (anulación) by default; the cash went back net of the change: 50.000 − 20.000.
    expect(voided.body.creditNote).toMatchObject({
      schemaVersion: 2,
      concept: '2',
      shiftId: shift2,
      terminalId: 'caja-2',
      amount: 30_000,
      refunds: [{ method: 'cash', code: '10', amount: 30_000 }],
    });
    const x2 = await report(c2);
    expect(x2.refunds).toMatchObject({
      count: 1,
      total: 30_000,
      taxes: [{ code: 'INC8', base: 27_778, tax: 2_222 }],
      notes: [{ invoiceNumber: a.number, concept: '2', amount: 30_000 }],
    });
    expect(x2.refunds.byPaymentMethod.cash).toBe(30_000);
    // 50.000 opening − 30.000 handed back.
    expect(x2.expectedCash).toBe(20_000);
    // caja-1's first shift took the money and keeps it: 39.200 sold, 130.000 expected.
    expect(await report(c1, shift1)).toMatchObject({
      salesCount: 2,
      salesTotal: 39_200,
      expectedCash: 130_000,
      voids: { count: 0 },
      refunds: { count: 0, total: 0 },
    });
  });

  it('[SHF5] [CRN2] a card sale voided in the next shift of the same terminal: the refund by card, the cash unchanged', async () => {
    // Ana (cashier) voids with Marta's PIN; each means gets back what it paid: 9.200 by debit card.
    const voided = await voidIt(c1, b.id, { reason: 'Cobro por error', concept: '2' }, manager);
    expect(voided.status).toBe(200);
    expect(voided.body.creditNote.refunds).toEqual([{ method: 'debit-card', code: '49', amount: 9_200 }]);
    const x1 = await report(c1);
    expect(x1.refunds).toMatchObject({ count: 1, total: 9_200 });
    expect(x1.refunds.byPaymentMethod).toMatchObject({ cash: 0, 'debit-card': 9_200 });
    expect(x1.expectedCash).toBe(100_000);
    expect(x1.voids.numbers).toEqual([b.number]);
  });

  it('[SHF6] closing shows the Z preview; a difference beyond $ 20.000 needs a manager and a note', async () => {
    const preview = await c2.api.call<{
      report: ShiftReport;
      differenceLimit: number;
      needsNote: boolean;
      needsManager: boolean;
    }>('GET', '/api/shifts/current/report?countedCash=45000');
    // Expected 20.000, counted 45.000: 25.000 over the limit of 20.000.
    expect(preview.body).toMatchObject({
      report: { expectedCash: 20_000, countedCash: 45_000, difference: 25_000 },
      differenceLimit: 20_000,
      needsNote: true,
      needsManager: true,
    });
    const noNote = await c2.api.call<{ error: string }>('POST', '/api/shifts/current/close', {
      commandId: commandId('cierre'),
      countedCash: 45_000,
    });
    expect([noNote.status, noNote.body.error]).toEqual([422, 'note-required']);
    const exact = await c2.api.call<{ report: ShiftReport }>('POST', '/api/shifts/current/close', {
      commandId: commandId('cierre'),
      countedCash: 20_000,
    });
    expect(exact.body.report).toMatchObject({
      expectedCash: 20_000,
      difference: 0,
      refunds: { total: 30_000 },
    });

    // A cashier counting 30.000 short is stopped; with a manager's PIN and a note it closes.
    const short = await c1.api.call<{ error: string }>('POST', '/api/shifts/current/close', {
      commandId: commandId('cierre'),
      countedCash: 70_000,
      note: 'Faltante al contar',
    });
    expect(short.body.error).toBe('manager-required');
    const closed = await c1.api.call<{ report: ShiftReport }>(
      'POST',
      '/api/shifts/current/close',
      { commandId: commandId('cierre'), countedCash: 70_000, note: 'Faltante al contar' },
      manager,
    );
    expect(closed.status).toBe(200);
    expect(closed.body.report.difference).toBe(-30_000);
  });

  it('[CRN3] the reprint says the void is requested until the cloud has the credit note; the slip shows the refund', async () => {
    const receipt = async () =>
      (await c1.api.call<string>('GET', `/api/invoices/${a.id}/receipt?format=text&width=48`)).body;
    expect(await receipt()).toContain('ANULACIÓN SOLICITADA');
    const slip = (await c1.api.call<string>('GET', `/api/invoices/${a.id}/credit-note?format=text`)).body;
    expect(slip).toContain('SOLICITUD DE NOTA CRÉDITO');
    expect(slip).toMatch(/Concepto\s+2 Anulación/);
    expect(slip).toMatch(/Devuelto: Efectivo\s+\$ 30\.000/);
    expect(
      (await c1.api.call<{ error: string }>('GET', `/api/invoices/${commandId('x')}/credit-note`)).status,
    ).toBe(400);
    const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect(started.status).toBe(202);
    expect(await waitForUpload(c2, started.body.id)).toMatchObject({ state: 'done', rejected: [] });
    await expect.poll(receipt, { timeout: 30_000, interval: 200 }).toContain('*** ANULADA ***');
  }, 120_000);

  it('[RET1] [RET2] [RET3] a partial return credits each product its share; a void then credits what is left; the cloud takes all three and the stock comes back', async () => {
    const cloud = new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token });
    const stock = async () => {
      const inv = await cloud.inventory('demo');
      if (!inv.ok) throw new Error(inv.message);
      const of = (sku: string) => inv.value.find((i) => i.sku === sku)?.onHand ?? Number.NaN;
      return [of('PLA-001'), of('RBE-001')];
    };
    await open(c2, 0);
    // 2 × Bandeja paisa 32.000 + Limonada 6.000 = 70.000 in cash (INC 8 % as the products carry).
    const sale = await sell(c2, {
      lines: [
        { sku: 'PLA-001', quantity: 2 },
        { sku: 'RBE-001', quantity: 1 },
      ],
      payments: [{ method: 'cash', amount: 70_000 }],
    });
    const ret = (body: Record<string, unknown>) =>
      c2.api.call<{ creditNote: CreditNote; error?: string }>('POST', `/api/invoices/${sale.id}/returns`, {
        commandId: commandId('dev'),
        reason: 'Plato devuelto frío',
        refund: { method: 'cash' },
        ...body,
      });
    const one = await ret({ lines: [{ sku: 'PLA-001', quantity: 1 }] });
    expect(one.status).toBe(201);
    // 1 of 2 bandejas: 64.000 × 1/2 = 32.000; base 32.000 / 1,08 = 29.629,6 → 29.630, INC 2.370.
    expect(one.body.creditNote).toMatchObject({
      concept: '1',
      amount: 32_000,
      lines: [{ sku: 'PLA-001', quantity: 1, amount: 32_000, tax: 'INC8', base: 29_630, taxAmount: 2_370 }],
      refunds: [{ method: 'cash', amount: 32_000 }],
    });
    const slip = (await c2.api.call<string>('GET', `/api/invoices/${sale.id}/credit-note?format=text`)).body;
    expect(slip).toMatch(/Concepto\s+1 Devolución parcial/);
    expect(slip).toMatch(/1 Bandeja paisa\s+32\.000/);
    expect(slip).toMatch(/INC 8 % base 29\.630\s+2\.370/);
    // CRN1: the invoice's listing and its detail carry the request with its concept.
    const listed = await c2.api.call<{
      items: { invoice: { id: string }; voided: boolean; returns: CreditNote[] }[];
    }>('GET', '/api/invoices');
    const row = listed.body.items.find((i) => i.invoice.id === sale.id);
    expect(row?.voided).toBe(false);
    expect(row?.returns.map((r) => [r.concept, r.amount])).toEqual([['1', 32_000]]);
    const detail = await c2.api.call<{ returns: CreditNote[] }>('GET', `/api/invoices/${sale.id}`);
    expect(detail.body.returns.map((r) => r.id)).toEqual([one.body.creditNote.id]);
    expect((await ret({ lines: [{ sku: 'PLA-001', quantity: 2 }] })).body.error).toBe('return-exceeds-sale');
    expect((await ret({ lines: [{ sku: 'BEB-001', quantity: 1 }] })).body.error).toBe('invalid-return');
    // The rest is voided, back by transfer: 70.000 − 32.000 = 38.000.
    const rest = await voidIt(c2, sale.id, {
      reason: 'El cliente no quiso lo demás',
      refund: { method: 'transfer' },
    });
    expect(rest.body.creditNote).toMatchObject({
      concept: '2',
      amount: 38_000,
      refunds: [{ method: 'transfer', amount: 38_000 }],
    });
    expect((await ret({ lines: [{ sku: 'RBE-001', quantity: 1 }] })).body.error).toBe('invoice-voided');
    const x = await report(c2);
    // The shift sold 70.000 and handed back 32.000 in cash and 38.000 by transfer.
    expect(x).toMatchObject({ salesTotal: 70_000, expectedCash: 70_000 - 32_000 });
    expect(x.refunds).toMatchObject({ count: 2, total: 70_000 });
    expect(x.refunds.byPaymentMethod).toMatchObject({ cash: 32_000, transfer: 38_000 });
    // The taxes reversed add up to the sale's: 64.000 + 6.000 with INC, bases 59.259 + 5.556.
    expect(x.refunds.taxes).toEqual([{ code: 'INC8', base: 64_815, tax: 5_185 }]);

    const [bandejas, limonadas] = await stock();
    const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect(await waitForUpload(c2, started.body.id)).toMatchObject({ state: 'done', rejected: [] });
    // Sold 2 + 1 and all of it came back: the cloud's stock ends where it was before the sale.
    expect(await stock()).toEqual([bandejas, limonadas]);
  }, 120_000);
});
