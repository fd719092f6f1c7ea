import { useI18n } from 'vue-i18n';
import type { Reason } from '../contract/reasons.js';
import { reasonOf } from './api/http.js';

/**
 * Every failure reason the UI can meet, mapped to a message in ONE place: the locale files hold
 * `errors.<reason>` for each (the compiler checks it, error-messages.ts); a reason from a newer
 * host or the cloud falls back to a generic message that shows the reason code, so support staff
 * can still tell what happened.
 */
export const PIN_REASONS: readonly string[] = [
  'invalid-pin',
  'not-a-manager',
  'too-many-attempts',
] satisfies readonly Reason[];

type Translate = (key: string, params?: Record<string, unknown>) => string;
type Exists = (key: string) => boolean;

export function errorText(t: Translate, te: Exists, errorOrReason: unknown): string {
  const reason = typeof errorOrReason === 'string' ? errorOrReason : reasonOf(errorOrReason);
  const key = `errors.${reason}`;
  return te(key) ? t(key) : t('errors.generic', { reason });
}

/** For components: `const errorMessage = useErrorText(); errorMessage(reasonOrError)`. */
export function useErrorText(): (errorOrReason: unknown) => string {
  const i18n = useI18n();
  return (errorOrReason) =>
    errorText(
      (key, params) => i18n.t(key, params ?? {}),
      (key) => i18n.te(key),
      errorOrReason,
    );
}
