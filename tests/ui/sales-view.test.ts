// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { useCartStore } from '../../src/ui/stores/cart.js';
import { useCheckoutStore } from '../../src/ui/stores/checkout.js';
import { useNavStore } from '../../src/ui/stores/nav.js';
import SalesView from '../../src/ui/views/SalesView.vue';
import { fakeHost, mountWith, settle } from './helpers.js';
import { PRODUCTS } from './fixtures.js';

const openShift = {
  shiftId: 's1',
  openedAt: '2026-11-28T08:00:00-05:00',
  openedBy: { id: 'ana', name: 'Ana' },
  openingCash: 0,
};

function mountSales(shift: typeof openShift | null = openShift) {
  return mountWith(SalesView, {
    attachTo: document.body,
    pinia: {
      stubActions: false,
      initialState: {
        live: { products: PRODUCTS },
        health: { health: { shift } },
        session: { user: { id: 'ana', name: 'Ana', role: 'cashier' }, token: 't' },
      },
    },
  });
}

async function type(input: ReturnType<ReturnType<typeof mountSales>['wrapper']['get']>, text: string) {
  await input.setValue(text);
}

describe('Ventas from the keyboard', () => {
  it('adds the exact barcode a scanner types, then an item found by name with Enter', async () => {
    const { wrapper } = mountSales();
    const search = wrapper.get('[data-testid="product-search"]');
    await type(search, '7700010008548');
    await search.trigger('keydown', { key: 'Enter' });
    await type(search, 'gaseosa');
    await search.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(useCartStore().lines.map((l) => l.sku)).toEqual(['LAC-001', 'BEB-001']);
    expect((search.element as HTMLInputElement).value).toBe('');
    wrapper.unmount();
  });

  it('moves through results with the arrows, and +/−/Supr act on the cart when the box is empty', async () => {
    const { wrapper } = mountSales();
    const cart = useCartStore();
    const search = wrapper.get('[data-testid="product-search"]');
    await type(search, 'e'); // several results
    await search.trigger('keydown', { key: 'ArrowDown' });
    await search.trigger('keydown', { key: 'Enter' });
    expect(cart.lines).toHaveLength(1);
    const sku = cart.lines[0]?.sku ?? '';
    await search.trigger('keydown', { key: '+' });
    await search.trigger('keydown', { key: '+' });
    await search.trigger('keydown', { key: '-' });
    expect(cart.lines[0]?.quantity).toBe(sku === 'FRU-001' ? 1.1 : 2);
    await search.trigger('keydown', { key: 'Delete' });
    expect(cart.lines).toHaveLength(0);
    wrapper.unmount();
  });

  it('says when nothing matches the words typed, and when the host knows no such code', async () => {
    fakeHost({ 'POST /api/catalog/scan': { status: 404, body: { error: 'unknown-code', message: '' } } });
    const { wrapper } = mountSales();
    const search = wrapper.get('[data-testid="product-search"]');
    await type(search, 'zanahoria morada');
    await search.trigger('keydown', { key: 'Enter' });
    expect(wrapper.text()).toContain('No hay ningún producto con «zanahoria morada»');
    await type(search, '0000000000000');
    await search.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(wrapper.get('[data-testid="scan-problem"]').text()).toContain(
      'Código no encontrado: 0000000000000',
    );
    expect((search.element as HTMLInputElement).value).toBe('0000000000000');
    wrapper.unmount();
    vi.unstubAllGlobals();
  });

  it('opens the payment dialog with F4 or F9, and shows the categories for touch', async () => {
    const { wrapper } = mountSales();
    await wrapper.get('[data-testid="category-Bebidas"]').trigger('click');
    await wrapper.get('[data-testid="product-result-BEB-001"]').trigger('click');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F9' }));
    await settle();
    expect(useCheckoutStore().open).toBe(true);
    expect(wrapper.find('[data-testid="payment-dialog"]').exists()).toBe(true);
    expect(wrapper.text()).toContain('F4');
    wrapper.unmount();
  });

  it('without an open shift, says so and links to Caja', async () => {
    const { wrapper } = mountSales(null);
    expect(wrapper.find('[data-testid="product-search"]').exists()).toBe(false);
    await wrapper.get('[data-testid="no-shift"] button').trigger('click');
    expect(useNavStore().view).toBe('caja');
    wrapper.unmount();
  });
});
