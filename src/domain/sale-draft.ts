import { z } from 'zod';
import { salesChannelSchema } from './invoice.js';
import { customerSchema, moneySchema, nameSchema, offsetDateTimeSchema, skuSchema } from './schemas.js';

/**
 * A sale still being built on a terminal's screen (DRF1–DRF4 in src/host/SPEC.md): what the
 * cashier has put in the cart, not a fiscal record. It keeps the command id the sale will be
 * issued with, so a draft restored after a crash can never issue a second invoice. It never holds
 * a PIN: a discount over the cashier's limit asks for the manager again after a restore.
 */
export const MAX_DRAFT_LINES = 200;
/** DRF2: parked sales per terminal; more is a cashier who forgot them, not a queue. */
export const MAX_PARKED_SALES = 20;

export const draftLineSchema = z.strictObject({
  sku: skuSchema,
  quantity: z.number().positive().max(1_000_000),
  discountPercent: z.number().min(0).max(100),
  /** The price typed for an open-price product, taxes included (pesos). */
  unitPrice: moneySchema.optional(),
});

export const saleDraftSchema = z.strictObject({
  commandId: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
  lines: z.array(draftLineSchema).max(MAX_DRAFT_LINES),
  customer: customerSchema,
  channel: salesChannelSchema,
});
export type SaleDraft = z.infer<typeof saleDraftSchema>;
export type DraftLine = z.infer<typeof draftLineSchema>;

export const draftOwnerSchema = z.strictObject({ id: z.string().min(1).max(40), name: nameSchema });
export type DraftOwner = z.infer<typeof draftOwnerSchema>;

/** DRF1: the terminal's sale in progress, with who was selling it and when it was last saved. */
export const storedCartSchema = z.strictObject({
  draft: saleDraftSchema,
  owner: draftOwnerSchema,
  savedAt: offsetDateTimeSchema,
});
export type StoredCart = z.infer<typeof storedCartSchema>;

/** DRF2: a sale put aside ("Guardar venta") to serve the next customer. */
export const parkedSaleSchema = z.strictObject({
  id: z.uuid(),
  draft: saleDraftSchema,
  /** Whose sale it is: who was selling it when it was put aside. */
  owner: draftOwnerSchema,
  parkedAt: offsetDateTimeSchema,
});
export type ParkedSale = z.infer<typeof parkedSaleSchema>;

/** A draft with nothing in it is no sale in progress. */
export const isEmptyDraft = (draft: SaleDraft): boolean => draft.lines.length === 0;
