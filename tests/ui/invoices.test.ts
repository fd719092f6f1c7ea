// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildLedgerViews } from '../../src/ui/live/views.js';
import { useInvoicesStore } from '../../src/ui/stores/invoices.js';
import { useManagerStore } from '../../src/ui/stores/manager.js';
import { useReceiptStore } from '../../src/ui/stores/receipt.js';
import InvoicesView from '../../src/ui/views/InvoicesView.vue';
import { fakeHost, mountWith, settle, type FakeCall } from './helpers.js';
import { makeInvoice, makeVoid, SCREEN_SEAL } from './fixtures.js';

const a = makeInvoice({ consecutive: 1, minute: 1 });
const b = makeInvoice({ consecutive: 2, minute: 2, customerName: 'Pedro Pérez' });
const c = makeInvoice({ terminal: 'caja-2', consecutive: 1, minute: 3 });
const note = makeVoid(c, 'caja-2');

function entries(
  terminal: string,
  records: ({ kind: 'invoice'; invoice: typeof a } | { kind: 'credit-note'; creditNote: typeof note })[],
) {
  return records.map((r, i) => ({
    ...r,
    seq: i + 1,
    terminalId: terminal,
    at: '2026-11-28T10:00:00-05:00',
    commandId: `cmd-${i}-xxxx`,
    ...SCREEN_SEAL,
  }));
}

function mountInvoices(role: 'cashier' | 'manager' = 'cashier') {
  const ledger = buildLedgerViews([
    entries('caja-1', [
      { kind: 'invoice', invoice: a },
      { kind: 'invoice', invoice: b },
    ]),
    entries('caja-2', [
      { kind: 'invoice', invoice: c },
      { kind: 'credit-note', creditNote: note },
    ]),
  ]);
  return mountWith(InvoicesView, {
    pinia: {
      stubActions: false,
      initialState: {
        live: { ledger, ready: true },
        session: { user: { id: 'u', name: 'U', role }, token: 't' },
      },
    },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Facturas', () => {
  it('lists every terminal’s invoices newest first, with Anulada on the voided one', () => {
    fakeHost({});
    const { wrapper } = mountInvoices();
    const rows = wrapper.findAll('[data-testid^="invoice-row-"]').map((r) => r.attributes('data-testid'));
    expect(rows).toEqual(['invoice-row-C21', 'invoice-row-C12', 'invoice-row-C11']);
    expect(wrapper.get('[data-testid="invoice-status-C21"]').text()).toContain('Anulada');
    expect(wrapper.get('[data-testid="invoice-status-C11"]').text()).toContain('Vigente');
  });

  it('filters by terminal and by number or customer', async () => {
    fakeHost({});
    const { wrapper } = mountInvoices();
    await wrapper.get('[data-testid="filter-terminal"]').setValue('caja-2');
    expect(wrapper.findAll('[data-testid^="invoice-row-"]')).toHaveLength(1);
    await wrapper.get('[data-testid="filter-terminal"]').setValue('');
    await wrapper.get('[data-testid="filter-text"]').setValue('pedro');
    expect(wrapper.findAll('[data-testid^="invoice-row-"]').map((r) => r.attributes('data-testid'))).toEqual([
      'invoice-row-C12',
    ]);
    await wrapper.get('[data-testid="filter-text"]').setValue('c11');
    expect(wrapper.findAll('[data-testid^="invoice-row-"]').map((r) => r.attributes('data-testid'))).toEqual([
      'invoice-row-C11',
    ]);
  });

  it('shows the detail with lines and taxes, and reprints the host’s receipt', async () => {
    fakeHost({ [`GET /api/invoices/${b.id}/receipt`]: { text: '<p>FACTURA C12</p>' } });
    const { wrapper } = mountInvoices();
    await wrapper.get('[data-testid="invoice-row-C12"]').trigger('click');
    const detail = wrapper.get('[data-testid="invoice-detail"]');
    expect(detail.text()).toContain('Gaseosa cola 400 ml');
    expect(detail.text()).toContain('IVA 19 %');
    expect(detail.text()).toContain('Pedro Pérez');
    await wrapper.get('[data-testid="invoice-reprint"]').trigger('click');
    await settle();
    expect(useReceiptStore().invoice?.id).toBe(b.id);
    expect(useReceiptStore().html).toBe('<p>FACTURA C12</p>');
  });

  it('voids with a reason; a cashier is asked for a manager’s PIN; the void command keeps its id', async () => {
    const host = fakeHost({
      [`POST /api/invoices/${a.id}/void`]: (call: FakeCall) =>
        call.headers['x-manager-pin'] === '9999'
          ? { body: { creditNote: makeVoid(a, 'caja-1'), alreadyVoided: false } }
          : { status: 403, body: { error: 'not-a-manager', message: 'Ana is not a manager' } },
    });
    const { wrapper } = mountInvoices();
    await wrapper.get('[data-testid="invoice-row-C11"]').trigger('click');
    await wrapper.get('[data-testid="invoice-void"]').trigger('click');
    expect(wrapper.get('[data-testid="void-confirm"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="void-reason"]').setValue('Cliente desistió');
    await wrapper.get('[data-testid="void-confirm"]').trigger('click');
    await settle();
    const manager = useManagerStore();
    expect(manager.action).toBe('void');
    manager.submit('1234');
    await settle();
    expect(manager.error).toBe('not-a-manager');
    manager.submit('9999');
    await settle();
    expect(manager.open).toBe(false);
    expect(useInvoicesStore().voidOpen).toBe(false);
    const sent = host.calls.filter((call) => call.method === 'POST');
    expect(sent).toHaveLength(2);
    expect(sent.map((call) => (call.body as { reason: string }).reason)).toEqual([
      'Cliente desistió',
      'Cliente desistió',
    ]);
    expect((sent[0]?.body as { commandId: string }).commandId).toBe(
      (sent[1]?.body as { commandId: string }).commandId,
    );
  });

  it('offers no void for an invoice already voided', async () => {
    fakeHost({});
    const { wrapper } = mountInvoices('manager');
    await wrapper.get('[data-testid="invoice-row-C21"]').trigger('click');
    expect(wrapper.find('[data-testid="invoice-void"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="invoice-detail"]').text()).toContain('Anulada por Marta');
  });
});
