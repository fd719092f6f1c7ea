import { formatMoneyDigits, MAX_MONEY_DIGITS } from '../money-typing.js';

/**
 * The numpad's keys (on screen or typed): what each does to the text being entered. Pure, so the
 * on-screen pad and the keyboard type the same way.
 */
export type NumPadKey =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '000' | ',' | 'backspace' | 'clear';

export interface NumPadOptions {
  /** A decimal comma (quantities sold by weight, discounts): at most `decimals` after it. */
  readonly decimals: number;
  /** Money: whole pesos, 00 and 000 keys, at most MAX_MONEY_DIGITS digits. */
  readonly money: boolean;
}

/** Quantities and discounts never need more than four whole digits (QTY1: at most 9.999). */
const MAX_WHOLE_DIGITS = 4;

/** The text after pressing `key`; a key that cannot apply leaves it as it was. */
export function pressNumPadKey(text: string, key: NumPadKey, options: NumPadOptions): string {
  if (key === 'clear') return '';
  if (key === 'backspace') return text.slice(0, -1);
  if (key === ',') {
    if (options.money || options.decimals === 0 || text.includes(',')) return text;
    return text === '' ? '0,' : `${text},`;
  }
  if ((key === '00' || key === '000') && !options.money) return text;
  const next = text === '0' ? key : text + key;
  if (options.money) {
    const digits = next.replace(/^0+(?=\d)/, '');
    return digits.length > MAX_MONEY_DIGITS ? text : digits;
  }
  const [whole = '', fraction] = next.split(',');
  if (fraction !== undefined && fraction.length > options.decimals) return text;
  if (whole.replace(/^0+(?=\d)/, '').length > MAX_WHOLE_DIGITS) return text;
  return next;
}

/** The key a keyboard key stands for on the numpad, if any ("." is the decimal comma too). */
export function numPadKeyOf(key: string): NumPadKey | 'ok' | null {
  if (/^[0-9]$/.test(key)) return key as NumPadKey;
  if (key === ',' || key === '.' || key === 'Decimal') return ',';
  if (key === 'Backspace') return 'backspace';
  if (key === 'Delete') return 'clear';
  if (key === 'Enter') return 'ok';
  return null;
}

/** What the numpad's display shows for its text: money with thousands separators. */
export function numPadDisplay(text: string, options: NumPadOptions): string {
  return options.money ? formatMoneyDigits(text) : text;
}

/**
 * SCL4 again, on the numpad's side: a scanner's burst must not type into the numpad when the
 * focus is on one of its keys. Keys typed there are held for the scanner's gap; a key that
 * follows another within the gap makes both a burst (a scanner's, whose Enter the scan listener
 * takes), and the burst types nothing. A person types keys further apart than that.
 */
export interface KeyGate {
  readonly pending: string | null;
  readonly lastAt: number | undefined;
}

export const OPEN_GATE: KeyGate = { pending: null, lastAt: undefined };

/** A key arrives at `at` (ms): it is held, or it is part of a burst and dropped. */
export function gateKey(gate: KeyGate, key: string, at: number, gapMs: number): KeyGate {
  const inBurst = gate.lastAt !== undefined && at - gate.lastAt >= 0 && at - gate.lastAt <= gapMs;
  return { pending: inBurst ? null : key, lastAt: at };
}

/** The gap has passed with no other key: the held key, if any, is a person's. */
export function releaseKey(gate: KeyGate): { gate: KeyGate; key: string | null } {
  return { gate: { pending: null, lastAt: gate.lastAt }, key: gate.pending };
}
