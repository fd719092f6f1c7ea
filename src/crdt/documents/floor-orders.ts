import { z } from 'zod';
import {
  moneySchema,
  nameSchema,
  offsetDateTimeSchema,
  personRefSchema,
  skuSchema,
  slugSchema,
  taxCodeSchema,
  textSchema,
  unitSchema,
} from '../../domain/schemas.js';
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * Open orders of the restaurant floor (comedores), edited by every terminal at once. The layout
 * makes concurrent edits merge the way a waiter expects:
 *   orders[<orderId>]           one map per order, created by the terminal that opens it (its id
 *                               is a UUID, so two terminals never create the same order map)
 *     tableId, diners, billAt   scalars: moving the order or changing diners is last-writer-wins
 *     lines[<lineId>]           one map per line, added, never overwritten
 *       quantity                an automerge Counter in thousandths: concurrent changes add up
 *       sentAt                  set once by "Enviar a cocina"
 *     cancellations[<id>]       immutable: reductions of sent lines (manager, with a reason)
 *     changes[<commandId>]      immutable: each change of a line (quantity, note, removal), the
 *                               record that makes a retried change apply once (CMD3); created
 *                               with the order (older orders get it with their first change)
 *     sends[<id>]               immutable: each kitchen ticket (comanda) and what it carried
 *     closes[<id>]              immutable: each close and the invoices it issued; two closes of
 *                               one order (a LAN split) are a double charge to resolve
 *     mergedInto                set when the order was merged into another
 */
export const orderLineSchema = z.strictObject({
  sku: skuSchema,
  name: nameSchema,
  unit: unitSchema,
  unitPrice: moneySchema,
  tax: taxCodeSchema,
  quantityMilli: z.int(),
  note: textSchema(0, 200),
  addedBy: personRefSchema,
  addedAt: offsetDateTimeSchema,
  addedOn: slugSchema,
  sentAt: offsetDateTimeSchema.nullable(),
});
export type OrderLine = z.infer<typeof orderLineSchema> & { readonly id: string };

export const cancellationSchema = z.strictObject({
  lineId: z.string().min(1).max(64),
  quantityMilli: z.int().min(1),
  reason: textSchema(3, 200),
  by: personRefSchema,
  at: offsetDateTimeSchema,
});
export type Cancellation = z.infer<typeof cancellationSchema> & { readonly id: string };

/** CMD3: a change of a line, keyed by its commandId: what it asked (a delta, a note, a removal). */
export const lineChangeSchema = z.strictObject({
  lineId: z.string().min(1).max(64),
  /** The quantity change in thousandths, or null when the quantity was not changed. */
  deltaMilli: z.int().nullable(),
  note: textSchema(0, 200).nullable(),
  remove: z.boolean(),
  by: personRefSchema,
  at: offsetDateTimeSchema,
});
export type LineChange = z.infer<typeof lineChangeSchema> & { readonly id: string };

export const sendSchema = z.strictObject({
  at: offsetDateTimeSchema,
  by: personRefSchema,
  terminalId: slugSchema,
  lines: z.array(z.strictObject({ lineId: z.string().max(64), quantityMilli: z.int() })).max(500),
  cancellationIds: z.array(z.string().max(64)).max(500),
});
export type KitchenSend = z.infer<typeof sendSchema> & { readonly id: string };

export const closeSchema = z.strictObject({
  at: offsetDateTimeSchema,
  by: personRefSchema,
  terminalId: slugSchema,
  commandId: z.string().max(64),
  invoiceIds: z.array(z.uuid()).min(1).max(50),
  invoiceNumbers: z.array(z.string().max(16)).min(1).max(50),
});
export type OrderClose = z.infer<typeof closeSchema> & { readonly id: string };

