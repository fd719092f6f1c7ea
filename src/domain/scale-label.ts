import { z } from 'zod';
import { err, ok, type Result } from './result.js';

/**
 * SCL1–SCL3: the labels a supermarket scale prints, EAN-13 codes in the restricted range 20–29 that
 * carry a product's PLU and its weight in grams or its price. The layout is a store setting, 13
 * characters (spaces ignored):
 *   `2`  the first digit, always 2;
 *   `D`  any digit (the second digit of the 20–29 prefix);
 *   `P`  the PLU (the product's `plu` in the catalog);
 *   `W`  the weight in grams;  `V`  the price in pesos (one of the two);
 *   `C`  the EAN-13 check digit, last.
 * Default `2D PPPPP WWWWW C`. Pure.
 */
export const DEFAULT_SCALE_LABEL_FORMAT = '2D PPPPP WWWWW C';

export interface ScaleLabelLayout {
  readonly plu: { readonly start: number; readonly length: number };
  readonly value: { readonly kind: 'weight' | 'price'; readonly start: number; readonly length: number };
}

export type ScaleLabelReason = 'not-a-scale-label' | 'bad-check-digit';

/** Checks a layout; the reason says what is wrong with it. */
export function scaleLabelLayout(format: string): Result<ScaleLabelLayout, 'invalid-scale-format'> {
  const f = format.replace(/ /g, '');
  const bad = (why: string) => err('invalid-scale-format' as const, `scale label format ${format}: ${why}`);
  if (f.length !== 13) return bad('must be 13 characters (spaces aside)');
  if (!f.startsWith('2') || !f.endsWith('C')) return bad('starts with 2 and ends with the check digit C');
  if (!/^2[\dD][DPWV]{10}C$/.test(f)) return bad('only 2, then D (or a digit), P, W or V, and C');
  const run = (c: string) => {
    const start = f.indexOf(c);
    if (start < 0) return undefined;
    const length = f.lastIndexOf(c) - start + 1;
    return f.slice(start, start + length) === c.repeat(length) ? { start, length } : null;
  };
  const plu = run('P');
  const weight = run('W');
  const price = run('V');
  if (!plu) return bad('needs one run of P');
  if (weight === null || price === null) return bad('W and V must be one run each');
  if (weight && !price) return ok({ plu, value: { kind: 'weight', ...weight } });
  if (price && !weight) return ok({ plu, value: { kind: 'price', ...price } });
  return bad('needs either W (grams) or V (price)');
}

/** The EAN-13 check digit of the first 12 digits. */
export function ean13CheckDigit(twelve: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export interface ScaleLabel {
  readonly plu: string;
  /** Grams, for a weight label. */
  readonly grams?: number;
  /** Pesos, for a price label. */
  readonly price?: number;
}

/** SCL1–SCL2: reads a scanned code as a scale label of `layout`, check digit verified. */
export function readScaleLabel(code: string, layout: ScaleLabelLayout): Result<ScaleLabel, ScaleLabelReason> {
  if (!/^2\d{12}$/.test(code))
    return err('not-a-scale-label', `${code} is not a scale label (EAN-13 starting with 2)`);
  if (ean13CheckDigit(code.slice(0, 12)) !== Number(code[12]))
    return err('bad-check-digit', `${code}: the check digit does not match (a misread label)`);
  const plu = code.slice(layout.plu.start, layout.plu.start + layout.plu.length);
  const value = Number(code.slice(layout.value.start, layout.value.start + layout.value.length));
  return ok(layout.value.kind === 'weight' ? { plu, grams: value } : { plu, price: value });
}

/** Prints a label (the scale's side; tests and the demo use it). */
export function makeScaleLabel(
  layout: ScaleLabelLayout,
  prefixDigit: number,
  plu: string,
  value: number,
): string {
  const digits = Array.from({ length: 12 }, () => '0');
  digits[0] = '2';
  digits[1] = String(prefixDigit);
  const put = (at: { start: number; length: number }, text: string) => {
    const padded = text.padStart(at.length, '0').slice(-at.length);
    for (let i = 0; i < at.length; i += 1) digits[at.start + i] = padded[i] ?? '0';
  };
  put(layout.plu, plu);
  put(layout.value, String(value));
  const twelve = digits.join('');
  return `${twelve}${ean13CheckDigit(twelve)}`;
}

export const scaleLabelFormatSchema = z
  .string()
  .max(20)
  .refine((f) => scaleLabelLayout(f).ok, 'a 13-character layout of 2, D, P, W or V, and C');
