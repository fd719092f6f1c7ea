import type { PaymentMethod } from '../../domain/payment.js';
import { defineStore, storeToRefs } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import { newCommandId } from '../command-id.js';
import type { InvoiceRow } from '../live/views.js';
import { useLiveStore } from './live.js';
import { useManagerStore } from './manager.js';
import { useToastStore } from './toasts.js';
import { priceReturn } from '../../domain/returns.js';
import { cop as formatCop, invoiceLabel } from '../format.js';

const PAGE = 100;

/**
 * The invoice list (every terminal's, live from the journals): filters, the selected invoice and
 * its void. The void's command id is made when the dialog opens and reused on retry.
 */
export const useInvoicesStore = defineStore('invoices', () => {
  const { ledger } = storeToRefs(useLiveStore());
  const terminal = ref('');
  const text = ref('');
  const limit = ref(PAGE);
  const selectedId = ref<string | null>(null);
  const voidOpen = ref(false);
  const voidReason = ref('');
  /** CRN1: the DIAN concept of the credit note (2 anulación unless the manager says). */
  const voidConcept = ref<'2' | '3' | '4'>('2');
  /** CRN2: the money goes back as it was paid, or all through one means. */
  const voidRefund = ref<'as-paid' | PaymentMethod>('as-paid');
  const voidBusy = ref(false);
  const voidError = ref<string | null>(null);
  let voidCommandId = '';

  // RET1: a partial return of the selected invoice: quantities typed per product, the reason and
  // the payment means the money goes back through; its command id is reused on retry.
  const returnOpen = ref(false);
  const returnQuantities = ref<Record<string, string>>({});
  const returnReason = ref('');
  const returnRefund = ref<PaymentMethod>('cash');
  const returnBusy = ref(false);
  const returnError = ref<string | null>(null);
  let returnCommandId = '';

  const filtered = computed<readonly InvoiceRow[]>(() => {
    const query = text.value.trim().toLowerCase();
    const byTerminal = terminal.value;
    if (query === '' && byTerminal === '') return ledger.value.invoices;
    return ledger.value.invoices.filter(
      (row) =>
        (byTerminal === '' || row.invoice.terminalId === byTerminal) &&
        (query === '' || row.searchText.includes(query)),
    );
  });
  const visible = computed(() => filtered.value.slice(0, limit.value));
  const hasMore = computed(() => filtered.value.length > limit.value);
  const selected = computed(() =>
    selectedId.value === null
      ? undefined
      : ledger.value.invoices.find((row) => row.invoice.id === selectedId.value),
  );

  function setFilters(next: { terminal?: string; text?: string }): void {
    if (next.terminal !== undefined) terminal.value = next.terminal;
    if (next.text !== undefined) text.value = next.text;
    limit.value = PAGE;
  }

  function select(id: string | null): void {
    selectedId.value = id;
  }

  function startVoid(): void {
    if (!selected.value || selected.value.voidedBy) return;
    voidCommandId = newCommandId('anula');
    voidReason.value = '';
    voidConcept.value = '2';
    voidRefund.value = 'as-paid';
    voidError.value = null;
    voidOpen.value = true;
  }

  function cancelVoid(): void {
    if (!voidBusy.value) voidOpen.value = false;
  }

  async function confirmVoid(): Promise<boolean> {
    const row = selected.value;
    const reason = voidReason.value.trim();
    if (!row || voidBusy.value) return false;
    if (reason.length < 3) {
      voidError.value = 'void-reason-required';
      return false;
    }
    voidBusy.value = true;
    voidError.value = null;
    try {
      const answer = await useManagerStore().authorize(
        'void',
        (pin) =>
          api.voidInvoice(row.invoice.id, reason, voidCommandId, pin, {
            concept: voidConcept.value,
            ...(voidRefund.value === 'as-paid' ? {} : { refundMethod: voidRefund.value }),
          }),
        { kind: 'invoice', number: row.invoice.number, total: row.invoice.total },
      );
      if (!answer) return false;
      voidOpen.value = false;
      useToastStore().info('invoices.voidDone', { number: invoiceLabel(row.invoice) });
      return true;
    } catch (failure) {
      voidError.value = reasonOf(failure);
      return false;
    } finally {
      voidBusy.value = false;
    }
  }

  /** What the typed quantities return: the lines the host would price, or a reason. */
  const returnRequest = computed(() => {
    const lines: { sku: string; quantity: number }[] = [];
    for (const [sku, typed] of Object.entries(returnQuantities.value)) {
      const text = typed.trim().replace(',', '.');
      if (text === '' || Number(text) === 0) continue;
      const quantity = Number(text);
      if (!Number.isFinite(quantity) || quantity < 0) return { lines, problem: 'invalid-quantity' };
      lines.push({ sku, quantity });
    }
    return { lines, problem: lines.length === 0 ? 'invalid-return' : null };
  });

  /** RET2: the same pricing the host does (cumulative rounding over earlier returns). */
  const returnPreview = computed(() => {
    const row = selected.value;
    const request = returnRequest.value;
    if (!row || request.problem !== null) return null;
    return priceReturn(row.invoice, request.lines, row.returns);
  });

  function startReturn(): void {
    const row = selected.value;
    if (!row || row.voidedBy) return;
    returnCommandId = newCommandId('devol');
    returnQuantities.value = Object.fromEntries(row.invoice.lines.map((l) => [l.sku, '']));
    returnReason.value = '';
    // The money goes back the way it came in when there was one means; cash otherwise.
    const methods = new Set(row.invoice.payments.map((p) => p.method));
    returnRefund.value = methods.size === 1 ? ([...methods][0] ?? 'cash') : 'cash';
    returnError.value = null;
    returnOpen.value = true;
  }

  function cancelReturn(): void {
    if (!returnBusy.value) returnOpen.value = false;
  }

  async function confirmReturn(): Promise<boolean> {
    const row = selected.value;
    const reason = returnReason.value.trim();
    const request = returnRequest.value;
    if (!row || returnBusy.value) return false;
    if (request.problem !== null) {
      returnError.value = request.problem;
      return false;
    }
    if (reason.length < 3) {
      returnError.value = 'void-reason-required';
      return false;
    }
    returnBusy.value = true;
    returnError.value = null;
    try {
      const answer = await useManagerStore().authorize(
        'return',
        (pin) =>
          api.returnLines(
            row.invoice.id,
            {
              commandId: returnCommandId,
              reason,
              lines: request.lines,
              refund: { method: returnRefund.value },
            },
            pin,
          ),
        { kind: 'invoice', number: row.invoice.number, total: row.invoice.total },
      );
      if (!answer) return false;
      returnOpen.value = false;
      useToastStore().info('invoices.returnDone', {
        number: invoiceLabel(row.invoice),
        amount: formatCop(answer.creditNote.amount),
      });
      return true;
    } catch (failure) {
      returnError.value = reasonOf(failure);
      return false;
    } finally {
      returnBusy.value = false;
    }
  }

  return {
    returnOpen,
    returnQuantities,
    returnReason,
    returnRefund,
    returnBusy,
    returnError,
    returnPreview,
    startReturn,
    cancelReturn,
    confirmReturn,
    voidConcept,
    voidRefund,
    terminal,
    text,
    filtered,
    visible,
    hasMore,
    selectedId,
    selected,
    voidOpen,
    voidReason,
    voidBusy,
    voidError,
    setFilters,
    select,
    showMore: () => {
      limit.value += PAGE;
    },
    startVoid,
    cancelVoid,
    confirmVoid,
    reset: () => {
      terminal.value = '';
      text.value = '';
      limit.value = PAGE;
      selectedId.value = null;
      voidOpen.value = false;
      returnOpen.value = false;
    },
  };
});
