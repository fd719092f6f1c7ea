// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatCop, type Money } from '../../src/domain/money.js';
import PaymentDialog from '../../src/ui/components/PaymentDialog.vue';
import { useCartStore } from '../../src/ui/stores/cart.js';
import { useCheckoutStore } from '../../src/ui/stores/checkout.js';
import { useManagerStore } from '../../src/ui/stores/manager.js';
import { useReceiptStore } from '../../src/ui/stores/receipt.js';
import { fakeHost, mountWith, settle, type FakeCall } from './helpers.js';
import { PRODUCTS, makeInvoice, product } from './fixtures.js';

const cop = (n: number) => formatCop(n as Money).replace(/\s/g, ' ');
const text = (w: { text(): string }) => w.text().replace(/\s/g, ' ');
const invoice = makeInvoice({ consecutive: 7 });
const sales = (calls: FakeCall[]) => calls.filter((c) => c.path === '/api/sales');

/** A cart of 2 × 3.200 + 4.600 = 11.000 and the payment dialog open on it. */
function openPayment() {
  const mounted = mountWith(PaymentDialog, {
    pinia: {
      stubActions: false,
      initialState: {
        live: { products: PRODUCTS },
        session: { user: { id: 'ana', name: 'Ana', role: 'cashier' }, token: 't' },
      },
    },
  });
  const cart = useCartStore();
  cart.add(product('BEB-001'));
  cart.add(product('BEB-001'));
  cart.add(product('LAC-001'));
  expect(useCheckoutStore().openDialog()).toBe(true);
  return mounted;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('payment dialog', () => {
  it('shows the change live as the cash amount is typed', async () => {
    fakeHost({});
    const { wrapper } = openPayment();
    await settle();
    expect(text(wrapper.get('[data-testid="pay-due"]'))).toBe(cop(11_000));
    await wrapper.get('[data-testid="pay-method-cash"]').trigger('click');
    await wrapper.get('[data-testid="pay-amount"]').setValue('20.000');
    expect(text(wrapper.get('[data-testid="pay-change"]'))).toBe(cop(9_000));
    expect(text(wrapper.get('[data-testid="pay-due"]'))).toBe(cop(0));
    await wrapper.get('[data-testid="pay-amount"]').setValue('5000');
    expect(text(wrapper.get('[data-testid="pay-change"]'))).toBe(cop(0));
    expect(text(wrapper.get('[data-testid="pay-due"]'))).toBe(cop(6_000));
    expect(wrapper.get('[data-testid="pay-confirm"]').attributes('disabled')).toBeDefined();
  });

  it('takes mixed payments: debit for part, cash for the rest with change', async () => {
    const host = fakeHost({ 'POST /api/sales': { status: 201, body: { invoice } } });
    const { wrapper } = openPayment();
    await settle();
    await wrapper.get('[data-testid="pay-method-debit-card"]').trigger('click');
    // A card is offered exactly what is due.
    expect((wrapper.get('[data-testid="pay-amount"]').element as HTMLInputElement).value).toBe('11.000');
    await wrapper.get('[data-testid="pay-amount"]').setValue('5000');
    await wrapper.get('[data-testid="pay-add"]').trigger('click');
    expect(text(wrapper.get('[data-testid="pay-due"]'))).toBe(cop(6_000));
    await wrapper.get('[data-testid="pay-method-cash"]').trigger('click');
    await wrapper.get('[data-testid="pay-amount"]').setValue('10000');
    expect(text(wrapper.get('[data-testid="pay-change"]'))).toBe(cop(4_000));
    await wrapper.get('[data-testid="pay-confirm"]').trigger('click');
    await settle();
    expect(sales(host.calls)).toHaveLength(1);
    const body = sales(host.calls)[0]?.body as { payments: unknown; lines: unknown; commandId: string };
    expect(body.payments).toEqual([
      { method: 'debit-card', amount: 5000 },
      { method: 'cash', amount: 10000 },
    ]);
    expect(body.lines).toEqual([
      { sku: 'BEB-001', quantity: 2 },
      { sku: 'LAC-001', quantity: 1 },
    ]);
    expect(body.commandId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('[CASH1] offers the bills up from the total; each touch adds; Borrar starts over; the numpad types too', async () => {
    fakeHost({});
    const { wrapper } = openPayment();
    await settle();
    const amount = () => (wrapper.get('[data-testid="pay-amount"]').element as HTMLInputElement).value;
    // 11.000 due: 12.000 in 2.000s, 15.000 in 5.000s, 20.000 in 10.000s or 20.000s, 50.000, 100.000.
    const bills = wrapper.findAll('[data-testid^="pay-bill-"]').map((b) => b.attributes('data-testid'));
    expect(bills).toEqual([
      'pay-bill-12000',
      'pay-bill-15000',
      'pay-bill-20000',
      'pay-bill-50000',
      'pay-bill-100000',
    ]);
    await wrapper.get('[data-testid="pay-bill-50000"]').trigger('click');
    await wrapper.get('[data-testid="pay-bill-50000"]').trigger('click');
    expect(amount()).toBe('100.000');
    expect(text(wrapper.get('[data-testid="pay-change"]'))).toBe(cop(89_000));
    await wrapper.get('[data-testid="pay-clear"]').trigger('click');
    expect(amount()).toBe('');
    for (const key of ['2', '000']) await wrapper.get(`[data-testid="pay-numpad-${key}"]`).trigger('click');
    expect(amount()).toBe('2.000');
    await wrapper.get('[data-testid="pay-numpad-0"]').trigger('click');
    expect(amount()).toBe('20.000');
    expect(text(wrapper.get('[data-testid="pay-change"]'))).toBe(cop(9_000));
    await wrapper.get('[data-testid="pay-exact"]').trigger('click');
    expect(amount()).toBe('11.000');
    // Cards take what is due: no bills.
    await wrapper.get('[data-testid="pay-method-debit-card"]').trigger('click');
    expect(wrapper.findAll('[data-testid^="pay-bill-"]')).toHaveLength(0);
  });

  it('refuses a card paying more than the total, with the reason in Spanish', async () => {
    fakeHost({});
    const { wrapper } = openPayment();
    await settle();
    await wrapper.get('[data-testid="pay-method-credit-card"]').trigger('click');
    await wrapper.get('[data-testid="pay-amount"]').setValue('20000');
    expect(wrapper.get('[data-testid="pay-confirm"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toMatch(/Solo el efectivo puede pasar del total/);
  });

  it('a double click on confirm sends ONE command and shows the receipt', async () => {
    let release: (() => void) | undefined;
    const host = fakeHost({
      'POST /api/sales': { status: 201, body: { invoice } },
      [`GET /api/invoices/${invoice.id}/receipt`]: { text: '<p>recibo</p>' },
    });
    const original = host.fetch.getMockImplementation();
    host.fetch.mockImplementation(async (input, init) => {
      if (input === '/api/sales') await new Promise<void>((resolve) => (release = resolve));
      return original ? original(input, init) : new Response('{}');
    });
    const { wrapper } = openPayment();
    await settle();
    await wrapper.get('[data-testid="pay-amount"]').setValue('20000');
    const confirm = wrapper.get('[data-testid="pay-confirm"]');
    await confirm.trigger('click');
    await confirm.trigger('click');
    await wrapper.get('[data-testid="pay-amount"]').trigger('keydown', { key: 'Enter' });
    expect(confirm.attributes('disabled')).toBeDefined();
    release?.();
    await settle();
    expect(host.calls.filter((c) => c.path === '/api/sales')).toHaveLength(1);
    expect(useReceiptStore().invoice?.number).toBe(invoice.number);
    expect(useCartStore().isEmpty).toBe(true);
    expect(useCheckoutStore().open).toBe(false);
  });

  it('retries with the same command id after a failure, and shows the host’s reason', async () => {
    const host = fakeHost({
      'POST /api/sales': [
        { status: 500, body: { error: 'journal-write-failed', message: 'disk' } },
        { status: 201, body: { invoice } },
      ],
    });
    const { wrapper } = openPayment();
    await settle();
    await wrapper.get('[data-testid="pay-amount"]').setValue('11000');
    await wrapper.get('[data-testid="pay-confirm"]').trigger('click');
    await settle();
    expect(wrapper.get('[data-testid="error-message"]').text()).toMatch(/NO se emitió factura/);
    await wrapper.get('[data-testid="pay-confirm"]').trigger('click');
    await settle();
    const ids = sales(host.calls).map((c) => (c.body as { commandId: string }).commandId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('asks a manager when the host says the discount needs one, then resends the same command with the PIN', async () => {
    const host = fakeHost({
      'POST /api/sales': (call: FakeCall) =>
        call.headers['x-manager-pin'] === '9999'
          ? { status: 201, body: { invoice } }
          : { status: 403, body: { error: 'manager-required', message: 'manager' } },
    });
    const { wrapper } = openPayment();
    useCartStore().setDiscount('LAC-001', 20);
    await settle();
    await wrapper.get('[data-testid="pay-amount"]').setValue('20000');
    await wrapper.get('[data-testid="pay-confirm"]').trigger('click');
    await settle();
    const manager = useManagerStore();
    expect(manager.open).toBe(true);
    await manager.submit('9999');
    await settle();
    expect(manager.open).toBe(false);
    const calls = sales(host.calls);
    expect(calls).toHaveLength(2);
    expect((calls[1]?.body as { commandId: string }).commandId).toBe(
      (calls[0]?.body as { commandId: string }).commandId,
    );
    expect((calls[1]?.body as { lines: unknown }).lines).toEqual([
      { sku: 'BEB-001', quantity: 2 },
      { sku: 'LAC-001', quantity: 1, discountPercent: 20 },
    ]);
    expect(useReceiptStore().invoice).not.toBeNull();
  });
});
