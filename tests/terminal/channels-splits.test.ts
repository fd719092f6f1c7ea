import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/crdt/documents/floor-orders.js';
import type { Invoice } from '../../src/domain/invoice.js';
import { verifyInvoice } from '../../src/domain/invoice-check.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';
import { expectCloudHolds, waitForUpload } from '../support/upload.js';

/**
 * Sales channels, tips and splits on real terminals (src/domain/SPEC.md CHN, TIP, SPL): every
 * figure below was worked out by hand and is written beside its assertion.
 */
let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;
const issued: Invoice[] = [];

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

const sell = (t: TestTerminal, body: Record<string, unknown>) =>
  t.api.call<{ invoice: Invoice; error?: string }>('POST', '/api/sales', {
    commandId: commandId('venta'),
    ...body,
  });
const add = (t: TestTerminal, table: string, sku: string, quantity: number) =>
  t.api.call<{ order: Order }>('POST', `/api/tables/${table}/lines`, {
    commandId: commandId('line'),
    sku,
    quantity,
  });
const receipt = async (t: TestTerminal, id: string) =>
  (await t.api.call<string>('GET', `/api/invoices/${id}/receipt?format=text&width=48`)).body;

describe('sales channels (CHN1–CHN3)', () => {
  it('[CHN1] [CHN2] the same soda is IVA 19 % at the counter and INC 8 % for takeaway; a counter tip is refused', async () => {
    // Gaseosa cola 400 ml, $ 3.200 with tax.
    const counter = await sell(c1, {
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 3_200 }],
    });
    expect(counter.status).toBe(201);
    // IVA 19 %: base 3.200 / 1,19 = 2.689,08 → 2.689; IVA 511.
    expect(counter.body.invoice).toMatchObject({
      channel: 'mostrador',
      taxes: [{ code: 'IVA19', base: 2_689, tax: 511 }],
      tipBase: { kind: 'pre-tax', amount: 0 },
    });
    const takeaway = await sell(c1, {
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 3_200 }],
      channel: 'llevar',
    });
    expect(takeaway.status).toBe(201);
    // INC 8 %: base 3.200 / 1,08 = 2.962,96 → 2.963; INC 237.
    expect(takeaway.body.invoice).toMatchObject({
      channel: 'llevar',
      taxes: [{ code: 'INC8', base: 2_963, tax: 237 }],
      lines: [{ sku: 'BEB-001', channel: 'llevar', restaurant: true, tax: 'INC8' }],
    });
    issued.push(counter.body.invoice, takeaway.body.invoice);
    const tipped = await sell(c1, {
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 3_300 }],
      tip: 100,
    });
    expect(tipped.status).toBe(422);
    expect(tipped.body.error).toBe('invalid-tip');
    const bogus = await sell(c1, {
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 3_200 }],
      channel: 'drive-thru',
    });
    expect(bogus.status).toBe(400);
    expect(await receipt(c1, takeaway.body.invoice.id)).toMatch(/Canal\s+Para llevar/);
  });
});

