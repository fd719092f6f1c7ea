import type { Sku } from './ids.js';
import { divRoundHalfUp, money, subMoney, type Money } from './money.js';
import { parseQuantity, type QuantityMilli, type QuantityReason, type SaleUnit } from './quantity.js';
import { err, ok, type Result } from './result.js';
import { splitTaxIncluded, type TaxCode } from './tax.js';

/** What the catalog says about a product at the moment of sale; copied into the invoice. */
export interface ProductSnapshot {
  readonly sku: Sku;
  readonly name: string;
  readonly unitPrice: Money;
  readonly tax: TaxCode;
  readonly unit: SaleUnit;
}

export interface LineRequest {
  readonly quantity: number;
  /** A share of a bill split in equal parts: fractions of a unit allowed (QTY3). */
  readonly shared?: boolean | undefined;
  /** Percentage with at most two decimals, 0–100. */
  readonly discountPercent?: number | undefined;
}

export interface PricedLine extends ProductSnapshot {
  readonly quantityMilli: QuantityMilli;
  readonly discountBp: number;
  /** Unit price × quantity, rounded half up to the peso (rule LINE1). */
  readonly gross: Money;
  /** Gross × discount, rounded half up (rule LINE2). */
  readonly discount: Money;
  /** What the customer is charged for the line, taxes included: gross − discount. */
  readonly amount: Money;
  readonly base: Money;
  readonly tax: TaxCode;
  readonly taxAmount: Money;
}

export type LineReason = QuantityReason | 'invalid-discount' | 'invalid-price';

export function parseDiscountPercent(percent: number | undefined): Result<number, 'invalid-discount'> {
  if (percent === undefined) return ok(0);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    return err('invalid-discount', `discount must be between 0 and 100 %, got ${percent}`);
  }
  const bp = Math.round(percent * 100);
  if (Math.abs(bp - percent * 100) > 1e-6) {
    return err('invalid-discount', `discount ${percent} % has more than two decimals`);
  }
  return ok(bp);
}

/** Price one line: the only place where a line's amounts are computed (SPEC.md LINE1–LINE4). */
export function priceLine(product: ProductSnapshot, request: LineRequest): Result<PricedLine, LineReason> {
  if (!Number.isSafeInteger(product.unitPrice) || product.unitPrice < 0) {
    return err('invalid-price', `product ${product.sku} has no valid price`);
  }
  const quantity = parseQuantity(request.quantity, product.unit, request.shared === true);
  if (!quantity.ok) return quantity;
  const discount = parseDiscountPercent(request.discountPercent);
  if (!discount.ok) return discount;
  return ok(priceParsedLine(product, quantity.value, discount.value));
}

export function priceParsedLine(
  product: ProductSnapshot,
  quantityMilli: QuantityMilli,
  discountBp: number,
): PricedLine {
  const gross = money(divRoundHalfUp(product.unitPrice * quantityMilli, 1000));
  const discount = money(divRoundHalfUp(gross * discountBp, 10_000));
  const amount = subMoney(gross, discount);
  const split = splitTaxIncluded(amount, product.tax);
  return {
    ...product,
    quantityMilli,
    discountBp,
    gross,
    discount,
    amount,
    base: split.base,
    taxAmount: split.tax,
  };
}
