import { formatCop, type Money } from '../domain/money.js';
import type { SaleUnit } from '../domain/quantity.js';
import { DEFAULT_TIME_ZONE, formatInTimeZone } from '../domain/time.js';

/**
 * Display and input helpers. Money is always integer pesos shown with formatCop; inputs accept
 * what a cashier types ("20.000", "20000", "1,5").
 */
export function cop(amount: number): string {
  return formatCop(amount as Money);
}

/** Digits only, as pesos: "20.000" and "$ 20 000" are 20000; empty or no digits is null. */
export function parseMoneyInput(text: string): number | null {
  const digits = text.replace(/\D/g, '');
  if (digits === '') return null;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}

/** A decimal typed with a comma or a dot ("1,5" or "1.5"); null when it is not a number. */
export function parseDecimalInput(text: string): number | null {
  const clean = text.trim().replace(',', '.');
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(clean)) return null;
  const value = Number(clean);
  return Number.isFinite(value) ? value : null;
}

/** "1,25" for 1.25 kg; whole units as they are. */
export function formatQuantity(quantity: number, unit: SaleUnit): string {
  if (unit === 'unit' && Number.isInteger(quantity)) return String(quantity);
  return String(Math.round(quantity * 1000) / 1000).replace('.', ',');
}

/** "2026-11-28 09:15" from an ISO date-time with offset, in the store's wall-clock time. */
export function formatDateTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** "28/11 09:15": day first, as dates are read in Colombia; for lists. */
export function formatShortDateTime(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)} ${iso.slice(11, 16)}`;
}

/** 92,5 in Spanish, 92.5 in English. */
export function formatDecimal(value: number, locale: string): string {
  return value.toLocaleString(locale, { maximumFractionDigits: 1 });
}

/**
 * The store's wall-clock time of an instant (any ISO form, "Z" included): "14:05", with the day
 * ("27/11") when it is not today, and its date ("28/11/2026"). For "since when" notes (last seen,
 * upload started) and reports.
 */
export function clockParts(
  iso: string,
  now: number = Date.now(),
  timeZone = DEFAULT_TIME_ZONE,
): { time: string; day: string | null; date: string } {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { time: iso, day: null, date: '' };
  const local = formatInTimeZone(ms, timeZone);
  const today = formatInTimeZone(now, timeZone).slice(0, 10);
  const day = `${local.slice(8, 10)}/${local.slice(5, 7)}`;
  return {
    time: local.slice(11, 16),
    day: local.slice(0, 10) === today ? null : day,
    date: `${day}/${local.slice(0, 4)}`,
  };
}
