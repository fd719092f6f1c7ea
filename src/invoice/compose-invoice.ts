import { productSnapshot, type Product } from '../domain/catalog.js';
import {
  completeCustomer,
  FINAL_CONSUMER,
  validateCustomer,
  type Customer,
  type CustomerReason,
} from '../domain/customer.js';
import { invoiceNumber } from '../domain/ids.js';
import { INVOICE_SCHEMA_VERSION, type Invoice } from '../domain/invoice.js';
import { invoiceLineOf } from '../domain/invoice-check.js';
import { priceSharedLine, priceLine, type LineReason, type PricedLine } from '../domain/line.js';
import { DEFAULT_FISCAL_SETTINGS, type FiscalSettings, type SalesChannel } from '../domain/channel.js';
import { settlePayments, type PaymentReason, type PaymentRequest } from '../domain/payment.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Numbering } from '../domain/schemas.js';
import { ratePercent } from '../domain/tax.js';
import { computeTotals, type TotalsReason } from '../domain/totals.js';

export interface SaleLineRequest {
  readonly product: Product;
  /** On an equal part of a bill: the part's share of the whole line's quantity. */
  readonly quantity: number;
  readonly discountPercent?: number | undefined;
  /** On an equal part of a bill (SPL1): the whole line's quantity and this part's share of its gross. */
  readonly share?: { readonly of: number; readonly gross: number } | undefined;
}

export interface ComposeInvoiceInput {
  readonly id: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly numbering: Numbering;
  readonly consecutive: number;
  /** ISO 8601 with the store's offset. */
  readonly issuedAt: string;
  readonly shiftId: string;
  readonly cashier: { readonly id: string; readonly name: string };
  readonly customer?: Customer | undefined;
  readonly lines: readonly SaleLineRequest[];
  readonly tip?: number | undefined;
  readonly payments: readonly PaymentRequest[];
  /** CHN1: the sales channel (counter unless said). */
  readonly channel?: SalesChannel | undefined;
  /** The store's restaurant regime and tip base. */
  readonly settings?: FiscalSettings | undefined;
  /** Part of a restaurant bill split in parts (SPL1–SPL2). */
  readonly split?: SplitMark | undefined;
  /** EPI1: the contingency episode the invoice is issued in. */
  readonly episodeId?: string | undefined;
}

export interface SplitMark {
  readonly orderId: string;
  readonly part: number;
  readonly parts: number;
  readonly kind: 'equal' | 'lines';
}

export type ComposeReason =
  | LineReason
  | TotalsReason
  | PaymentReason
  | CustomerReason
  | 'empty-sale'
  | 'inactive-product'
  | 'invalid-split';

/**
 * Compose an invoice from a sale: price every line from the catalog product (copied into the
 * invoice), total it, settle the payments. Pure; the number and time come in as parameters.
 */
export function composeInvoice(input: ComposeInvoiceInput): Result<Invoice, ComposeReason> {
  if (input.lines.length === 0) return err('empty-sale', 'a sale needs at least one line');
  const channel = input.channel ?? 'mostrador';
  const settings = input.settings ?? DEFAULT_FISCAL_SETTINGS;
  const equalParts = input.split?.kind === 'equal' ? input.split.parts : undefined;
  const priced: PricedLine[] = [];
  for (const [index, line] of input.lines.entries()) {
    if (!line.product.active) return err('inactive-product', `${line.product.name} is not for sale`);
    const snapshot = productSnapshot(line.product, channel, settings.restaurantRegime);
    const result =
      equalParts === undefined
        ? line.share === undefined
          ? priceLine(snapshot, line)
          : err('invalid-split' as const, 'only a line of an equal part is a share')
        : line.share === undefined
          ? err('invalid-split' as const, 'a line of an equal part states its share')
          : priceSharedLine(
              snapshot,
              {
                quantity: line.quantity,
                of: line.share.of,
                shareGross: line.share.gross,
                discountPercent: line.discountPercent,
              },
              equalParts,
            );
    if (!result.ok) return err(result.reason, `line ${index + 1} (${line.product.sku}): ${result.message}`);
    priced.push(result.value);
  }
  const totals = computeTotals(priced, input.tip ?? 0, {
    base: settings.tipBase,
    part: input.split !== undefined,
  });
  if (!totals.ok) return totals;
  const settlement = settlePayments(totals.value.total, input.payments);
  if (!settlement.ok) return settlement;
  const customer = validateCustomer(completeCustomer(input.customer ?? FINAL_CONSUMER));
  if (!customer.ok) return customer;
  const t = totals.value;
  const s = settlement.value;
  return ok({
    kind: 'invoice',
    schemaVersion: INVOICE_SCHEMA_VERSION,
    id: input.id,
    storeId: input.storeId,
    terminalId: input.terminalId,
    prefix: input.numbering.prefix,
    consecutive: input.consecutive,
    number: invoiceNumber(input.numbering.prefix, input.consecutive),
    resolution: { ...input.numbering },
    contingencyType: '03',
    issuedAt: input.issuedAt,
    shiftId: input.shiftId,
    cashier: { id: input.cashier.id, name: input.cashier.name },
    customer: { ...customer.value },
    lines: priced.map((line) => invoiceLineOf(line)),
    gross: t.gross,
    discountTotal: t.discountTotal,
    subtotal: t.subtotal,
    taxes: t.taxes.map((row) => ({
      code: row.code,
      rate: ratePercent(row.code),
      base: row.base,
      tax: row.tax,
    })),
    baseTotal: t.baseTotal,
    taxTotal: t.taxTotal,
    channel,
    tipBase: { kind: settings.tipBase, amount: t.tipBase },
    tip: t.tip,
    total: t.total,
    payments: s.payments.map((p) => ({ method: p.method, code: p.code, amount: p.amount })),
    paid: s.paid,
    change: s.change,
    paymentForm: '1',
    ...(input.split ? { split: { ...input.split } } : {}),
    ...(input.episodeId === undefined ? {} : { episodeId: input.episodeId }),
  });
}
