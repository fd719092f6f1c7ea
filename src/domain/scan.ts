import type { Product } from './catalog.js';
import { err, ok, type Result } from './result.js';
import { readScaleLabel, type ScaleLabelLayout } from './scale-label.js';

/**
 * SCL3: what a scanned code adds to a sale. A product's own barcode (or its SKU typed) adds one
 * step of it; a scale label adds the product whose PLU it carries, by the weight printed (kg), or
 * by the price printed (the quantity that price buys, to the gram). Pure.
 */
export interface Scanned {
  readonly product: Product;
  /** In the product's unit (kg for a weight label); absent: one step (QTY4). */
  readonly quantity?: number;
  /** Pesos, when the label carried the price. */
  readonly amount?: number;
}

export type ScanReason = 'unknown-code' | 'bad-check-digit';

export function scanCode(
  code: string,
  products: Iterable<Product>,
  layout: ScaleLabelLayout,
): Result<Scanned, ScanReason> {
  const list = [...products];
  const byBarcode = list.find((p) => p.barcode !== undefined && p.barcode === code);
  if (byBarcode) return ok({ product: byBarcode });
  const bySku = list.find((p) => p.sku === code);
  if (bySku) return ok({ product: bySku });
  const label = readScaleLabel(code, layout);
  if (!label.ok) {
    return label.reason === 'bad-check-digit'
      ? err('bad-check-digit', label.message)
      : err('unknown-code', `no product has the code ${code}`);
  }
  const plu = Number(label.value.plu);
  const product = list.find((p) => p.plu !== undefined && Number(p.plu) === plu);
  if (!product) return err('unknown-code', `no product has the PLU ${label.value.plu} (label ${code})`);
  const { grams, price } = label.value;
  if (grams !== undefined) {
    if (grams <= 0) return err('unknown-code', `the label ${code} weighs nothing`);
    return ok({
      product,
      quantity: product.unit === 'kg' ? grams / 1000 : Math.max(1, Math.round(grams / 1000)),
    });
  }
  if (price === undefined || price <= 0 || product.price <= 0)
    return err('unknown-code', `the label ${code} carries no price`);
  const milli = Math.max(1, Math.round((price * 1000) / product.price));
  return ok({ product, quantity: milli / 1000, amount: price });
}
