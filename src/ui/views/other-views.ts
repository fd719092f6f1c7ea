import type { Component } from 'vue';
import type { View } from '../stores/nav.js';

/**
 * The screens other than log-in and Ventas, each a chunk of its own: a cold start parses and
 * runs only what the sale screen needs (bench:ui, open → usable sale screen), and the rest is
 * fetched once the cashier is in, while the screen is idle, so a tab opens as fast as before.
 * A loader's promise is the module's: calling it again costs nothing.
 */
export const otherViews = {
  comedores: () => import('./ComedoresView.vue'),
  facturas: () => import('./InvoicesView.vue'),
  caja: () => import('./CashView.vue'),
} satisfies Record<Exclude<View, 'ventas'>, () => Promise<{ default: Component }>>;
