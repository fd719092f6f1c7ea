import { z } from 'zod';
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
export const INVOICE_SCHEMA_VERSION = 1;

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
  schemaVersion: z.literal(INVOICE_SCHEMA_VERSION),
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
  tip: moneySchema,
  total: moneySchema,
  payments: z.array(paymentSchema).max(20),
  paid: moneySchema,
  change: moneySchema,
  /** 1 contado (the only form a till sells with). */
  paymentForm: z.literal('1'),
  /** A restaurant bill split in equal parts: this invoice is part `part` of `parts` of an order. */
  split: z
    .strictObject({
      orderId: z.string().min(1).max(64),
      part: z.int().min(1).max(20),
      parts: z.int().min(2).max(20),
    })
    .optional(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

/**
 * A void (anulación) of a whole invoice. Credit notes cannot be issued during a contingency, so
 * this is a request the cloud turns into a credit note after the upload.
 */
export const creditNoteSchema = z.strictObject({
  kind: z.literal('credit-note'),
  schemaVersion: z.literal(INVOICE_SCHEMA_VERSION),
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
});
export type CreditNote = z.infer<typeof creditNoteSchema>;

export const fiscalDocumentSchema = z.discriminatedUnion('kind', [invoiceSchema, creditNoteSchema]);
export type FiscalDocument = z.infer<typeof fiscalDocumentSchema>;
