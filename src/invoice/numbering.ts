import type { Numbering } from '../domain/schemas.js';
import { err, ok, type Result } from '../domain/result.js';

/**
 * The numbering state machine (src/invoice/SPEC.md NUM1–NUM6), pure: the next consecutive of a
 * range given the highest one ever reserved, and the warnings the cashier must see.
 */
export type NumberingReason = 'range-exhausted' | 'range-not-valid';

/** NUM2/NUM4/NUM5: the next consecutive to reserve, or why none can be. `today` is YYYY-MM-DD, local. */
export function nextConsecutive(
  numbering: Numbering,
  lastReserved: number | undefined,
  today: string,
): Result<number, NumberingReason> {
  if (today < numbering.validFrom || today > numbering.validUntil) {
    return err(
      'range-not-valid',
      `the numbering ${numbering.prefix} is valid from ${numbering.validFrom} to ${numbering.validUntil}; today is ${today}`,
    );
  }
  const next =
    lastReserved === undefined || lastReserved < numbering.from ? numbering.from : lastReserved + 1;
  if (next > numbering.to) {
    return err(
      'range-exhausted',
      `the numbering ${numbering.prefix}${numbering.from}–${numbering.prefix}${numbering.to} is used up`,
    );
  }
  return ok(next);
}

export interface RangeStatus {
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
  /** The highest consecutive reserved so far, if any. */
  readonly lastReserved: number | null;
  readonly used: number;
  readonly remaining: number;
  readonly usedPercent: number;
  readonly validUntil: string;
  readonly daysLeft: number;
  /** NUM6: 90 % of the range used. */
  readonly nearExhaustion: boolean;
  /** NUM6: 7 days of validity left (or fewer). */
  readonly nearExpiry: boolean;
  readonly exhausted: boolean;
  readonly expired: boolean;
}

function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

export function rangeStatus(
  numbering: Numbering,
  lastReserved: number | undefined,
  today: string,
): RangeStatus {
  const size = numbering.to - numbering.from + 1;
  const used =
    lastReserved === undefined || lastReserved < numbering.from
      ? 0
      : Math.min(size, lastReserved - numbering.from + 1);
  const usedPercent = Math.floor((used * 1000) / size) / 10;
  const daysLeft = daysBetween(today, numbering.validUntil);
  return {
    prefix: numbering.prefix,
    from: numbering.from,
    to: numbering.to,
    lastReserved: lastReserved ?? null,
    used,
    remaining: size - used,
    usedPercent,
    validUntil: numbering.validUntil,
    daysLeft,
    nearExhaustion: used * 10 >= size * 9,
    nearExpiry: daysLeft <= 7,
    exhausted: used >= size,
    expired: today > numbering.validUntil,
  };
}
