import type { SalesChannel } from './channel.js';
import type { Sku } from './ids.js';
import { divFloor, divRoundHalfUp, money, subMoney, type Money } from './money.js';
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
  /** The channel the line is sold in, which decided its price and tax (CHN2). */
  readonly channel: SalesChannel;
  /** Part of the restaurant's service: the base of a tip (TIP2). */
  readonly restaurant: boolean;
}

/** A line of an equal part of a bill: its share of the whole line (SPL1). */
export interface LineShare {
  /** The whole line's quantity, in thousandths. */
  readonly quantityMilli: QuantityMilli;
  /** The whole line's gross: unit price × quantity, rounded half up (LINE1). */
  readonly gross: Money;
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
  /** Set on a line of an equal part of a bill: the whole line this line is a share of. */
  readonly share?: LineShare | undefined;
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

/** LINE1: unit price × quantity (thousandths), rounded half up to the peso. */
export function lineGross(unitPrice: Money, quantityMilli: number): Money {
  return money(divRoundHalfUp(unitPrice * quantityMilli, 1000));
}

/**
 * SPL1: a line of an equal part of a bill. Its quantity is the part's share of the whole line's
 * quantity and its amount the part's share of the whole line's gross, both dealt by the split
 * (no discount on a shared line); base and tax split the share by TAX1.
 */
export function priceShareLine(
  product: ProductSnapshot,
  quantityMilli: QuantityMilli,
  share: LineShare,
  shareGross: Money,
): PricedLine {
  const split = splitTaxIncluded(shareGross, product.tax);
  return {
    ...product,
    quantityMilli,
    discountBp: 0,
    gross: shareGross,
    discount: money(0),
    amount: shareGross,
    base: split.base,
    taxAmount: split.tax,
    share,
  };
}

/**
 * SPL1: price a line of an equal part from what it states — the part's quantity, the whole line's
 * quantity and the part's share of the whole gross — checking it is a 1/`parts` share of the line
 * (each share ⌊whole/n⌋ or one more) without discount. One rule for the issuer and the verifier.
 */
export function priceSharedLine(
  product: ProductSnapshot,
  request: { quantity: number; of: number; shareGross: number; discountPercent?: number | undefined },
  parts: number,
): Result<PricedLine, QuantityReason | 'invalid-split'> {
  if ((request.discountPercent ?? 0) !== 0)
    return err('invalid-split', 'a line of an equal part has no discount');
  const whole = parseQuantity(request.of, product.unit);
  if (!whole.ok) return whole;
  const part = parseQuantity(request.quantity, product.unit, true);
  if (!part.ok) return part;
  const gross = lineGross(product.unitPrice, whole.value);
  const least = divFloor(gross, parts);
  const leastMilli = divFloor(whole.value, parts);
  const share = request.shareGross;
  if (
    !Number.isSafeInteger(share) ||
    share < least ||
    share > least + 1 ||
    part.value < leastMilli ||
    part.value > leastMilli + 1
  )
    return err('invalid-split', `not a 1/${parts} share of the whole line`);
  return ok(priceShareLine(product, part.value, { quantityMilli: whole.value, gross }, money(share)));
}

export function priceParsedLine(
  product: ProductSnapshot,
  quantityMilli: QuantityMilli,
  discountBp: number,
): PricedLine {
  const gross = lineGross(product.unitPrice, quantityMilli);
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
