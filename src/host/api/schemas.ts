import { z } from 'zod';
import { creditNoteConceptSchema, salesChannelSchema } from '../../domain/invoice.js';
import { customerSchema, paymentMethodSchema, skuSchema, textSchema } from '../../domain/schemas.js';

/** Bodies of the host's JSON API. Shapes only: the domain decides what the values mean. */
/**
 * CMD1: every command that records money or fiscal data names itself with an id the client makes
 * once per action and sends again on every retry; the host never makes one up.
 */
export const commandIdSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'commandId is required: an id made once per action (8–64 letters, digits, - and _) and sent again on every retry of it'
        : undefined,
  })
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _');

/** `userId` names who logs in (the screen always does); a PIN alone is matched against every user. */
export const sessionBodySchema = z.strictObject({
  pin: z.string().min(1).max(16),
  userId: z.string().min(1).max(40).optional(),
});

export const saleBodySchema = z.strictObject({
  commandId: commandIdSchema,
  lines: z
    .array(
      z.strictObject({
        sku: skuSchema,
        quantity: z.number(),
        discountPercent: z.number().optional(),
      }),
    )
    .min(1)
    .max(200),
  payments: z.array(z.strictObject({ method: z.string().max(30), amount: z.number() })).max(10),
  customer: customerSchema.optional(),
  tip: z.number().optional(),
  /** CHN1: mostrador (the default), mesa, llevar or domicilio. */
  channel: salesChannelSchema.optional(),
});
export type SaleBody = z.infer<typeof saleBodySchema>;

export const voidBodySchema = z.strictObject({
  reason: textSchema(3, 200),
  commandId: commandIdSchema,
  /** CRN1: the DIAN credit-note concept, "2" (anulación) by default. */
  concept: creditNoteConceptSchema.optional(),
  /** CRN2: all of it back through one means; by default each means gets back what it paid. */
  refund: z.strictObject({ method: paymentMethodSchema }).optional(),
});

const moneyInput = z.int().min(0).max(10_000_000_000);

export const openShiftBodySchema = z.strictObject({
  openingCash: moneyInput,
  commandId: commandIdSchema,
});
export const movementBodySchema = z.strictObject({
  type: z.enum(['in', 'out']),
  amount: moneyInput.min(1),
  reason: textSchema(1, 200),
  commandId: commandIdSchema,
});
export const closeShiftBodySchema = z.strictObject({
  countedCash: moneyInput,
  commandId: commandIdSchema,
  /** SHF6: why the count differs, required beyond the store's limit. */
  note: textSchema(3, 200).optional(),
});

/** RET1: a partial return (concept 1): which products come back, and how the money goes back. */
export const returnBodySchema = z.strictObject({
  commandId: commandIdSchema,
  reason: textSchema(3, 200),
  lines: z
    .array(z.strictObject({ sku: skuSchema, quantity: z.number() }))
    .min(1)
    .max(200),
  refund: z.strictObject({ method: paymentMethodSchema }),
});

export const reportQuerySchema = z.strictObject({
  countedCash: z.coerce.number().int().min(0).max(10_000_000_000).optional(),
});

export const invoiceQuerySchema = z.strictObject({
  terminal: z.string().max(40).optional(),
  shift: z.string().max(64).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  cursor: z.string().max(20).regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** CUS5: a directory search, by identification number or name. */
export const customerQuerySchema = z.strictObject({
  q: z.string().max(60).default(''),
  limit: z.coerce.number().int().min(1).max(50).optional(),
});

export const receiptQuerySchema = z.strictObject({
  format: z.enum(['html', 'text']).default('html'),
  width: z.coerce
    .number()
    .int()
    .refine((w) => w === 42 || w === 48, 'width is 42 or 48')
    .default(42),
});
