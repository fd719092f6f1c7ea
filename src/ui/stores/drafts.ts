import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { ParkedSale, UserSummary } from '../../contract/host-api.js';
import { api } from '../api/endpoints.js';
import { ApiFailure } from '../api/http.js';
import { useCartStore } from './cart.js';
import { useSessionStore } from './session.js';
import { useToastStore } from './toasts.js';

/** How long a change waits before the cart is written to the terminal (a scan burst is one write). */
export const CART_SAVE_DELAY_MS = 250;

/**
 * DRF1–DRF2 on the screen: the cart is kept on the terminal as it changes, so a restart of the
 * program or a reload of the page gives it back; "Guardar venta" puts it aside and "Ventas en
 * espera" lists what is aside. The sale itself is still issued by the cart and checkout stores.
 */
export const useDraftsStore = defineStore('drafts', () => {
  const cart = useCartStore();
  const session = useSessionStore();
  const toasts = useToastStore();
  const parked = shallowRef<readonly ParkedSale[]>([]);
  const busy = ref(false);
  /** The cart as last written to the terminal (JSON), to write only what changed. */
  let saved = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopWatching: (() => void) | undefined;
  let saving: Promise<void> = Promise.resolve();

  const snapshot = () => JSON.stringify(cart.isEmpty ? null : cart.toDraft());

  /** Write the cart now if it changed; failures wait for the next change or the next log-in. */
  function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const next = snapshot();
    if (next === saved || !session.isLoggedIn) return saving;
    saving = saving.then(async () => {
      try {
        await api.saveCart(cart.isEmpty ? null : cart.toDraft());
        saved = next;
      } catch {
        // The host is restarting or the session is gone: resume() writes it after the PIN.
      }
    });
    return saving;
  }

  /** The page is going away (closed, reloaded) with a change not written yet: write it now. */
  function onPageHide(): void {
    if (timer === undefined || !session.isLoggedIn) return;
    clearTimeout(timer);
    timer = undefined;
    void api.saveCart(cart.isEmpty ? null : cart.toDraft(), true).catch(() => undefined);
  }

  function watchCart(): void {
    stopWatching?.();
    const stopCart = watch(snapshot, () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void flush(), CART_SAVE_DELAY_MS);
    });
    window.addEventListener('pagehide', onPageHide);
    stopWatching = () => {
      stopCart();
      window.removeEventListener('pagehide', onPageHide);
    };
  }

  async function loadParked(): Promise<void> {
    try {
      parked.value = (await api.parkedSales()).sales;
    } catch (error) {
      toasts.error(error);
    }
  }

  /**
   * After a log-in: the sale in progress goes on. A cart still on the screen (the session was lost
   * mid-sale) is written back; else the terminal's own is taken. A sale somebody else was making is
   * put aside under their name rather than continued or lost.
   */
  async function resume(me: UserSummary, previous: UserSummary | null): Promise<void> {
    try {
      if (!cart.isEmpty) {
        const owner = previous ?? me;
        if (owner.id !== me.id) {
          await api.park({ draft: cart.toDraft(), ownerId: owner.id });
          cart.clear();
          toasts.info('drafts.parkedFor', { name: owner.name });
        } else {
          await api.saveCart(cart.toDraft());
        }
      } else {
        const stored = (await api.cart()).cart;
        if (stored && stored.owner.id === me.id) cart.adopt(stored.draft);
        else if (stored) {
          await api.park({});
          toasts.info('drafts.parkedFor', { name: stored.owner.name });
        }
      }
    } catch (error) {
      toasts.error(error);
    }
    saved = snapshot();
    watchCart();
    await loadParked();
  }

  /** Logged out: stop writing (the cart of a session that ends on purpose is cleared by then). */
  function stop(): void {
    stopWatching?.();
    stopWatching = undefined;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    parked.value = [];
    saved = '';
  }

  /** "Guardar venta": the cart goes aside and the till is free for the next customer. */
  async function park(): Promise<ParkedSale | null> {
    if (cart.isEmpty || busy.value) return null;
    busy.value = true;
    try {
      const { sale } = await api.park({ draft: cart.toDraft() });
      cart.clear();
      saved = snapshot();
      parked.value = [...parked.value.filter((p) => p.id !== sale.id), sale];
      toasts.info('drafts.parked');
      return sale;
    } catch (error) {
      toasts.error(error);
      return null;
    } finally {
      busy.value = false;
    }
  }

  /** Take a parked sale back; the cart being built, if any, goes aside in its place. */
  async function restore(id: string): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    try {
      await flush();
      const answer = await api.restoreParked(id);
      cart.adopt(answer.cart.draft);
      saved = snapshot();
      if (answer.parkedInstead) toasts.info('drafts.swapped');
      return true;
    } catch (error) {
      toasts.error(error);
      return false;
    } finally {
      busy.value = false;
      await loadParked();
    }
  }

  async function discard(id: string): Promise<void> {
    try {
      await api.discardParked(id);
    } catch (error) {
      if (!(error instanceof ApiFailure && error.reason === 'unknown-parked-sale')) toasts.error(error);
    }
    await loadParked();
  }

  return { parked, busy, resume, stop, flush, park, restore, discard, loadParked };
});