describe('buyers (CUS3, CUS4)', () => {
  it('[CUS3] [CUS4] a company buyer given without its check digit: the invoice carries it, and what the e-invoice needs prints', async () => {
    const sold = await sell(c1, {
      lines: [{ sku: 'ASE-001', quantity: 2 }],
      payments: [{ method: 'transfer', amount: 29_800 }],
      customer: {
        idType: 'NIT',
        idNumber: '900123456',
        name: 'Distribuidora Andina S.A.S.',
        email: 'facturas@andina.example',
        personType: 'juridica',
        responsibilities: ['O-13', 'O-15'],
        address: { line: 'Carrera 7 # 71-21', municipalityCode: '11001', municipality: 'Bogotá D.C.' },
      },
    });
    expect(sold.status).toBe(201);
    expect(sold.body.invoice.customer).toMatchObject({ idNumber: '900123456', checkDigit: 8 });
    const text = await receipt(c1, sold.body.invoice.id);
    expect(text).toMatch(/NIT\s+900\.123\.456-8/);
    expect(text).toContain('Persona jurídica');
    expect(text).toContain('Resp. fiscales: O-13, O-15');
    expect(text).toMatch(/Dirección: Carrera 7 # 71-21, Bogotá D\.C\.\s+\(11001\)/);
    const wrong = await sell(c1, {
      lines: [{ sku: 'ASE-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 14_900 }],
      customer: { idType: 'NIT', idNumber: '900123456', checkDigit: 3, name: 'Andina' },
    });
    expect([wrong.status, wrong.body.error]).toEqual([422, 'invalid-customer']);
    issued.push(sold.body.invoice);
  });
});

describe('a table in three equal parts (SPL1, SPL3, TIP2, FLR6)', () => {
  it('[SPL1] [SPL3] [TIP2] 102.700 in 3 parts: 34.234 + 34.233 + 34.233, the tip asked is the tip charged, a part paid with cash and card', async () => {
    expect((await c2.api.call('POST', '/api/tables/mesa-2/open', { diners: 3 })).status).toBe(201);
    // 2 × Bandeja paisa 32.000 + Ajiaco 28.000 + Gaseosa 3.200 (a drink: INC at a table)
    // + Jugo natural en leche 7.500 = 102.700.
    for (const [sku, q] of [
      ['PLA-001', 2],
      ['PLA-002', 1],
      ['BEB-001', 1],
      ['RBE-004', 1],
    ] as const)
      expect((await add(c2, 'mesa-2', sku, q)).status).toBe(201);
    const preBill = await c2.api.call<{ preBill: string }>('POST', '/api/tables/mesa-2/bill');
    // Before tax: 59.259 + 25.926 + 2.963 + 6.944 = 95.092; 10 % rounded down: 9.509.
    expect(preBill.body.preBill).toMatch(/Total sin propina\s+\$ 102\.700/);
    expect(preBill.body.preBill).toMatch(/Propina sugerida 10 %\s+\$ 9\.509/);
    expect(preBill.body.preBill).toMatch(/Total a pagar\s+\$ 112\.209/);
    const close = await c2.api.call<{ invoices: Invoice[] }>('POST', '/api/tables/mesa-2/close', {
      commandId: commandId('close'),
      split: { kind: 'equal', parts: 3 },
      tip: 9_509,
      payments: [
        [{ method: 'cash', amount: 40_000 }],
        [
          { method: 'cash', amount: 20_000 },
          { method: 'credit-card', amount: 17_403 },
        ],
        [{ method: 'debit-card', amount: 37_402 }],
      ],
    });
    expect(close.status).toBe(200);
    const parts = close.body.invoices;
    // Each line's amount dealt in turn: 64.000 → 21.334/21.333/21.333, 28.000 → 9.333/9.334/9.333,
    // 3.200 → 1.067/1.066/1.067, 7.500 → 2.500 each.
    expect(parts.map((p) => p.subtotal)).toEqual([34_234, 34_233, 34_233]);
    // Bases: 19.754 + 8.642 + 988 + 2.315 = 31.699; 19.753 + 8.643 + 987 + 2.315 = 31.698;
    // 19.753 + 8.642 + 988 + 2.315 = 31.698 (95.095 in all: at most 9.509).
    expect(parts.map((p) => p.tipBase?.amount)).toEqual([31_699, 31_698, 31_698]);
    expect(parts.map((p) => p.taxes)).toEqual([
      [{ code: 'INC8', rate: 8, base: 31_699, tax: 2_535 }],
      [{ code: 'INC8', rate: 8, base: 31_698, tax: 2_535 }],
      [{ code: 'INC8', rate: 8, base: 31_698, tax: 2_535 }],
    ]);
    // 9.509 by the bases: 3.169,73 / 3.169,63 / 3.169,63 → 3.169 each and the 2 pesos left to
    // the largest remainders: 3.170 + 3.170 + 3.169.
    expect(parts.map((p) => p.tip)).toEqual([3_170, 3_170, 3_169]);
    expect(parts.map((p) => p.total)).toEqual([37_404, 37_403, 37_402]);
    expect(parts.reduce((s, p) => s + p.total, 0)).toBe(102_700 + 9_509);
    expect(parts.map((p) => p.change)).toEqual([2_596, 0, 0]);
    expect(parts[1]?.payments.map((p) => [p.method, p.amount])).toEqual([
      ['cash', 20_000],
      ['credit-card', 17_403],
    ]);
    for (const [i, part] of parts.entries()) {
      expect(verifyInvoice(part)).toMatchObject({ ok: true });
      expect(part).toMatchObject({ channel: 'mesa', split: { part: i + 1, parts: 3, kind: 'equal' } });
      expect(part.lines.find((l) => l.sku === 'BEB-001')).toMatchObject({ tax: 'INC8', restaurant: true });
    }
    const text = await receipt(c2, parts[0]?.id ?? '');
    expect(text).toMatch(/Cuenta dividida\s+parte 1 de 3 \(partes iguales\)/);
    expect(text).toContain('Parte de 2 × $ 32.000 = $ 64.000');
    expect(text).toMatch(/Total sin propina\s+\$ 34\.234/);
    expect(text).toMatch(/Propina voluntaria\s+\$ 3\.170/);
    expect(text).toContain('10,0 % de $ 31.699 antes de impuestos');
    expect(text).toMatch(/Total a pagar\s+\$ 37\.404/);
    issued.push(...parts);
  });

  it('[SPL2] by lines, one line shared by quantity: 2 × Bandeja paisa → 1 + 1', async () => {
    expect((await c1.api.call('POST', '/api/tables/mesa-3/open', { diners: 2 })).status).toBe(201);
    const bandeja = (await add(c1, 'mesa-3', 'PLA-001', 2)).body.order.lines[0]?.id ?? '';
    const limonada = (await add(c1, 'mesa-3', 'RBE-001', 1)).body.order.lines.find(
      (l) => l.sku === 'RBE-001',
    )?.id;
    const close = await c1.api.call<{ invoices: Invoice[] }>('POST', '/api/tables/mesa-3/close', {
      commandId: commandId('close'),
      split: {
        kind: 'lines',
        parts: [[{ lineId: bandeja, quantity: 1 }, limonada], [{ lineId: bandeja, quantity: 1 }]],
      },
      payments: [[{ method: 'cash', amount: 38_000 }], [{ method: 'transfer', amount: 32_000 }]],
    });
    expect(close.status).toBe(200);
    // 32.000 + 6.000 and 32.000: no tip asked.
    expect(close.body.invoices.map((i) => [i.subtotal, i.tip, i.split?.kind])).toEqual([
      [38_000, 0, 'lines'],
      [32_000, 0, 'lines'],
    ]);
    const bad = await c1.api.call<{ error: string }>('POST', '/api/tables/mesa-4/close', {
      commandId: commandId('close'),
      payments: [],
    });
    expect(bad.body.error).toBe('table-not-open');
    issued.push(...close.body.invoices);
  });

  it('the cloud accepts every one of them (it verifies channels, shares and tips itself)', async () => {
    // caja-2 uploads the store's sales: it waits until it holds caja-1's too.
    await eventually(async () => {
      const listed = await c2.api.call<{ items: { invoice: Invoice }[] }>('GET', '/api/invoices?limit=500');
      const ids = new Set(listed.body.items.map((i) => i.invoice.id));
      expect(issued.every((i) => ids.has(i.id))).toBe(true);
    }, 30_000);
    const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect(started.status).toBe(202);
    const status = await waitForUpload(c2, started.body.id);
    expect(status).toMatchObject({ state: 'done', rejected: [] });
    await expectCloudHolds(store, issued, new Set());
  }, 120_000);
});
