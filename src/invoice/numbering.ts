import type { Numbering } from '../domain/schemas.js';
import { err, ok, type Result } from '../domain/result.js';

/**
 * The numbering state machine (src/invoice/SPEC.md NUM1–NUM6), pure: the next consecutive of a
 * range given the highest one ever reserved, and the warnings the cashier must see.
 */
export type NumberingReason = 'range-exhausted' | 'range-not-valid';

/** NUM2/NUM4/NUM5: the next consecutive to reserve, or why none can be. `today` is YYYY-MM-DD, local. */
/** RNG5: the part of a range this terminal's key numbers from (its position), if not all of it. */
export interface Position {
  readonly from: number;
  readonly to: number;
}

export function nextConsecutive(
  numbering: Numbering,
  lastReserved: number | undefined,
  today: string,
  position?: Position,
): Result<number, NumberingReason> {
  const { from, to } = position ?? numbering;
  if (today < numbering.validFrom || today > numbering.validUntil) {
    return err(
      'range-not-valid',
      `the numbering ${numbering.prefix} is valid from ${numbering.validFrom} to ${numbering.validUntil}; today is ${today}`,
    );
  }
  const next = lastReserved === undefined || lastReserved < from ? from : lastReserved + 1;
  if (next > to) {
    return err(
      'range-exhausted',
      `the numbering ${numbering.prefix}${from}–${numbering.prefix}${to} is used up`,
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
  /** RNG5: numbers of the resolution after this terminal's position (another position can hold them). */
  readonly resolutionLeft: number;
}

function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

export function rangeStatus(
  numbering: Numbering,
  lastReserved: number | undefined,
  today: string,
  position?: Position,
): RangeStatus {
  const { from, to } = position ?? numbering;
  const size = to - from + 1;
  const used =
    lastReserved === undefined || lastReserved < from ? 0 : Math.min(size, lastReserved - from + 1);
  const usedPercent = Math.floor((used * 1000) / size) / 10;
  const daysLeft = daysBetween(today, numbering.validUntil);
  return {
    prefix: numbering.prefix,
    from,
    to,
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
    resolutionLeft: numbering.to - to,
  };
}
