// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Product } from '../../src/domain/catalog.js';
import LineNumPad from '../../src/ui/components/LineNumPad.vue';
import NumPad from '../../src/ui/components/NumPad.vue';
import {
  gateKey,
  OPEN_GATE,
  pressNumPadKey,
  releaseKey,
  type NumPadKey,
} from '../../src/ui/sales/numpad-keys.js';
import { useCartStore } from '../../src/ui/stores/cart.js';
import { useManagerStore } from '../../src/ui/stores/manager.js';
import { mountWith, settle } from './helpers.js';
import { PRODUCTS, product } from './fixtures.js';

const VARIOS: Product = {
  sku: 'VAR-001',
  name: 'Varios supermercado',
  price: 0,
  tax: 'IVA19',
  unit: 'unit',
  category: 'Varios',
  active: true,
  openPrice: true,
};
const press = (keys: NumPadKey[], options = { decimals: 0, money: false }) =>
  keys.reduce((text, key) => pressNumPadKey(text, key, options), '');

afterEach(() => {
  vi.useRealTimers();
});

describe('the numpad keys (numpad-keys.ts)', () => {
  it('types digits, 00 and 000 for money, a comma only where decimals are allowed, ⌫ and C', () => {
    expect(press(['1', '2', 'backspace', '5'])).toBe('15');
    expect(press(['0', '0', '7'])).toBe('7');
    expect(press(['3', ',', '5'])).toBe('35');
    expect(press(['1', ',', '2', '5', '0', '9'], { decimals: 3, money: false })).toBe('1,250');
    expect(press([',', '5'], { decimals: 3, money: false })).toBe('0,5');
    expect(press(['1', ',', ','], { decimals: 2, money: false })).toBe('1,');
    expect(press(['5', '000', '00'], { decimals: 0, money: true })).toBe('500000');
    expect(press(['000', '5'], { decimals: 0, money: true })).toBe('5');
    expect(press(['5', '00'])).toBe('5');
    expect(press(['9', '9', '9', '9', '9'])).toBe('9999');
    expect(press(['4', '2', 'clear'])).toBe('');
  });

  it('[SCL4] holds a typed key for the scanner gap; keys closer than that are a burst and type nothing', () => {
    let gate = gateKey(OPEN_GATE, '7', 1_000, 50);
    expect(releaseKey(gate).key).toBe('7');
    gate = gateKey(OPEN_GATE, '7', 1_000, 50);
    gate = gateKey(gate, '7', 1_012, 50);
    gate = gateKey(gate, '0', 1_020, 50);
    expect(releaseKey(gate).key).toBeNull();
    // A person's next key, later, types again.
    expect(releaseKey(gateKey(releaseKey(gate).gate, '3', 1_400, 50)).key).toBe('3');
  });
});

describe('NumPad', () => {
  it('has big, named keys and types what is tapped; OK confirms', async () => {
    const { wrapper } = mountWith(NumPad, { props: { modelValue: '12', label: 'Cantidad', money: true } });
    expect(wrapper.get('[data-testid="numpad"]').attributes('aria-label')).toBe('Cantidad');
    expect(wrapper.get('[data-testid="numpad-backspace"]').attributes('aria-label')).toBe(
      'Borrar el último dígito',
    );
    await wrapper.get('[data-testid="numpad-000"]').trigger('click');
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['12000']);
    await wrapper.get('[data-testid="numpad-backspace"]').trigger('click');
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['1']);
    await wrapper.get('[data-testid="numpad-ok"]').trigger('click');
    expect(wrapper.emitted('ok')).toHaveLength(1);
    expect(wrapper.find('[data-testid="numpad-comma"]').exists()).toBe(false);
  });

  it('types from the keyboard while the focus is on it, but not a scanner burst', () => {
    vi.useFakeTimers();
    const { wrapper } = mountWith(NumPad, { props: { modelValue: '', label: 'Cantidad', decimals: 3 } });
    const key = wrapper.get('[data-testid="numpad-5"]');
    const at = (k: string, timeStamp: number) => {
      const event = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
      Object.defineProperty(event, 'timeStamp', { value: timeStamp });
      key.element.dispatchEvent(event);
      return event;
    };
    at('4', 1_000);
    vi.advanceTimersByTime(100);
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['4']);
    // A burst (a scanner's keys 5 ms apart) types nothing.
    for (const [i, k] of ['7', '7', '0', '1'].entries()) at(k, 2_000 + i * 5);
    vi.advanceTimersByTime(100);
    expect(wrapper.emitted('update:modelValue')).toHaveLength(1);
    // Enter is OK, and does not also press the focused key.
    expect(at('Enter', 3_000).defaultPrevented).toBe(true);
    expect(wrapper.emitted('ok')).toHaveLength(1);
    // Keys that are not the numpad's (F4, letters) are left to the page.
    expect(at('F4', 3_500).defaultPrevented).toBe(false);
  });
});

