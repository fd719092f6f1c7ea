import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../../src/domain/invoice.js';
import { invoiceSchema } from '../../../src/domain/invoice.js';
import { verifyInvoice } from '../../../src/domain/invoice-check.js';
import { CATALOG, makeInvoice, product } from '../../support/invoices.js';
import { SALES_CHANNELS } from '../../../src/domain/channel.js';

const saleArb = fc.record({
  lines: fc.array(
    fc.record({
      index: fc.nat({ max: CATALOG.length - 1 }),
      units: fc.integer({ min: 1, max: 20 }),
      grams: fc.integer({ min: 1, max: 5000 }),
      discount: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 15 },
  ),
  tipFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  channel: fc.constantFrom(...SALES_CHANNELS),
});

type Sale = typeof saleArb extends fc.Arbitrary<infer S> ? S : never;

function invoiceFrom(sale: Sale): Invoice {
  const lines = sale.lines.map((l) => {
    const product = CATALOG[l.index];
    if (!product) throw new Error('index');
    return {
      product,
      quantity: product.unit === 'kg' ? l.grams / 1000 : l.units,
      ...(l.discount === undefined ? {} : { discountPercent: l.discount / 100 }),
    };
  });
  const base = makeInvoice({ consecutive: 1, lines, channel: sale.channel });
  const tip = Math.floor(((base.tipBase?.amount ?? 0) / 10) * sale.tipFraction);
  return makeInvoice({ consecutive: 1, lines, tip, channel: sale.channel });
}

describe('invoice composition and verification', () => {
  it('[TOT3] every composed invoice parses and verifies, and its figures add up (property)', () => {
    fc.assert(
      fc.property(saleArb, (sale) => {
        const invoice = invoiceFrom(sale);
        expect(invoiceSchema.safeParse(invoice).success).toBe(true);
        expect(verifyInvoice(invoice).ok).toBe(true);
        expect(invoice.taxes.reduce((a, r) => a + r.base + r.tax, 0)).toBe(invoice.subtotal);
        expect(invoice.total).toBe(invoice.subtotal + invoice.tip);
        expect(invoice.paid - invoice.change).toBe(invoice.total);
      }),
      { numRuns: 200 },
    );
  });

  it('[TOT3] changing any figure by one peso is caught (property)', () => {
    const figures = [
      'gross',
      'discountTotal',
      'subtotal',
      'baseTotal',
      'taxTotal',
      'tip',
      'total',
      'paid',
      'change',
    ] as const;
    // Inputs such as the unit price are not figures: a different price may give the same amounts.
    const lineFigures = ['gross', 'discount', 'amount', 'base', 'taxAmount'] as const;
    fc.assert(
      fc.property(
        saleArb,
        fc.constantFrom(...figures, ...lineFigures),
        fc.constantFrom(1, -1),
        (sale, field, delta) => {
          const invoice = structuredClone(invoiceFrom(sale));
          if ((lineFigures as readonly string[]).includes(field)) {
            const line = invoice.lines[0];
            if (!line) return;
            const key = field as (typeof lineFigures)[number];
            if (line[key] + delta < 0) return;
            line[key] += delta;
          } else {
            const key = field as (typeof figures)[number];
            if (invoice[key] + delta < 0) return;
            invoice[key] += delta;
          }
          expect(verifyInvoice(invoice).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('[TOT3] a wrong number or a wrong payment code is caught', () => {
    const invoice = makeInvoice({ consecutive: 1042 });
    expect(invoice.number).toBe('C11042');
    expect(verifyInvoice({ ...invoice, number: 'C11043' })).toMatchObject({ reason: 'number-mismatch' });
    const payments = invoice.payments.map((p) => ({ ...p, code: '48' }));
    expect(verifyInvoice({ ...invoice, payments })).toMatchObject({ reason: 'payments-mismatch' });
  });
});

describe('sales channels on the invoice (CHN1–CHN4)', () => {
  const soda = product('BEB-001');
  it('[CHN2] the same soda is IVA 19 % at the counter and INC 8 % at a table or for takeaway', () => {
    const at = (channel: (typeof SALES_CHANNELS)[number]) =>
      makeInvoice({ consecutive: 1, lines: [{ product: soda, quantity: 1 }], channel });
    expect(at('mostrador').lines[0]).toMatchObject({ tax: 'IVA19', channel: 'mostrador', restaurant: false });
    expect(at('mesa').lines[0]).toMatchObject({ tax: 'INC8', channel: 'mesa', restaurant: true });
    expect(at('llevar').lines[0]).toMatchObject({ tax: 'INC8', channel: 'llevar', restaurant: true });
    expect(at('domicilio').taxes).toEqual([{ code: 'INC8', rate: 8, base: 2963, tax: 237 }]);
    // A supermarket good that is not a restaurant product keeps its IVA for takeaway.
    expect(
      makeInvoice({
        consecutive: 1,
        lines: [{ product: product('ASE-001'), quantity: 1 }],
        channel: 'llevar',
      }).lines[0],
    ).toMatchObject({ tax: 'IVA19', restaurant: false });
  });

  it('[CHN3] a channel price: a canned beer costs more at a table', () => {
    const beer = product('BEB-017');
    const counter = makeInvoice({ consecutive: 1, lines: [{ product: beer, quantity: 1 }] });
    const table = makeInvoice({ consecutive: 1, lines: [{ product: beer, quantity: 1 }], channel: 'mesa' });
    expect([counter.total, table.total]).toEqual([3500, 5000]);
    expect(verifyInvoice(table).ok).toBe(true);
  });

  it('[CHN4] a counter line marked as restaurant, or a line of another channel, is refused', () => {
    const table = makeInvoice({ consecutive: 1, lines: [{ product: soda, quantity: 1 }], channel: 'mesa' });
    const line = table.lines[0];
    if (!line) throw new Error('line');
    expect(verifyInvoice({ ...table, channel: 'mostrador' })).toMatchObject({ reason: 'invalid-channel' });
    expect(verifyInvoice({ ...table, lines: [{ ...line, restaurant: false }] })).toMatchObject({
      reason: 'invalid-channel',
    });
    const { channel: _c, ...noChannel } = table;
    expect(verifyInvoice(noChannel)).toMatchObject({ reason: 'invalid-channel' });
  });

  it('[TIP2] a counter sale with a tip is refused; the tip base stated must add up', () => {
    expect(() => makeInvoice({ consecutive: 1, tip: 100, channel: 'mostrador' })).toThrow(/restaurant/);
    const table = makeInvoice({ consecutive: 1, lines: [{ product: soda, quantity: 10 }], tip: 2963 });
    expect(table.tipBase).toEqual({ kind: 'pre-tax', amount: 29_630 });
    expect(verifyInvoice(table).ok).toBe(true);
    expect(verifyInvoice({ ...table, tipBase: { kind: 'pre-tax', amount: 32_000 } })).toMatchObject({
      reason: 'totals-mismatch',
    });
  });

  it('[CHN4] an invoice of schema version 1 (issued before channels) still verifies under its own rules', () => {
    const v2 = makeInvoice({
      consecutive: 1,
      lines: [{ product: product('PLA-001'), quantity: 1 }],
      channel: 'mesa',
    });
    const { channel: _c, tipBase: _t, ...rest } = v2;
    const v1 = {
      ...rest,
      schemaVersion: 1 as const,
      lines: v2.lines.map(({ channel: _ch, restaurant: _r, ...l }) => l),
      // Version 1 limited the tip by 10 % of the whole subtotal, taxes included.
      tip: 3200,
      total: v2.subtotal + 3200,
      payments: [{ method: 'cash' as const, code: '10', amount: v2.subtotal + 3200 }],
      paid: v2.subtotal + 3200,
    };
    expect(verifyInvoice(v1)).toMatchObject({ ok: true });
    expect(verifyInvoice({ ...v1, tip: 3201, total: v1.total + 1, paid: v1.paid + 1 })).toMatchObject({
      ok: false,
    });
  });
});
