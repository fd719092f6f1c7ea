// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { productSnapshot } from '../../src/domain/catalog.js';
import { priceLine } from '../../src/domain/line.js';
import { formatCop, type Money } from '../../src/domain/money.js';
import { computeTotals } from '../../src/domain/totals.js';
import CartPanel from '../../src/ui/components/CartPanel.vue';
import { useCartStore } from '../../src/ui/stores/cart.js';
import { useManagerStore } from '../../src/ui/stores/manager.js';
import { fakeHost, mountWith, settle } from './helpers.js';
import { PRODUCTS, product } from './fixtures.js';

const cashier = { id: 'ana', name: 'Ana', role: 'cashier' };
const text = (s: string) => s.replace(/\s/g, ' ');

function mountCart(role: 'cashier' | 'manager' = 'cashier') {
  return mountWith(CartPanel, {
    pinia: {
      stubActions: false,
      initialState: { live: { products: PRODUCTS }, session: { user: { ...cashier, role }, token: 't' } },
    },
  });
}

/** The totals as the domain computes them, the only source of the figures shown. */
function domainTotal(lines: { sku: string; quantity: number; discountPercent?: number }[]): string {
  const priced = lines.map((l) => {
    const r = priceLine(productSnapshot(product(l.sku)), l);
    if (!r.ok) throw new Error(r.message);
    return r.value;
  });
  const totals = computeTotals(priced);
  if (!totals.ok) throw new Error(totals.message);
  return text(formatCop(totals.value.total));
}