export interface Order {
  readonly id: string;
  readonly tableId: string;
  readonly diners: number;
  readonly waiter: { id: string; name: string };
  readonly openedAt: string;
  readonly openedOn: string;
  readonly billAt: string | null;
  /** FLR7: the tip the customers chose when the pre-bill was printed (any terminal's close proposes it). */
  readonly billTip: number | null;
  readonly mergedInto: string | null;
  readonly lines: readonly OrderLine[];
  readonly cancellations: readonly Cancellation[];
  /** CMD3: the changes made to its lines, each keyed by its commandId. */
  readonly changes: readonly LineChange[];
  readonly sends: readonly KitchenSend[];
  readonly closes: readonly OrderClose[];
}

const headerSchema = z.object({
  tableId: slugSchema,
  diners: z.int().min(0).max(200),
  waiter: z.unknown(),
  openedAt: offsetDateTimeSchema,
  openedOn: slugSchema,
});

function counterValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { value?: unknown }).value === 'number'
  ) {
    return (value as { value: number }).value;
  }
  return undefined;
}

function readImmutables<T>(
  map: unknown,
  schema: z.ZodType<T>,
  path: string,
  quarantined: Omit<QuarantinedItem, 'document'>[],
): (T & { id: string })[] {
  const out: (T & { id: string })[] = [];
  if (!isRecord(map)) return out;
  for (const [id, value] of Object.entries(map)) {
    const json = immutableJson(value);
    const parsed = json.ok ? schema.safeParse(json.value) : undefined;
    if (parsed?.success) out.push({ ...parsed.data, id });
    else quarantined.push({ path: `${path}/${id}`, reason: json.ok ? 'invalid-value' : json.reason });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Read one order; a broken line or record skips only itself, a broken header the order. */
export function readOrder(
  id: string,
  raw: unknown,
  quarantined: Omit<QuarantinedItem, 'document'>[],
): Order | undefined {
  const path = `orders/${id}`;
  if (!isRecord(raw)) {
    quarantined.push({ path, reason: 'invalid-order' });
    return undefined;
  }
  const header = headerSchema.safeParse(raw);
  const waiterJson = immutableJson(raw.waiter);
  const waiter = waiterJson.ok ? personRefSchema.safeParse(waiterJson.value) : undefined;
  if (!header.success || !waiter?.success) {
    quarantined.push({ path, reason: 'invalid-order' });
    return undefined;
  }
  const lines: OrderLine[] = [];
  const rawLines = isRecord(raw.lines) ? raw.lines : {};
  for (const [lineId, line] of Object.entries(rawLines)) {
    if (!isRecord(line)) {
      quarantined.push({ path: `${path}/lines/${lineId}`, reason: 'invalid-line' });
      continue;
    }
    const { quantity, addedBy, sentAt, ...rest } = line;
    const addedByJson = immutableJson(addedBy);
    const parsed = orderLineSchema.safeParse({
      ...rest,
      quantityMilli: counterValue(quantity),
      addedBy: addedByJson.ok ? addedByJson.value : undefined,
      sentAt: sentAt ?? null,
    });
    if (parsed.success) lines.push({ ...parsed.data, id: lineId });
    else quarantined.push({ path: `${path}/lines/${lineId}`, reason: 'invalid-line' });
  }
  lines.sort((a, b) => (a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : a.id < b.id ? -1 : 1));
  return {
    id,
    tableId: header.data.tableId,
    diners: header.data.diners,
    waiter: waiter.data,
    openedAt: header.data.openedAt,
    openedOn: header.data.openedOn,
    billAt: typeof raw.billAt === 'string' ? raw.billAt : null,
    billTip:
      typeof raw.billTip === 'number' && Number.isSafeInteger(raw.billTip) && raw.billTip >= 0
        ? raw.billTip
        : null,
    mergedInto: typeof raw.mergedInto === 'string' ? raw.mergedInto : null,
    lines,
    cancellations: readImmutables(
      raw.cancellations,
      cancellationSchema,
      `${path}/cancellations`,
      quarantined,
    ),
    changes: readImmutables(raw.changes, lineChangeSchema, `${path}/changes`, quarantined),
    sends: readImmutables(raw.sends, sendSchema, `${path}/sends`, quarantined),
    closes: readImmutables(raw.closes, closeSchema, `${path}/closes`, quarantined),
  };
}
