import { describe, expect, it } from 'vitest';
import { type JournalEntry } from '../../../src/domain/journal-entry.js';
import type { UploadAck } from '../../../src/crdt/documents/uploads-doc.js';
import type { CreditNote } from '../../../src/domain/invoice.js';
import { unusedNumberId, type ReservedEntry } from '../../../src/domain/unused-number.js';
import { InvoiceBook } from '../../../src/invoice/invoice-book.js';
import type { IndexedInvoice } from '../../../src/invoice/invoice-index.js';
import { pendingItems } from '../../../src/upload/plan.js';
import { pendingTotals, pendingUploads } from '../../../src/upload/pending.js';
import { preflight } from '../../../src/upload/preflight.js';
import { buildLedgerViews, pendingUploads as screenPending } from '../../../src/ui/live/views.js';
import { makeInvoice, makeVoid, SCREEN_SEAL } from '../../ui/fixtures.js';

const seal = (terminalId: string, at: string) => ({
  seq: 1,
  terminalId,
  at,
  commandId: 'cmd-1',
  ...SCREEN_SEAL,
});
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

/** A store where caja-2 voids a caja-1 invoice, caja-1 also asked late, one return, one unused number. */
function store() {
  const sale = makeInvoice({ consecutive: 1 });
  const other = makeInvoice({ consecutive: 2 });
  const theirs = makeInvoice({ terminal: 'caja-2', consecutive: 1 });
  const first = makeVoid(sale, 'caja-2', '2026-11-28T11:00:00-05:00');
  const late = makeVoid(sale, 'caja-1', '2026-11-28T11:05:00-05:00');
  const ret: CreditNote = { ...makeVoid(theirs, 'caja-1'), amount: 100, lines: [] };
  const unused: ReservedEntry = {
    kind: 'reserved-not-issued',
    seq: 4,
    terminalId: 'caja-1',
    at: '2026-11-28T10:30:00-05:00',
    prefix: 'C1',
    consecutive: 3,
    number: 'C13',
    reason: 'crash',
    ...SCREEN_SEAL,
  };
  const chunks = [
    [
      { kind: 'invoice', invoice: sale, seq: 1, terminalId: 'caja-1', ...SCREEN_SEAL },
      { kind: 'invoice', invoice: other, seq: 2, terminalId: 'caja-1', ...SCREEN_SEAL },
      { kind: 'credit-note', creditNote: late, seq: 3, terminalId: 'caja-1', ...SCREEN_SEAL },
      unused,
      { kind: 'credit-note', creditNote: ret, seq: 5, terminalId: 'caja-1', ...SCREEN_SEAL },
    ],
    [
      { kind: 'invoice', invoice: theirs, seq: 1, terminalId: 'caja-2', ...SCREEN_SEAL },
      { kind: 'credit-note', creditNote: first, seq: 2, terminalId: 'caja-2', ...SCREEN_SEAL },
    ],
  ] as unknown as JournalEntry[][];
  return { sale, other, theirs, first, late, ret, unused, chunks };
}

/** The host's rows, as its index gives them (with seals). */
function indexed(chunks: JournalEntry[][]): IndexedInvoice[] {
  const book = new InvoiceBook();
  for (const entries of chunks) for (const entry of entries) book.take(entry);
  return book.rows().map((row) => ({
    ...row,
    seal: seal(row.invoice.terminalId, row.invoice.issuedAt),
    voidSeal: row.voidedBy ? seal(row.voidedBy.terminalId, row.voidedBy.requestedAt) : undefined,
    returns: row.returns.map((creditNote) => ({
      creditNote,
      seal: seal(creditNote.terminalId, creditNote.requestedAt),
    })),
  }));
}

describe('what is pending upload: one rule (UPL12)', () => {
  it('[UPL12] the screen, health, the preflight and the upload plan count the same, under the sale’s terminal', () => {
    const s = store();
    const book = new InvoiceBook();
    for (const entries of s.chunks) for (const entry of entries) book.take(entry);
    const acks = new Map([ack(s.other.id)]);
    const expected = [
      // C11 and C12 (C12 acknowledged), the effective void of C11 (caja-2's) and C13 unused.
      { terminalId: 'caja-1', invoices: 1, voids: 1, unused: 1 },
      // C21 and the partial return caja-1 made of it.
      { terminalId: 'caja-2', invoices: 1, voids: 1, unused: 0 },
    ];
    // Health and the banner's fallback (the host's rows).
    expect(pendingUploads(book.rows(), book.unusedNumbers(), acks)).toEqual(expected);
    expect(pendingTotals(expected)).toEqual({ invoices: 2, voids: 2, unused: 1, all: 5 });
    // The screen's live views.
    const views = buildLedgerViews(s.chunks);
    expect(screenPending(views, acks, ['caja-1', 'caja-2'])).toEqual(expected);
    // The preflight.
    const rows = indexed(s.chunks);
    const pre = preflight({
      terminals: [
        { id: 'caja-1', name: 'Caja 1', prefix: 'C1' },
        { id: 'caja-2', name: 'Caja 2', prefix: 'C2' },
      ],
      journals: [],
      invoices: rows,
      unusedNumbers: book.unusedNumbers(),
      acks,
      selfId: 'caja-1',
      peers: [{ terminalId: 'caja-2', connected: true }],
      now: Date.parse('2026-11-28T12:00:00-05:00'),
      timeZone: 'America/Bogota',
    });
    expect(pre.terminals.map((t) => [t.terminalId, t.pending, t.unusedPending])).toEqual([
      ['caja-1', 3, 1],
      ['caja-2', 2, 0],
    ]);
    expect(pre.pending).toBe(5);
    // What the upload sends, by the terminal it is filed under.
    const items = pendingItems(rows, acks, book.unusedNumbers());
    const byTerminal = (id: string) => items.filter((i) => i.terminalId === id).length;
    expect([byTerminal('caja-1'), byTerminal('caja-2')]).toEqual([3, 2]);
    expect(items.map((i) => i.document.id)).not.toContain(s.late.id);
    // Everything acknowledged: nothing pending anywhere.
    const all = new Map([...acks, ...items.map((i) => ack(i.document.id)), ack(unusedNumberId('C1', 3))]);
    expect(pendingTotals(pendingUploads(book.rows(), book.unusedNumbers(), all)).all).toBe(0);
    expect(screenPending(views, all, []).every((p) => p.invoices + p.voids + p.unused === 0)).toBe(true);
  });

  it('[UPL12] lists every terminal asked for, even with nothing pending', () => {
    expect(pendingUploads([], [], new Map(), ['caja-2', 'caja-1'])).toEqual([
      { terminalId: 'caja-1', invoices: 0, voids: 0, unused: 0 },
      { terminalId: 'caja-2', invoices: 0, voids: 0, unused: 0 },
    ]);
  });
});
