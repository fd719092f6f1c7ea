/**
 * SCL4: telling a barcode scanner from a person at the same keyboard. A USB scanner in keyboard
 * mode "types" its code as a burst of keys a few milliseconds apart and ends it with Enter; a
 * person types a key every 100 ms or more. A burst of at least `minLength` printable keys, each
 * at most `maxGapMs` after the one before, with Enter at most `maxGapMs` after the last, is a scan.
 * Pure: the caller gives each key with its time (the event's `timeStamp`) and applies the answer
 * to the event.
 */
export interface ScannerOptions {
  /** The longest pause between two keys of one scan (ms). */
  readonly maxGapMs: number;
  /** The shortest code a scan carries (printable keys before the Enter). */
  readonly minLength: number;
  /**
   * The quiet before a scan (ms): a burst that starts sooner after other keys may be the tail of
   * a scan whose keys came late (a busy sender), so it is not looked up as a code of its own.
   */
  readonly quietMs: number;
}

/** A scanner's keys arrive 1–20 ms apart; 50 ms leaves room for a busy screen and is still far from typing. */
export const DEFAULT_SCANNER_OPTIONS: ScannerOptions = { maxGapMs: 50, minLength: 4, quietMs: 500 };

/** One key as the detector sees it. */
export interface ScannerKey {
  /** `KeyboardEvent.key`: one character for a printable key, else a name (`Enter`, `Shift`, `F2`…). */
  readonly key: string;
  /** When it was pressed (ms, any monotonic clock). */
  readonly at: number;
  /** Ctrl, Alt or Meta held: a shortcut, never part of a code. */
  readonly withCommand?: boolean;
  /** An auto-repeat of a held key. */
  readonly repeat?: boolean;
}

/** The keys of the burst so far. */
export interface ScannerState {
  readonly chars: string;
  /** When the last printable key came (ms); absent after an Enter or another key. */
  readonly lastAt?: number;
  /** Whether the burst began after a quiet (`quietMs`) or with nothing before it. */
  readonly clean: boolean;
}

export const IDLE_SCANNER: ScannerState = { chars: '', clean: true };

/**
 * What to do with the key's event:
 * - `pass`: nothing, the page handles it as usual (a person typing, or a key of a burst that does
 *   nothing by itself where the focus is);
 * - `swallow`: prevent its default action — a Space inside a burst, which would press the
 *   focused button;
 * - `scan`: the Enter that ends a burst — prevent its default action (it would press the focused
 *   button) and stop it there; `code` is what the scanner typed;
 * - `partial`: the same Enter, but the burst followed other keys too closely: `code` may be the
 *   end of a longer code. Taken like a scan's Enter, never looked up.
 */
export type ScannerAction =
  | { readonly kind: 'pass' }
  | { readonly kind: 'swallow' }
  | { readonly kind: 'scan'; readonly code: string }
  | { readonly kind: 'partial'; readonly code: string };

export interface ScannerStep {
  readonly state: ScannerState;
  readonly action: ScannerAction;
}

/** Keys that change what the next key types but type nothing (a scanner sends Shift for capitals). */
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'Fn']);

const PASS: ScannerAction = { kind: 'pass' };

function isPrintable(key: ScannerKey): boolean {
  // A key that types what it says (codes are ASCII: an astral character is no scanner's).
  return key.key.length === 1 && key.withCommand !== true;
}

/** The detector's answer to one key down. */
export function scannerStep(
  state: ScannerState,
  key: ScannerKey,
  options: ScannerOptions = DEFAULT_SCANNER_OPTIONS,
): ScannerStep {
  if (MODIFIERS.has(key.key)) return { state, action: PASS };
  const since = state.lastAt === undefined ? undefined : key.at - state.lastAt;
  const inTime = since !== undefined && since >= 0 && since <= options.maxGapMs;
  if (key.repeat === true) return { state: IDLE_SCANNER, action: PASS };
  if (key.key === 'Enter' && key.withCommand !== true) {
    if (!inTime || state.chars.length < options.minLength) return { state: IDLE_SCANNER, action: PASS };
    const code = state.chars;
    return { state: IDLE_SCANNER, action: state.clean ? { kind: 'scan', code } : { kind: 'partial', code } };
  }
  if (!isPrintable(key)) return { state: IDLE_SCANNER, action: PASS };
  // A Space cannot start a code, and inside one it must not press the focused button.
  if (key.key === ' ' && !(inTime && state.chars !== '')) return { state: IDLE_SCANNER, action: PASS };
  const next: ScannerState = inTime
    ? { chars: state.chars + key.key, lastAt: key.at, clean: state.clean }
    : {
        chars: key.key,
        lastAt: key.at,
        clean: since === undefined || since < 0 || since >= options.quietMs,
      };
  return { state: next, action: key.key === ' ' ? { kind: 'swallow' } : PASS };
}

/** The most a technician may set the gap to: beyond it, fast typing starts to look like a scan. */
export const MAX_SCANNER_GAP_MS = 150;

/**
 * The gap a support technician saved for a slow scanner (docs/hardware.md), or the
 * default: a whole number of milliseconds from 10 to MAX_SCANNER_GAP_MS; anything else is ignored.
 */
export function parseScannerGap(saved: string | null): ScannerOptions {
  if (saved === null || !/^\d{1,4}$/.test(saved.trim())) return DEFAULT_SCANNER_OPTIONS;
  const gap = Number(saved.trim());
  return gap >= 10 && gap <= MAX_SCANNER_GAP_MS
    ? { ...DEFAULT_SCANNER_OPTIONS, maxGapMs: gap }
    : DEFAULT_SCANNER_OPTIONS;
}
