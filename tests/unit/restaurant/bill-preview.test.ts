import * as A from '@automerge/automerge';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floorKind, readFloor } from '../../../src/crdt/documents/floor-doc.js';
import type { Order } from '../../../src/crdt/documents/floor-orders.js';
import type { Product } from '../../../src/domain/catalog.js';
import { composeInvoice } from '../../../src/invoice/compose-invoice.js';
import { DEFAULT_FISCAL_SETTINGS } from '../../../src/domain/channel.js';
import { verifyInvoice } from '../../../src/domain/invoice-check.js';
import { previewBill } from '../../../src/restaurant/bill-preview.js';
import * as ops from '../../../src/crdt/documents/floor-ops.js';
import { orderStatus, type SplitRequest } from '../../../src/restaurant/floor.js';
import { editConflict, unresolvedDoubleCharges } from '../../../src/restaurant/notices.js';
import { preBill } from '../../../src/restaurant/tickets.js';

const AT = '2026-11-28T12:00:00-05:00';
const menu: Product[] = [
  {
    sku: 'PLA-001',
    name: 'Bandeja paisa',
    price: 32_000,
    tax: 'INC8',
    unit: 'unit',
    category: 'P',
    active: true,
  },
  { sku: 'RBE-001', name: 'Limonada', price: 6_000, tax: 'INC8', unit: 'unit', category: 'B', active: true },
  {
    sku: 'POS-002',
    name: 'Tres leches',
    price: 10_000,
    tax: 'INC8',
    unit: 'unit',
    category: 'D',
    active: true,
  },
  { sku: 'BEB-001', name: 'Gaseosa', price: 3_200, tax: 'IVA19', unit: 'unit', category: 'B', active: true },
  { sku: 'ADI-001', name: 'Arepa', price: 700, tax: 'INC8', unit: 'unit', category: 'A', active: true },
];
const bySku = new Map(menu.map((p) => [p.sku, p]));
const S = DEFAULT_FISCAL_SETTINGS;
type Doc = Record<string, unknown>;

/** An order written with the host's own floor-ops and read back with the floor reader. */
function orderWith(lines: [string, string, number][], edit?: (d: Doc) => void): Order {
  let doc = A.change(A.init<Doc>(), (d) => {
    for (const [k, v] of Object.entries(floorKind.skeleton())) d[k] = v;
    ops.openOrder(d, {
      orderId: 'o1',
      tableId: 'mesa-1',
      diners: 4,
      waiter: { id: 'ana', name: 'Ana' },
      at: AT,
      terminalId: 'caja-1',
    });
    const order = ops.order(d, 'o1');
    for (const [lineId, sku, quantity] of lines) {
      const product = bySku.get(sku);
      if (!order || !product) throw new Error('bad fixture');
      ops.addLine(order, {
        lineId,
        product,
        quantityMilli: quantity * 1000,
        note: '',
        by: { id: 'ana', name: 'Ana' },
        at: AT,
        terminalId: 'caja-1',
      });
    }
  });
  if (edit) doc = A.change(doc, edit);
  const order = readFloor(doc).view.orders[0];
  if (!order) throw new Error('no order');
  return order;
}

/** What the cashbox would issue for each part (the host's close, without the ledger). */
function hostInvoices(order: Order, split: SplitRequest | undefined, tips: number[]) {
  const preview = previewBill(orderStatus(order).lines, bySku, split, 0, S);
  if (!preview.ok) throw new Error(preview.message);
  const n = preview.value.parts.length;
  return preview.value.parts.map((part, i) => {
    const invoice = composeInvoice({
      id: crypto.randomUUID(),
      storeId: 'demo',
      terminalId: 'caja-2',
      numbering: {
        prefix: 'C2',
        from: 1,
        to: 100,
        resolutionNumber: '1',
        resolutionDate: '2026-01-01',
        validFrom: '2026-01-01',
        validUntil: '2028-01-01',
      },
      consecutive: i + 1,
      issuedAt: AT,
      shiftId: 's1',
      cashier: { id: 'luis', name: 'Luis' },
      lines: part.sale.map((l) => ({ ...l, product: bySku.get(l.sku) as Product })),
      tip: tips[i] ?? 0,
      payments: [{ method: 'cash', amount: 100_000_000 }],
      channel: 'mesa',
      settings: S,
      ...(split && n > 1 ? { split: { orderId: order.id, part: i + 1, parts: n, kind: split.kind } } : {}),
    });
    if (!invoice.ok) throw new Error(invoice.message);
    expect(verifyInvoice(invoice.value)).toMatchObject({ ok: true });
    return invoice.value;
  });
}

