/**
 * Wall-clock time in a store's time zone, ISO 8601 with its offset ("2026-11-28T09:15:02-05:00").
 * Pure: the instant is a parameter.
 */
export const DEFAULT_TIME_ZONE = 'America/Bogota';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Offsets only change on whole minutes, so the local wall-clock minute and offset are computed
 * once per minute per zone (Intl is slow) and the seconds are added.
 */
const minuteCache = new Map<string, { minute: number; prefix: string; offset: string }>();

export function formatInTimeZone(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const minute = Math.floor(epochMs / 60_000);
  const seconds = String(Math.floor(epochMs / 1000) % 60).padStart(2, '0');
  const cached = minuteCache.get(timeZone);
  if (cached?.minute === minute) return `${cached.prefix}:${seconds}${cached.offset}`;
  const start = minute * 60_000;
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(start))
      .map((p) => [p.type, p.value]),
  );
  const prefix = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  const offsetMinutes = Math.round((Date.parse(`${prefix}:00Z`) - start) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  minuteCache.set(timeZone, { minute, prefix, offset });
  return `${prefix}:${seconds}${offset}`;
}

/** The calendar date (YYYY-MM-DD) of an instant in the store's time zone. */
export function localDate(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  return formatInTimeZone(epochMs, timeZone).slice(0, 10);
}
