import { describe, expect, it } from 'vitest';
import { cufe, cufeOf, DEMO_ENVIRONMENT, DEMO_TECHNICAL_KEY } from '../../../src/cloud/dian.js';
import { makeInvoice } from '../../support/invoices.js';

describe('the CUFE (DIAN2)', () => {
  it('[DIAN2] is the anexo técnico’s own example', () => {
    // Anexo técnico de factura electrónica de venta, the worked example of the CUFE.
    expect(
      cufe({
        number: '323200000129',
        date: '2019-01-16',
        time: '10:53:10-05:00',
        base: 1_500_000,
        iva: 285_000,
        inc: 0,
        ica: 0,
        total: 1_785_000,
        nit: '700085371',
        buyer: '800199436',
        key: '693ff6f2a553c3646a063436fd4dd9ded0311471',
        environment: '1',
      }),
    ).toBe(
      '8bb918b19ba22a694f1da11c643b5e9de39adf60311cf179179e9b33381030bcd4c3c3f156c506ed5908f9276f5bd9b4',
    );
  });

  it('[DIAN2] of an invoice takes its number, local date and time, values before tax, IVA, INC, total and buyer', () => {
    const invoice = makeInvoice({
      terminal: 'caja-1',
      consecutive: 7,
      at: Date.parse('2026-11-28T15:04:05Z'),
    });
    const iva = invoice.taxes.filter((t) => t.code.startsWith('IVA')).reduce((s, t) => s + t.tax, 0);
    const expected = cufe({
      number: 'C17',
      date: '2026-11-28',
      time: '10:04:05-05:00',
      base: invoice.baseTotal,
      iva,
      inc: 0,
      ica: 0,
      total: invoice.total,
      nit: '900123456',
      buyer: '222222222222',
      key: DEMO_TECHNICAL_KEY,
      environment: DEMO_ENVIRONMENT,
    });
    expect(cufeOf(invoice, '900123456', DEMO_TECHNICAL_KEY, DEMO_ENVIRONMENT)).toBe(expected);
    expect(iva).toBeGreaterThan(0);
  });
});
