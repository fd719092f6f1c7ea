import { formatCop, type Money } from '../domain/money.js';
import type { SaleUnit } from '../domain/quantity.js';
import { DEFAULT_TIME_ZONE, formatInTimeZone } from '../domain/time.js';

/**
 * Display and input helpers. Money is always integer pesos shown with formatCop; inputs accept
 * what a cashier types ("20.000", "20000", "1,5").
 */
export function cop(amount: number): string {
  // One minus sign on the screen: the typographic one the templates write before an amount.
  return amount < 0 ? `${MINUS}${formatCop(-amount as Money)}` : formatCop(amount as Money);
}

/** U+2212, the minus sign of every negative amount and discount on the screen. */
export const MINUS = '\u2212';

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

/**
 * The screen's one way of writing a moment (issue 16 §8), in the store's wall-clock time whatever
 * the ISO's offset ("Z" included): "28/11/2026 09:15" with its date, "09:15" alone, "28/11/2026"
 * for a day. Day first, 24 hours, as dates are read in Colombia. Text that is not a date is shown
 * as it came.
 */
function wallClock(iso: string, timeZone: string): string | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : formatInTimeZone(ms, timeZone);
}

const dateOf = (local: string) => `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)}`;

export function formatDateTime(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  const local = wallClock(iso, timeZone);
  return local === null ? iso : `${dateOf(local)} ${local.slice(11, 16)}`;
}

export function formatTime(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  const local = wallClock(iso, timeZone);
  return local === null ? iso : local.slice(11, 16);
}

export function formatDate(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  const local = wallClock(iso, timeZone);
  return local === null ? iso : dateOf(local);
}

/** 92,5 in Spanish, 92.5 in English. */
export function formatDecimal(value: number, locale: string): string {
  return value.toLocaleString(locale, { maximumFractionDigits: 1 });
}

/**
 * An instant as a sentence about "since when" needs it (last seen, upload started, reports):
 * its time, its date only when it is not today, and its date.
 */
export function clockParts(
  iso: string,
  now: number = Date.now(),
  timeZone = DEFAULT_TIME_ZONE,
): { time: string; day: string | null; date: string } {
  const local = wallClock(iso, timeZone);
  if (local === null) return { time: iso, day: null, date: '' };
  const today = formatInTimeZone(now, timeZone).slice(0, 10);
  return {
    time: local.slice(11, 16),
    day: local.slice(0, 10) === today ? null : dateOf(local),
    date: dateOf(local),
  };
}

/**
 * An invoice number as the screen shows it, prefix and consecutive apart: "C1-1" for the fiscal
 * "C11", which reads as "C once" (issue 16 §8). Printed receipts and the cloud keep the fiscal
 * number as the resolution defines it.
 */
export function invoiceLabel(invoice: { readonly prefix: string; readonly consecutive: number }): string {
  return `${invoice.prefix}-${invoice.consecutive}`;
}

/**
 * The same for a fiscal number known only as text ("C11045" in a credit note or an upload's
 * report), split at the longest of the store's prefixes it starts with; as it came when none fits.
 */
export function numberLabel(number: string, prefixes: Iterable<string>): string {
  let best = '';
  for (const prefix of prefixes)
    if (prefix.length > best.length && number.startsWith(prefix) && /^\d+$/.test(number.slice(prefix.length)))
      best = prefix;
  return best === '' ? number : `${best}-${number.slice(best.length)}`;
}
