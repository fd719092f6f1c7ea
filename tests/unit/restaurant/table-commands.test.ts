import { describe, expect, it } from 'vitest';
import type { Order, OrderLine } from '../../../src/crdt/documents/floor-orders.js';
import { earlierCancellation, earlierClose, earlierLine } from '../../../src/restaurant/table-commands.js';

const AT = '2026-11-28T12:00:00-05:00';
const ana = { id: 'ana', name: 'Ana' };

const line = (id: string, sku: string, note = ''): OrderLine => ({
  id,
  sku,
  name: sku,
  unit: 'unit',
  unitPrice: 10_000,
  tax: 'INC8',
  quantityMilli: 1000,
  note,
  addedBy: ana,
  addedAt: AT,
  addedOn: 'caja-1',
  sentAt: AT,
});

const order = (id: string, tableId: string, extra: Partial<Order> = {}): Order => ({
  id,
  tableId,
  diners: 2,
  waiter: ana,
  openedAt: AT,
  openedOn: 'caja-1',
  billAt: null,
  billTip: null,
  mergedInto: null,
  lines: [],
  cancellations: [],
  sends: [],
  closes: [],
  ...extra,
});

// A closed order on mesa-1 (line, cancellation and close of its own), an open one on mesa-2.
const closed = order('o1', 'mesa-1', {
  lines: [line('cmd-line-1', 'PLA-001', 'sin cebolla')],
  cancellations: [
    { id: 'cmd-cancel-1', lineId: 'cmd-line-1', quantityMilli: 1000, reason: 'se demoró', by: ana, at: AT },
  ],
  closes: [
    {
      id: 'cmd-close-1',
      commandId: 'cmd-close-1',
      at: AT,
      by: ana,
      terminalId: 'caja-1',
      invoiceIds: ['6a1f4a4e-43a3-4a8e-9d6f-6f3f0c1c8b11'],
      invoiceNumbers: ['C11'],
    },
  ],
});
const orders = [closed, order('o2', 'mesa-2')];

describe('earlier uses of a table command’s commandId (SAL1)', () => {
  it('[SAL1] a new commandId is a new command; the same one with the same body answers the order it went to', () => {
    expect(earlierLine(orders, 'mesa-2', { commandId: 'cmd-new', sku: 'PLA-001' })).toEqual({
      ok: true,
      value: undefined,
    });
    const line = { commandId: 'cmd-line-1', sku: 'PLA-001', note: 'sin cebolla' };
    expect(earlierLine(orders, 'mesa-1', line)).toEqual({ ok: true, value: closed });
    expect(earlierLine(orders, 'mesa-1', { ...line, orderId: 'o1' })).toEqual({ ok: true, value: closed });
    const cancel = { commandId: 'cmd-cancel-1', quantity: 1, reason: 'se demoró' };
    expect(earlierCancellation(orders, 'mesa-1', 'cmd-line-1', cancel)).toEqual({ ok: true, value: closed });
    expect(earlierClose(orders, 'mesa-1', 'cmd-close-1')).toEqual({ ok: true, value: closed });
  });

  it('[SAL1] another table, order, product, note, quantity or reason — or another kind of command — is command-id-reused', () => {
    const line = { commandId: 'cmd-line-1', sku: 'PLA-001', note: 'sin cebolla' };
    const cancel = { commandId: 'cmd-cancel-1', quantity: 1, reason: 'se demoró' };
    const refused = [
      earlierLine(orders, 'mesa-2', line),
      earlierLine(orders, 'mesa-1', { ...line, orderId: 'o2' }),
      earlierLine(orders, 'mesa-1', { ...line, sku: 'ENT-001' }),
      earlierLine(orders, 'mesa-1', { ...line, note: '' }),
      earlierLine(orders, 'mesa-2', { ...line, commandId: 'cmd-cancel-1' }),
      earlierLine(orders, 'mesa-1', { ...line, commandId: 'cmd-close-1' }),
      earlierCancellation(orders, 'mesa-2', 'cmd-line-1', cancel),
      earlierCancellation(orders, 'mesa-1', 'other-line', cancel),
      earlierCancellation(orders, 'mesa-1', 'cmd-line-1', { ...cancel, quantity: 2 }),
      earlierCancellation(orders, 'mesa-1', 'cmd-line-1', { ...cancel, reason: 'otra razón' }),
      earlierCancellation(orders, 'mesa-1', 'cmd-line-1', { ...cancel, commandId: 'cmd-line-1' }),
      earlierClose(orders, 'mesa-2', 'cmd-close-1'),
      earlierClose(orders, 'mesa-1', 'cmd-line-1'),
    ];
    for (const result of refused) expect(result).toMatchObject({ ok: false, reason: 'command-id-reused' });
  });
});