describe('the bill before it is charged (what the close will issue)', () => {
  const order = orderWith([
    ['l1', 'PLA-001', 1],
    ['l2', 'RBE-001', 6],
    ['l3', 'POS-002', 1],
  ]);

  it('[SPL1] [SPL3] [TIP2] equal parts: each part is the invoice the host will issue, the tip shared outside the INC base', () => {
    const split = { kind: 'equal', parts: 2 } as const;
    const preview = previewBill(orderStatus(order).lines, bySku, split, 7_222, S);
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    // 78.000 with INC: the parts' bases 36.112 + 36.112; 10 % of 72.224 rounded down is 7.222.
    expect(preview.value.subtotal).toBe(78_000);
    expect(preview.value.tipBase).toBe(72_224);
    expect(preview.value.maxTip).toBe(7_222);
    expect(preview.value.tip).toBe(7_222);
    expect(preview.value.parts.map((p) => p.tip)).toEqual([3_611, 3_611]);
    expect(preview.value.total).toBe(85_222);
    const invoices = hostInvoices(
      order,
      split,
      preview.value.parts.map((p) => p.tip),
    );
    preview.value.parts.forEach((part, i) => {
      const invoice = invoices[i];
      expect(part.subtotal).toBe(invoice?.subtotal);
      expect(part.total).toBe(invoice?.total);
      expect(part.taxes.map((t) => [t.code, t.base, t.tax])).toEqual(
        invoice?.taxes.map((t) => [t.code, t.base, t.tax]),
      );
      expect(part.taxes.map((t) => t.code)).toEqual(['INC8']);
      expect(part.taxes.reduce((s, t) => s + t.base + t.tax, 0)).toBe(part.subtotal);
    });
  });

  it('[FLR6] by lines: each part holds its own lines, whole', () => {
    const preview = previewBill(
      orderStatus(order).lines,
      bySku,
      { kind: 'lines', parts: [['l1'], ['l2', 'l3']] },
      0,
      S,
    );
    expect(preview.ok && preview.value.parts.map((p) => p.subtotal)).toEqual([32_000, 46_000]);
    expect(preview.ok && preview.value.parts[1]?.lines.map((l) => l.quantityMilli)).toEqual([6000, 1000]);
  });

  it('[FLR7] [TIP2] refuses a tip above 10 % of the service before tax; 0 is fine', () => {
    const lines = orderStatus(order).lines;
    // Bases 29.630 + 33.333 + 9.259 = 72.222: at most 7.222 (7.800 would be 10 % with the INC).
    expect(previewBill(lines, bySku, undefined, 7_223, S)).toMatchObject({
      ok: false,
      reason: 'invalid-tip',
    });
    expect(previewBill(lines, bySku, undefined, 7_222, S)).toMatchObject({
      ok: true,
      value: { maxTip: 7_222 },
    });
    expect(previewBill(lines, bySku, undefined, -1, S)).toMatchObject({ ok: false, reason: 'invalid-tip' });
    expect(previewBill(lines, bySku, undefined, 0, S)).toMatchObject({ ok: true, value: { total: 78_000 } });
    // A store whose tip base is the service with tax (a setting): 7.800.
    const withTax = { ...S, tipBase: 'with-tax' } as const;
    expect(previewBill(lines, bySku, undefined, 7_800, withTax)).toMatchObject({ ok: true });
  });

  it('[FLR4] cancelled quantities are not charged; an unknown product or a bad split says why', () => {
    const cancelled = orderWith([['l1', 'RBE-001', 3]], (d) => {
      const o = ops.order(d, 'o1');
      if (o)
        ops.cancelSentLine(o, {
          cancellationId: 'c1',
          lineId: 'l1',
          quantityMilli: 1000,
          reason: 'se demoró',
          by: { id: 'marta', name: 'Marta' },
          at: AT,
        });
    });
    expect(previewBill(orderStatus(cancelled).lines, bySku, undefined, 0, S)).toMatchObject({
      ok: true,
      value: { subtotal: 12_000 },
    });
    expect(previewBill(orderStatus(order).lines, new Map(), undefined, 0, S)).toMatchObject({
      ok: false,
      reason: 'unknown-sku',
    });
    expect(
      previewBill(orderStatus(order).lines, bySku, { kind: 'lines', parts: [['l1'], []] }, 0, S),
    ).toMatchObject({ ok: false, reason: 'invalid-split' });
  });

  it('[FLR7] [TIP2] the pre-bill shows the tip chosen before it was printed, or the suggested 10 % of the service before tax', () => {
    const bill = previewBill(orderStatus(order).lines, bySku, undefined, 0, S);
    if (!bill.ok) throw new Error(bill.message);
    const suggested = preBill(order, 'Mesa 1', AT, bill.value);
    expect(suggested).toContain('Propina sugerida 10 %');
    expect(suggested).toMatch(/Total sin propina\s+\$ 78\.000/);
    expect(suggested).toContain('10 % de $ 72.222 (servicio antes de impuestos)');
    expect(suggested).toMatch(/Total a pagar\s+\$ 85\.222/);
    const chosen = preBill(order, 'Mesa 1', AT, bill.value, 5_000);
    expect(chosen).toMatch(/Propina voluntaria\s+\$ 5\.000/);
    expect(chosen).toMatch(/Total a pagar\s+\$ 83\.000/);
    expect(preBill(order, 'Mesa 1', AT, bill.value, 0)).toMatch(/Propina voluntaria\s+\$ 0/);
  });

  it('[CHN2] at a table every line is the restaurant service: the soda is INC 8 %, not IVA', () => {
    const mixed = orderWith([
      ['l1', 'PLA-001', 1],
      ['l2', 'BEB-001', 2],
    ]);
    const preview = previewBill(orderStatus(mixed).lines, bySku, undefined, 0, S);
    expect(preview.ok && preview.value.parts[0]?.taxes.map((t) => t.code)).toEqual(['INC8']);
    const franchise = previewBill(orderStatus(mixed).lines, bySku, undefined, 0, {
      ...S,
      restaurantRegime: 'IVA19',
    });
    expect(franchise.ok && franchise.value.parts[0]?.taxes.map((t) => t.code)).toEqual(['IVA19']);
  });
});

