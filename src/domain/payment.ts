import { addMoney, money, subMoney, type Money } from './money.js';
import { err, ok, type Result } from './result.js';

/** Payment means with their DIAN codes (MediosDePago). Nequi and Daviplata go as transfer (47). */
export const PAYMENT_METHODS = {
  cash: { code: '10', label: 'Efectivo' },
  transfer: { code: '47', label: 'Transferencia' },
  'credit-card': { code: '48', label: 'Tarjeta crédito' },
  'debit-card': { code: '49', label: 'Tarjeta débito' },
  other: { code: 'ZZZ', label: 'Otro' },
} as const;

export type PaymentMethod = keyof typeof PAYMENT_METHODS;
export type DianPaymentCode = (typeof PAYMENT_METHODS)[PaymentMethod]['code'];
export const PAYMENT_METHOD_IDS = [
  'cash',
  'transfer',
  'credit-card',
  'debit-card',
  'other',
] as const satisfies readonly PaymentMethod[];

export function isPaymentMethod(value: unknown): value is PaymentMethod {
  return typeof value === 'string' && Object.hasOwn(PAYMENT_METHODS, value);
}

export interface PaymentRequest {
  readonly method: string;
  readonly amount: number;
}

export interface Payment {
  readonly method: PaymentMethod;
  readonly code: DianPaymentCode;
  readonly amount: Money;
}

export interface Settlement {
  readonly payments: readonly Payment[];
  readonly paid: Money;
  readonly change: Money;
}

export type PaymentReason =
  | 'unknown-payment-method'
  | 'invalid-payment-amount'
  | 'payment-insufficient'
  | 'non-cash-overpayment'
  | 'no-payments';

/**
 * Settle a total with the customer's payments (SPEC.md PAY1–PAY4): every amount is a positive
 * whole peso; together they cover the total; only cash may exceed it, and the excess is the
 * change. Card, transfer and other means never exceed what is still due.
 */
export function settlePayments(
  total: Money,
  requests: readonly PaymentRequest[],
): Result<Settlement, PaymentReason> {
  if (requests.length === 0) {
    return total === 0
      ? ok({ payments: [], paid: money(0), change: money(0) })
      : err('no-payments', 'no payments given');
  }
  const payments: Payment[] = [];
  for (const request of requests) {
    if (!isPaymentMethod(request.method)) {
      return err('unknown-payment-method', `unknown payment method "${request.method}"`);
    }
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
      return err('invalid-payment-amount', `payment amounts are positive whole pesos, got ${request.amount}`);
    }
    payments.push({
      method: request.method,
      code: PAYMENT_METHODS[request.method].code,
      amount: money(request.amount),
    });
  }
  const paid = addMoney(...payments.map((p) => p.amount));
  const nonCash = addMoney(...payments.filter((p) => p.method !== 'cash').map((p) => p.amount));
  if (nonCash > total) {
    return err('non-cash-overpayment', 'only cash may exceed the total; card and transfer payments may not');
  }
  if (paid < total) {
    return err('payment-insufficient', `payments (${paid}) do not cover the total (${total})`);
  }
  return ok({ payments, paid, change: subMoney(paid, total) });
}