describe("Ventas' numpad (LineNumPad)", () => {
  function mountLinePad(role: 'cashier' | 'manager' = 'cashier') {
    return mountWith(LineNumPad, {
      pinia: {
        stubActions: false,
        initialState: {
          live: { products: [...PRODUCTS, VARIOS] },
          session: { user: { id: 'ana', name: 'Ana', role }, token: 't' },
          health: { health: { discountLimitPercent: 10 } },
        },
      },
    });
  }
  const tap = async (w: ReturnType<typeof mountLinePad>['wrapper'], ...keys: string[]) => {
    for (const k of keys) await w.get(`[data-testid="numpad-${k}"]`).trigger('click');
  };

  it('sets the selected line quantity as typed: the first key replaces, the next ones add digits', async () => {
    const { wrapper } = mountLinePad();
    const cart = useCartStore();
    cart.add(product('BEB-001'));
    await settle();
    expect(wrapper.get('[data-testid="numpad-mode-quantity"]').attributes('aria-checked')).toBe('true');
    await tap(wrapper, '1', '2');
    expect(cart.lines[0]?.quantity).toBe(12);
    await tap(wrapper, 'backspace');
    expect(cart.lines[0]?.quantity).toBe(1);
    // A product sold by weight takes a decimal comma.
    cart.add(product('FRU-001'));
    await settle();
    await tap(wrapper, '1', 'comma', '2', '5');
    expect(cart.lines.find((l) => l.sku === 'FRU-001')?.quantity).toBe(1.25);
  });

  it('sets a discount within the limit as typed; beyond it OK asks a manager (the store API)', async () => {
    const { wrapper } = mountLinePad();
    const cart = useCartStore();
    const manager = useManagerStore();
    const collect = vi.spyOn(manager, 'collect').mockResolvedValue('9999');
    cart.add(product('LAC-001'));
    await settle();
    await wrapper.get('[data-testid="numpad-mode-discount"]').trigger('click');
    await tap(wrapper, '5');
    expect(cart.lines[0]?.discountPercent).toBe(5);
    await tap(wrapper, 'clear', '2', '5');
    expect(cart.lines[0]?.discountPercent).toBe(2);
    expect(wrapper.text()).toContain('gerente');
    await tap(wrapper, 'ok');
    await settle();
    // The manager's dialog says what it authorizes: this product, this percentage, the limit.
    expect(collect).toHaveBeenCalledWith(
      'discount',
      expect.objectContaining({ kind: 'discount', product: product('LAC-001').name, percent: 25 }),
    );
    expect(cart.lines[0]?.discountPercent).toBe(25);
    expect(cart.managerPin).toBe('9999');
  });

  it('[OPN1] asks the price of an open-price product first and sends it with the line', async () => {
    const { wrapper } = mountLinePad();
    const cart = useCartStore();
    cart.add(VARIOS);
    await settle();
    expect(cart.rows[0]?.problem).toBe('invalid-open-price');
    expect(wrapper.get('[data-testid="numpad-mode-price"]').attributes('aria-checked')).toBe('true');
    await tap(wrapper, '1', '2', '000');
    expect(wrapper.get('[data-testid="numpad-display"]').text()).toContain('$ 12.000');
    expect(cart.rows[0]?.problem).toBeUndefined();
    expect(cart.rows[0]?.priced?.amount).toBe(12_000);
    expect(cart.saleLines()).toEqual([{ sku: 'VAR-001', quantity: 1, unitPrice: 12_000 }]);
    // Other products have no Precio mode, and no price goes with their lines.
    cart.add(product('BEB-001'));
    await settle();
    expect(wrapper.find('[data-testid="numpad-mode-price"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="numpad-mode-quantity"]').attributes('aria-checked')).toBe('true');
    expect(cart.saleLines()[1]).toEqual({ sku: 'BEB-001', quantity: 1 });
  });
});