describe('the cart', () => {
  it('adds products, adds one more on a second scan, and shows the domain total', async () => {
    const { wrapper } = mountCart();
    const cart = useCartStore();
    cart.add(product('BEB-001'));
    cart.add(product('LAC-001'));
    cart.add(product('BEB-001'));
    await settle();
    expect(wrapper.findAll('[data-testid^="cart-line-"]')).toHaveLength(2);
    expect((wrapper.get('[data-testid="cart-qty-BEB-001"]').element as HTMLInputElement).value).toBe('2');
    expect(text(wrapper.get('[data-testid="cart-total"]').text())).toBe(
      domainTotal([
        { sku: 'BEB-001', quantity: 2 },
        { sku: 'LAC-001', quantity: 1 },
      ]),
    );
    expect(text(wrapper.get('[data-testid="cart-total"]').text())).toBe(text(formatCop(11_000 as Money)));
  });

  it('changes quantities with +/− and by typing; decimals only for kg products', async () => {
    const { wrapper } = mountCart();
    const cart = useCartStore();
    cart.add(product('BEB-001'));
    cart.add(product('FRU-001'));
    await settle();
    await wrapper.get('[data-testid="cart-inc-BEB-001"]').trigger('click');
    await wrapper.get('[data-testid="cart-inc-BEB-001"]').trigger('click');
    await wrapper.get('[data-testid="cart-dec-BEB-001"]').trigger('click');
    expect(cart.lines.find((l) => l.sku === 'BEB-001')?.quantity).toBe(2);
    await wrapper.get('[data-testid="cart-qty-FRU-001"]').setValue('1,25');
    expect(cart.lines.find((l) => l.sku === 'FRU-001')?.quantity).toBe(1.25);
    await settle();
    expect(text(wrapper.get('[data-testid="cart-total"]').text())).toBe(
      domainTotal([
        { sku: 'BEB-001', quantity: 2 },
        { sku: 'FRU-001', quantity: 1.25 },
      ]),
    );
    // A product sold by unit refuses 1,5: the line says why and the sale cannot be paid.
    await wrapper.get('[data-testid="cart-qty-BEB-001"]').setValue('1,5');
    await settle();
    expect(wrapper.get('[data-testid="cart-line-BEB-001"]').text()).toMatch(/se vende por unidad/);
    expect(wrapper.get('[data-testid="pay-button"]').attributes('disabled')).toBeDefined();
    // − never goes below one unit (or 0,1 kg).
    await wrapper.get('[data-testid="cart-qty-BEB-001"]').setValue('1');
    await wrapper.get('[data-testid="cart-dec-BEB-001"]').trigger('click');
    expect(cart.lines.find((l) => l.sku === 'BEB-001')?.quantity).toBe(1);
    expect(wrapper.get('[data-testid="pay-button"]').attributes('disabled')).toBeUndefined();
  });

  it('applies a discount within the cashier limit directly, with the domain’s figures', async () => {
    const { wrapper } = mountCart();
    const cart = useCartStore();
    cart.add(product('LAC-001'));
    await settle();
    await wrapper.get('[data-testid="cart-discount-LAC-001"]').setValue('10');
    await settle();
    expect(cart.lines[0]?.discountPercent).toBe(10);
    expect(useManagerStore().open).toBe(false);
    expect(text(wrapper.get('[data-testid="cart-total"]').text())).toBe(
      domainTotal([{ sku: 'LAC-001', quantity: 1, discountPercent: 10 }]),
    );
  });

  it('asks a manager’s PIN for a discount above 10 %, keeps it for the sale, and reverts on cancel', async () => {
    fakeHost({});
    const { wrapper } = mountCart();
    const cart = useCartStore();
    const manager = useManagerStore();
    cart.add(product('LAC-001'));
    cart.add(product('BEB-001'));
    await settle();
    const input = wrapper.get('[data-testid="cart-discount-LAC-001"]');
    // setValue fires input and change, and a second change while the PIN is asked is ignored.
    await input.setValue('25');
    await input.trigger('change');
    await settle();
    expect(manager.open).toBe(true);
    expect(manager.action).toBe('discount');
    manager.cancel();
    await settle();
    expect(cart.lines[0]?.discountPercent).toBe(0);
    expect((input.element as HTMLInputElement).value).toBe('');

    await input.setValue('25');
    await settle();
    // PIN4: the dialog says what it authorizes, and a cashier's PIN is refused before it closes.
    expect(manager.detail).toEqual({
      kind: 'discount',
      product: product('LAC-001').name,
      percent: 25,
      limit: 10,
    });
    expect(await manager.submit('1234')).toBe(false);
    expect(manager.error).toBe('not-a-manager');
    expect(manager.open).toBe(true);
    await manager.submit('9999');
    await settle();
    expect(cart.lines[0]?.discountPercent).toBe(25);
    expect(cart.managerPin).toBe('9999');
    expect(wrapper.text()).toMatch(/autorizado por un gerente/);
    // Another line above the limit needs no second PIN for the same sale.
    const other = wrapper.get('[data-testid="cart-discount-BEB-001"]');
    await other.setValue('15');
    await settle();
    expect(manager.open).toBe(false);
    expect(cart.lines[1]?.discountPercent).toBe(15);
    // Back under the limit everywhere: the PIN is forgotten.
    cart.setDiscount('LAC-001', 0);
    cart.setDiscount('BEB-001', 5);
    expect(cart.managerPin).toBeNull();
  });

  it('uses the discount limit the host publishes in its health answer', async () => {
    const { wrapper } = mountWith(CartPanel, {
      pinia: {
        stubActions: false,
        initialState: {
          live: { products: PRODUCTS },
          session: { user: cashier, token: 't' },
          health: { health: { discountLimitPercent: 5 } },
        },
      },
    });
    const cart = useCartStore();
    cart.add(product('LAC-001'));
    await settle();
    expect(cart.exceedsDiscountLimit(5)).toBe(false);
    await wrapper.get('[data-testid="cart-discount-LAC-001"]').setValue('8');
    await settle();
    expect(useManagerStore().open).toBe(true);
    expect(useManagerStore().action).toBe('discount');
  });

  it('does not ask a manager logged in', async () => {
    const { wrapper } = mountCart('manager');
    const cart = useCartStore();
    cart.add(product('LAC-001'));
    await settle();
    await wrapper.get('[data-testid="cart-discount-LAC-001"]').setValue('50');
    await settle();
    expect(useManagerStore().open).toBe(false);
    expect(cart.lines[0]?.discountPercent).toBe(50);
  });

  it('removes lines and keeps a selection for the keyboard', async () => {
    const { wrapper } = mountCart();
    const cart = useCartStore();
    cart.add(product('BEB-001'));
    cart.add(product('LAC-001'));
    cart.add(product('PAN-001'));
    await settle();
    expect(cart.selectedSku).toBe('PAN-001');
    cart.moveSelection(-1);
    expect(cart.selectedSku).toBe('LAC-001');
    await wrapper.get('[data-testid="cart-remove-LAC-001"]').trigger('click');
    expect(cart.lines.map((l) => l.sku)).toEqual(['BEB-001', 'PAN-001']);
    expect(cart.selectedSku).toBe('PAN-001');
    const before = cart.commandId;
    cart.clear();
    expect(cart.isEmpty).toBe(true);
    expect(cart.commandId).not.toBe(before);
  });
});
