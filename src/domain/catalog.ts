import { z } from 'zod';
import type { Sku } from './ids.js';
import type { ProductSnapshot } from './line.js';
import type { Money } from './money.js';
import { moneySchema, nameSchema, skuSchema, taxCodeSchema, unitSchema } from './schemas.js';
import {
  DEFAULT_FISCAL_SETTINGS,
  priceInChannel,
  type RestaurantRegime,
  type SalesChannel,
} from './channel.js';

/** A channel's own price and/or tax for a product (CHN3). */
export const channelTermsSchema = z.strictObject({
  price: moneySchema.optional(),
  tax: taxCodeSchema.optional(),
});

export const productSchema = z.strictObject({
  sku: skuSchema,
  barcode: z
    .string()
    .regex(/^\d{8,14}$/, 'EAN/UPC digits')
    .optional(),
  /** SCL2: the PLU a scale prints on this product's labels (products sold by weight). */
  plu: z
    .string()
    .regex(/^\d{4,6}$/, 'PLU digits')
    .optional(),
  name: nameSchema,
  /** Price shown to the customer, taxes included, in pesos. */
  price: moneySchema,
  tax: taxCodeSchema,
  unit: unitSchema.default('unit'),
  category: nameSchema,
  active: z.boolean(),
  /** Sold as part of the restaurant's service in the restaurant channels (CHN2). */
  restaurant: z.boolean().optional(),
  /** OPN1: its price is typed at the sale ("Varios"); `price` is then only a placeholder. */
  openPrice: z.boolean().optional(),
  /** Price and tax per sales channel, where they differ from the product's own (CHN3). */
  channels: z
    .strictObject({
      mostrador: channelTermsSchema.optional(),
      mesa: channelTermsSchema.optional(),
      llevar: channelTermsSchema.optional(),
      domicilio: channelTermsSchema.optional(),
    })
    .optional(),
});
export type Product = z.infer<typeof productSchema>;

export const catalogSchema = z.strictObject({
  version: z.string().min(1).max(64),
  products: z.array(productSchema).max(100_000),
});
export type Catalog = z.infer<typeof catalogSchema>;

/** What a line copies from the catalog: the product as sold in `channel` (CHN2–CHN3, LINE3). */
export function productSnapshot(
  product: Product,
  channel: SalesChannel = 'mostrador',
  regime: RestaurantRegime = DEFAULT_FISCAL_SETTINGS.restaurantRegime,
): ProductSnapshot {
  const priced = priceInChannel(product, channel, regime);
  return {
    sku: product.sku as Sku,
    name: product.name,
    unitPrice: priced.unitPrice as Money,
    tax: priced.tax,
    unit: product.unit,
    channel,
    restaurant: priced.restaurant,
  };
}
