import { useI18n } from 'vue-i18n';
import { useErrorText } from './errors.js';
import { clockParts } from './format.js';

/**
 * A reason the cloud gave during an upload (an item it rejected, an attempt that failed). Some
 * reasons mean something else there than as a command's error (`unauthorized` is the terminal's
 * cloud token, not the cashier's session), so `upload.reasons` comes first, then the one map of
 * errors; a reason neither knows is the cloud's, shown with its code.
 */
export function useUploadReasonText(): (reason: string) => string {
  const i18n = useI18n();
  const errorText = useErrorText();
  return (reason) => {
    const key = `upload.reasons.${reason}`;
    if (i18n.te(key)) return i18n.t(key);
    if (i18n.te(`errors.${reason}`)) return errorText(reason);
    return i18n.t('upload.reasons.unknown', { reason });
  };
}

/**
 * When something happened, in the store's time, as a sentence needs it: `at` ("a las 14:05", "el
 * 27/11 a las 14:05") or `since` ("desde las 14:05", "desde el 27/11 a las 14:05").
 */
export function useUploadWhen(): { at: (iso: string) => string; since: (iso: string) => string } {
  const i18n = useI18n();
  const phrase = (kind: 'at' | 'since', iso: string) => {
    const { time, day } = clockParts(iso);
    return day === null
      ? i18n.t(`upload.when.${kind}`, { time })
      : i18n.t(`upload.when.${kind}Day`, { time, day });
  };
  return { at: (iso) => phrase('at', iso), since: (iso) => phrase('since', iso) };
}
