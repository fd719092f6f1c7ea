import { defineStore } from 'pinia';
import { ref } from 'vue';
import { reasonOf } from '../api/http.js';

export interface Toast {
  readonly id: number;
  readonly kind: 'error' | 'info';
  /** For errors, the failure reason (errors.ts makes the message); for info, an i18n key. */
  readonly text: string;
  readonly params?: Readonly<Record<string, string | number>>;
  /** A button beside the message ("Deshacer"), while the toast is shown. */
  readonly action?: { readonly label: string; readonly run: () => void };
}

const LIFETIME_MS = { error: 8_000, info: 4_000 };

/** Short messages over the screen: errors of commands and confirmations. */
export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let next = 1;

  function push(toast: Omit<Toast, 'id'>, lifetimeMs = LIFETIME_MS[toast.kind]): number {
    const id = next++;
    toasts.value = [...toasts.value.slice(-3), { ...toast, id }];
    setTimeout(() => {
      dismiss(id);
    }, lifetimeMs);
    return id;
  }

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  return {
    toasts,
    error: (error: unknown) => {
      push({ kind: 'error', text: typeof error === 'string' ? error : reasonOf(error) });
    },
    info: (key: string, params?: Record<string, string | number>) => {
      push({ kind: 'info', text: key, ...(params ? { params } : {}) });
    },
    /** A message with an undo: `run` is offered for `lifetimeMs`, then the toast goes. */
    undoable: (key: string, run: () => void, lifetimeMs: number, params?: Record<string, string | number>) =>
      push(
        {
          kind: 'info',
          text: key,
          ...(params ? { params } : {}),
          action: { label: 'common.undo', run },
        },
        lifetimeMs,
      ),
    dismiss,
  };
});
