import { describe, expect, it } from 'vitest';
import type { UploadAck } from '../../src/crdt/documents/uploads-doc.js';
import { buildLedgerViews, pendingUploads } from '../../src/ui/live/views.js';
import { makeInvoice, makeVoid } from './fixtures.js';

const ack = (id: string): [string, UploadAck] => [
  id,
  {
    id,
    kind: 'invoice',
    status: 'created',
    at: '2026-11-28T12:00:00-05:00',
    by: { id: 'marta', name: 'Marta' },
    terminalId: 'caja-2',
  },
];

describe('what is pending upload, per terminal (live views)', () => {
  it('[UPL12] counts only the effective void of an invoice: a request another one superseded is never uploaded', () => {
    const sale = makeInvoice({ consecutive: 1 });
    const first = makeVoid(sale, 'caja-2', '2026-11-28T11:00:00-05:00');
    const late = makeVoid(sale, 'caja-1', '2026-11-28T11:05:00-05:00');
    const views = buildLedgerViews([
      [
        { kind: 'invoice', invoice: sale, seq: 1, terminalId: 'caja-1' },
        { kind: 'credit-note', creditNote: late, seq: 2, terminalId: 'caja-1' },
      ],
      [{ kind: 'credit-note', creditNote: first, seq: 1, terminalId: 'caja-2' }],
    ] as never);
    // UPL12: the void counts under the voided invoice's terminal, whichever terminal requested it.
    expect(pendingUploads(views, new Map(), ['caja-1', 'caja-2'])).toEqual([
      { terminalId: 'caja-1', invoices: 1, voids: 1, unused: 0 },
      { terminalId: 'caja-2', invoices: 0, voids: 0, unused: 0 },
    ]);
    // Once the invoice and its effective void are in the cloud, nothing is pending.
    const acks = new Map([ack(sale.id), ack(first.id)]);
    expect(pendingUploads(views, acks, ['caja-1', 'caja-2'])).toEqual([
      { terminalId: 'caja-1', invoices: 0, voids: 0, unused: 0 },
      { terminalId: 'caja-2', invoices: 0, voids: 0, unused: 0 },
    ]);
  });
});
