import * as A from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { floorKind, readFloor } from '../../../src/crdt/documents/floor-doc.js';
import type { Order } from '../../../src/crdt/documents/floor-orders.js';
import type { Product } from '../../../src/domain/catalog.js';
import { composeInvoice } from '../../../src/invoice/compose-invoice.js';
import { previewBill } from '../../../src/restaurant/bill-preview.js';
import * as ops from '../../../src/restaurant/floor-ops.js';
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
];
const bySku = new Map(menu.map((p) => [p.sku, p]));
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
  const preview = previewBill(orderStatus(order).lines, bySku, split, 0);
  if (!preview.ok) throw new Error(preview.message);
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
      lines: part.lines.map((l) => ({
        product: bySku.get(l.sku) as Product,
        quantity: l.quantityMilli / 1000,
      })),
      tip: tips[i] ?? 0,
      payments: [{ method: 'cash', amount: 1_000_000 }],
      ...(split?.kind === 'equal'
        ? { split: { orderId: order.id, part: i + 1, parts: preview.value.parts.length } }
        : {}),
    });
    if (!invoice.ok) throw new Error(invoice.message);
    return invoice.value;
  });
}

describe('the bill before it is charged (what the close will issue)', () => {
  const order = orderWith([
    ['l1', 'PLA-001', 1],
    ['l2', 'RBE-001', 6],
    ['l3', 'POS-002', 1],
  ]);

  it('[FLR6] [FLR7] equal parts: each part is the invoice the host will issue, the tip shared outside the INC base', () => {
    const split = { kind: 'equal', parts: 2 } as const;
    const preview = previewBill(orderStatus(order).lines, bySku, split, 7_800);
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    expect(preview.value.subtotal).toBe(78_000);
    expect(preview.value.maxTip).toBe(7_800);
    expect(preview.value.tip).toBe(7_800);
    expect(preview.value.total).toBe(85_800);
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
    );
    expect(preview.ok && preview.value.parts.map((p) => p.subtotal)).toEqual([32_000, 46_000]);
    expect(preview.ok && preview.value.parts[1]?.lines.map((l) => l.quantityMilli)).toEqual([6000, 1000]);
  });

  it('[FLR7] refuses a tip above 10 % of the service; 0 is fine', () => {
    const lines = orderStatus(order).lines;
    expect(previewBill(lines, bySku, undefined, 7_801)).toMatchObject({ ok: false, reason: 'invalid-tip' });
    expect(previewBill(lines, bySku, undefined, -1)).toMatchObject({ ok: false, reason: 'invalid-tip' });
    expect(previewBill(lines, bySku, undefined, 0)).toMatchObject({ ok: true, value: { total: 78_000 } });
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
    expect(previewBill(orderStatus(cancelled).lines, bySku, undefined, 0)).toMatchObject({
      ok: true,
      value: { subtotal: 12_000 },
    });
    expect(previewBill(orderStatus(order).lines, new Map(), undefined, 0)).toMatchObject({
      ok: false,
      reason: 'unknown-sku',
    });
    expect(
      previewBill(orderStatus(order).lines, bySku, { kind: 'lines', parts: [['l1'], []] }, 0),
    ).toMatchObject({ ok: false, reason: 'invalid-split' });
  });

  it('[FLR7] the pre-bill shows the tip chosen before it was printed, or the suggested 10 %', () => {
    const suggested = preBill(order, 'Mesa 1', AT);
    expect(suggested).toContain('Propina sugerida 10 %');
    expect(suggested).toMatch(/Total con propina\s+\$ 85\.800/);
    const chosen = preBill(order, 'Mesa 1', AT, 5_000);
    expect(chosen).toMatch(/Propina voluntaria\s+\$ 5\.000/);
    expect(chosen).toMatch(/Total con propina\s+\$ 83\.000/);
    expect(preBill(order, 'Mesa 1', AT, 0)).toMatch(/Propina voluntaria\s+\$ 0/);
  });

  it('mixes rates in one part: the IVA line keeps its own row', () => {
    const mixed = orderWith([
      ['l1', 'PLA-001', 1],
      ['l2', 'BEB-001', 2],
    ]);
    const preview = previewBill(orderStatus(mixed).lines, bySku, undefined, 0);
    expect(preview.ok && preview.value.parts[0]?.taxes.map((t) => t.code)).toEqual(['IVA19', 'INC8']);
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
