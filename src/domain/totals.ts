import type { TipBaseKind } from './channel.js';
import type { PricedLine } from './line.js';
import { addMoney, divFloor, money, type Money } from './money.js';
import { err, ok, type Result } from './result.js';
import { TAX_CODES, TAX_RATES, type TaxCode } from './tax.js';

export interface TaxBreakdownRow {
  readonly code: TaxCode;
  /** Percentage: 19, 5, 0 or 8. */
  readonly rate: number;
  readonly base: Money;
  readonly tax: Money;
}

export interface SaleTotals {
  /** Gross of every line before discounts, taxes included. */
  readonly gross: Money;
  readonly discountTotal: Money;
  /** What the lines charge, taxes included: the sum of the line amounts. */
  readonly subtotal: Money;
  /** One row per tax category present, in a fixed order; base + tax over the rows = subtotal. */
  readonly taxes: readonly TaxBreakdownRow[];
  readonly baseTotal: Money;
  readonly taxTotal: Money;
  /** What the tip is a percentage of: the restaurant lines, before tax by default (TIP2). */
  readonly tipBase: Money;
  /** Voluntary tip (propina): outside the tax base. */
  readonly tip: Money;
  /** subtotal + tip: what the customer pays. */
  readonly total: Money;
}

/**
 * How a document's tip is limited (TIP2–TIP3): its base — the restaurant lines before tax
 * ('pre-tax', the default), with tax ('with-tax'), or every line with tax ('subtotal', the rule of
 * invoices of schema version 1) — and whether the document is a part of a split bill, whose share
 * of the bill's tip may round up.
 */
export interface TipRule {
  readonly base: TipBaseKind | 'subtotal';
  readonly part: boolean;
}

export const DEFAULT_TIP_RULE: TipRule = { base: 'pre-tax', part: false };

/** The value of the service a tip is a percentage of (TIP2). */
export function tipBaseOf(lines: readonly PricedLine[], base: TipRule['base']): Money {
  let sum = 0;
  for (const line of lines) {
    if (base === 'subtotal') sum += line.amount;
    else if (line.restaurant) sum += base === 'pre-tax' ? line.base : line.amount;
  }
  return money(sum);
}

/**
 * The tip a customer may leave: at most 10 % of the service, rounded down (TIP2); a part of a
 * split bill may round up, as its share of the bill's tip is dealt to the peso (TIP3).
 */
export function maxTip(tipBase: Money, part = false): Money {
  return money(part ? divFloor(tipBase + 9, 10) : divFloor(tipBase, 10));
}

/** The tip the bill suggests, as a percentage of the service, rounded down to the peso. */
export function suggestedTip(tipBase: Money, percent = 10): Money {
  const bp = Math.round(Math.min(Math.max(percent, 0), 10) * 100);
  return money(divFloor(tipBase * bp, 10_000));
}

export type TotalsReason = 'invalid-tip';

/**
 * Totals of a sale from its priced lines (SPEC.md TOT1–TOT3): the per-rate breakdown is the sum of
 * the lines' own splits, so it always adds up to the subtotal to the peso.
 */
export function computeTotals(
  lines: readonly PricedLine[],
  tip: number = 0,
  rule: TipRule = DEFAULT_TIP_RULE,
): Result<SaleTotals, TotalsReason> {
  const byCode = new Map<TaxCode, { base: number; tax: number }>();
  let gross = 0;
  let discountTotal = 0;
  let subtotal = 0;
  for (const line of lines) {
    gross += line.gross;
    discountTotal += line.discount;
    subtotal += line.amount;
    const row = byCode.get(line.tax) ?? { base: 0, tax: 0 };
    row.base += line.base;
    row.tax += line.taxAmount;
    byCode.set(line.tax, row);
  }
  const subtotalMoney = money(subtotal);
  if (!Number.isSafeInteger(tip) || tip < 0) {
    return err('invalid-tip', `the tip is a non-negative whole amount, got ${tip}`);
  }
  const tipBase = tipBaseOf(lines, rule.base);
  const limit = maxTip(tipBase, rule.part);
  if (tip > limit) {
    return err(
      'invalid-tip',
      tipBase === 0
        ? 'a tip is only for the restaurant service (table, takeaway or delivery)'
        : `the tip may be at most 10 % of the service (${limit})`,
    );
  }
  const taxes: TaxBreakdownRow[] = [];
  for (const code of TAX_CODES) {
    const row = byCode.get(code);
    if (row)
      taxes.push({ code, rate: TAX_RATES[code].rateBp / 100, base: money(row.base), tax: money(row.tax) });
  }
  const baseTotal = addMoney(...taxes.map((row) => row.base));
  const taxTotal = addMoney(...taxes.map((row) => row.tax));
  return ok({
    gross: money(gross),
    discountTotal: money(discountTotal),
    subtotal: subtotalMoney,
    taxes,
    baseTotal,
    taxTotal,
    tipBase,
    tip: money(tip),
    total: money(subtotal + tip),
  });
}
