import { describe, expect, it } from 'vitest';
import type { UploadAck } from '../../../src/crdt/documents/uploads-doc.js';
import type { CreditNote, Invoice } from '../../../src/domain/invoice.js';
import type { IndexedInvoice } from '../../../src/invoice/invoice-index.js';
import { summarizeJournal } from '../../../src/invoice/journal-summary.js';
import { batches, pendingItems } from '../../../src/upload/plan.js';
import { preflight } from '../../../src/upload/preflight.js';
import { uploadReport } from '../../../src/upload/report.js';
import { makeCreditNote, makeInvoice, product } from '../../support/invoices.js';
import { priceReturn } from '../../../src/domain/returns.js';
import type { ReservedEntry } from '../../../src/domain/unused-number.js';

const sealFor = (document: Invoice | CreditNote) => ({
  seq: 1,
  terminalId: document.terminalId,
  at: document.kind === 'invoice' ? document.issuedAt : document.requestedAt,
  commandId: `cmd-${document.id}`,
  prev: '',
  keyId: 'AAAAAAAAAAAAAAAA',
  sig: 'A'.repeat(86),
});

const indexed = (invoice: Invoice, voidedBy?: CreditNote): IndexedInvoice => ({
  invoice,
  voidedBy,
  voidRequests: voidedBy ? [voidedBy] : [],
  returns: [],
  seal: sealFor(invoice),
  voidSeal: voidedBy ? sealFor(voidedBy) : undefined,
});

const ack = (id: string, kind: UploadAck['kind'] = 'invoice'): [string, UploadAck] => [
  id,
  {
    id,
    kind,
    status: 'created',
    at: '2026-11-28T09:00:00-05:00',
    by: { id: 'marta', name: 'Marta' },
    terminalId: 'caja-1',
  },
];

describe('what an upload sends (UPL2, UPL3)', () => {
  it('[UPL2] every unacknowledged invoice in order per terminal, then the unacknowledged voids', () => {
    const c1 = [3, 1, 2].map((n) => makeInvoice({ terminal: 'caja-1', consecutive: 1000 + n }));
    const c2 = [2, 1].map((n) => makeInvoice({ terminal: 'caja-2', consecutive: 2000 + n }));
    const all = [...c1, ...c2];
    const note = makeCreditNote(c1[1] as Invoice);
    const invoices = all.map((i) => indexed(i, i === c1[1] ? note : undefined));
    const acks = new Map([ack((c1[2] as Invoice).id)]);
    const items = pendingItems(invoices, acks, []);
    expect(items.map((i) => i.number)).toEqual(['C11001', 'C11003', 'C22001', 'C22002', 'C11001']);
    expect(items.at(-1)?.document.id).toBe(note.id);
    // Acknowledged: nothing more to send for it.
    const later = pendingItems(invoices, new Map([...acks, ...items.map((i) => ack(i.document.id))]), []);
    expect(later).toEqual([]);
  });

  it('[UPL2] batches keep the order and never exceed the size', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    const out = batches(items, 10);
    expect(out.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(out.flat()).toEqual(items);
  });
});

describe('the preflight (UPL4)', () => {
  const terminals = [
    { id: 'caja-1', name: 'Caja 1', prefix: 'C1' },
    { id: 'caja-3', name: 'Caja 3', prefix: 'C3' },
  ];

  it('[UPL4] names the missing numbers and the terminal that is not connected, in the store’s clock', () => {
    const c1 = [1, 2, 5].map((n) =>
      makeInvoice({ terminal: 'caja-1', consecutive: n, at: Date.UTC(2026, 10, 28, 14, n) }),
    );
    const c3 = [makeInvoice({ terminal: 'caja-3', consecutive: 1, at: Date.UTC(2026, 10, 28, 19, 5) })];
    const entries = (list: Invoice[]) =>
      list.map((invoice, i) => ({ seq: i + 1, kind: 'invoice' as const, invoice }));
    const result = preflight({
      terminals,
      journals: [
        summarizeJournal('caja-1', entries(c1) as never, 1),
        summarizeJournal('caja-3', entries(c3) as never, 1),
      ],
      invoices: [...c1, ...c3].map((i) => indexed(i)),
      unusedNumbers: [],
      acks: new Map([ack((c1[0] as Invoice).id)]),
      selfId: 'caja-1',
      peers: [{ terminalId: 'caja-3', connected: false, lastSeenAt: Date.UTC(2026, 10, 28, 19, 5) }],
      now: Date.UTC(2026, 10, 28, 20, 0),
      timeZone: 'America/Bogota',
    });
    expect(result.pending).toBe(3);
    expect(result.uploaded).toBe(1);
    expect(result.terminals[0]).toMatchObject({
      invoices: 3,
      uploaded: 1,
      pending: 2,
      missing: [{ from: 3, to: 4 }],
    });
    expect(result.warnings.map((w) => w.message)).toEqual([
      'faltan los números C13–C14 de caja-1',
      'caja-3 no está conectada desde las 14:05: sus ventas posteriores no se subirán',
    ]);
  });
});

