import type { Reason } from '../contract/reasons.js';
import type { InvoiceCheckReason } from '../domain/invoice-check.js';
import type en from './locales/en.json';
import type esCO from './locales/es-CO.json';

/**
 * The compiler checks the locale files' `errors` map (errors.ts shows it): one message, in Spanish
 * and in English, for every reason the host answers (src/contract/reasons.ts), and none for a
 * reason nobody gives. A new reason does not compile until both locales say it.
 */

/** Failures the screen names itself (src/ui/api/http.ts, the stores' and dialogs' own checks). */
export type ScreenReason =
  | 'unexpected-error'
  | 'network-error'
  | 'timeout'
  | 'invalid-response'
  | 'void-reason-required'
  | 'invalid-nit'
  | 'invalid-email'
  | 'scan-incomplete';

/**
 * Everything `errors.<key>` holds: the host's reasons, the screen's, the cloud's checks of an
 * uploaded invoice (shown in the upload report after `upload.reasons`), and the generic message
 * for a reason nobody knew of when this screen was built.
 */
export type ErrorMessageKey = Reason | ScreenReason | InvoiceCheckReason | 'generic';

/**
 * `true` when a locale's `errors` keys are exactly `ErrorMessageKey`; otherwise a type naming the
 * keys that lack a message and the messages of no reason, which `true` does not satisfy.
 */
type ExactlyOneMessageEach<Messages> = [Exclude<ErrorMessageKey, keyof Messages>] extends [never]
  ? [Exclude<keyof Messages, ErrorMessageKey>] extends [never]
    ? true
    : { readonly messagesOfNoReason: Exclude<keyof Messages, ErrorMessageKey> }
  : { readonly reasonsWithoutMessage: Exclude<ErrorMessageKey, keyof Messages> };

export const SPANISH_MESSAGES_COMPLETE: ExactlyOneMessageEach<(typeof esCO)['errors']> = true;
export const ENGLISH_MESSAGES_COMPLETE: ExactlyOneMessageEach<(typeof en)['errors']> = true;
