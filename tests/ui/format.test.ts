import { describe, expect, it } from 'vitest';
import {
  clockParts,
  cop,
  formatDate,
  formatDateTime,
  formatTime,
  invoiceLabel,
  MINUS,
  numberLabel,
} from '../../src/ui/format.js';

/** Issue 16 §8: one way of writing moments, amounts and invoice numbers on the screen. */
describe('the screen’s one vocabulary of dates, amounts and numbers', () => {
  it('writes a moment day first in the store’s time, whatever the offset it was recorded with', () => {
    expect(formatDateTime('2026-12-03T09:41:07-05:00')).toBe('03/12/2026 09:41');
    expect(formatDateTime('2026-12-03T14:41:07.120Z')).toBe('03/12/2026 09:41');
    expect(formatTime('2026-12-03T14:41:07Z')).toBe('09:41');
    expect(formatDate('2026-12-04T03:00:00Z')).toBe('03/12/2026');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('says the date of a "since when" only when it is not today, in the same form', () => {
    const now = Date.parse('2026-12-03T15:00:00Z');
    expect(clockParts('2026-12-03T14:05:00Z', now)).toEqual({ time: '09:05', day: null, date: '03/12/2026' });
    expect(clockParts('2026-11-27T20:30:00Z', now).day).toBe('27/11/2026');
  });

  it('writes every negative amount with the one minus sign', () => {
    expect(cop(-1500)).toBe(`${MINUS}${cop(1500)}`);
    expect(cop(-1500)).not.toContain('-');
  });

  it('keeps prefix and consecutive apart: C11 is C1-1, not C-once', () => {
    expect(invoiceLabel({ prefix: 'C1', consecutive: 1 })).toBe('C1-1');
    expect(numberLabel('C11045', ['C2', 'C1', 'C'])).toBe('C1-1045');
    expect(numberLabel('X77', ['C1'])).toBe('X77');
  });
});
