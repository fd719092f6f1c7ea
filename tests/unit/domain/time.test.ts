import { describe, expect, it } from 'vitest';
import { formatInTimeZone, isValidTimeZone, localDate } from '../../../src/domain/time.js';

describe('store time', () => {
  it('formats instants in America/Bogota with its -05:00 offset', () => {
    expect(formatInTimeZone(Date.parse('2026-11-28T15:04:05.678Z'))).toBe('2026-11-28T10:04:05-05:00');
    // Just after midnight UTC it is still the previous day in Bogotá.
    expect(localDate(Date.parse('2026-11-29T03:00:00Z'))).toBe('2026-11-28');
  });

  it('handles other zones and offsets that change (Madrid, summer and winter)', () => {
    expect(formatInTimeZone(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Madrid')).toBe(
      '2026-07-01T14:00:00+02:00',
    );
    expect(formatInTimeZone(Date.parse('2026-01-01T12:00:00Z'), 'Europe/Madrid')).toBe(
      '2026-01-01T13:00:00+01:00',
    );
    expect(formatInTimeZone(Date.parse('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-01-01T12:00:00+00:00');
  });

  it('knows a time zone from a typo', () => {
    expect(isValidTimeZone('America/Bogota')).toBe(true);
    expect(isValidTimeZone('America/Bogata')).toBe(false);
  });
});

describe('store time across minutes and offset changes', () => {
  it('agrees with a direct Intl computation second by second around a DST change', () => {
    const start = Date.parse('2026-03-29T00:58:00Z');
    for (let s = 0; s < 240; s += 7) {
      const at = start + s * 1000;
      const expected = new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Europe/Madrid',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .format(new Date(at))
        .replace(' ', 'T');
      expect(formatInTimeZone(at, 'Europe/Madrid').slice(0, 19)).toBe(expected);
    }
    expect(formatInTimeZone(Date.parse('2026-03-29T00:59:59Z'), 'Europe/Madrid')).toBe(
      '2026-03-29T01:59:59+01:00',
    );
    expect(formatInTimeZone(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Madrid')).toBe(
      '2026-03-29T03:00:00+02:00',
    );
  });
});
