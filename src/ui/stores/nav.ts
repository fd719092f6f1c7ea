import { defineStore, storeToRefs } from 'pinia';
import { computed, ref } from 'vue';
import { useLiveStore } from './live.js';

export const VIEWS = ['ventas', 'comedores', 'facturas', 'caja'] as const;
export type View = (typeof VIEWS)[number];

/**
 * The screen being shown (no router: a few tabs). Comedores shows only in a store with a floor
 * plan (tables), that is, a restaurant; Alt+1… follow the tabs shown.
 */
export const useNavStore = defineStore('nav', () => {
  const view = ref<View>('ventas');
  const { floor } = storeToRefs(useLiveStore());
  const views = computed<readonly View[]>(() =>
    VIEWS.filter((v) => v !== 'comedores' || floor.value.tables.length > 0),
  );
  function go(next: View): void {
    view.value = next;
  }
  return { view, views, go };
});
