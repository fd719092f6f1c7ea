import { z } from 'zod';
import { EPISODE_ID } from './episode.js';
import { SALES_CHANNELS, TIP_BASES } from './channel.js';
import {
  customerSchema,
  moneySchema,
  nameSchema,
  numberingSchema,
  offsetDateTimeSchema,
  paymentMethodSchema,
  personRefSchema,
  prefixSchema,
  skuSchema,
  slugSchema,
  taxCodeSchema,
  textSchema,
  unitSchema,
  uuidSchema,
} from './schemas.js';

/**
 * The issued contingency invoice and the credit-note request, as they are stored in the journal,
 * printed and uploaded. Every figure is written out (nothing is recomputed when reading), and
 * `verifyInvoice` checks that the figures are the ones the domain computes.
 */
export const INVOICE_SCHEMA_VERSION = 2;
/**
 * Version 1 documents (issued before sales channels) stay valid under the rules they were issued
 * with: no channel, the tip limited by the whole subtotal, equal parts sharing quantities.
 */
export const schemaVersionSchema = z.union([z.literal(1), z.literal(2)]);
export const salesChannelSchema = z.enum(SALES_CHANNELS);

export const invoiceLineSchema = z.strictObject({
  sku: skuSchema,
  name: nameSchema,
  unit: unitSchema,
  quantity: z.number().positive().max(9_999),
  unitPrice: moneySchema,
  discountPercent: z.number().min(0).max(100),
  gross: moneySchema,
  discount: moneySchema,
  amount: moneySchema,
  tax: taxCodeSchema,
  base: moneySchema,
  taxAmount: moneySchema,
  /** v2: the channel the line was sold in, which decided its price and tax (CHN2). */
  channel: salesChannelSchema.optional(),
  /** v2: part of the restaurant's service (the tip's base). */
  restaurant: z.boolean().optional(),
  /** v2, on an equal part of a bill: the whole line this line is a share of (SPL1). */
  share: z.strictObject({ quantity: z.number().positive().max(9_999), gross: moneySchema }).optional(),
});
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

export const taxRowSchema = z.strictObject({
  code: taxCodeSchema,
  rate: z.number().min(0).max(100),
  base: moneySchema,
  tax: moneySchema,
});

export const paymentSchema = z.strictObject({
  method: paymentMethodSchema,
  code: z.string().max(4),
  amount: moneySchema.min(1),
});

export const invoiceSchema = z.strictObject({
  kind: z.literal('invoice'),
  schemaVersion: schemaVersionSchema,
  id: uuidSchema,
  storeId: slugSchema,
  terminalId: slugSchema,
  prefix: prefixSchema,
  consecutive: z.int().min(0).max(999_999_999),
  number: z.string().max(16),
  /** The DIAN authorization the number comes from, printed on the receipt. */
  resolution: numberingSchema,
  /** 03: the seller's own outage; the invoice is printed and transmitted afterwards. */
  contingencyType: z.literal('03'),
  issuedAt: offsetDateTimeSchema,
  shiftId: z.string().min(1).max(64),
  cashier: personRefSchema,
  customer: customerSchema,
  lines: z.array(invoiceLineSchema).min(1).max(500),
  gross: moneySchema,
  discountTotal: moneySchema,
  subtotal: moneySchema,
  taxes: z.array(taxRowSchema).min(1).max(5),
  baseTotal: moneySchema,
  taxTotal: moneySchema,
  /** v2: the sales channel (CHN1). */
  channel: salesChannelSchema.optional(),
  /** v2: what the tip is a percentage of (TIP2): its kind and amount. */
  tipBase: z.strictObject({ kind: z.enum(TIP_BASES), amount: moneySchema }).optional(),
  tip: moneySchema,
  total: moneySchema,
  payments: z.array(paymentSchema).max(20),
  paid: moneySchema,
  change: moneySchema,
  /** 1 contado (the only form a till sells with). */
  paymentForm: z.literal('1'),
  /**
   * A restaurant bill split in parts: this invoice is part `part` of `parts` of an order, in equal
   * parts (`kind` 'equal'; v1 has no kind and only equal parts) or by lines.
   */
  split: z
    .strictObject({
      orderId: z.string().min(1).max(64),
      part: z.int().min(1).max(20),
      parts: z.int().min(2).max(20),
      kind: z.enum(['equal', 'lines']).optional(),
    })
    .optional(),
  /** EPI1: the contingency episode it was issued in (src/domain/episode.ts). */
  episodeId: z.string().regex(EPISODE_ID).optional(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

/** DIAN credit-note concepts (anexo técnico 1.9). */
export const CREDIT_NOTE_CONCEPTS = {
  '1': 'Devolución parcial',
  '2': 'Anulación',
  '3': 'Rebaja o descuento',
  '4': 'Ajuste de precio',
} as const;
export type CreditNoteConcept = keyof typeof CREDIT_NOTE_CONCEPTS;
export const creditNoteConceptSchema = z.enum(['1', '2', '3', '4']);

/**
 * A void (anulación) of a whole invoice. Credit notes cannot be issued during a contingency, so
 * this is a request the cloud turns into a credit note after the upload. Version 2 states the DIAN
 * concept, the shift of the terminal that handed the money back and how it went back (CRN1–CRN3).
 */
export const creditNoteSchema = z.strictObject({
  kind: z.literal('credit-note'),
  schemaVersion: schemaVersionSchema,
  id: uuidSchema,
  storeId: slugSchema,
  /** The terminal where the void was requested (not necessarily the invoice's). */
  terminalId: slugSchema,
  invoiceId: uuidSchema,
  invoiceNumber: z.string().max(16),
  /** The voided invoice's total: the credit note reverses all of it. */
  amount: moneySchema,
  reason: textSchema(3, 200),
  requestedAt: offsetDateTimeSchema,
  requestedBy: personRefSchema,
  /** v2: the DIAN concept (2 anulación unless said). */
  concept: creditNoteConceptSchema.optional(),
  /** v2: the open shift of the terminal that handed the money back (its drawer). */
  shiftId: z.string().min(1).max(64).optional(),
  /** v2: how the money went back, by payment means; the amounts add up to `amount`. */
  refunds: z.array(paymentSchema).max(10).optional(),
  /** v2, a partial return (concept 1): what came back, each at its share of the sale (RET1). */
  lines: z
    .array(
      z.strictObject({
        sku: skuSchema,
        name: nameSchema,
        unit: unitSchema,
        quantity: z.number().positive().max(9_999),
        amount: moneySchema,
        tax: taxCodeSchema,
        base: moneySchema,
        taxAmount: moneySchema,
      }),
    )
    .min(1)
    .max(500)
    .optional(),
});
export type CreditNote = z.infer<typeof creditNoteSchema>;

export const fiscalDocumentSchema = z.discriminatedUnion('kind', [invoiceSchema, creditNoteSchema]);
export type FiscalDocument = z.infer<typeof fiscalDocumentSchema>;
