import * as A from '@automerge/automerge';
import { demoFloor } from '../../src/cloud/seed/demo.js';
import { floorKind, readFloor, seedFloor, type FloorView } from '../../src/crdt/documents/floor-doc.js';
import type { Product } from '../../src/domain/catalog.js';
import * as ops from '../../src/crdt/documents/floor-ops.js';

/**
 * A real floor document (automerge, written with the host's own floor-ops) for the UI tests,
 * read with the same reader the live store uses: what the screen sees after a sync.
 */
type Doc = Record<string, unknown>;

export const DISHES: readonly Product[] = [
  {
    sku: 'PLA-001',
    name: 'Bandeja paisa',
    price: 32_000,
    tax: 'INC8',
    unit: 'unit',
    category: 'Platos fuertes',
    active: true,
  },
  {
    sku: 'RBE-001',
    name: 'Limonada natural',
    price: 6_000,
    tax: 'INC8',
    unit: 'unit',
    category: 'Bebidas de la casa',
    active: true,
  },
  {
    sku: 'POS-002',
    name: 'Tres leches',
    price: 10_000,
    tax: 'INC8',
    unit: 'unit',
    category: 'Postres',
    active: true,
  },
];

export const dish = (sku: string): Product => {
  const found = DISHES.find((p) => p.sku === sku);
  if (!found) throw new Error(`no dish ${sku}`);
  return found;
};

export const AT = '2026-11-28T12:00:00-05:00';

export class FloorFixture {
  doc: A.Doc<Doc>;

  constructor() {
    this.doc = A.change(A.init<Doc>(), (d) => {
      for (const [k, v] of Object.entries(floorKind.skeleton())) d[k] = v;
      seedFloor(d, demoFloor());
    });
  }

  get view(): FloorView {
    return readFloor(this.doc).view;
  }

  private change(fn: (d: Doc) => void): this {
    this.doc = A.change(this.doc, fn);
    return this;
  }

  open(
    orderId: string,
    tableId: string,
    opts: { diners?: number; at?: string; terminal?: string } = {},
  ): this {
    return this.change((d) => {
      ops.openOrder(d, {
        orderId,
        tableId,
        diners: opts.diners ?? 2,
        waiter: { id: 'ana', name: 'Ana' },
        at: opts.at ?? AT,
        terminalId: opts.terminal ?? 'caja-1',
      });
    });
  }

  add(
    orderId: string,
    lineId: string,
    sku: string,
    quantity = 1,
    opts: { note?: string; terminal?: string; by?: string } = {},
  ): this {
    return this.change((d) => {
      const order = ops.order(d, orderId);
      if (!order) throw new Error(`no order ${orderId}`);
      ops.addLine(order, {
        lineId,
        product: dish(sku),
        quantityMilli: quantity * 1000,
        note: opts.note ?? '',
        by: { id: opts.by ?? 'ana', name: opts.by === 'luis' ? 'Luis' : 'Ana' },
        at: AT,
        terminalId: opts.terminal ?? 'caja-1',
      });
    });
  }

  send(orderId: string, sendId: string, lineIds: string[], terminal = 'caja-2'): this {
    return this.change((d) => {
      const order = ops.order(d, orderId);
      if (!order) return;
      ops.recordSend(order, {
        sendId,
        at: '2026-11-28T12:05:00-05:00',
        by: { id: 'luis', name: 'Luis' },
        terminalId: terminal,
        lines: lineIds.map((lineId) => ({ lineId, quantityMilli: 1000 })),
        cancellationIds: [],
      });
    });
  }

  remove(orderId: string, lineId: string): this {
    return this.change((d) => {
      const order = ops.order(d, orderId);
      if (order) ops.removeLine(order, lineId);
    });
  }

  move(orderId: string, tableId: string): this {
    return this.change((d) => {
      const order = ops.order(d, orderId);
      if (order) ops.moveOrder(order, tableId);
    });
  }

  bill(orderId: string, tip?: number): this {
    return this.change((d) => {
      const order = ops.order(d, orderId);
      if (order) ops.requestBill(order, '2026-11-28T12:30:00-05:00', tip);
    });
  }

  close(
    orderId: string,
    closeId: string,
    terminal: string,
    invoices: { id: string; number: string }[],
    at = '2026-11-28T12:40:00-05:00',
  ): this {
    return this.change((d) => {
      const order = ops.order(d, orderId);
      if (!order) return;
      ops.recordClose(order, {
        closeId,
        at,
        by: { id: 'ana', name: 'Ana' },
        terminalId: terminal,
        commandId: closeId,
        invoiceIds: invoices.map((i) => i.id),
        invoiceNumbers: invoices.map((i) => i.number),
      });
    });
  }
}
