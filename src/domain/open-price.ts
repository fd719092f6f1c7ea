import type { Product } from './catalog.js';
import { err, ok, type Result } from './result.js';

/**
 * OPN1–OPN2: products whose price the cashier types at the sale ("Varios supermercado"): the
 * catalog's price of such a product is only a placeholder; a line of it carries its own unit
 * price, and no other line does.
 */
export type OpenPriceReason = 'price-not-open' | 'invalid-open-price';

/** The most a typed price may be: beyond it a slip of the finger (an extra 000) is likelier than a sale. */
export const MAX_OPEN_PRICE = 5_000_000;

/** Whether a typed unit price is acceptable for an open-price line: whole pesos, 1 … MAX_OPEN_PRICE. */
export function isValidOpenPrice(price: number | undefined): price is number {
  return price !== undefined && Number.isSafeInteger(price) && price >= 1 && price <= MAX_OPEN_PRICE;
}

/**
 * OPN1: the product as this line sells it. A line of an open-price product must carry its unit
 * price (OPN2 bounds it); a line of any other product must not. The price typed replaces the
 * catalog's in every channel.
 */
export function productAtPrice(
  product: Product,
  unitPrice: number | undefined,
): Result<Product, OpenPriceReason> {
  if (product.openPrice !== true) {
    return unitPrice === undefined
      ? ok(product)
      : err(
          'price-not-open',
          `${product.sku} is sold at its catalog price; a line of it carries no unitPrice`,
        );
  }
  if (!isValidOpenPrice(unitPrice)) {
    return err(
      'invalid-open-price',
      `${product.sku} is sold at a price typed at the sale: unitPrice must be whole pesos from 1 to ${MAX_OPEN_PRICE}`,
    );
  }
  const { channels: _channels, ...rest } = product;
  return ok({ ...rest, price: unitPrice });
}
