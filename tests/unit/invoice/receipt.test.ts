import { describe, expect, it } from 'vitest';
import { demoStoreSeed } from '../../../src/cloud/seed/demo.js';
import { renderCreditNoteText, renderReceiptHtml, renderReceiptText } from '../../../src/invoice/receipt.js';
import { makeCreditNote, makeInvoice, product } from '../../support/invoices.js';

const store = demoStoreSeed('token-for-the-receipt-test', (n) => new Uint8Array(n)).profile;

const invoice = makeInvoice({
  id: '0b7d2a3e-5c1f-4e8a-9d6b-2f4c8e1a7b3d',
  consecutive: 1042,
  at: Date.parse('2026-11-28T19:04:05Z'),
  lines: [
    { product: product('PLA-001'), quantity: 2 },
    { product: product('RBE-001'), quantity: 2, discountPercent: 10 },
    { product: product('LAC-001'), quantity: 1 },
    { product: product('FRU-004'), quantity: 1.25 },
    { product: product('BEB-001'), quantity: 3 },
  ],
  tip: 6_400,
  payments: [
    { method: 'debit-card', amount: 50_000 },
    { method: 'cash', amount: 60_000 },
  ],
});

describe('the printed receipt', () => {
  it('[RCP1] [RCP2] 42 columns, the terminal by its name', async () => {
    const text = renderReceiptText(invoice, store, { width: 42, terminalName: 'Caja 1' });
    expect(text.split('\n').every((line) => line.length <= 42)).toBe(true);
    await expect(text).toMatchFileSnapshot('__snapshots__/receipt-42.txt');
  });

  it('[RCP1] 48 columns', async () => {
    const text = renderReceiptText(invoice, store, { width: 48, terminalName: 'Caja 1' });
    expect(text.split('\n').every((line) => line.length <= 48)).toBe(true);
    await expect(text).toMatchFileSnapshot('__snapshots__/receipt-48.txt');
  });

  it('[RCP1] HTML for an 80 mm roll', async () => {
    const html = renderReceiptHtml(invoice, store, { terminalName: 'Caja 1' });
    expect(html).toContain('size: 80mm auto');
    await expect(html).toMatchFileSnapshot('__snapshots__/receipt.html');
  });

  it('[RCP1] [CRN3] a voided invoice prints the request until the cloud has the credit note; text is escaped in HTML', () => {
    const note = makeCreditNote(invoice);
    const pending = renderReceiptText(invoice, store, { voided: { creditNote: note, acknowledged: false } });
    expect(pending).toContain('ANULACIÓN SOLICITADA');
    expect(pending).toContain('Nota crédito pendiente');
    expect(pending).not.toContain('ANULADA');
    expect(pending).toContain('Concepto 2 Anulación');
    const done = renderReceiptText(invoice, store, { voided: { creditNote: note, acknowledged: true } });
    expect(done).toContain('*** ANULADA ***');
    expect(done).toContain('Nota crédito recibida por la nube');
    const slip = renderCreditNoteText(
      { ...note, concept: '2', refunds: [{ method: 'cash', code: '10', amount: note.amount }] },
      invoice,
      store,
    );
    expect(slip).toContain('SOLICITUD DE NOTA CRÉDITO');
    expect(slip).toMatch(/Concepto\s+2 Anulación/);
    expect(slip).toMatch(new RegExp(`Devuelto: Efectivo\\s+\\$ ${invoice.total.toLocaleString('de-DE')}`));
    const tricky = {
      ...invoice,
      customer: { idType: 'CC' as const, idNumber: '1020304050', name: '<script>x</script>' },
    };
    expect(renderReceiptHtml(tricky, store)).not.toContain('<script>x');
  });
});
