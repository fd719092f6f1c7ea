import { z } from 'zod';
import { creditNoteSchema, invoiceSchema } from './invoice.js';
import { sealFields } from './seal.js';
import {
  moneySchema,
  offsetDateTimeSchema,
  personRefSchema,
  prefixSchema,
  slugSchema,
  textSchema,
} from './schemas.js';

/**
 * The fiscal record: one entry of a terminal's journal — an invoice, a credit-note request, a
 * number reserved and never issued, a shift opened or closed, a cash movement, the drawer opened. Signed by its
 * terminal and chained to its previous entry (seal.ts); never edited. The journal documents
 * (src/crdt/documents/journal-doc.ts) store it, the fiscal log keeps it, the ledger writes it.
 */
/** Every entry is signed by its terminal and chained to the terminal's previous entry (seal.ts). */
const base = {
  seq: z.int().min(1),
  terminalId: slugSchema,
  at: offsetDateTimeSchema,
  ...sealFields,
};
const commandId = z.string().min(8).max(64);

export const journalEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('invoice'), ...base, commandId, invoice: invoiceSchema }),
  z.strictObject({ kind: z.literal('credit-note'), ...base, commandId, creditNote: creditNoteSchema }),
  z.strictObject({
    kind: z.literal('reserved-not-issued'),
    ...base,
    prefix: prefixSchema,
    consecutive: z.int().min(0),
    number: z.string().max(16),
    reason: textSchema(0, 200),
  }),
  z.strictObject({
    kind: z.literal('shift-opened'),
    ...base,
    commandId,
    shiftId: z.string().min(1).max(64),
    openedBy: personRefSchema,
    openingCash: moneySchema,
  }),
  z.strictObject({
    kind: z.literal('cash-movement'),
    ...base,
    commandId,
    shiftId: z.string().min(1).max(64),
    type: z.enum(['in', 'out']),
    amount: moneySchema.min(1),
    reason: textSchema(1, 200),
    by: personRefSchema,
  }),
  z.strictObject({
    // PRN7: "Abrir cajón" outside a cash payment: who opened the drawer, when, and why.
    kind: z.literal('drawer-opened'),
    ...base,
    commandId,
    shiftId: z.string().min(1).max(64),
    by: personRefSchema,
    reason: textSchema(0, 200),
  }),
  z.strictObject({
    kind: z.literal('shift-closed'),
    ...base,
    commandId,
    shiftId: z.string().min(1).max(64),
    closedBy: personRefSchema,
    countedCash: moneySchema,
    expectedCash: moneySchema,
    /** SHF6: why the count differs, when it differs beyond the store's limit. */
    note: textSchema(3, 200).optional(),
  }),
]);
export type JournalEntry = z.infer<typeof journalEntrySchema>;
