import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import type { DianDocumentState, DianStatusAnswer } from '../../contract/host-api.js';

/** How often Facturas asks the host for the DIAN's status (the host reads the cloud at most every 10 s). */
export const DIAN_POLL_MS = 15_000;

/**
 * DIAN1 in Facturas: each uploaded invoice's and credit note's transmission to the DIAN, as the
 * cloud's read-back says, polled while Facturas is on screen. `error` says why it is not known
 * (the cloud does not answer, say); the last answer stays shown with its time.
 */
export const useDianStore = defineStore('dian', () => {
  const status = shallowRef<DianStatusAnswer | null>(null);
  const error = ref<string | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;
  let inFlight = false;

  async function refresh(): Promise<void> {
    if (inFlight) return;
    inFlight = true;
    try {
      status.value = await api.dianStatus();
      error.value = null;
    } catch (failure) {
      error.value = reasonOf(failure);
    } finally {
      inFlight = false;
    }
  }

  function start(): void {
    stop();
    void refresh();
    timer = setInterval(() => void refresh(), DIAN_POLL_MS);
  }

  function stop(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  function of(id: string): DianDocumentState | undefined {
    return status.value?.documents[id];
  }

  return { status, error, refresh, start, stop, of };
});
