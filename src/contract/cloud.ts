import { z } from 'zod';
import { scaleLabelFormatSchema } from '../domain/scale-label.js';
import { catalogSchema, productSchema } from '../domain/catalog.js';
import { certificateSchema, publicKeySchema } from '../domain/certificate.js';
import { sealSchema } from '../domain/seal.js';
import { creditNoteSchema, invoiceSchema } from '../domain/invoice.js';
import { unusedNumberSchema, unusedSealSchema } from '../domain/unused-number.js';
import {
  customerSchema,
  isoDateSchema,
  moneySchema,
  nameSchema,
  numberingSchema,
  offsetDateTimeSchema,
  prefixSchema,
  skuSchema,
  slugSchema,
  textSchema,
} from '../domain/schemas.js';
import { pinHashSchema } from '../domain/pin-hash.js';
import { RESTAURANT_REGIMES, TIP_BASES } from '../domain/channel.js';
import { ID_TYPE_IDS } from '../domain/customer.js';

/**
 * The cloud contract: one zod definition per body, used by the reference cloud to validate
 * requests, by the terminals' cloud client to validate answers, and to generate
 * docs/cloud-api.yaml (`npm run openapi`).
 */
export const API_PREFIX = '/v1';
export const MAX_BATCH_ITEMS = 500;

