import type { Customer } from '../../src/domain/customer.js';
import { randomUUID } from 'node:crypto';
import type { Product } from '../../src/domain/catalog.js';
import type { CreditNote, Invoice } from '../../src/domain/invoice.js';
import type { PaymentRequest } from '../../src/domain/payment.js';
import { formatInTimeZone } from '../../src/domain/time.js';
import { demoCatalog } from '../../src/cloud/seed/demo-catalog.js';
import { DEMO_TERMINALS } from '../../src/cloud/seed/demo.js';
import { composeInvoice, type SaleLineRequest } from '../../src/invoice/compose-invoice.js';
import type { SalesChannel } from '../../src/domain/channel.js';
import type { Numbering } from '../../src/domain/schemas.js';

export const CATALOG: readonly Product[] = demoCatalog().map((d) => d.product);

export function product(sku: string): Product {
  const found = CATALOG.find((p) => p.sku === sku);
  if (!found) throw new Error(`no demo product ${sku}`);
  return found;
}

export interface InvoiceOptions {
  readonly terminal?: 'caja-1' | 'caja-2' | 'caja-3';
  readonly consecutive: number;
  readonly lines?: readonly SaleLineRequest[];
  readonly tip?: number;
  readonly payments?: readonly PaymentRequest[];
  readonly id?: string;
  readonly at?: number;
  /** The sales channel; a tipped invoice is a table's unless said (a tip is for the restaurant service). */
  readonly channel?: SalesChannel;
  /** The buyer (consumidor final when left out). */
  readonly customer?: Customer;
  /** The range printed on it (the terminal's demo range when left out). */
  readonly numbering?: Numbering;
}

/** A valid demo invoice, composed by the same code the terminals use. Paid exactly in cash by default. */
export function makeInvoice(options: InvoiceOptions): Invoice {
  const terminal = DEMO_TERMINALS.find((t) => t.id === (options.terminal ?? 'caja-1')) ?? DEMO_TERMINALS[0];
  const lines = options.lines ?? [
    { product: product('BEB-001'), quantity: 2 },
    { product: product('FRU-001'), quantity: 1.25 },
  ];
  const draft = (payments: readonly PaymentRequest[]) =>
    composeInvoice({
      id: options.id ?? randomUUID(),
      storeId: 'demo',
      terminalId: terminal.id,
      numbering: options.numbering ?? {
        prefix: terminal.prefix,
        from: 1,
        to: 20_000,
        resolutionNumber: terminal.resolutionNumber,
        resolutionDate: '2026-01-15',
        validFrom: '2026-01-15',
        validUntil: '2028-01-15',
      },
      consecutive: options.consecutive,
      issuedAt: formatInTimeZone(options.at ?? Date.parse('2026-11-28T15:00:00Z')),
      shiftId: `${terminal.id}-shift-1`,
      cashier: { id: 'ana', name: 'Ana' },
      lines,
      tip: options.tip,
      payments,
      channel: options.channel ?? ((options.tip ?? 0) > 0 ? 'mesa' : 'mostrador'),
      customer: options.customer,
    });
  // Work out the total first, then pay it exactly unless payments were given.
  const probe = draft([{ method: 'cash', amount: 10_000_000_000 }]);
  if (!probe.ok) throw new Error(probe.message);
  const exact = probe.value.total === 0 ? [] : [{ method: 'cash', amount: probe.value.total }];
  const result = draft(options.payments ?? exact);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

export function makeCreditNote(invoice: Invoice, id: string = randomUUID()): CreditNote {
  return {
    kind: 'credit-note',
    schemaVersion: 1,
    id,
    storeId: invoice.storeId,
    terminalId: invoice.terminalId,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    amount: invoice.total,
    reason: 'Cliente devolvió la compra',
    requestedAt: invoice.issuedAt,
    requestedBy: { id: 'marta', name: 'Marta' },
  };
}
