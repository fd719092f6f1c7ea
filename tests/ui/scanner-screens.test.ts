// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Product } from '../../src/domain/catalog.js';
import { isTextField } from '../../src/ui/sales/scanner-listener.js';
import { useCartStore } from '../../src/ui/stores/cart.js';
import { useCheckoutStore } from '../../src/ui/stores/checkout.js';
import { useFloorStore } from '../../src/ui/stores/floor.js';
import { useLiveStore } from '../../src/ui/stores/live.js';
import { useSessionStore } from '../../src/ui/stores/session.js';
import SalesView from '../../src/ui/views/SalesView.vue';
import { PRODUCTS } from './fixtures.js';
import { DISHES, dish, FloorFixture } from './floor-fixtures.js';
import { fakeHost, mountWith, settle } from './helpers.js';

const openShift = {
  shiftId: 's1',
  openedAt: '2026-11-28T08:00:00-05:00',
  openedBy: { id: 'ana', name: 'Ana' },
  openingCash: 0,
};
const product = (sku: string): Product => {
  const found = PRODUCTS.find((p) => p.sku === sku);
  if (!found) throw new Error(sku);
  return found;
};
const MILK = product('LAC-001');
const TOMATO = product('FRU-001');
const LABEL = '2000001012503';

/** Mounted screens, unmounted after each test even when it fails (their listeners are the document's). */
const mounted: { unmount(): void }[] = [];

function mountSales() {
  const mount = mountWith(SalesView, {
    attachTo: document.body,
    pinia: {
      stubActions: false,
      initialState: {
        live: { products: PRODUCTS },
        health: { health: { shift: openShift } },
        session: { user: { id: 'ana', name: 'Ana', role: 'cashier' }, token: 't' },
      },
    },
  });
  mounted.push(mount.wrapper);
  return mount;
}

/** The host's scan route: the milk's barcode, a tomato label of 1.25 kg, anything else unknown. */
function scanHost() {
  return fakeHost({
    'POST /api/catalog/scan': (call) => {
      const { code } = call.body as { code: string };
      if (code === MILK.barcode) return { body: { product: MILK } };
      if (code === LABEL) return { body: { product: TOMATO, quantity: 1.25 } };
      if (code === '2000001012509') return { status: 422, body: { error: 'bad-check-digit', message: '' } };
      return { status: 404, body: { error: 'unknown-code', message: '' } };
    },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keys as a keyboard sends them to the focused element (synchronously: a scanner's speed);
 * `gapMs` waits between keys (a person). The Enter's keydown event is returned (without `enter`,
 * no Enter is sent).
 */
async function press(text: string, gapMs = 0, enter = true): Promise<KeyboardEvent> {
  const send = (key: string) => {
    const target = document.activeElement ?? document.body;
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
    target.dispatchEvent(event);
    // What the browser does with a character in a text box: it replaces the selection.
    if (!event.defaultPrevented && key.length === 1 && target instanceof HTMLInputElement) {
      const start = target.selectionStart ?? target.value.length;
      const end = target.selectionEnd ?? start;
      target.value = target.value.slice(0, start) + key + target.value.slice(end);
      target.setSelectionRange(start + 1, start + 1);
      target.dispatchEvent(new Event('input', { bubbles: true }));
    }
    target.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, cancelable: true }));
    return event;
  };
  for (const key of text) {
    send(key);
    if (gapMs > 0) await sleep(gapMs);
  }
  return enter ? send('Enter') : new KeyboardEvent('keydown');
}

afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('scanning on the sale screen (SCL4)', () => {
  it('[SCL4] a scan with the focus on a cart button adds the product and the Enter never reaches the button', async () => {
    const host = scanHost();
    const { wrapper } = mountSales();
    const takeaway = wrapper.get('[data-testid="channel-llevar"]').element as HTMLButtonElement;
    const seen: string[] = [];
    takeaway.addEventListener('keydown', (e) => seen.push(e.key));
    takeaway.focus();
    const enter = await press(MILK.barcode ?? '');
    expect(enter.defaultPrevented).toBe(true);
    // Stopped in the capture phase: the button never saw the Enter (its digits are harmless).
    expect(seen).not.toContain('Enter');
    await settle();
    expect(host.calls.map((c) => c.body)).toEqual([{ code: MILK.barcode }]);
    expect(useCartStore().lines).toEqual([{ sku: 'LAC-001', quantity: 1, discountPercent: 0 }]);
    expect(useCartStore().channel).toBe('mostrador');
  });

  it('[SCL4] typing slowly on a button is not a scan: the Enter is the button’s', async () => {
    const host = scanHost();
    const { wrapper } = mountSales();
    (wrapper.get('[data-testid="channel-llevar"]').element as HTMLButtonElement).focus();
    const enter = await press('7700', 70);
    expect(enter.defaultPrevented).toBe(false);
    await settle();
    expect(host.calls).toEqual([]);
  });

  it('[SCL4] a burst in a text field other than the search box is that field’s text', async () => {
    const host = scanHost();
    mountSales();
    const note = document.createElement('textarea');
    document.body.append(note);
    note.focus();
    const enter = await press(MILK.barcode ?? '');
    expect(enter.defaultPrevented).toBe(false);
    await settle();
    expect(host.calls).toEqual([]);
    expect(isTextField(note)).toBe(true);
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(isTextField(checkbox)).toBe(false);
    expect(isTextField(document.createElement('button'))).toBe(false);
  });

  it('[SCL3] [SCL4] a scale label adds its weight; a second label adds to the line', async () => {
    scanHost();
    mountSales();
    document.body.focus();
    await press(LABEL);
    await settle();
    await press(LABEL);
    await settle();
    expect(useCartStore().lines).toEqual([{ sku: 'FRU-001', quantity: 2.5, discountPercent: 0 }]);
  });

  it('[SCL4] an unknown code beeps, says the code and leaves it selected in the search box; the next scan replaces it', async () => {
    scanHost();
    const { wrapper } = mountSales();
    const search = wrapper.get('[data-testid="product-search"]').element as HTMLInputElement;
    (wrapper.get('[data-testid="customer-edit"]').element as HTMLButtonElement).focus();
    await press('7709999999999');
    await settle();
    expect(wrapper.get('[data-testid="scan-problem"]').text()).toContain(
      'Código no encontrado: 7709999999999',
    );
    expect(document.activeElement).toBe(search);
    expect(search.value).toBe('7709999999999');
    expect([search.selectionStart, search.selectionEnd]).toEqual([0, 13]);
    // The scanner types into the box (the browser replaces the selection); the code is the burst's.
    await press(MILK.barcode ?? '');
    await settle();
    expect(useCartStore().lines.map((l) => l.sku)).toEqual(['LAC-001']);
    expect(search.value).toBe('');
    // A misread label says so, with the host's reason.
    await press('2000001012509');
    await settle();
    expect(wrapper.get('[data-testid="scan-problem"]').text()).toContain('Código mal leído: 2000001012509');
    expect(wrapper.get('[data-testid="scan-problem"]').text()).toContain('dígito de control');
    await wrapper.get('[data-testid="scan-problem-dismiss"]').trigger('click');
    expect(wrapper.find('[data-testid="scan-problem"]').exists()).toBe(false);
  });

  it('[SCL4] a code that arrives in pieces is never looked up by its end; in the search box the whole text is the code', async () => {
    const host = scanHost();
    const { wrapper } = mountSales();
    const barcode = MILK.barcode ?? '';
    /** The scanner stalls 100 ms after the first six keys (a busy sender). */
    const inPieces = async () => {
      await press(barcode.slice(0, 6), 0, false);
      await sleep(100);
      return press(barcode.slice(6));
    };
    // Elsewhere: the Enter is still taken, nothing is added, the cashier hears it and scans again.
    (wrapper.get('[data-testid="customer-edit"]').element as HTMLButtonElement).focus();
    expect((await inPieces()).defaultPrevented).toBe(true);
    await settle();
    expect(host.calls).toEqual([]);
    expect(wrapper.get('[data-testid="scan-problem"]').text()).toContain(
      `Lectura incompleta: ${barcode.slice(6)}`,
    );
    // In the search box the browser typed every piece: the box's text is looked up whole.
    const search = wrapper.get('[data-testid="product-search"]').element as HTMLInputElement;
    search.focus();
    await inPieces();
    await settle();
    expect(host.calls.map((c) => c.body)).toEqual([{ code: barcode }]);
    expect(useCartStore().lines.map((l) => l.sku)).toEqual(['LAC-001']);
  });

  it('[SCL3] a label typed by hand in the search box goes to the host too', async () => {
    const host = scanHost();
    const { wrapper } = mountSales();
    const search = wrapper.get('[data-testid="product-search"]');
    await search.setValue(LABEL);
    await search.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(host.calls.map((c) => c.body)).toEqual([{ code: LABEL }]);
    expect(useCartStore().lines).toEqual([{ sku: 'FRU-001', quantity: 1.25, discountPercent: 0 }]);
  });

  it('[SCL4] with a dialog open a scan adds nothing and presses nothing; unmounted, the screen stops listening', async () => {
    const host = scanHost();
    const { wrapper } = mountSales();
    useCartStore().add(MILK);
    useCheckoutStore().openDialog();
    await settle();
    document.body.focus();
    expect((await press(MILK.barcode ?? '')).defaultPrevented).toBe(true);
    await settle();
    expect(host.calls).toEqual([]);
    mounted.splice(mounted.indexOf(wrapper), 1);
    wrapper.unmount();
    expect((await press(MILK.barcode ?? '')).defaultPrevented).toBe(false);
    expect(host.calls).toEqual([]);
  });
});

describe('scanning on the order screen (comedores)', () => {
  it('[SCL3] a scanned quantity (a scale label’s) goes to the table’s order: a new line, then more of it', async () => {
    setActivePinia(createPinia());
    useLiveStore().products = DISHES;
    useLiveStore().terminalId = 'caja-1';
    useSessionStore().user = { id: 'ana', name: 'Ana', role: 'cashier' };
    useSessionStore().token = 't';
    const fixture = new FloorFixture().open('o1', 'mesa-1');
    useLiveStore().floor = fixture.view;
    const host = fakeHost({
      'POST /api/tables/mesa-1/lines': { status: 201, body: { order: {} } },
    });
    const floor = useFloorStore();
    floor.select('mesa-1');
    await floor.addProduct(dish('PLA-001'), 2);
    expect(host.calls[0]?.body).toMatchObject({ sku: 'PLA-001', quantity: 2 });
    const lineId = (host.calls[0]?.body as { commandId: string }).commandId;
    fixture.add('o1', lineId, 'PLA-001');
    useLiveStore().floor = fixture.view;
    const again = fakeHost({ [`PATCH /api/tables/mesa-1/lines/${lineId}`]: { body: { order: {} } } });
    await floor.addProduct(dish('PLA-001'), 3);
    expect(again.calls[0]?.body).toMatchObject({ delta: 3 });
  });
});
