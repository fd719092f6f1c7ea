import { z } from 'zod';
import { EPISODE_ID } from '../domain/episode.js';
import { printerSettingsShape, stationSchema } from '../domain/printer.js';
import { saleDraftSchema } from '../domain/sale-draft.js';
import { creditNoteConceptSchema, salesChannelSchema } from '../domain/invoice.js';
import {
  customerSchema,
  nameSchema,
  paymentMethodSchema,
  skuSchema,
  slugSchema,
  textSchema,
} from '../domain/schemas.js';

/**
 * The host's HTTP API, what a client sends: every body, query and path parameter as a zod schema
 * the host parses with (`parseOr400`), and their types. What the host answers is typed in
 * host-answers.ts (re-exported here); the reasons it refuses with in reasons.ts.
 */
export type * from './host-answers.js';

/**
 * The terminal host's JSON API (README, "The terminal's JSON API"): the bodies, queries and path
 * parameters the host parses (src/host/api), and the answers it gives, which the host's handlers
 * are annotated with and the screen imports type-only (src/ui/api). Shapes only: the domain
 * decides what the values mean. Reasons and their HTTP status: ./reasons.ts.
 */
export type { Reason } from './reasons.js';

// ---------------------------------------------------------------------------------------------
// Requests

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

/** PRN1: POST /api/printers (PATCH takes any part of it). */
export const printerBodySchema = z.strictObject(printerSettingsShape);
export const printerPatchSchema = printerBodySchema.partial();
export const printerParamsSchema = z.strictObject({ id: slugSchema });
/** PRN1: PUT /api/stations/{stationId}. */
export const stationBodySchema = stationSchema.omit({ id: true });
export const stationParamsSchema = z.strictObject({ stationId: slugSchema });
/** PRN5: POST /api/print-jobs/{id}/redirect. */
export const redirectJobBodySchema = z.strictObject({ printerId: slugSchema });
export const printJobParamsSchema = z.strictObject({ id: z.uuid() });
/** PRN7: POST /api/drawer/open ("Abrir cajón", manager). */
export const openDrawerBodySchema = z.strictObject({
  commandId: z.string().min(8).max(64),
  reason: textSchema(0, 200).default(''),
});
/** POST /api/print: a document of the screen's printed by the receipt printer (pre-bill, report). */
export const printTextBodySchema = z.strictObject({
  kind: z.enum(['prebill', 'report']),
  title: textSchema(1, 120),
  /** The document as text, laid out at the printer's width by the screen (GET …?format=text&width=). */
  text: z.string().max(100_000),
});

/** SCL3: POST /api/catalog/scan — a code as the scanner typed it (barcode, SKU or scale label). */
export const scanBodySchema = z.strictObject({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9._-]+$/, 'a barcode, SKU or label'),
});

/** `userId` names who logs in (the screen always does); a PIN alone is matched against every user. */
export const sessionBodySchema = z.strictObject({
  pin: z.string().min(1).max(16),
  userId: z.string().min(1).max(40).optional(),
});

/** DRF1: PUT /api/cart — the sale in progress as the screen has it (null: none). */
export const cartBodySchema = z.strictObject({ draft: saleDraftSchema.nullable() });
/** DRF2: POST /api/parked-sales — this draft, or (without one) the terminal's stored cart. */
export const parkBodySchema = z.strictObject({
  draft: saleDraftSchema.optional(),
  /** Whose sale it is, when not the one parking it (a cart left by a session that ended). */
  ownerId: z.string().min(1).max(40).optional(),
});
/** POST /api/session/elevate: a manager's PIN checked for one action (PIN4), naming the manager or not. */
export const elevateBodySchema = sessionBodySchema;

