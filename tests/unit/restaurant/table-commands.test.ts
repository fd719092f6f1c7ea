import { describe, expect, it } from 'vitest';
import type { Order, OrderLine } from '../../../src/crdt/documents/floor-orders.js';
import {
  earlierCancellation,
  earlierChange,
  earlierClose,
  earlierLine,
} from '../../../src/restaurant/table-commands.js';

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
  changes: [],
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

describe('earlier uses of a line change’s commandId (CMD3)', () => {
  const change = (
    id: string,
    lineId: string,
    c: { deltaMilli?: number; note?: string; remove?: boolean },
  ) => ({
    id,
    lineId,
    deltaMilli: c.deltaMilli ?? null,
    note: c.note ?? null,
    remove: c.remove ?? false,
    by: ana,
    at: AT,
  });
  const open = order('o3', 'mesa-3', {
    lines: [line('cmd-line-3', 'PLA-001')],
    changes: [
      change('cmd-more-3', 'cmd-line-3', { deltaMilli: 2000 }),
      change('cmd-note-3', 'cmd-line-3', { note: 'sin hielo' }),
      change('cmd-gone-3', 'cmd-line-9', { remove: true }),
      change('cmd-kg-3', 'cmd-line-3', { deltaMilli: -100 }),
    ],
  });
  const all = [...orders, open];

  it('[CMD3] the same change again answers the order it went to; a new commandId is a new change', () => {
    expect(earlierChange(all, 'mesa-3', 'cmd-line-3', { commandId: 'cmd-new-3', delta: 2 })).toEqual({
      ok: true,
      value: undefined,
    });
    const replays = [
      earlierChange(all, 'mesa-3', 'cmd-line-3', { commandId: 'cmd-more-3', delta: 2 }),
      earlierChange(all, 'mesa-3', 'cmd-line-3', { commandId: 'cmd-note-3', note: 'sin hielo' }),
      earlierChange(all, 'mesa-3', 'cmd-line-9', { commandId: 'cmd-gone-3', remove: true }),
      earlierChange(all, 'mesa-3', 'cmd-line-3', { commandId: 'cmd-kg-3', delta: -0.1 }),
    ];
    for (const result of replays) expect(result).toEqual({ ok: true, value: open });
  });

  it('[CMD3] another table, line, delta, note or removal — or another kind of command — is command-id-reused', () => {
    const more = { commandId: 'cmd-more-3', delta: 2 };
    const refused = [
      earlierChange(all, 'mesa-1', 'cmd-line-3', more),
      earlierChange(all, 'mesa-3', 'cmd-line-9', more),
      earlierChange(all, 'mesa-3', 'cmd-line-3', { ...more, delta: 1 }),
      earlierChange(all, 'mesa-3', 'cmd-line-3', { ...more, note: 'sin hielo' }),
      earlierChange(all, 'mesa-3', 'cmd-line-3', { ...more, remove: true }),
      earlierChange(all, 'mesa-3', 'cmd-line-3', { commandId: 'cmd-note-3', note: 'con hielo' }),
      earlierChange(all, 'mesa-3', 'cmd-line-9', { commandId: 'cmd-gone-3' }),
      earlierChange(all, 'mesa-1', 'cmd-line-1', { commandId: 'cmd-cancel-1', delta: 1 }),
      earlierLine(all, 'mesa-3', { commandId: 'cmd-more-3', sku: 'PLA-001' }),
      earlierCancellation(all, 'mesa-3', 'cmd-line-3', {
        commandId: 'cmd-more-3',
        quantity: 2,
        reason: 'xyz',
      }),
      earlierClose(all, 'mesa-3', 'cmd-gone-3'),
    ];
    for (const result of refused) expect(result).toMatchObject({ ok: false, reason: 'command-id-reused' });
  });
});
