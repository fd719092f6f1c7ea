/**
 * The HTTP status of every reason a command can fail with — in one place, as the UI maps the same
 * reasons to Spanish messages in one place.
 */
const STATUS: Record<string, number> = {
  'invalid-body': 400,
  'invalid-query': 400,
  'invalid-path': 400,
  'malformed-json': 400,
  unauthorized: 401,
  'invalid-pin': 401,
  forbidden: 403,
  'manager-required': 403,
  'not-a-manager': 403,
  'unknown-invoice': 404,
  'not-found': 404,
  'no-open-shift': 409,
  'shift-already-open': 409,
  'command-id-reused': 409,
  'range-exhausted': 409,
  'range-not-valid': 409,
  'unknown-sku': 422,
  'inactive-product': 422,
  'empty-sale': 422,
  'invalid-quantity': 422,
  'fractional-quantity': 422,
  'invalid-discount': 422,
  'invalid-price': 422,
  'invalid-tip': 422,
  'unknown-payment-method': 422,
  'invalid-payment-amount': 422,
  'payment-insufficient': 422,
  'non-cash-overpayment': 422,
  'no-payments': 422,
  'invalid-customer': 422,
  'too-many-attempts': 429,
  'journal-write-failed': 500,
  'cloud-unreachable': 503,
  'cloud-timeout': 504,
  'cloud-error': 502,
  'invalid-cloud-answer': 502,
};

export function statusOf(reason: string): number {
  return STATUS[reason] ?? 400;
}
