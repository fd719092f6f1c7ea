// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildLedgerViews } from '../../src/ui/live/views.js';
import { useInvoicesStore } from '../../src/ui/stores/invoices.js';
import { useLiveStore } from '../../src/ui/stores/live.js';
import ComedoresView from '../../src/ui/views/ComedoresView.vue';
import { makeInvoice, SCREEN_SEAL } from './fixtures.js';
import { DISHES, FloorFixture } from './floor-fixtures.js';
import { fakeHost, mountWith, settle } from './helpers.js';

const text = (s: string) => s.replace(/\s/g, ' ');
const openShift = {
  shiftId: 's1',
  openedAt: '2026-11-28T08:00:00-05:00',
  openedBy: { id: 'luis', name: 'Luis' },
  openingCash: 0,
};

function mountComedores(fixture: FloorFixture, extra: Record<string, unknown> = {}) {
  return mountWith(ComedoresView, {
    attachTo: document.body,
    pinia: {
      stubActions: false,
      initialState: {
        live: { products: DISHES, terminalId: 'caja-1', floor: fixture.view, ...extra },
        health: { health: { shift: openShift } },
        session: { user: { id: 'ana', name: 'Ana', role: 'cashier' }, token: 't' },
      },
    },
  });
}

beforeEach(() => {
  // 25 minutes after the fixture's orders were opened; timers stay real.
  vi.useFakeTimers({ now: new Date('2026-11-28T12:25:00-05:00'), toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('Comedores', () => {
  it('shows the floor by area: state, diners and waiter, minutes open, total and kitchen pending', () => {
    fakeHost({});
    const fixture = new FloorFixture()
      .open('o1', 'mesa-3', { diners: 4 })
      .add('o1', 'l1', 'PLA-001')
      .add('o1', 'l2', 'RBE-001', 2)
      .send('o1', 's1', ['l1'])
      .open('o2', 'terraza-1')
      .add('o2', 'l3', 'POS-002')
      .bill('o2');
    const { wrapper } = mountComedores(fixture);
    expect(wrapper.findAll('[data-testid^="table-"][data-state]')).toHaveLength(12);
    const mesa3 = wrapper.get('[data-testid="table-mesa-3"]');
    expect(mesa3.attributes('data-state')).toBe('occupied');
    expect(text(mesa3.text())).toContain('Ocupada');
    expect(text(mesa3.text())).toContain('4 personas · Ana');
    expect(text(mesa3.get('[data-testid="table-elapsed"]').text())).toContain('25 min');
    expect(text(mesa3.get('[data-testid="table-total"]').text())).toBe('$ 44.000');
    expect(mesa3.get('[data-testid="table-pending"]').text()).toContain('1 por enviar');
    const terraza = wrapper.get('[data-testid="table-terraza-1"]');
    expect(terraza.attributes('data-state')).toBe('billing');
    expect(terraza.get('[data-testid="table-state"]').text()).toBe('Cuenta pedida');
    expect(terraza.get('[data-testid="table-state"]').attributes('title')).toBe('Cuenta pedida');
    expect(wrapper.get('[data-testid="table-mesa-1"]').text()).toContain('Libre');
    expect(wrapper.get('[data-testid="count-free"]').text()).toBe('10');
    expect(wrapper.text()).not.toMatch(/comedores\./);
    wrapper.unmount();
  });

  it('opens a free table with its diners and goes to the order', async () => {
    const fixture = new FloorFixture();
    const host = fakeHost({
      'POST /api/tables/mesa-2/open': () => {
        fixture.open('o9', 'mesa-2', { diners: 3 });
        useLiveStore().floor = fixture.view;
        return { status: 201, body: { order: { id: 'o9' } } };
      },
    });
    const { wrapper } = mountComedores(fixture);
    await wrapper.get('[data-testid="table-mesa-2"]').trigger('click');
    await wrapper.get('[data-testid="diners-3"]').trigger('click');
    await wrapper.get('[data-testid="open-table-confirm"]').trigger('click');
    await settle();
    expect(host.calls[0]?.body).toEqual({ diners: 3 });
    expect(wrapper.get('[data-testid="order-table"]').text()).toBe('Mesa 2');
    expect(wrapper.text()).toContain('Busque un producto');
    wrapper.unmount();
  });

  it('shows another terminal’s lines as they arrive, marked with where they came from', async () => {
    fakeHost({});
    const fixture = new FloorFixture()
      .open('o1', 'mesa-1')
      .add('o1', 'l1', 'PLA-001', 1, { note: 'sin cebolla' });
    const { wrapper } = mountComedores(fixture);
    await wrapper.get('[data-testid="table-mesa-1"]').trigger('click');
    expect(wrapper.findAll('[data-testid^="order-line-"]')).toHaveLength(1);
    expect(wrapper.get('[data-testid="order-send"]').text()).toContain('Enviar a cocina (1)');
    fixture.add('o1', 'l2', 'RBE-001', 2, { terminal: 'caja-2', by: 'luis' });
    useLiveStore().floor = fixture.view;
    await settle();
    const lines = wrapper.findAll('[data-testid^="order-line-"]');
    expect(lines).toHaveLength(2);
    expect(text(lines[1]?.text() ?? '')).toContain('Luis · caja-2');
    expect(text(lines[0]?.text() ?? '')).toContain('“sin cebolla”');
    expect(text(wrapper.get('[data-testid="order-total"]').text())).toBe('$ 44.000');
    expect(wrapper.get('[data-testid="order-send"]').text()).toContain('Enviar a cocina (2)');
    wrapper.unmount();
  });

  it('tells the waiter editing a note that the line went to the kitchen from another terminal', async () => {
    fakeHost({});
    const fixture = new FloorFixture().open('o1', 'mesa-1').add('o1', 'l1', 'PLA-001');
    const { wrapper } = mountComedores(fixture);
    await wrapper.get('[data-testid="table-mesa-1"]').trigger('click');
    await wrapper.get('[data-testid="line-note-l1"]').trigger('click');
    expect(wrapper.find('[data-testid="line-note-input"]').exists()).toBe(true);
    fixture.send('o1', 's1', ['l1'], 'caja-2');
    useLiveStore().floor = fixture.view;
    await settle();
    expect(wrapper.find('[data-testid="line-note-input"]').exists()).toBe(false);
    expect(text(wrapper.get('[data-testid="floor-notice"]').text())).toContain(
      '«Bandeja paisa» se envió a cocina desde caja-2 (Luis) mientras la editaba',
    );
    expect(wrapper.find('[data-testid="line-inc-l1"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="line-cancel-l1"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('shows "cobro doble" with both invoices, and voids one through the void dialog', async () => {
    fakeHost({});
    const a = makeInvoice({ consecutive: 7, lines: [{ sku: 'BEB-001', quantity: 1 }] });
    const b = makeInvoice({ terminal: 'caja-2', consecutive: 3, lines: [{ sku: 'BEB-001', quantity: 1 }] });
    const fixture = new FloorFixture()
      .open('o1', 'mesa-4')
      .add('o1', 'l1', 'RBE-001')
      .close('o1', 'x1', 'caja-1', [{ id: a.id, number: a.number }])
      .close('o1', 'x2', 'caja-2', [{ id: b.id, number: b.number }], '2026-11-28T12:41:00-05:00');
    const entry = (invoice: typeof a) => ({
      kind: 'invoice' as const,
      invoice,
      seq: 1,
      terminalId: invoice.terminalId,
      at: invoice.issuedAt,
      commandId: `cmd-${invoice.number}`,
      ...SCREEN_SEAL,
    });
    const ledger = buildLedgerViews([[entry(a)], [entry(b)]]);
    const { wrapper } = mountComedores(fixture, { ledger });
    const alert = wrapper.get('[data-testid="double-charge-mesa-4"]');
    expect(text(alert.text())).toContain('Cobro doble — Mesa 4');
    expect(alert.text()).toContain(a.number);
    expect(alert.text()).toContain(b.number);
    await alert.get(`[data-testid="double-charge-void-${b.number}"]`).trigger('click');
    await settle();
    expect(useInvoicesStore().selected?.invoice.id).toBe(b.id);
    expect(wrapper.find('[data-testid="void-dialog"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('charges a table in two equal parts with the tip, showing each part’s INC', async () => {
    fakeHost({});
    const fixture = new FloorFixture()
      .open('o1', 'mesa-1')
      .add('o1', 'l1', 'PLA-001')
      .add('o1', 'l2', 'RBE-001', 6)
      .add('o1', 'l3', 'POS-002');
    const { wrapper } = mountComedores(fixture);
    await wrapper.get('[data-testid="table-mesa-1"]').trigger('click');
    await wrapper.get('[data-testid="order-close"]').trigger('click');
    // Issue 16 §7: the lines were never sent to the kitchen; the warning counts them first.
    expect(wrapper.get('[data-testid="unsent-count"]').text()).toContain('3 líneas');
    await wrapper.get('[data-testid="unsent-charge"]').trigger('click');
    const dialog = wrapper.get('[data-testid="close-table-dialog"]');
    expect((dialog.get('[data-testid="tip-amount"]').element as HTMLInputElement).value).toBe('7.222');
    await dialog.get('[data-testid="split-equal"]').trigger('click');
    expect(text(dialog.get('[data-testid="part-total-1"]').text())).toBe('$ 42.611');
    expect(text(dialog.get('[data-testid="part-total-2"]').text())).toBe('$ 42.611');
    expect(text(dialog.get('[data-testid="part-1"]').text())).toContain('INC 8 %');
    expect(text(dialog.get('[data-testid="close-total"]').text())).toBe('$ 85.222');
    await dialog.get('[data-testid="tip-amount"]').setValue('9000');
    expect(dialog.find('[data-testid="tip-error"]').exists()).toBe(true);
    expect(dialog.get('[data-testid="close-confirm"]').attributes('disabled')).toBeDefined();
    await dialog.get('[data-testid="tip-none"]').trigger('click');
    expect(text(dialog.get('[data-testid="close-total"]').text())).toBe('$ 78.000');
    expect(dialog.get('[data-testid="close-confirm"]').text()).toContain('Cobrar y facturar (2)');
    wrapper.unmount();
  });
});
