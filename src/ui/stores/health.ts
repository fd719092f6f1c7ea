import { DEFAULT_FISCAL_SETTINGS, type FiscalSettings } from '../../domain/channel.js';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import type { HealthAnswer, OpenShift } from '../../contract/host-api.js';
import { DEFAULT_DISCOUNT_LIMIT_PERCENT } from '../config.js';

export const HEALTH_POLL_MS = 2_500;

/**
 * GET /api/health every 2.5 s while someone is logged in: peers, numbering, the open shift and
 * pending counts, as the host sees them. `shift` can be set at once by the command that changed
 * it, so the screen does not wait for the next poll.
 */
export const useHealthStore = defineStore('health', () => {
  const health = shallowRef<HealthAnswer | null>(null);
  const error = ref<string | null>(null);
  const shiftOverride = ref<{ shift: OpenShift | null; at: number } | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;
  let inFlight = false;

  async function refresh(): Promise<void> {
    if (inFlight) return;
    inFlight = true;
    const asked = Date.now();
    try {
      const next = await api.health();
      health.value = next;
      error.value = null;
      // A poll that started after the command knows better than the command's answer.
      if (shiftOverride.value && shiftOverride.value.at <= asked) shiftOverride.value = null;
    } catch (failure) {
      error.value = reasonOf(failure);
    } finally {
      inFlight = false;
    }
  }

  function start(): void {
    stop();
    void refresh();
    timer = setInterval(() => void refresh(), HEALTH_POLL_MS);
  }

  function stop(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  function setShift(shift: OpenShift | null): void {
    shiftOverride.value = { shift, at: Date.now() };
  }

  /** undefined while not known yet. */
  const shift = computed<OpenShift | null | undefined>(() =>
    shiftOverride.value ? shiftOverride.value.shift : health.value ? health.value.shift : undefined,
  );

  /** The host's limit for line discounts without a manager's PIN. */
  const discountLimitPercent = computed(
    () => health.value?.discountLimitPercent ?? DEFAULT_DISCOUNT_LIMIT_PERCENT,
  );

  /** The store's restaurant regime and tip base: tables and channels are priced with them. */
  const fiscal = computed<FiscalSettings>(() => health.value?.fiscal ?? DEFAULT_FISCAL_SETTINGS);

  return { health, error, shift, discountLimitPercent, fiscal, refresh, start, stop, setShift };
});
