import { defineStore } from 'pinia';
import { ref } from 'vue';
import { reasonOf } from '../api/http.js';
import { PIN_REASONS } from '../errors.js';
import { useSessionStore } from './session.js';

/** The guarded actions a manager's PIN can authorize, each with its label in the locales. */
export type GuardedAction =
  | 'void'
  | 'return'
  | 'discount'
  | 'read-catalog'
  | 'close-shift'
  | 'cancel-line'
  | 'upload'
  | 'edit-tables'
  | 'sell-offline'
  | 'open-drawer';

/**
 * The manager PIN dialog: elevates ONE guarded action of a cashier (sent as X-Manager-Pin with
 * that request) without logging the cashier out. A wrong PIN keeps the dialog open with the
 * host's reason; a manager logged in is never asked.
 */
export const useManagerStore = defineStore('manager', () => {
  const open = ref(false);
  const action = ref<GuardedAction | null>(null);
  const error = ref<string | null>(null);
  const busy = ref(false);
  let resolver: ((pin: string | null) => void) | undefined;

  /** A newer request supersedes a pending one: the older resolves null and must not close the dialog. */
  function ask(next: GuardedAction): Promise<string | null> {
    const previous = resolver;
    resolver = undefined;
    previous?.(null);
    open.value = true;
    action.value = next;
    return new Promise((resolve) => {
      resolver = resolve;
    });
  }

  const superseded = () => resolver !== undefined;

  function close(): void {
    open.value = false;
    action.value = null;
    error.value = null;
    busy.value = false;
    resolver = undefined;
  }

  /** From the dialog: the PIN typed. */
  function submit(pin: string): void {
    if (busy.value || pin === '') return;
    const resolve = resolver;
    resolver = undefined;
    resolve?.(pin);
  }

  function cancel(): void {
    const resolve = resolver;
    close();
    resolve?.(null);
  }

  /** Only collect a PIN, to send later with the command (a discount above the limit). */
  async function collect(next: GuardedAction): Promise<string | null> {
    error.value = null;
    const pin = await ask(next);
    if (!superseded()) close();
    return pin;
  }

  /**
   * Run a guarded action: directly for a manager, else with the PIN a manager types. Resolves
   * undefined when cancelled; errors other than a wrong PIN are thrown to the caller.
   */
  async function authorize<T>(
    next: GuardedAction,
    run: (managerPin: string | undefined) => Promise<T>,
  ): Promise<T | undefined> {
    if (useSessionStore().isManager) return run(undefined);
    error.value = null;
    for (;;) {
      const pin = await ask(next);
      if (pin === null || superseded()) return undefined;
      busy.value = true;
      try {
        const result = await run(pin);
        close();
        return result;
      } catch (failure) {
        busy.value = false;
        const reason = reasonOf(failure);
        if (PIN_REASONS.includes(reason)) {
          error.value = reason;
          continue;
        }
        close();
        throw failure;
      }
    }
  }

  return { open, action, error, busy, submit, cancel, collect, authorize };
});
