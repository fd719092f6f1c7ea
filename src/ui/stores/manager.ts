import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api/endpoints.js';
import { ApiFailure, reasonOf } from '../api/http.js';
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

/** What exactly the manager authorizes, shown in the dialog under the action. */
export type GuardedDetail =
  | { readonly kind: 'discount'; readonly product: string; readonly percent: number; readonly limit: number }
  | { readonly kind: 'invoice'; readonly number: string; readonly total: number }
  | { readonly kind: 'line'; readonly product: string; readonly table: string }
  | { readonly kind: 'reason'; readonly text: string };

/**
 * The manager PIN dialog: elevates ONE guarded action of a cashier (sent as X-Manager-Pin with
 * that request) without logging the cashier out. The PIN is checked with the host as soon as it
 * is typed (PIN4): a cashier's or a wrong PIN keeps the dialog open with the host's reason, the
 * attempts left or the seconds of a lock; a manager logged in is never asked.
 */
export const useManagerStore = defineStore('manager', () => {
  const open = ref(false);
  const action = ref<GuardedAction | null>(null);
  const detail = ref<GuardedDetail | null>(null);
  const error = ref<string | null>(null);
  const attemptsLeft = ref<number | null>(null);
  const retryAfterSeconds = ref<number | null>(null);
  const busy = ref(false);
  let resolver: ((pin: string | null) => void) | undefined;

  /** A newer request supersedes a pending one: the older resolves null and must not close the dialog. */
  function ask(next: GuardedAction, about: GuardedDetail | undefined): Promise<string | null> {
    const previous = resolver;
    resolver = undefined;
    previous?.(null);
    open.value = true;
    action.value = next;
    detail.value = about ?? null;
    return new Promise((resolve) => {
      resolver = resolve;
    });
  }

  const superseded = () => resolver !== undefined;

  function setError(failure: unknown): void {
    error.value = reasonOf(failure);
    attemptsLeft.value = failure instanceof ApiFailure ? (failure.attemptsLeft ?? null) : null;
    retryAfterSeconds.value = failure instanceof ApiFailure ? (failure.retryAfterSeconds ?? null) : null;
  }

  function clearError(): void {
    error.value = null;
    attemptsLeft.value = null;
    retryAfterSeconds.value = null;
  }

  function close(): void {
    open.value = false;
    action.value = null;
    detail.value = null;
    clearError();
    busy.value = false;
    resolver = undefined;
  }

  /**
   * From the dialog: the PIN typed. The host says whether it is a manager's before the dialog
   * lets it go; resolves whether it was accepted (the dialog keeps the focus in the field if not).
   */
  async function submit(pin: string): Promise<boolean> {
    const waiting = resolver;
    if (busy.value || pin === '' || waiting === undefined) return false;
    busy.value = true;
    clearError();
    try {
      const answer = await api.elevate(pin);
      if (answer.user.role !== 'manager') {
        error.value = 'not-a-manager';
        return false;
      }
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      busy.value = false;
    }
    // Cancelled or superseded while the host was asked: this PIN authorizes nothing.
    if (resolver !== waiting) return false;
    resolver = undefined;
    waiting(pin);
    return true;
  }

  function cancel(): void {
    const resolve = resolver;
    close();
    resolve?.(null);
  }

  /** Only collect a (checked) PIN, to send later with the command (a discount above the limit). */
  async function collect(next: GuardedAction, about?: GuardedDetail): Promise<string | null> {
    clearError();
    const pin = await ask(next, about);
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
    about?: GuardedDetail,
  ): Promise<T | undefined> {
    if (useSessionStore().isManager) return run(undefined);
    clearError();
    for (;;) {
      const pin = await ask(next, about);
      if (pin === null || superseded()) return undefined;
      busy.value = true;
      try {
        const result = await run(pin);
        close();
        return result;
      } catch (failure) {
        busy.value = false;
        if (PIN_REASONS.includes(reasonOf(failure))) {
          setError(failure);
          continue;
        }
        close();
        throw failure;
      }
    }
  }

  return {
    open,
    action,
    detail,
    error,
    attemptsLeft,
    retryAfterSeconds,
    busy,
    submit,
    cancel,
    collect,
    authorize,
  };
});