describe('what the screen must tell (notices)', () => {
  const close = (id: string, at: string, invoiceIds: string[]) => (d: Doc) => {
    const o = ops.order(d, 'o1');
    if (o)
      ops.recordClose(o, {
        closeId: id,
        at,
        by: { id: 'ana', name: 'Ana' },
        terminalId: id === 'a' ? 'caja-1' : 'caja-2',
        commandId: id,
        invoiceIds,
        invoiceNumbers: invoiceIds.map((x) => `C${x.slice(-1)}`),
      });
  };
  const inv = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

  it('[FLR5] a table closed twice is an alert until every charge but one is voided', () => {
    const twice = orderWith([['l1', 'RBE-001', 1]], (d) => {
      close('b', '2026-11-28T12:41:00-05:00', [inv(2)])(d);
      close('a', '2026-11-28T12:40:00-05:00', [inv(1)])(d);
    });
    const once = orderWith([['l1', 'RBE-001', 1]], close('a', AT, [inv(1)]));
    const alerts = unresolvedDoubleCharges([twice, once], () => false);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.charges.map((c) => c.close.terminalId)).toEqual(['caja-1', 'caja-2']);
    expect(unresolvedDoubleCharges([twice], (id) => id === inv(2))).toEqual([]);
    expect(unresolvedDoubleCharges([twice], (id) => id === inv(1) || id === inv(2))).toEqual([]);
  });

  it('[FLR4] a line being edited that another terminal sent, or removed, is reported once', () => {
    const before = orderWith([
      ['l1', 'PLA-001', 1],
      ['l2', 'RBE-001', 1],
    ]);
    const sent = orderWith(
      [
        ['l1', 'PLA-001', 1],
        ['l2', 'RBE-001', 1],
      ],
      (d) => {
        const o = ops.order(d, 'o1');
        if (o)
          ops.recordSend(o, {
            sendId: 's1',
            at: AT,
            by: { id: 'luis', name: 'Luis' },
            terminalId: 'caja-2',
            lines: [{ lineId: 'l1', quantityMilli: 1000 }],
            cancellationIds: [],
          });
      },
    );
    expect(editConflict(before, sent, 'l1')).toEqual({ kind: 'sent', by: 'Luis', terminalId: 'caja-2' });
    expect(editConflict(before, sent, 'l2')).toBeUndefined();
    expect(editConflict(sent, sent, 'l1')).toBeUndefined();
    const removed = orderWith([['l2', 'RBE-001', 1]]);
    expect(editConflict(before, removed, 'l1')).toEqual({ kind: 'removed' });
  });
});

