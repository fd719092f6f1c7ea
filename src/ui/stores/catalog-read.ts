import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import type { CatalogReadAnswer } from '../../contract/host-api.js';
import { useLiveStore } from './live.js';
import { useManagerStore } from './manager.js';

/** "Leer catálogo" (manager): the host reads the cloud's catalog and reports what changed. */
export const useCatalogReadStore = defineStore('catalogRead', () => {
  const busy = ref(false);
  const error = ref<string | null>(null);
  const result = shallowRef<CatalogReadAnswer | null>(null);
  /** Names of the products before this reading: a retired product is named, not listed by SKU. */
  const namesBefore = shallowRef<ReadonlyMap<string, string>>(new Map());

  async function read(): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    const live = useLiveStore();
    const before = new Map(live.products.map((p) => [p.sku, p.name] as const));
    try {
      const answer = await useManagerStore().authorize('read-catalog', (pin) => api.readCatalog(pin));
      if (answer) {
        namesBefore.value = before;
        result.value = answer;
        // This screen shows the new catalog now, not at the next health poll.
        void live.refreshCatalog();
      }
    } catch (failure) {
      error.value = reasonOf(failure);
    } finally {
      busy.value = false;
    }
  }

  function reset(): void {
    error.value = null;
    result.value = null;
  }

  return { busy, error, result, namesBefore, read, reset };
});
