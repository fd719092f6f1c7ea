/**
 * Money is an integer count of the currency's minor unit. For COP the unit used at the till is
 * the peso: prices, taxes, tips and change are whole pesos, so no result ever has a fractional
 * peso. All arithmetic stays within safe integers; fractions only appear inside a division that
 * is rounded immediately with one of the rules below.
 */
export type Money = number & { readonly __brand: 'Money' };

export const ZERO = 0 as Money;

export function isMoney(value: unknown): value is Money {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** For programmer errors only: untrusted input is parsed by the schemas, never asserted. */
export function money(value: number): Money {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer amount of minor units: ${value}`);
  return value as Money;
}

export function addMoney(...amounts: readonly Money[]): Money {
  let total = 0;
  for (const amount of amounts) total += amount;
  return money(total);
}

export function subMoney(a: Money, b: Money): Money {
  return money(a - b);
}

/**
 * Round-half-up division of non-negative integers: the one rounding rule of the domain
 * (see src/domain/SPEC.md, rule MON2). Exact on integers: 2n + d and 2d never leave safe range for
 * the magnitudes a till handles (checked).
 */
export function divRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || numerator < 0) throw new RangeError(`bad numerator ${numerator}`);
  if (!Number.isSafeInteger(denominator) || denominator <= 0)
    throw new RangeError(`bad denominator ${denominator}`);
  const twice = 2 * numerator + denominator;
  if (!Number.isSafeInteger(twice)) throw new RangeError('amount too large');
  return Math.floor(twice / (2 * denominator));
}

/** Floor division of non-negative integers, for limits that must never be exceeded (the tip). */
export function divFloor(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || numerator < 0) throw new RangeError(`bad numerator ${numerator}`);
  if (!Number.isSafeInteger(denominator) || denominator <= 0)
    throw new RangeError(`bad denominator ${denominator}`);
  return Math.floor(numerator / denominator);
}

const copFormatter = new Intl.NumberFormat('es-CO', {
  style: 'currency',
  currency: 'COP',
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});

/** `$ 12.500` — thousands separators, no decimals. */
export function formatCop(amount: Money): string {
  return copFormatter.format(amount);
}

/** `12.500` — thousands separated by dots, as on a Colombian receipt, independent of ICU data. */
export function formatThousands(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return sign + String(Math.abs(Math.trunc(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
