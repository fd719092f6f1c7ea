import { z } from 'zod';
import type { Sku } from './ids.js';
import type { ProductSnapshot } from './line.js';
import type { Money } from './money.js';
import { moneySchema, nameSchema, skuSchema, taxCodeSchema, unitSchema } from './schemas.js';

export const productSchema = z.strictObject({
  sku: skuSchema,
  barcode: z
    .string()
    .regex(/^\d{8,14}$/, 'EAN/UPC digits')
    .optional(),
  name: nameSchema,
  /** Price shown to the customer, taxes included, in pesos. */
  price: moneySchema,
  tax: taxCodeSchema,
  unit: unitSchema.default('unit'),
  category: nameSchema,
  active: z.boolean(),
});
export type Product = z.infer<typeof productSchema>;

export const catalogSchema = z.strictObject({
  version: z.string().min(1).max(64),
  products: z.array(productSchema).max(100_000),
});
export type Catalog = z.infer<typeof catalogSchema>;

export function productSnapshot(product: Product): ProductSnapshot {
  return {
    sku: product.sku as Sku,
    name: product.name,
    unitPrice: product.price as Money,
    tax: product.tax,
    unit: product.unit,
  };
}
