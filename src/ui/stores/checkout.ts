import { defineStore, storeToRefs } from 'pinia';
import { computed, ref } from 'vue';
import type { SaleAnswer } from '../../contract/host-api.js';
import type { Invoice } from '../../domain/invoice.js';
import { money } from '../../domain/money.js';
import { settlePayments, type PaymentMethod } from '../../domain/payment.js';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import { PIN_REASONS } from '../errors.js';
import { parseMoneyInput } from '../format.js';
import { moneyText } from '../money-typing.js';
import { useCartStore } from './cart.js';
import { useHealthStore } from './health.js';
import { useManagerStore, type GuardedDetail } from './manager.js';
import { useReceiptStore } from './receipt.js';

export interface PaymentEntry {
  readonly method: PaymentMethod;
  readonly amount: number;
}

/**
 * The payment dialog and the sale command. Payments already added plus the amount being typed
 * are settled with the domain's settlePayments (for the change and what is missing); the host
 * settles the real invoice. Confirming sends the cart's command id: a double click, or a retry
 * after a timeout, returns the same invoice.
 */
export const useCheckoutStore = defineStore('checkout', () => {
  const cart = useCartStore();
  const { totals } = storeToRefs(cart);
  const open = ref(false);
  const payments = ref<PaymentEntry[]>([]);
  const method = ref<PaymentMethod>('cash');
  const amountText = ref('');
  const inFlight = ref(false);
  const error = ref<string | null>(null);
  const lastInvoice = ref<Invoice | null>(null);

  const total = computed(() => totals.value?.total ?? 0);
  const typedAmount = computed(() => parseMoneyInput(amountText.value) ?? 0);
  /** What the sale would be paid with if confirmed now: the list plus the amount being typed. */
  const effectivePayments = computed<PaymentEntry[]>(() =>
    typedAmount.value > 0
      ? [...payments.value, { method: method.value, amount: typedAmount.value }]
      : payments.value,
  );
  const paid = computed(() => effectivePayments.value.reduce((sum, p) => sum + p.amount, 0));
  const addedPaid = computed(() => payments.value.reduce((sum, p) => sum + p.amount, 0));
  const settlement = computed(() => settlePayments(money(total.value), effectivePayments.value));
  const due = computed(() => Math.max(0, total.value - paid.value));
  /** Still to cover by the payments already added (what a new payment line would be for). */
  const remaining = computed(() => Math.max(0, total.value - addedPaid.value));
  const change = computed(() => (settlement.value.ok ? settlement.value.value.change : 0));
  const problem = computed(() => (settlement.value.ok ? undefined : settlement.value.reason));
  const canConfirm = computed(() => settlement.value.ok && cart.isValid && !inFlight.value);

  function openDialog(): boolean {
    if (!cart.isValid || open.value) return false;
    payments.value = [];
    method.value = 'cash';
    amountText.value = '';
    error.value = null;
    open.value = true;
    return true;
  }

  function closeDialog(): void {
    if (inFlight.value) return;
    open.value = false;
  }

  function selectMethod(next: PaymentMethod): void {
    method.value = next;
    // Cards and transfers never exceed what is due: offer exactly that.
    if (next !== 'cash' && remaining.value > 0) amountText.value = moneyText(remaining.value);
  }

  function setExact(): void {
    amountText.value = moneyText(remaining.value);
  }

  /** CASH1: a quick cash button adds its bills to what was received (50.000 twice is 100.000). */
  function addCash(amount: number): void {
    amountText.value = moneyText(typedAmount.value + amount);
  }

  /** Mixed payments: put the typed amount on the list and go on with the rest. */
  function addPayment(): void {
    if (typedAmount.value <= 0) return;
    payments.value = [...payments.value, { method: method.value, amount: typedAmount.value }];
    method.value = 'cash';
    amountText.value = '';
  }

  function removePayment(index: number): void {
    payments.value = payments.value.filter((_, i) => i !== index);
  }

  /** The largest discount above the limit: what the manager authorizes. */
  function discountDetail(): GuardedDetail | undefined {
    const over = cart.rows
      .filter((r) => cart.exceedsDiscountLimit(r.line.discountPercent))
      .sort((a, b) => b.line.discountPercent - a.line.discountPercent)[0];
    if (!over) return undefined;
    return {
      kind: 'discount',
      product: over.product?.name ?? over.line.sku,
      percent: over.line.discountPercent,
      limit: useHealthStore().discountLimitPercent,
    };
  }

  async function confirm(): Promise<Invoice | undefined> {
    if (!canConfirm.value) return undefined;
    inFlight.value = true;
    error.value = null;
    const body = {
      commandId: cart.commandId,
      lines: cart.saleLines(),
      payments: effectivePayments.value,
      ...(cart.channel === 'mostrador' ? {} : { channel: cart.channel }),
      ...(cart.identifiedCustomer ? { customer: cart.identifiedCustomer } : {}),
    };
    const sell = (pin: string | undefined) => api.sell(body, pin);
    try {
      let answer: SaleAnswer | undefined;
      try {
        answer = await sell(cart.managerPin ?? undefined);
      } catch (failure) {
        const reason = reasonOf(failure);
        if (reason !== 'manager-required' && !PIN_REASONS.includes(reason)) throw failure;
        // The discount needs a manager and the PIN was missing or wrong: ask for it, same command.
        cart.setManagerPin(null);
        answer = await useManagerStore().authorize('discount', sell, discountDetail());
      }
      if (!answer) return undefined;
      const invoice = answer.invoice;
      lastInvoice.value = invoice;
      open.value = false;
      cart.clear();
      useReceiptStore().show(invoice, answer.print);
      return invoice;
    } catch (failure) {
      error.value = reasonOf(failure);
      return undefined;
    } finally {
      inFlight.value = false;
    }
  }

  return {
    open,
    payments,
    method,
    amountText,
    inFlight,
    error,
    lastInvoice,
    total,
    paid,
    due,
    remaining,
    change,
    problem,
    canConfirm,
    effectivePayments,
    openDialog,
    closeDialog,
    selectMethod,
    setExact,
    addCash,
    clearAmount: () => {
      amountText.value = '';
    },
    addPayment,
    removePayment,
    confirm,
    reset: () => {
      open.value = false;
      payments.value = [];
      amountText.value = '';
      error.value = null;
    },
  };
});
