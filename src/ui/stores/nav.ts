import { defineStore } from 'pinia';
import { ref } from 'vue';

export const VIEWS = ['ventas', 'facturas', 'caja'] as const;
export type View = (typeof VIEWS)[number];

/** The screen being shown (no router: three tabs). */
export const useNavStore = defineStore('nav', () => {
  const view = ref<View>('ventas');
  function go(next: View): void {
    view.value = next;
  }
  return { view, go };
});
