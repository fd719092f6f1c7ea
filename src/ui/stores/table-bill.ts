import { defineStore, storeToRefs } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PrintAnswer } from '../../contract/host-api.js';
import type { Invoice } from '../../domain/invoice.js';
import { money } from '../../domain/money.js';
import { settlePayments, type PaymentMethod } from '../../domain/payment.js';
import { suggestedTip } from '../../domain/totals.js';
import { previewBill } from '../../restaurant/bill-preview.js';
import type { SplitRequest } from '../../restaurant/floor.js';
import { floorApi } from '../api/floor-endpoints.js';
import { reasonOf } from '../api/http.js';
import { newCommandId } from '../command-id.js';
import { parseMoneyInput } from '../format.js';
import { useFloorStore } from './floor.js';
import { useHealthStore } from './health.js';

const UNCERTAIN: readonly string[] = [
  'timeout',
  'network-error',
  'invalid-response',
  'internal-error',
  'journal-write-failed',
];

export type SplitKind = 'none' | 'equal' | 'lines';

export interface PartPayment {
  readonly method: PaymentMethod;
  /** What the customer gives, as typed; empty means the exact amount. */
  readonly amountText: string;
  /** FLR6: a second means pays the rest of the part (cash + card), never with change. */
  readonly second?: PaymentMethod | undefined;
}

/** A part's payment list: one means, or the amount typed by the first and the rest by a second. */
export function partPayments(entry: PartPayment, total: number): { method: PaymentMethod; amount: number }[] {
  const typed = parseMoneyInput(entry.amountText);
  if (entry.second !== undefined && typed !== null && typed > 0 && typed < total)
    return [
      { method: entry.method, amount: typed },
      { method: entry.second, amount: total - typed },
    ];
  const amount = typed ?? total;
  return amount > 0 ? [{ method: entry.method, amount }] : [];
}

/**
 * Closing a table (Cobrar): the split (one bill, equal parts, or by lines), the tip (suggested
 * 10 %, editable, may be 0), one payment per part, then the close command. The amounts shown are
 * src/restaurant/bill-preview.ts's (the host's own split and tip sharing); the command id is made
 * when the dialog opens and reused on every retry, so a retry never charges twice (FLR6).
 */
