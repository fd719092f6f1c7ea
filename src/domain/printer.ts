import { z } from 'zod';
import { nameSchema, skuSchema, slugSchema } from './schemas.js';

/**
 * PRN1: the store's printers and kitchen/bar stations. A printer is reached over the LAN (raw TCP,
 * usually port 9100), through a device file (a USB or serial printer, e.g. /dev/usb/lp0) or a CUPS
 * queue in raw mode. A receipt printer belongs to one terminal; a station's printer is reached by
 * whichever terminal sends a comanda. Products go to the station of their SKU, else of their
 * category (`stationOf`).
 */

export const PRINTER_COLUMNS = [32, 42, 48] as const;
export const PRINT_MODES = ['automatic', 'ask', 'never'] as const;
/** Code pages that print Spanish (ñ, á, ¿, ¡); cp858 is cp850 with the euro sign. */
export const CODEPAGES = ['cp858', 'cp850', 'cp437', 'windows1252'] as const;

const hostSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$/, 'a host name or an IP address');

/** An absolute path without `..` or control characters: what names a device file. */
const devicePathSchema = z
  .string()
  .max(200)
  .regex(/^\/[A-Za-z0-9_.\-/]+$/, 'an absolute path such as /dev/usb/lp0')
  .refine((p) => !p.split('/').includes('..'), { error: 'a device path has no ".." in it' });

export const printerConnectionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('tcp'),
    host: hostSchema,
    port: z.int().min(1).max(65_535).default(9100),
  }),
  z.strictObject({ type: z.literal('device'), path: devicePathSchema }),
  z.strictObject({
    type: z.literal('cups'),
    queue: z.string().regex(/^[A-Za-z0-9_.-]{1,127}$/, 'a CUPS queue name'),
  }),
]);
export type PrinterConnection = z.infer<typeof printerConnectionSchema>;

/** What a manager sets on a printer (the API body and the document's value, without id/owner). */
export const printerSettingsShape = {
  name: nameSchema,
  role: z.enum(['receipt', 'station']),
  connection: printerConnectionSchema,
  columns: z.union([z.literal(32), z.literal(42), z.literal(48)]),
  /** Receipt printers: print after each sale (automatic, the default), ask first, or never. */
  printMode: z.enum(PRINT_MODES).optional(),
  /** Receipt printers: copies of each receipt (1 by default). */
  copies: z.int().min(1).max(5).optional(),
  codepage: z.enum(CODEPAGES).optional(),
};

export const printerSchema = z.strictObject({
  id: slugSchema,
  ...printerSettingsShape,
  /** The terminal a receipt printer belongs to. */
  terminalId: slugSchema.optional(),
});
export type Printer = z.infer<typeof printerSchema>;

export const stationSchema = z.strictObject({
  id: slugSchema,
  name: nameSchema,
  printerId: slugSchema,
  categories: z.array(nameSchema).max(200),
  // One immutable value in the shared document (at most 64 KB): a few thousand SKUs.
  skus: z.array(skuSchema).max(2_000),
});
export type Station = z.infer<typeof stationSchema>;

/** The station a product goes to: the one naming its SKU, else the one naming its category. */
export function stationOf(
  stations: readonly Station[],
  product: { readonly sku: string; readonly category?: string | undefined },
): Station | undefined {
  const bySku = stations.find((s) => s.skus.includes(product.sku));
  if (bySku) return bySku;
  const category = product.category;
  return category === undefined ? undefined : stations.find((s) => s.categories.includes(category));
}

/** The terminal's receipt printer, if a manager configured one. */
export function receiptPrinterOf(printers: readonly Printer[], terminalId: string): Printer | undefined {
  return printers.find((p) => p.role === 'receipt' && p.terminalId === terminalId);
}
