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
