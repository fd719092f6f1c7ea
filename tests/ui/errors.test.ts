// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { REASON_STATUS, type Reason } from '../../src/contract/reasons.js';
import { ApiFailure } from '../../src/ui/api/http.js';
import { errorText } from '../../src/ui/errors.js';
import { createAppI18n } from '../../src/ui/i18n.js';

// That every reason has one message in each locale is the compiler's check (src/ui/error-messages.ts);
// here, that the messages render as sentences.
describe('error messages, one place', () => {
  const reasons = Object.keys(REASON_STATUS) as Reason[];

  for (const locale of ['es-CO', 'en'] as const) {
    it(`has a ${locale} message for every reason the host answers`, () => {
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
