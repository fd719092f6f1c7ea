import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SaleDraft } from '../../domain/sale-draft.js';
import { useCartStore } from './cart.js';
import { useDraftsStore } from './drafts.js';
import { useSessionStore } from './session.js';

/**
 * "Salir": with a sale in progress it asks first (keep it aside, or throw it away); the log-out can
 * be undone for a few seconds from the log-in screen, and the sale comes back with it.
 */
export const useLeaveStore = defineStore('leave', () => {
  const asking = ref(false);
  let left: { draft: SaleDraft | null; parkedId: string | null } | null = null;

  function leave(draft: SaleDraft | null, parkedId: string | null): void {
    left = { draft, parkedId };
    useSessionStore().leave();
  }

  function request(): void {
    if (useCartStore().isEmpty) leave(null, null);
    else asking.value = true;
  }

  async function confirm(mode: 'park' | 'discard'): Promise<void> {
    asking.value = false;
    const cart = useCartStore();
    if (mode === 'park') {
      const sale = await useDraftsStore().park();
      if (sale) leave(null, sale.id);
      return;
    }
    const draft = cart.toDraft();
    cart.clear();
    await useDraftsStore().flush();
    leave(draft, null);
  }

  /** "Deshacer": the same session, and the sale as it was. */
  async function undo(): Promise<void> {
    const was = left;
    left = null;
    const cart = useCartStore();
    // Put back first: the log-in's resume() keeps a cart that is on the screen.
    if (was?.draft) cart.adopt(was.draft);
    const back = await useSessionStore().undoLeave();
    if (!back) {
      cart.clear();
      return;
    }
    if (was?.parkedId) await useDraftsStore().restore(was.parkedId);
  }

  return { asking, request, confirm, undo, cancel: () => (asking.value = false) };
});