describe('splits that add up (SPL1–SPL3)', () => {
  it('[SPL1] [SPL3] the 102.700 bill in 3 equal parts: 34.234 + 34.233 + 34.233, and the tip asked is the tip charged', () => {
    const lines = orderStatus(
      orderWith([
        ['l1', 'PLA-001', 2],
        ['l2', 'RBE-001', 3],
        ['l3', 'POS-002', 2],
        ['l4', 'ADI-001', 1],
      ]),
    ).lines;
    const bill = previewBill(lines, bySku, { kind: 'equal', parts: 3 }, 9_509, S);
    if (!bill.ok) throw new Error(bill.message);
    expect(bill.value.parts.map((p) => p.subtotal)).toEqual([34_234, 34_233, 34_233]);
    expect(bill.value.subtotal).toBe(102_700);
    // Tip bases 31.699 + 31.698 + 31.698 = 95.095: at most 9.509, dealt 3.170 + 3.170 + 3.169.
    expect(bill.value.parts.map((p) => p.tipBase)).toEqual([31_699, 31_698, 31_698]);
    expect(bill.value.parts.map((p) => p.tip)).toEqual([3_170, 3_170, 3_169]);
    expect(bill.value.tip).toBe(9_509);
    expect(bill.value.total).toBe(112_209);
  });

  it('[SPL1] [SPL3] for random bills, part counts and tips: the parts add up to the bill to the peso, the tips to the tip asked, none negative, each part an invoice that verifies (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...menu.map((p) => p.sku)), fc.integer({ min: 1, max: 12 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (spec, n, f) => {
          const order = orderWith(spec.map(([sku, q], i) => [`l${i}`, sku, q]));
          const lines = orderStatus(order).lines;
          const whole = previewBill(lines, bySku, undefined, 0, S);
          if (!whole.ok) throw new Error(whole.message);
          const split = n === 1 ? undefined : ({ kind: 'equal', parts: n } as const);
          const probe = previewBill(lines, bySku, split, 0, S);
          if (!probe.ok) throw new Error(probe.message);
          const tip = Math.floor(probe.value.maxTip * f);
          const bill = previewBill(lines, bySku, split, tip, S);
          if (!bill.ok) throw new Error(bill.message);
          const parts = bill.value.parts;
          expect(parts.reduce((s, p) => s + p.subtotal, 0)).toBe(whole.value.subtotal);
          expect(parts.reduce((s, p) => s + p.tip, 0)).toBe(tip);
          expect(parts.reduce((s, p) => s + p.total, 0)).toBe(whole.value.subtotal + tip);
          for (const p of parts) {
            expect(p.subtotal).toBeGreaterThanOrEqual(0);
            expect(p.tip).toBeGreaterThanOrEqual(0);
            expect(p.taxes.reduce((s, t) => s + t.base + t.tax, 0)).toBe(p.subtotal);
          }
          if (parts.length > 1) {
            const totals = parts.map((p) => p.subtotal);
            expect(Math.max(...totals) - Math.min(...totals)).toBeLessThanOrEqual(1);
          }
          const invoices = hostInvoices(
            order,
            split,
            parts.map((p) => p.tip),
          );
          invoices.forEach((invoice, i) => {
            expect(invoice.total).toBe(parts[i]?.total);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
