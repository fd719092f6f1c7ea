import type { PaymentRequest } from '../../src/domain/payment.js';
import { CATALOG } from '../../tests/support/invoices.js';

// Open-price products (OPN1, "Varios supermercado") need a price typed at the sale: left out.
const PRODUCTS = CATALOG.filter((p) => p.active && p.openPrice !== true);

export interface SaleRequest {
  readonly commandId: string;
  readonly lines: { sku: string; quantity: number }[];
  readonly payments: PaymentRequest[];
}

/**
 * A sale like a cashier's: one to six lines of demo products, weighed products by the gram, paid
 * in cash with change. The same body goes to POST /api/sales and to Cashbox.sell.
 */
export function randomSale(random: () => number, commandId: string): SaleRequest {
  const lineCount = 1 + Math.floor(random() * 6);
  const lines = Array.from({ length: lineCount }, () => {
    const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)] ?? PRODUCTS[0];
    if (!product) throw new Error('the demo catalog has no active product');
    const quantity =
      product.unit === 'kg' ? Math.round(200 + random() * 2000) / 1000 : 1 + Math.floor(random() * 3);
    return { sku: product.sku, quantity };
  });
  return { commandId, lines, payments: [{ method: 'cash', amount: 5_000_000 }] };
}