export const useTableBillStore = defineStore('table-bill', () => {
  const floorStore = useFloorStore();
  const { current, bySku, selectedTableId } = storeToRefs(floorStore);
  const open = ref(false);
  const tableId = ref<string | null>(null);
  const commandId = ref('');
  const splitKind = ref<SplitKind>('none');
  const partCount = ref(2);
  /** By lines: the part (0-based) each line goes to. */
  const assignment = ref<Record<string, number>>({});
  const tipText = ref('');
  const payments = ref<PartPayment[]>([]);
  const inFlight = ref(false);
  const error = ref<string | null>(null);
  /**
   * A close failed in a way that may have issued some parts (a timeout, a lost answer): it must
   * be retried exactly as it was, so the split, tip and payments can no longer change.
   */
  const locked = ref(false);
  /** The invoices the close issued, shown until the cashier is done with them. */
  const issued = shallowRef<readonly Invoice[]>([]);
  /** PRN2: what the close did about their receipts (queued on the receipt printer, or the browser). */
  const issuedPrint = shallowRef<PrintAnswer | null>(null);

  const billable = computed(() => current.value?.lines.filter((l) => l.quantityMilli > 0) ?? []);
  const parts = computed(() => (splitKind.value === 'none' ? 1 : partCount.value));

  const splitRequest = computed<SplitRequest | undefined>(() => {
    if (splitKind.value === 'none') return undefined;
    if (splitKind.value === 'equal') return { kind: 'equal', parts: partCount.value };
    const lists: string[][] = Array.from({ length: partCount.value }, () => []);
    for (const l of billable.value) lists[assignment.value[l.line.id] ?? 0]?.push(l.line.id);
    return { kind: 'lines', parts: lists };
  });

  const tip = computed(() => {
    const text = tipText.value.trim();
    return text === '' ? 0 : (parseMoneyInput(text) ?? -1);
  });

  const { fiscal } = storeToRefs(useHealthStore());
  const preview = computed(() =>
    previewBill(billable.value, bySku.value, splitRequest.value, Math.max(tip.value, 0), fiscal.value),
  );
  /** The bill as split, without a tip: its tip base gives the suggestion and the 10 % limit (TIP2). */
  const untipped = computed(() =>
    previewBill(billable.value, bySku.value, splitRequest.value, 0, fiscal.value),
  );
  const service = computed(() => (untipped.value.ok ? untipped.value.value.tipBase : 0));
  const maxTipAmount = computed(() => (untipped.value.ok ? untipped.value.value.maxTip : 0));
  const tipProblem = computed(() => (tip.value < 0 || tip.value > maxTipAmount.value ? 'invalid-tip' : null));

  const settlements = computed(() => {
    const p = preview.value;
    if (!p.ok) return [];
    return p.value.parts.map((part, i) => {
      const entry = payments.value[i] ?? { method: 'cash' as const, amountText: '' };
      return settlePayments(money(part.total), partPayments(entry, part.total));
    });
  });
  /** By lines: a part with nothing in it (the split is refused until every part has a line). */
  const emptyPart = computed(() => {
    const split = splitRequest.value;
    return split?.kind === 'lines' && split.parts.some((p) => p.length === 0);
  });
  const problem = computed<string | null>(() => {
    if (tipProblem.value) return tipProblem.value;
    if (!preview.value.ok) return preview.value.reason;
    for (const s of settlements.value) if (!s.ok) return s.reason;
    return null;
  });
  const canConfirm = computed(() => problem.value === null && !inFlight.value && billable.value.length > 0);

  function resizePayments(): void {
    payments.value = Array.from(
      { length: parts.value },
      (_, i) => payments.value[i] ?? { method: 'cash', amountText: '' },
    );
  }

  function openDialog(): boolean {
    const order = current.value?.order;
    if (!order || selectedTableId.value === null || billable.value.length === 0) return false;
    // After an uncertain failure the same close is retried, never a new one.
    if (locked.value && tableId.value === selectedTableId.value) {
      open.value = true;
      return true;
    }
    tableId.value = selectedTableId.value;
    commandId.value = newCommandId('mesa');
    splitKind.value = 'none';
    partCount.value = 2;
    assignment.value = {};
    // The tip chosen for the pre-bill, here or on another terminal (FLR7).
    const chosen = floorStore.tips[order.id] ?? order.billTip ?? undefined;
    tipText.value = String(chosen ?? suggestedTip(money(service.value)));
    payments.value = [];
    resizePayments();
    error.value = null;
    locked.value = false;
    issued.value = [];
    open.value = true;
    return true;
  }

  function setSplit(kind: SplitKind, count = partCount.value): void {
    if (locked.value) return;
    splitKind.value = kind;
    partCount.value = Math.min(Math.max(Math.round(count), 2), 20);
    if (kind === 'lines') {
      // Lines not placed yet are dealt round the parts, so every part starts with something.
      const next: Record<string, number> = {};
      billable.value.forEach((l, i) => {
        const part = assignment.value[l.line.id];
        next[l.line.id] = part === undefined ? i % partCount.value : Math.min(part, partCount.value - 1);
      });
      assignment.value = next;
    }
    resizePayments();
  }

  function assign(lineId: string, part: number): void {
    if (locked.value) return;
    assignment.value = { ...assignment.value, [lineId]: part };
  }

  function setPayment(index: number, change: Partial<PartPayment>): void {
    if (locked.value) return;
    payments.value = payments.value.map((p, i) => (i === index ? { ...p, ...change } : p));
  }

  function setTipPercent(percent: number): void {
    if (locked.value) return;
    tipText.value = String(suggestedTip(money(service.value), percent));
  }

  async function confirm(): Promise<readonly Invoice[] | undefined> {
    const p = preview.value;
    const order = current.value?.order;
    if (!canConfirm.value || !p.ok || tableId.value === null || !order) return undefined;
    const lists = p.value.parts.map((part, i) =>
      partPayments(payments.value[i] ?? { method: 'cash', amountText: '' }, part.total),
    );
    inFlight.value = true;
    error.value = null;
    floorStore.closingHere(order.id);
    try {
      const answer = await floorApi.close(tableId.value, {
        commandId: commandId.value,
        payments: splitRequest.value ? lists : (lists[0] ?? []),
        tip: Math.max(tip.value, 0),
        ...(splitRequest.value ? { split: splitRequest.value } : {}),
      });
      issued.value = answer.invoices;
      issuedPrint.value = answer.print;
      open.value = false;
      return answer.invoices;
    } catch (failure) {
      error.value = reasonOf(failure);
      // The host checks every part before issuing the first: only these may have issued some.
      if (UNCERTAIN.includes(error.value)) locked.value = true;
      return undefined;
    } finally {
      inFlight.value = false;
    }
  }

  /** Done with the issued invoices: back to the floor. */
  function finish(): void {
    issued.value = [];
    issuedPrint.value = null;
    floorStore.select(null);
  }

  function reset(): void {
    open.value = false;
    locked.value = false;
    inFlight.value = false;
    error.value = null;
    issued.value = [];
    issuedPrint.value = null;
  }

  return {
    open,
    tableId,
    commandId,
    splitKind,
    partCount,
    assignment,
    tipText,
    payments,
    inFlight,
    error,
    locked,
    issued,
    issuedPrint,
    billable,
    parts,
    splitRequest,
    tip,
    preview,
    service,
    maxTipAmount,
    tipProblem,
    settlements,
    emptyPart,
    problem,
    canConfirm,
    openDialog,
    closeDialog: () => {
      if (!inFlight.value) open.value = false;
    },
    setSplit,
    assign,
    setPayment,
    setTipPercent,
    confirm,
    finish,
    reset,
  };
});
