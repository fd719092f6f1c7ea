/**
 * Every reason the terminal host's JSON API answers `{error: <reason>, message}` with, and its
 * HTTP status. The union is closed: the host throws only through functions typed with `Reason`
 * (src/host/api/context.ts `refuse`, `fail`), so a command result with a new reason does not
 * compile until the reason is here with its status — and the screen's locale check
 * (src/ui/error-messages.ts) does not compile until it has its Spanish and English message.
 */
export type Reason =
  // The request itself (src/contract/errors.ts, parseOr400 and the framework's parsing errors).
  | 'invalid-body'
  | 'invalid-query'
  | 'invalid-path'
  | 'invalid-text'
  | 'malformed-json'
  | 'bad-request'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'not-found'
  | 'internal-error'
  // Who asks (sessions, manager's PIN, the loopback guard).
  | 'unauthorized'
  | 'invalid-pin'
  | 'unknown-user'
  | 'too-many-attempts'
  | 'forbidden'
  | 'forbidden-host'
  | 'forbidden-origin'
  | 'manager-required'
  | 'not-a-manager'
  // Sales, shifts, voids and returns (src/invoice, src/domain).
  | 'command-id-reused'
  | 'no-open-shift'
  | 'shift-already-open'
  | 'unknown-shift'
  | 'note-required'
  | 'offline-not-authorized'
  | 'range-exhausted'
  | 'range-not-valid'
  | 'clock-behind'
  | 'journal-write-failed'
  | 'disk-full'
  | 'unknown-sku'
  | 'unknown-code'
  | 'bad-check-digit'
  // Printers, stations and print jobs (src/printing, PRN1–PRN7).
  | 'unknown-printer'
  | 'unknown-station'
  | 'unknown-print-job'
  | 'print-job-finished'
  | 'print-job-busy'
  | 'printer-in-use'
  | 'receipt-printer-taken'
  | 'nothing-to-park'
  | 'too-many-parked-sales'
  | 'unknown-parked-sale'
  | 'no-printer'
  | 'inactive-product'
  | 'empty-sale'
  | 'invalid-quantity'
  | 'fractional-quantity'
  | 'invalid-discount'
  | 'invalid-price'
  | 'price-not-open'
  | 'invalid-open-price'
  | 'invalid-tip'
  | 'invalid-channel'
  | 'invalid-customer'
  | 'unknown-payment-method'
  | 'invalid-payment-amount'
  | 'payment-insufficient'
  | 'non-cash-overpayment'
  | 'no-payments'
  | 'unknown-invoice'
  | 'not-voided'
  | 'invoice-voided'
  | 'invalid-return'
  | 'return-exceeds-sale'
  // Comedores (src/restaurant).
  | 'unknown-table'
  | 'unknown-area'
  | 'unknown-line'
  | 'table-name-taken'
  | 'table-occupied'
  | 'table-not-open'
  | 'line-sent'
  | 'line-not-sent'
  | 'nothing-to-send'
  | 'order-closed'
  | 'invalid-split'
  | 'split-payments-mismatch'
  | 'invalid-cancellation'
  // The upload, the contingency episodes, the cloud behind the host (src/upload, src/host).
  | 'unknown-upload'
  | 'upload-running'
  | 'unknown-episode'
  | 'not-ready'
  | 'cloud-unreachable'
  | 'cloud-timeout'
  | 'cloud-error'
  | 'invalid-cloud-answer'
  | 'unknown-store';

export const REASON_STATUS = {
  'invalid-body': 400,
  'invalid-query': 400,
  'invalid-path': 400,
  'invalid-text': 400,
  'malformed-json': 400,
  'bad-request': 400,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'not-found': 404,
  'internal-error': 500,

  unauthorized: 401,
  'invalid-pin': 401,
  'unknown-user': 401,
  'too-many-attempts': 429,
  forbidden: 403,
  'forbidden-host': 403,
  'forbidden-origin': 403,
  'manager-required': 403,
  'not-a-manager': 403,

  'command-id-reused': 409,
  'no-open-shift': 409,
  'shift-already-open': 409,
  'unknown-shift': 404,
  'note-required': 422,
  'offline-not-authorized': 409,
  'range-exhausted': 409,
  'range-not-valid': 409,
  'clock-behind': 409,
  'journal-write-failed': 500,
  'disk-full': 507,
  'unknown-sku': 422,
  'unknown-code': 404,
  'bad-check-digit': 422,
  'unknown-printer': 404,
  'unknown-station': 404,
  'unknown-print-job': 404,
  'print-job-finished': 409,
  'print-job-busy': 409,
  'printer-in-use': 409,
  'receipt-printer-taken': 409,
  'nothing-to-park': 409,
  'too-many-parked-sales': 409,
  'unknown-parked-sale': 404,
  'no-printer': 409,
  'inactive-product': 422,
  'empty-sale': 422,
  'invalid-quantity': 422,
  'fractional-quantity': 422,
  'invalid-discount': 422,
  'invalid-price': 422,
  'price-not-open': 422,
  'invalid-open-price': 422,
  'invalid-tip': 422,
  'invalid-channel': 422,
  'invalid-customer': 422,
  'unknown-payment-method': 422,
  'invalid-payment-amount': 422,
  'payment-insufficient': 422,
  'non-cash-overpayment': 422,
  'no-payments': 422,
  'unknown-invoice': 404,
  'not-voided': 404,
  'invoice-voided': 409,
  'invalid-return': 422,
  'return-exceeds-sale': 422,

  'unknown-table': 404,
  'unknown-area': 404,
  'unknown-line': 404,
  'table-name-taken': 409,
  'table-occupied': 409,
  'table-not-open': 409,
  'line-sent': 409,
  'line-not-sent': 409,
  'nothing-to-send': 409,
  'order-closed': 409,
  'invalid-split': 422,
  'split-payments-mismatch': 422,
  'invalid-cancellation': 422,

  'unknown-upload': 404,
  'upload-running': 409,
  'unknown-episode': 404,
  'not-ready': 503,
  'cloud-unreachable': 503,
  'cloud-timeout': 504,
  'cloud-error': 502,
  'invalid-cloud-answer': 502,
  // The cloud's own answer to "Leer catálogo" or the DIAN read-back, relayed (it always was 400).
  'unknown-store': 400,
} as const satisfies Record<Reason, number>;

export type ReasonStatus = (typeof REASON_STATUS)[Reason];

/** For reasons that come from outside the host (the cloud's answers): is it one of ours? */
export function isReason(value: string): value is Reason {
  return Object.hasOwn(REASON_STATUS, value);
}