describe('numbers reserved and never issued (UPL10)', () => {
  const unused = (terminalId: string, prefix: string, consecutive: number): ReservedEntry => ({
    kind: 'reserved-not-issued',
    seq: 9,
    terminalId,
    at: '2026-11-28T09:30:00-05:00',
    prefix,
    consecutive,
    number: `${prefix}${consecutive}`,
    reason: 'reserved before a crash or failure and never issued',
    prev: '',
    keyId: 'AAAAAAAAAAAAAAAA',
    sig: 'A'.repeat(86),
  });

  it('[UPL10] go up as unused-number items after the invoices, once, and are accounted for in the preflight', () => {
    const c1 = [1, 2, 4].map((n) => makeInvoice({ terminal: 'caja-1', consecutive: n }));
    const invoices = c1.map((i) => indexed(i));
    const gaps = [unused('caja-1', 'C1', 3)];
    const items = pendingItems(invoices, new Map(), gaps);
    expect(items.map((i) => [i.document.kind, i.number])).toEqual([
      ['invoice', 'C11'],
      ['invoice', 'C12'],
      ['invoice', 'C14'],
      ['unused-number', 'C13'],
    ]);
    const item = items.at(-1)?.document;
    expect(item).toMatchObject({ kind: 'unused-number', id: 'unused-C1-3', prefix: 'C1', consecutive: 3 });
    expect(item?.seal).not.toHaveProperty('commandId');
    const acks = new Map(items.map((i) => ack(i.document.id, i.document.kind)));
    expect(pendingItems(invoices, acks, gaps)).toEqual([]);

    const input = {
      terminals: [{ id: 'caja-1', name: 'Caja 1', prefix: 'C1' }],
      journals: [
        summarizeJournal(
          'caja-1',
          [...c1.map((invoice, i) => ({ seq: i + 1, kind: 'invoice' as const, invoice })), gaps[0]] as never,
          1,
        ),
      ],
      invoices,
      unusedNumbers: gaps,
      selfId: 'caja-1',
      peers: [],
      now: Date.UTC(2026, 10, 28, 20, 0),
      timeZone: 'America/Bogota',
    };
    const before = preflight({ ...input, acks: new Map() });
    expect(before.terminals[0]).toMatchObject({
      pending: 4,
      reservedNotIssued: 1,
      unusedPending: 1,
      missing: [],
    });
    expect(before.warnings).toEqual([]);
    const after = preflight({ ...input, acks });
    expect(after.terminals[0]).toMatchObject({ pending: 0, unusedPending: 0 });
    const report = uploadReport(invoices, acks, undefined, gaps);
    expect(report.store.unused).toEqual({ count: 1, numbers: ['C13'] });
    expect(report.terminals['caja-1']?.numbers).toMatchObject({ first: 'C11', last: 'C14', count: 3 });
  });
});

describe('the report (UPL7)', () => {
  it('[UPL7] counts what the cloud acknowledged and lists the differences with its read-back', () => {
    const [a, b, c] = [1, 2, 3].map((n) =>
      makeInvoice({ terminal: 'caja-1', consecutive: n, tip: n === 2 ? 500 : 0 }),
    ) as [Invoice, Invoice, Invoice];
    const note = makeCreditNote(b);
    const invoices = [indexed(a), indexed(b, note), indexed(c)];
    const acks = new Map([ack(a.id), ack(b.id), ack(note.id, 'credit-note')]);
    const cloud = [a, b, note].map((document) => ({ document }) as never);
    const report = uploadReport(invoices, acks, cloud, []);
    expect(report.checkedAgainstCloud).toBe(true);
    // The voided sale is covered by the numbers but counted with the voids, not the sales.
    expect(report.store).toMatchObject({
      invoices: 1,
      total: a.total,
      voids: { count: 1, total: b.total },
      numbers: { first: 'C11', last: 'C12', count: 2 },
    });
    expect(report.differences).toEqual({ missingInCloud: [], unknownHere: [] });
    const short = uploadReport(
      invoices,
      acks,
      [a].map((document) => ({ document }) as never),
      [],
    );
    expect([...short.differences.missingInCloud].sort()).toEqual([b.id, note.id].sort());
    expect(uploadReport(invoices, acks, undefined, []).checkedAgainstCloud).toBe(false);
  });

  it('[UPL7] [RET1] totals, payment means and taxes are net of acknowledged partial returns', () => {
    // 3 sodas (IVA 19 %) and a bag of rice (exento) at the counter, paid in cash.
    const sale = makeInvoice({
      consecutive: 9,
      lines: [
        { product: product('BEB-001'), quantity: 3 },
        { product: product('BAS-001'), quantity: 1 },
      ],
    });
    const priced = priceReturn(sale, [{ sku: 'BEB-001', quantity: 1 }], []);
    if (!priced.ok) throw new Error(priced.message);
    const ret: CreditNote = {
      ...makeCreditNote(sale),
      schemaVersion: 2,
      concept: '1',
      amount: priced.value.amount,
      lines: priced.value.lines,
      refunds: [{ method: 'cash', code: '10', amount: priced.value.amount }],
    };
    const row: IndexedInvoice = { ...indexed(sale), returns: [{ creditNote: ret, seal: sealFor(ret) }] };
    const soda = product('BEB-001').price;
    expect(priced.value.amount).toBe(soda);
    const iva = (r: ReturnType<typeof uploadReport>) => r.store.taxes.find((t) => t.code === 'IVA19');
    const saleIva = sale.taxes.find((t) => t.code === 'IVA19');
    const line = priced.value.lines[0];
    if (!saleIva || !line) throw new Error('no IVA 19 % on the sale');

    // The return is not acknowledged yet: the report is the sale's.
    const before = uploadReport([row], new Map([ack(sale.id)]), undefined, []);
    expect(before.store).toMatchObject({ invoices: 1, total: sale.total, returns: { count: 0, total: 0 } });
    const after = uploadReport([row], new Map([ack(sale.id), ack(ret.id, 'credit-note')]), undefined, []);
    expect(after.store).toMatchObject({
      invoices: 1,
      total: sale.total - soda,
      returns: { count: 1, total: soda },
    });
    expect(after.store.byPaymentMethod.cash).toBe(sale.total - soda);
    expect(iva(after)).toEqual({
      code: 'IVA19',
      base: saleIva.base - line.base,
      tax: saleIva.tax - line.taxAmount,
    });
    expect(line.base + line.taxAmount).toBe(soda);
  });
});
