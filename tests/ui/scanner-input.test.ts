import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCANNER_OPTIONS,
  IDLE_SCANNER,
  parseScannerGap,
  scannerStep,
  type ScannerAction,
  type ScannerKey,
  type ScannerOptions,
} from '../../src/ui/sales/scanner-input.js';

/** Feeds keys to the detector; the actions it answered, in order. */
function feed(
  keys: readonly ScannerKey[],
  options: ScannerOptions = DEFAULT_SCANNER_OPTIONS,
): ScannerAction[] {
  let state = IDLE_SCANNER;
  return keys.map((key) => {
    const step = scannerStep(state, key, options);
    state = step.state;
    return step.action;
  });
}

/** The text typed one key every `gapMs` from `start`, then Enter `enterGapMs` later. */
function typed(text: string, gapMs: number, enterGapMs = gapMs, start = 1_000): ScannerKey[] {
  const keys = Array.from(text).map((key, i) => ({ key, at: start + i * gapMs }));
  return [...keys, { key: 'Enter', at: start + (keys.length - 1) * gapMs + enterGapMs }];
}

const last = (actions: readonly ScannerAction[]) => actions[actions.length - 1];

describe('the scanner detector (SCL4)', () => {
  it('[SCL4] a burst of keys a few ms apart ended by Enter is a scan of exactly those keys', () => {
    const actions = feed(typed('7700010008548', 8));
    expect(last(actions)).toEqual({ kind: 'scan', code: '7700010008548' });
    // The keys of the code itself are left to the page: only the Enter is taken.
    expect(actions.slice(0, -1).every((a) => a.kind === 'pass')).toBe(true);
  });

  it('[SCL4] a person typing (100 ms and more between keys) is never a scan', () => {
    expect(last(feed(typed('7700010008548', 100)))).toEqual({ kind: 'pass' });
    expect(last(feed(typed('1234', 51)))).toEqual({ kind: 'pass' });
    // Fast keys, but the Enter comes after a pause: someone pressed Enter on a button.
    expect(last(feed(typed('7700010008548', 5, 400)))).toEqual({ kind: 'pass' });
  });

  it('[SCL4] needs at least four characters; the limits are parameters', () => {
    expect(last(feed(typed('123', 5)))).toEqual({ kind: 'pass' });
    expect(last(feed(typed('1234', 5)))).toEqual({ kind: 'scan', code: '1234' });
    expect(last(feed(typed('1234', 50)))).toEqual({ kind: 'scan', code: '1234' });
    const slowScanner = { maxGapMs: 120, minLength: 6, quietMs: 500 };
    expect(last(feed(typed('123456', 100), slowScanner))).toEqual({ kind: 'scan', code: '123456' });
    expect(last(feed(typed('12345', 10), slowScanner))).toEqual({ kind: 'pass' });
  });

  it('[SCL4] a pause starts the burst again: what was typed slowly before is not part of the code', () => {
    const keys = [{ key: '9', at: 0 }, { key: '9', at: 300 }, ...typed('7700010008548', 10, 10, 900)];
    expect(last(feed(keys))).toEqual({ kind: 'scan', code: '7700010008548' });
  });

  it('[SCL4] a burst close behind other keys may be the end of a code that came in pieces: taken, never a scan', () => {
    // A busy sender: the code's keys stall 80 ms in the middle.
    const first = typed('7700010', 5).slice(0, -1);
    const rest = typed('008548', 5, 5, 1_000 + 6 * 5 + 80);
    const actions = feed([...first, ...rest]);
    expect(last(actions)).toEqual({ kind: 'partial', code: '008548' });
    // Someone typed a key just before the scanner fired: the same, the cashier scans again.
    expect(last(feed([{ key: 'x', at: 0 }, ...typed('7700010008548', 5, 5, 200)]))).toEqual({
      kind: 'partial',
      code: '7700010008548',
    });
    // After an Enter or a quiet, a burst is whole: two items scanned 100 ms apart are two scans.
    const twice = [...typed('7700010000071', 5, 5, 0), ...typed('7700010008548', 5, 5, 170)];
    expect(feed(twice).filter((a) => a.kind !== 'pass')).toEqual([
      { kind: 'scan', code: '7700010000071' },
      { kind: 'scan', code: '7700010008548' },
    ]);
  });

  it('[SCL4] two scans in a row are two codes, never one appended to the other', () => {
    const first = typed('7700010000071', 5, 5, 0);
    const second = typed('7700010008548', 5, 5, 200);
    const actions = feed([...first, ...second]);
    expect(actions.filter((a) => a.kind === 'scan')).toEqual([
      { kind: 'scan', code: '7700010000071' },
      { kind: 'scan', code: '7700010008548' },
    ]);
  });

  it('[SCL4] Shift between the keys (capitals) is ignored; Ctrl/Alt shortcuts, other named keys and repeats end a burst', () => {
    const withShift: ScannerKey[] = [
      { key: 'Shift', at: 0 },
      { key: 'B', at: 2 },
      { key: 'Shift', at: 4 },
      { key: 'E', at: 6 },
      { key: 'B', at: 10 },
      { key: '-', at: 14 },
      { key: '0', at: 18 },
      { key: 'Enter', at: 22 },
    ];
    expect(last(feed(withShift))).toEqual({ kind: 'scan', code: 'BEB-0' });
    const shortcut: ScannerKey[] = [
      ...typed('1234', 5).slice(0, -1),
      { key: 'c', at: 1_020, withCommand: true },
      { key: 'Enter', at: 1_025 },
    ];
    expect(last(feed(shortcut))).toEqual({ kind: 'pass' });
    const arrow: ScannerKey[] = [...typed('1234', 5).slice(0, -1), { key: 'ArrowDown', at: 1_018 }];
    expect(last(feed([...arrow, { key: 'Enter', at: 1_020 }]))).toEqual({ kind: 'pass' });
    const held: ScannerKey[] = [
      { key: '1', at: 0 },
      { key: '1', at: 30, repeat: true },
      { key: '1', at: 60, repeat: true },
      { key: '1', at: 90, repeat: true },
      { key: 'Enter', at: 100 },
    ];
    expect(last(feed(held))).toEqual({ kind: 'pass' });
  });

  it('[SCL4] a Space inside a burst is swallowed (it would press the focused button); alone it is the page’s', () => {
    const actions = feed(typed('12 34', 5));
    expect(actions[2]).toEqual({ kind: 'swallow' });
    expect(last(actions)).toEqual({ kind: 'scan', code: '12 34' });
    expect(feed([{ key: ' ', at: 0 }])).toEqual([{ kind: 'pass' }]);
    expect(
      feed([
        { key: '1', at: 0 },
        { key: ' ', at: 200 },
      ])[1],
    ).toEqual({ kind: 'pass' });
  });

  it('[SCL4] a clock going backwards (another time base) is not a burst', () => {
    expect(
      last(
        feed([
          { key: '1', at: 100 },
          { key: '2', at: 90 },
          { key: '3', at: 80 },
          { key: '4', at: 70 },
          { key: 'Enter', at: 60 },
        ]),
      ),
    ).toEqual({ kind: 'pass' });
  });

  it('[SCL4] property: any code of 4+ printable characters sent within the gap is scanned as sent; any gap over it before Enter is not', () => {
    const codeArb = fc.stringMatching(/^[A-Za-z0-9._-]{4,32}$/);
    const options = DEFAULT_SCANNER_OPTIONS;
    fc.assert(
      fc.property(
        codeArb,
        fc.array(fc.integer({ min: 0, max: options.maxGapMs }), { minLength: 33, maxLength: 33 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (code, gaps, start) => {
          let at = start;
          const keys = [...Array.from(code), 'Enter'].map((key, i) => {
            at += gaps[i] ?? 0;
            return { key, at };
          });
          expect(last(feed(keys, options))).toEqual({ kind: 'scan', code });
        },
      ),
    );
    fc.assert(
      fc.property(codeArb, fc.integer({ min: options.maxGapMs + 1, max: 10_000 }), (code, pause) => {
        expect(last(feed(typed(code, 5, pause), options))).toEqual({ kind: 'pass' });
      }),
    );
  });

  it('[SCL4] a technician may widen the gap for a slow scanner, within bounds; anything else keeps the default', () => {
    expect(parseScannerGap('80')).toEqual({ ...DEFAULT_SCANNER_OPTIONS, maxGapMs: 80 });
    expect(parseScannerGap(' 120 ')).toEqual({ ...DEFAULT_SCANNER_OPTIONS, maxGapMs: 120 });
    for (const saved of [null, '', 'abc', '5', '151', '1e2', '-40', '60.5'])
      expect(parseScannerGap(saved)).toEqual(DEFAULT_SCANNER_OPTIONS);
  });
});