export const saleBodySchema = z.strictObject({
  commandId: commandIdSchema,
  lines: z
    .array(
      z.strictObject({
        sku: skuSchema,
        quantity: z.number(),
        discountPercent: z.number().optional(),
        /** OPN1: the unit price typed at the sale, only on a line of an open-price product. */
        unitPrice: z.number().optional(),
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

const receiptWidth = z.coerce
  .number()
  .int()
  .refine((w) => w === 42 || w === 48, 'width is 42 or 48')
  .default(42);

export const receiptQuerySchema = z.strictObject({
  format: z.enum(['html', 'text']).default('html'),
  width: receiptWidth,
});

/** EPI5: why the store sells offline while the cloud answers ("el sistema en línea no factura"). */
export const authorizeBodySchema = z.strictObject({ reason: z.string().trim().min(3).max(200) });

/** EPI4: a contingency episode's report, as JSON, HTML or 42/48-column text. */
export const contingencyReportQuerySchema = z.strictObject({
  format: z.enum(['json', 'html', 'text']).default('json'),
  width: receiptWidth,
});

/** Path parameters. */
export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const shiftParamsSchema = z.strictObject({ shiftId: z.string().min(1).max(64) });
export const episodeParamsSchema = z.strictObject({ id: z.string().regex(EPISODE_ID) });
export const tableParamsSchema = z.strictObject({ tableId: slugSchema });
export const areaParamsSchema = z.strictObject({ areaId: slugSchema });
export const lineParamsSchema = z.strictObject({ tableId: slugSchema, lineId: z.string().min(1).max(64) });

const floorPayment = z.strictObject({ method: z.string().max(30), amount: z.number() });

/** The restaurant floor's bodies (comedores). */
export const floorBodySchemas = {
  open: z.strictObject({ diners: z.int().min(0).max(200) }),
  line: z.strictObject({
    commandId: commandIdSchema,
    sku: skuSchema,
    quantity: z.number(),
    note: textSchema(0, 200).optional(),
    orderId: z.string().max(64).optional(),
  }),
  change: z.strictObject({
    commandId: commandIdSchema,
    delta: z.number().optional(),
    note: textSchema(0, 200).optional(),
  }),
  /** CMD3: a DELETE names its command in a JSON body too (fetch and the screen's client send one). */
  remove: z.strictObject({ commandId: commandIdSchema }),
  cancel: z.strictObject({
    commandId: commandIdSchema,
    quantity: z.number(),
    reason: textSchema(3, 200),
  }),
  move: z.strictObject({ to: slugSchema }),
  addTable: z.strictObject({ name: nameSchema.max(40), seats: z.int().min(1).max(50) }),
  updateTable: z
    .strictObject({ name: nameSchema.max(40).optional(), seats: z.int().min(1).max(50).optional() })
    .refine((b) => b.name !== undefined || b.seats !== undefined, 'name or seats'),
  merge: z.strictObject({ from: slugSchema }),
  bill: z.strictObject({ tip: z.int().min(0).optional() }),
  close: z.strictObject({
    commandId: commandIdSchema,
    payments: z.union([z.array(floorPayment).max(10), z.array(z.array(floorPayment).max(10)).max(20)]),
    tip: z.number().optional(),
    customer: customerSchema.optional(),
    split: z
      .discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('lines'),
          parts: z
            .array(
              z
                .array(
                  z.union([
                    z.string().max(64),
                    z.strictObject({ lineId: z.string().min(1).max(64), quantity: z.number() }),
                  ]),
                )
                .max(200),
            )
            .min(1)
            .max(20),
        }),
        z.strictObject({ kind: z.literal('equal'), parts: z.int() }),
      ])
      .optional(),
  }),
};

/** What a client sends: the schema's input, read-only all the way down (a body is never mutated). */
export type Body<S extends z.ZodType> = DeepReadonly<z.input<S>>;
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type SaleBody = Body<typeof saleBodySchema>;
export type PrinterBody = Body<typeof printerBodySchema>;
export type PrinterPatch = Body<typeof printerPatchSchema>;
export type StationBody = Body<typeof stationBodySchema>;
export type ScanBody = Body<typeof scanBodySchema>;
export type VoidBody = Body<typeof voidBodySchema>;
export type ReturnBody = Body<typeof returnBodySchema>;
export type MovementBody = Body<typeof movementBodySchema>;
export type CloseTableBody = Body<typeof floorBodySchemas.close>;
export type AddTableBody = Body<typeof floorBodySchemas.addTable>;
export type UpdateTableBody = Body<typeof floorBodySchemas.updateTable>;
export type AddLineBody = Body<typeof floorBodySchemas.line>;
export type ChangeLineBody = Body<typeof floorBodySchemas.change>;
export type CancelLineBody = Body<typeof floorBodySchemas.cancel>;
