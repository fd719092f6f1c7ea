import { divRoundHalfUp, money, subMoney, type Money } from './money.js';

/**
 * The tax categories a product can carry. One tax per product: retail goods carry IVA (or are
 * excluded from it), restaurant dishes carry INC instead of IVA.
 */
export const TAX_CODES = ['IVA19', 'IVA5', 'IVA0', 'EXCLUIDO', 'INC8'] as const;
export type TaxCode = (typeof TAX_CODES)[number];

export interface TaxRate {
  readonly code: TaxCode;
  /** IVA, INC, or none for goods excluded from IVA. */
  readonly kind: 'IVA' | 'INC' | 'NONE';
  /** Rate in basis points: 1900 = 19 %. */
  readonly rateBp: number;
  /** DIAN tax scheme code (01 IVA, 04 INC, ZZ not applicable). */
  readonly dianCode: '01' | '04' | 'ZZ';
  /** As printed on the receipt. */
  readonly label: string;
}

export const TAX_RATES: Readonly<Record<TaxCode, TaxRate>> = {
  IVA19: { code: 'IVA19', kind: 'IVA', rateBp: 1900, dianCode: '01', label: 'IVA 19 %' },
  IVA5: { code: 'IVA5', kind: 'IVA', rateBp: 500, dianCode: '01', label: 'IVA 5 %' },
  IVA0: { code: 'IVA0', kind: 'IVA', rateBp: 0, dianCode: '01', label: 'IVA 0 % (exento)' },
  EXCLUIDO: { code: 'EXCLUIDO', kind: 'NONE', rateBp: 0, dianCode: 'ZZ', label: 'Excluido de IVA' },
  INC8: { code: 'INC8', kind: 'INC', rateBp: 800, dianCode: '04', label: 'INC 8 %' },
};

export function isTaxCode(value: unknown): value is TaxCode {
  return typeof value === 'string' && (TAX_CODES as readonly string[]).includes(value);
}

/** Rate as a percentage for display and for the wire (19, 5, 0, 8). */
export function ratePercent(code: TaxCode): number {
  return TAX_RATES[code].rateBp / 100;
}

export interface TaxSplit {
  readonly base: Money;
  readonly tax: Money;
}

/**
 * Split a tax-included amount into base and tax (rule TAX1 in SPEC.md): the base is the amount
 * divided by (1 + rate), rounded half up to the peso, and the tax is what remains. The charged
 * amount is the fixed point because it is what the customer pays and what the catalog shows, so
 * base + tax = charged holds exactly, by construction.
 */
export function splitTaxIncluded(charged: Money, code: TaxCode): TaxSplit {
  const { rateBp } = TAX_RATES[code];
  const base = money(divRoundHalfUp(charged * 10_000, 10_000 + rateBp));
  return { base, tax: subMoney(charged, base) };
}
