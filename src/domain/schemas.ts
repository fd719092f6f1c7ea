import { z } from 'zod';
import { FISCAL_RESPONSIBILITY_IDS, ID_TYPE_IDS, PERSON_TYPES } from './customer.js';
import { PREFIX_PATTERN, SKU_PATTERN, SLUG_PATTERN } from './ids.js';
import { PAYMENT_METHOD_IDS } from './payment.js';
import { UNITS } from './quantity.js';
import { INVALID_TEXT, isSafeText } from './text.js';
import { TAX_CODES } from './tax.js';

/**
 * Building blocks shared by every schema that crosses a boundary (cloud API, host API, documents
 * from LAN peers). One schema library (zod) parses all untrusted data.
 */

/** Largest amount of one document: a sanity bound far above any real sale (10 000 millones). */
export const MAX_AMOUNT = 10_000_000_000;

export const moneySchema = z.int().min(0).max(MAX_AMOUNT);
export const slugSchema = z.string().regex(SLUG_PATTERN, 'lowercase letters, digits and dashes');
export const prefixSchema = z.string().regex(PREFIX_PATTERN, 'one to four capital letters or digits');
export const skuSchema = z.string().regex(SKU_PATTERN, 'letters, digits, dot, dash or underscore');
export const taxCodeSchema = z.enum(TAX_CODES);
export const unitSchema = z.enum(UNITS);
export const paymentMethodSchema = z.enum(PAYMENT_METHOD_IDS);
export const isoDateSchema = z.iso.date();
/** ISO 8601 with an explicit offset, as the invoice prints it (America/Bogota: -05:00). */
export const offsetDateTimeSchema = z.iso.datetime({ offset: true });
export const uuidSchema = z.uuid();
/**
 * Free text people type: trimmed, bounded, and without control characters (TXT1). A refusal is
 * the machine-readable reason `invalid-text` (see parseOr400).
 */
export function textSchema(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine(isSafeText, {
      error: 'control characters are not allowed in text',
      params: { reason: INVALID_TEXT },
    });
}

export const nameSchema = textSchema(1, 120);

export const customerSchema = z.strictObject({
  idType: z.enum(ID_TYPE_IDS),
  idNumber: textSchema(1, 20),
  checkDigit: z.int().min(0).max(9).optional(),
  name: nameSchema,
  email: z.email().optional(),
  /** CUS4: what the electronic invoice needs of an identified buyer. */
  personType: z.enum(PERSON_TYPES).optional(),
  responsibilities: z.array(z.enum(FISCAL_RESPONSIBILITY_IDS)).min(1).max(5).optional(),
  address: z
    .strictObject({
      line: textSchema(3, 120),
      municipalityCode: z.string().regex(/^\d{5}$/, 'the 5-digit DIVIPOLA code'),
      municipality: textSchema(2, 60).optional(),
    })
    .optional(),
});

export const personRefSchema = z.strictObject({ id: slugSchema, name: nameSchema });

export const numberingSchema = z
  .strictObject({
    prefix: prefixSchema,
    from: z.int().min(0).max(999_999_999),
    to: z.int().min(0).max(999_999_999),
    resolutionNumber: z.string().regex(/^\d{1,20}$/),
    resolutionDate: isoDateSchema,
    validFrom: isoDateSchema,
    validUntil: isoDateSchema,
  })
  .refine((r) => r.from <= r.to, { error: 'from must not exceed to', path: ['to'] })
  .refine((r) => r.validFrom <= r.validUntil, {
    error: 'validFrom must not be after validUntil',
    path: ['validUntil'],
  });

export type Numbering = z.infer<typeof numberingSchema>;
