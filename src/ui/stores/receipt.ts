import { defineStore, storeToRefs } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PrintAnswer } from '../../contract/host-api.js';
import type { Invoice } from '../../domain/invoice.js';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import { useHealthStore } from './health.js';

/**
 * How this receipt prints: `printer` — the host already queued it on the receipt printer; `ask`
 * or `none` — a receipt printer exists, "Imprimir" sends it there; `browser` — no printer, the
 * browser's print dialog (or the kiosk's silent print).
 */
export type ReceiptVia = PrintAnswer['via'];

/**
 * The receipt preview: the host's own HTML receipt of an invoice (what prints), shown after a
 * sale and for a reprint from the invoice list. With a receipt printer (PRN2) the screen never
 * opens the browser's print dialog: the sale's answer says the receipt is printing, and
 * "Imprimir" asks the host to print it (again, "COPIA").
 */
export const useReceiptStore = defineStore('receipt', () => {
  const invoice = shallowRef<Invoice | null>(null);
  const html = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const via = ref<ReceiptVia>('browser');
  /** "Imprimir" on the receipt printer: sending, sent, or the reason it was refused. */
  const printState = ref<'sending' | 'sent' | null>(null);
  const printError = ref<string | null>(null);
  const { health } = storeToRefs(useHealthStore());
  const printerName = computed(() => health.value?.printing.receiptPrinter?.name ?? null);
  let asked = 0;

  async function load(target: Invoice): Promise<void> {
    const ticket = ++asked;
    loading.value = true;
    error.value = null;
    try {
      const text = await api.receiptHtml(target.id);
      if (ticket === asked) html.value = text;
    } catch (failure) {
      if (ticket === asked) error.value = reasonOf(failure);
    } finally {
      if (ticket === asked) loading.value = false;
    }
  }

  /**
   * `print`: what the command that issued it did about printing; without it (a reprint), the
   * receipt printer if this terminal has one, else the browser.
   */
  function show(target: Invoice, print?: PrintAnswer): void {
    invoice.value = target;
    html.value = null;
    printState.value = null;
    printError.value = null;
    via.value = print?.via ?? (health.value?.printing.receiptPrinter ? 'ask' : 'browser');
    void load(target);
  }

  /** PRN2: "Imprimir" on the receipt printer; the host says "COPIA" when it printed before. */
  async function printOnPrinter(): Promise<void> {
    const target = invoice.value;
    if (!target || printState.value === 'sending') return;
    printState.value = 'sending';
    printError.value = null;
    try {
      await api.printInvoice(target.id);
      if (invoice.value === target) printState.value = 'sent';
    } catch (failure) {
      if (invoice.value !== target) return;
      printState.value = null;
      const reason = reasonOf(failure);
      printError.value = reason;
      // The printer was removed meanwhile: the browser prints it.
      if (reason === 'no-printer') via.value = 'browser';
    }
  }

  function close(): void {
    asked += 1;
    invoice.value = null;
    html.value = null;
    error.value = null;
    loading.value = false;
    printState.value = null;
    printError.value = null;
    via.value = 'browser';
  }

  return {
    invoice,
    html,
    loading,
    error,
    via,
    printState,
    printError,
    printerName,
    show,
    printOnPrinter,
    close,
    retry: () => invoice.value && load(invoice.value),
  };
});
