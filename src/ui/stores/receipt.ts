import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Invoice } from '../../domain/invoice.js';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';

/**
 * The receipt preview: the host's own HTML receipt of an invoice (what prints), shown after a
 * sale and for a reprint from the invoice list.
 */
export const useReceiptStore = defineStore('receipt', () => {
  const invoice = shallowRef<Invoice | null>(null);
  const html = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
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

  function show(target: Invoice): void {
    invoice.value = target;
    html.value = null;
    void load(target);
  }

  function close(): void {
    asked += 1;
    invoice.value = null;
    html.value = null;
    error.value = null;
    loading.value = false;
  }

  return { invoice, html, loading, error, show, close, retry: () => invoice.value && load(invoice.value) };
});