export const errorBodySchema = z.strictObject({
  error: z.string().describe('machine-readable reason, e.g. "unknown-store", "batch-too-large"'),
  message: z.string().describe('what went wrong, for people'),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const healthSchema = z.strictObject({
  status: z.literal('ok'),
  service: z.literal('caja-cloud'),
  version: z.string(),
  time: offsetDateTimeSchema,
});

/** The store's fiscal settings (CHN2, TIP2, SHF6); absent fields take the defaults. */
export const storeSettingsSchema = z.strictObject({
  /** The tax of the restaurant service: INC 8 % (default) or IVA 19 % for a franchise. */
  restaurantRegime: z.enum(RESTAURANT_REGIMES).optional(),
  /** What the tip is a percentage of: the service before tax (default) or with tax. */
  tipBase: z.enum(TIP_BASES).optional(),
  /** A shift closing with a cash difference beyond this (pesos) needs a manager's PIN and a note. */
  shiftDifferenceLimit: moneySchema.optional(),
  /** EPI2: hours after a contingency episode ends to transmit its documents to the DIAN (48). */
  transmissionWindowHours: z.int().min(1).max(720).optional(),
  /** SCL1: the layout of the scale's labels (default `2D PPPPP WWWWW C`). */
  scaleLabelFormat: scaleLabelFormatSchema.optional(),
});
export type StoreSettings = z.infer<typeof storeSettingsSchema>;

export const storeProfileSchema = z.strictObject({
  id: slugSchema,
  name: nameSchema,
  legalName: nameSchema,
  nit: z.string().regex(/^\d{6,15}$/),
  checkDigit: z.int().min(0).max(9),
  address: nameSchema,
  city: nameSchema,
  phone: z.string().max(30).optional(),
  /** e.g. "Responsable de IVA", as printed on the invoice. */
  taxRegime: z.string().max(120),
  timeZone: z.string().min(1).max(64),
  currency: z.literal('COP'),
  /** Software maker and name printed on the receipt. */
  software: z.string().max(120),
  settings: storeSettingsSchema.optional(),
});
export type StoreProfile = z.infer<typeof storeProfileSchema>;

export const userSchema = z.strictObject({
  id: slugSchema,
  name: nameSchema,
  role: z.enum(['cashier', 'manager']),
  pin: pinHashSchema,
});
export type User = z.infer<typeof userSchema>;

export const floorSchema = z.strictObject({
  areas: z
    .array(
      z.strictObject({
        id: slugSchema,
        name: nameSchema,
        tables: z
          .array(z.strictObject({ id: slugSchema, name: nameSchema, seats: z.int().min(1).max(50) }))
          .max(200),
      }),
    )
    .max(20),
});
export type FloorPlan = z.infer<typeof floorSchema>;

export const terminalSummarySchema = z.strictObject({
  id: slugSchema,
  name: nameSchema,
  prefix: prefixSchema,
});

export const provisioningSchema = z.strictObject({
  store: storeProfileSchema,
  terminal: z.strictObject({ id: slugSchema, name: nameSchema, numbering: numberingSchema }),
  /** Every terminal of the store, so that each knows the others' prefixes before it meets them. */
  terminals: z.array(terminalSummarySchema).min(1).max(100),
  users: z.array(userSchema).min(1).max(500),
  /** The store's LAN key (base64url, 32 bytes): a secret shared by the store's terminals only. */
  lanKey: z.base64url().length(43),
  floor: floorSchema,
  catalogVersion: z.string(),
  issuedAt: offsetDateTimeSchema,
  /** The store's Ed25519 public key (base64url, 32 bytes): it signs every terminal key certificate. */
  storePublicKey: publicKeySchema,
  /** Every terminal key the store certified so far, each with the range it numbers from. */
  certificates: z.array(certificateSchema).max(10_000),
});
export type Provisioning = z.infer<typeof provisioningSchema>;

/** A terminal asks the store to certify the public key it generated (its private key never leaves it). */
export const keyRequestSchema = z.strictObject({
  publicKey: publicKeySchema,
  /** RNG4: the assigned resolution (prefix, first number) to certify the key for; the one in use by default. */
  range: z.strictObject({ prefix: prefixSchema, from: z.int().min(0) }).optional(),
});
export const certificateAnswerSchema = z.strictObject({ certificate: certificateSchema });

export { catalogSchema, productSchema };

/** Back office: add or replace one product (bumps the catalog version). */
export const productUpsertSchema = productSchema;

/**
 * CUS5: the store's customer directory, read by the terminals with "Leer catálogo" (the ETag
 * header names its version). Buyers identified on uploaded invoices join it (CUS6).
 */
export const customerDirectorySchema = z.strictObject({
  version: z.string(),
  customers: z.array(customerSchema).max(200_000),
});
export type CustomerDirectory = z.infer<typeof customerDirectorySchema>;

/**
 * RNG1: a store admin assigns a terminal a range (a DIAN resolution); the answer lists every
 * resolution the terminal was ever assigned, oldest first.
 */
export const resolutionRequestSchema = numberingSchema;
export const resolutionsAnswerSchema = z.strictObject({ resolutions: z.array(numberingSchema) });

/** Back office: add or replace one customer of the directory (bumps its version). */
export const customerUpsertSchema = customerSchema;

/**
 * An uploaded invoice or credit-note request with the seal of its journal entry (src/domain/seal.ts):
 * the cloud rebuilds the entry and checks the terminal's signature with the certified key.
 */
export const sealedDocumentSchema = z.discriminatedUnion('kind', [
  invoiceSchema.extend({ seal: sealSchema }),
  creditNoteSchema.extend({ seal: sealSchema }),
  // UPL10: a number reserved and never issued, with the seal of its reserved-not-issued entry.
  unusedNumberSchema.extend({ seal: unusedSealSchema }),
]);
export type SealedDocument = z.infer<typeof sealedDocumentSchema>;

export const offlineSalesBatchSchema = z.strictObject({
  items: z.array(sealedDocumentSchema).min(1).max(MAX_BATCH_ITEMS),
});
export type OfflineSalesBatch = z.infer<typeof offlineSalesBatchSchema>;

export const ITEM_STATUSES = ['created', 'duplicate', 'conflict', 'rejected'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const ITEM_KINDS = ['invoice', 'credit-note', 'unused-number'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const itemResultSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(ITEM_KINDS),
  status: z.enum(ITEM_STATUSES),
  /** For conflict and rejected: a machine-readable reason. */
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type ItemResult = z.infer<typeof itemResultSchema>;

export const batchResultSchema = z.strictObject({
  results: z.array(itemResultSchema),
  summary: z.strictObject({
    created: z.int(),
    duplicate: z.int(),
    conflict: z.int(),
    rejected: z.int(),
  }),
});
export type BatchResult = z.infer<typeof batchResultSchema>;

/** A batch where no item could be stored answers 422 with this body. */
export const batchRejectedSchema = errorBodySchema.extend(batchResultSchema.shape);

/** What the cloud stores: an invoice, a credit-note request, or an unused number (UPL10). */
export const storedDocumentSchema = z.discriminatedUnion('kind', [
  invoiceSchema,
  creditNoteSchema,
  unusedNumberSchema,
]);
export type StoredDocument = z.infer<typeof storedDocumentSchema>;

/** DIAN1: where a stored invoice or credit note is in its transmission to the DIAN. */
export const DIAN_STATUSES = ['pending', 'transmitted', 'rejected'] as const;
export type DianStatus = (typeof DIAN_STATUSES)[number];

export const dianStateSchema = z.strictObject({
  status: z.enum(DIAN_STATUSES),
  /** SHA-384 (hex, 96 characters): the invoice's CUFE or the credit note's CUDE. */
  cufe: z
    .string()
    .regex(/^[0-9a-f]{96}$/)
    .optional(),
  transmittedAt: offsetDateTimeSchema.optional(),
  reason: z.string().max(300).optional(),
});
export type DianState = z.infer<typeof dianStateSchema>;

export const storedSaleSchema = z.strictObject({
  seq: z.int(),
  receivedAt: offsetDateTimeSchema,
  document: storedDocumentSchema,
  /** The seal it was uploaded with (null for documents stored before seals existed). */
  seal: z.union([sealSchema, unusedSealSchema]).nullable(),
  /** For an invoice: the id of the credit note that voided it, if any. */
  voidedBy: z.string().nullable(),
  /**
   * DIAN1: the transmission to the DIAN of an invoice or credit note (`pending`, `transmitted` with
   * its CUFE/CUDE, `rejected` with a reason); null for an unused number. Absent from clouds that
   * do not say.
   */
  dian: dianStateSchema.nullable().optional(),
});
export type StoredSale = z.infer<typeof storedSaleSchema>;

export const offlineSalesQuerySchema = z.strictObject({
  terminal: slugSchema.optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const offlineSalesPageSchema = z.strictObject({
  items: z.array(storedSaleSchema),
  nextCursor: z.string().nullable(),
});
export type OfflineSalesPage = z.infer<typeof offlineSalesPageSchema>;

/**
 * RNG3: the cloud's account of every range of the store, per terminal and resolution: numbers
 * issued (invoices), voided (of those, voided whole by a credit note), reported unused, and the
 * numbers missing between the range's start and the highest number accounted for.
 */
export const numberRunSchema = z.strictObject({ from: z.int(), to: z.int() });
export const rangeAccountSchema = z.strictObject({
  terminalId: slugSchema,
  prefix: prefixSchema,
  from: z.int(),
  to: z.int(),
  resolutionNumber: z.string(),
  validFrom: isoDateSchema,
  validUntil: isoDateSchema,
  issued: z.int(),
  voided: z.int(),
  unused: z.int(),
  /** The highest consecutive issued or reported unused, null when none. */
  last: z.int().nullable(),
  /** How many numbers are missing, and the first runs of them (at most 100 runs). */
  missingCount: z.int(),
  missing: z.array(numberRunSchema).max(100),
  /**
   * RNG5: the positions handed out in this range (one per installation of the terminal), each
   * with the highest number accounted for in it; numbers are missing only below that.
   */
  positions: z
    .array(
      z.strictObject({
        keyId: z.string(),
        from: z.int(),
        to: z.int(),
        last: z.int().nullable(),
        missingCount: z.int(),
      }),
    )
    .optional(),
});
export type RangeAccount = z.infer<typeof rangeAccountSchema>;
export const numberingAccountSchema = z.strictObject({
  storeId: slugSchema,
  at: offsetDateTimeSchema,
  ranges: z.array(rangeAccountSchema),
});
export type NumberingAccount = z.infer<typeof numberingAccountSchema>;

/** DIAN3, reference cloud only: the store's next document to be transmitted is rejected (demo). */
export const dianRejectNextSchema = z.strictObject({ reason: textSchema(3, 200) });

export const inventorySchema = z.array(z.strictObject({ sku: skuSchema, onHand: z.number() }));
export type Inventory = z.infer<typeof inventorySchema>;

export const pathParams = {
  store: z.strictObject({ storeId: slugSchema }),
  terminal: z.strictObject({ storeId: slugSchema, terminalId: slugSchema }),
  product: z.strictObject({ storeId: slugSchema, sku: skuSchema }),
  customer: z.strictObject({
    storeId: slugSchema,
    idType: z.enum(ID_TYPE_IDS),
    idNumber: z.string().regex(/^[A-Za-z0-9]{1,20}$/),
  }),
};

export { isoDateSchema };
