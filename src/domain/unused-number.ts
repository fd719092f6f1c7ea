import { z } from 'zod';
import { prefixSchema, offsetDateTimeSchema, slugSchema, textSchema } from './schemas.js';
import { sealFields } from './seal.js';

/**
 * UPL10: a number of a terminal's range that was reserved and never issued (a crash or a failed
 * write between reservation and commit, NUM4) goes to the cloud as its own document, so the cloud
 * can account for every number of the range: issued, voided, or reported unused. It is the
 * terminal's `reserved-not-issued` journal entry, under a name of the cloud's contract.
 */
export const unusedNumberSchema = z.strictObject({
  kind: z.literal('unused-number'),
  /** `unused-{prefix}-{consecutive}`: one per number, whoever uploads it and however often. */
  id: z.string().regex(/^unused-[A-Z0-9]{1,4}-\d{1,12}$/),
  terminalId: slugSchema,
  prefix: prefixSchema,
  consecutive: z.int().min(0),
  number: z.string().max(16),
  /** When the terminal recorded it as not issued. */
  at: offsetDateTimeSchema,
  reason: textSchema(0, 200),
});
export type UnusedNumber = z.infer<typeof unusedNumberSchema>;

/** The seal of a reserved-not-issued entry: as an invoice's, without a command (none made it). */
export const unusedSealSchema = z.strictObject({
  seq: z.int().min(1),
  terminalId: slugSchema,
  at: offsetDateTimeSchema,
  ...sealFields,
});
export type UnusedSeal = z.infer<typeof unusedSealSchema>;

export function unusedNumberId(prefix: string, consecutive: number): string {
  return `unused-${prefix}-${consecutive}`;
}

/** The fields of a reserved-not-issued journal entry. */
export interface ReservedEntry {
  readonly kind: 'reserved-not-issued';
  readonly seq: number;
  readonly terminalId: string;
  readonly at: string;
  readonly prefix: string;
  readonly consecutive: number;
  readonly number: string;
  readonly reason: string;
  readonly prev: string;
  readonly keyId: string;
  readonly sig: string;
  readonly req?: string | undefined;
}

/** The document and seal that stand for a reserved-not-issued entry (inverse of `entryOfUnused`). */
export function unusedOfEntry(entry: ReservedEntry): { document: UnusedNumber; seal: UnusedSeal } {
  return {
    document: {
      kind: 'unused-number',
      id: unusedNumberId(entry.prefix, entry.consecutive),
      terminalId: entry.terminalId,
      prefix: entry.prefix,
      consecutive: entry.consecutive,
      number: entry.number,
      at: entry.at,
      reason: entry.reason,
    },
    seal: {
      seq: entry.seq,
      terminalId: entry.terminalId,
      at: entry.at,
      prev: entry.prev,
      keyId: entry.keyId,
      sig: entry.sig,
      ...(entry.req === undefined ? {} : { req: entry.req }),
    },
  };
}

/** The journal entry an unused-number document and its seal stand for (the cloud verifies it). */
export function entryOfUnused(document: UnusedNumber, seal: UnusedSeal): Record<string, unknown> {
  return {
    ...seal,
    kind: 'reserved-not-issued',
    prefix: document.prefix,
    consecutive: document.consecutive,
    number: document.number,
    reason: document.reason,
  };
}
