// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../src/ui/api/http.js';
import { errorText } from '../../src/ui/errors.js';
import { createAppI18n } from '../../src/ui/i18n.js';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Every reason the host can answer: reasons.ts, the domain's and the commands' result reasons, HTTP errors. */
function allReasons(): string[] {
  const reasons = new Set<string>();
  for (const m of read('src/host/api/reasons.ts').matchAll(/^\s+'?([a-z][a-z-]*)'?: \d{3},$/gm))
    reasons.add(m[1] ?? '');
  const sources = [
    ...readdirSync(join(root, 'src/domain'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/domain/${f}`),
    'src/invoice/cashbox.ts',
    'src/invoice/ledger.ts',
    'src/invoice/write-health.ts',
    'src/host/sessions.ts',
    'src/invoice/numbering.ts',
    'src/invoice/compose-invoice.ts',
    'src/http/errors.ts',
    'src/restaurant/service.ts',
    'src/restaurant/floor.ts',
    'src/restaurant/bill-preview.ts',
  ];
  for (const path of sources) {
    const text = read(path);
    for (const m of text.matchAll(/err\(\s*'([a-z-]+)'/g)) reasons.add(m[1] ?? '');
    for (const m of text.matchAll(/error: '([a-z-]+)'/g)) reasons.add(m[1] ?? '');
    for (const union of text.matchAll(/type \w*Reason =([^;]+);/g))
      for (const m of (union[1] ?? '').matchAll(/'([a-z-]+)'/g)) reasons.add(m[1] ?? '');
  }
  reasons.delete('');
  return [...reasons].sort();
}

describe('error messages, one place', () => {
  const reasons = allReasons();

  it('finds the host reasons (sanity of the scan)', () => {
    expect(reasons).toContain('range-exhausted');
    expect(reasons).toContain('too-many-attempts');
    expect(reasons).toContain('non-cash-overpayment');
    expect(reasons).toContain('payload-too-large');
    expect(reasons.length).toBeGreaterThan(40);
  });

  for (const locale of ['es-CO', 'en'] as const) {
    it(`has a ${locale} message for every reason of reasons.ts, the domain and the commands`, () => {
      const i18n = createAppI18n(locale).global;
      const missing = reasons.filter((reason) => !i18n.te(`errors.${reason}`, locale));
      expect(missing).toEqual([]);
      for (const reason of reasons) {
        const text = errorText(
          (k, p) => i18n.t(k, p ?? {}),
          (k) => i18n.te(k, locale),
          reason,
        );
        expect(text).not.toContain('errors.');
        expect(text.length).toBeGreaterThan(5);
      }
    });
  }

  const spanish = () => {
    const i18n = createAppI18n().global;
    return [
      (k: string, p?: Record<string, unknown>) => i18n.t(k, p ?? {}),
      (k: string) => i18n.te(k),
    ] as const;
  };

  it('maps an ApiFailure by its reason, in Spanish by default', () => {
    const [t, te] = spanish();
    expect(errorText(t, te, new ApiFailure(409, 'no-open-shift', 'x'))).toMatch(/turno abierto/);
    expect(errorText(t, te, 'invalid-pin')).toBe('PIN incorrecto.');
  });

  it('falls back to a generic message that shows the reason code', () => {
    const [t, te] = spanish();
    const text = errorText(t, te, 'some-new-reason');
    expect(text).toContain('some-new-reason');
    expect(text).toMatch(/No se pudo/);
    expect(errorText(t, te, new Error('boom'))).toContain('inesperado');
  });
});
