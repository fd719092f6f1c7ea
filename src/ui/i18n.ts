import { createI18n } from 'vue-i18n';
import en from './locales/en.json';
import esCO from './locales/es-CO.json';

/** Spanish (Colombia) first; English for support staff. Every string the cashier sees is here. */
export type MessageSchema = typeof esCO;
export const LOCALES = ['es-CO', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];

const LOCALE_KEY = 'caja.locale';

/** The language chosen on this screen before (kept in localStorage), else Spanish. */
export function savedLocale(): AppLocale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(LOCALE_KEY);
  return saved === 'en' ? 'en' : 'es-CO';
}

export function saveLocale(locale: AppLocale): void {
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
}

export function createAppI18n(locale: AppLocale = 'es-CO') {
  return createI18n<[MessageSchema], AppLocale, false>({
    // Composition mode. vue-i18n 11 still defaults to the legacy API unless the build defines
    // __VUE_I18N_LEGACY_API__ as false, so it must be said here.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { 'es-CO': esCO, en },
  });
}
