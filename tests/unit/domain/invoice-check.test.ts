import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../../src/domain/invoice.js';
import { invoiceSchema } from '../../../src/domain/invoice.js';
import { verifyInvoice } from '../../../src/domain/invoice-check.js';
import { CATALOG, makeInvoice } from '../../support/invoices.js';

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
  const base = makeInvoice({ consecutive: 1, lines });
  const tip = Math.floor((base.subtotal / 10) * sale.tipFraction);
  return makeInvoice({ consecutive: 1, lines, tip });
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
