import { ImmutableString } from '@automerge/automerge';
import type { Product } from '../../src/domain/catalog.js';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import type { CreditNote, Invoice } from '../../src/domain/invoice.js';
import { composeInvoice } from '../../src/invoice/compose-invoice.js';
import { entryPath } from '../../src/crdt/documents/journal-doc.js';

/** Small, valid store data for the UI tests: products, invoices composed by the domain, documents. */
export const PRODUCTS: readonly Product[] = [
  {
    sku: 'BEB-001',
    barcode: '7700010000071',
    name: 'Gaseosa cola 400 ml',
    price: 3200,
    tax: 'IVA19',
    unit: 'unit',
    category: 'Bebidas',
    active: true,
  },
  {
    sku: 'LAC-001',
    barcode: '7700010008548',
    name: 'Leche entera 1 L',
    price: 4600,
    tax: 'IVA0',
    unit: 'unit',
    category: 'Lácteos',
    active: true,
  },
  {
    sku: 'FRU-001',
    name: 'Tomate chonto',
    price: 4980,
    tax: 'EXCLUIDO',
    unit: 'kg',
    category: 'Frutas y verduras',
    active: true,
  },
  {
    sku: 'PAN-001',
    name: 'Pan de bono',
    price: 1500,
    tax: 'IVA19',
    unit: 'unit',
    category: 'Panadería',
    active: true,
  },
  {
    sku: 'OLD-001',
    name: 'Producto retirado',
    price: 1000,
    tax: 'IVA19',
    unit: 'unit',
    category: 'Bebidas',
    active: false,
  },
];

export function product(sku: string): Product {
  const found = PRODUCTS.find((p) => p.sku === sku);
  if (!found) throw new Error(`no test product ${sku}`);
  return found;
}

const NUMBERING = {
  from: 1,
  to: 20_000,
  resolutionNumber: '18764000001231',
  resolutionDate: '2026-01-15',
  validFrom: '2026-01-15',
  validUntil: '2028-01-15',
};

export function makeInvoice(options: {
  terminal?: string;
  consecutive: number;
  minute?: number;
  lines?: { sku: string; quantity: number; discountPercent?: number }[];
  customerName?: string;
}): Invoice {
  const terminal = options.terminal ?? 'caja-1';
  const prefix = terminal === 'caja-2' ? 'C2' : 'C1';
  const minute = String(options.minute ?? options.consecutive % 60).padStart(2, '0');
  const compose = (amount: number) =>
    composeInvoice({
      id: crypto.randomUUID(),
      storeId: 'demo',
      terminalId: terminal,
      numbering: { prefix, ...NUMBERING },
      consecutive: options.consecutive,
      issuedAt: `2026-11-28T10:${minute}:00-05:00`,
      shiftId: `${terminal}-s1`,
      cashier: { id: 'ana', name: 'Ana' },
      ...(options.customerName
        ? { customer: { idType: 'CC', idNumber: '1020304050', name: options.customerName } }
        : {}),
      lines: (options.lines ?? [{ sku: 'BEB-001', quantity: 2 }]).map((l) => ({
        ...l,
        product: product(l.sku),
      })),
      payments: [{ method: 'cash', amount }],
    });
  const probe = compose(10_000_000);
  if (!probe.ok) throw new Error(probe.message);
  const exact = compose(probe.value.total);
  if (!exact.ok) throw new Error(exact.message);
  return exact.value;
}

export function makeVoid(invoice: Invoice, terminal: string, at = '2026-11-28T11:00:00-05:00'): CreditNote {
  return {
    kind: 'credit-note',
    schemaVersion: 1,
    id: crypto.randomUUID(),
    storeId: 'demo',
    terminalId: terminal,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    amount: invoice.total,
    reason: 'Cliente desistió',
    requestedAt: at,
    requestedBy: { id: 'marta', name: 'Marta' },
  };
}

/** A journal chunk document as the host writes it: entries as ImmutableStrings in buckets. */
/**
 * The seal fields of a journal entry. The screen holds no keys and does not check signatures (the
 * host does, and its quarantine hides what fails): any well-formed values do here.
 */
export const SCREEN_SEAL = { prev: '', keyId: 'k'.repeat(16), sig: 's'.repeat(86) } as const;

export function journalDoc(
  terminal: string,
  records: ({ kind: 'invoice'; invoice: Invoice } | { kind: 'credit-note'; creditNote: CreditNote })[],
  firstSeq = 1,
): { type: string; schemaVersion: number; entries: Record<string, Record<string, unknown>> } {
  const entries: Record<string, Record<string, unknown>> = { b0: {}, b1: {}, b2: {}, b3: {}, b4: {} };
  records.forEach((record, i) => {
    const seq = firstSeq + i;
    const { bucket, key } = entryPath(seq);
    const entry = {
      ...record,
      seq,
      terminalId: terminal,
      at: record.kind === 'invoice' ? record.invoice.issuedAt : record.creditNote.requestedAt,
      commandId: `cmd-${terminal}-${seq}`,
      ...SCREEN_SEAL,
    };
    const target = entries[bucket] ?? {};
    target[key] = new ImmutableString(canonicalJson(entry));
    entries[bucket] = target;
  });
  return { type: 'journal', schemaVersion: 1, entries };
}

export function storeDoc(journalKeys: string[], terminals: string[] = ['caja-1', 'caja-2']) {
  return {
    type: 'store',
    schemaVersion: 1,
    terminals: Object.fromEntries(
      terminals.map((id) => [
        id,
        new ImmutableString(
          canonicalJson({
            terminalId: id,
            name: id === 'caja-1' ? 'Caja 1' : 'Caja 2',
            prefix: id === 'caja-1' ? 'C1' : 'C2',
            numbering: { prefix: id === 'caja-1' ? 'C1' : 'C2', ...NUMBERING },
            registeredAt: '2026-11-28T08:00:00-05:00',
            appVersion: '0.1.0',
          }),
        ),
      ]),
    ),
    journals: Object.fromEntries(journalKeys.map((k) => [k, true])),
  };
}
