// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildLedgerViews } from '../../src/ui/live/views.js';
import type { UploadAck } from '../../src/crdt/documents/uploads-doc.js';
import { useInvoicesStore } from '../../src/ui/stores/invoices.js';
import { useManagerStore } from '../../src/ui/stores/manager.js';
import { useLiveStore } from '../../src/ui/stores/live.js';
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
  it('[CRN3] lists every terminal’s invoices newest first; a void is “Anulación solicitada” until the cloud acknowledged it', async () => {
    fakeHost({});
    const { wrapper } = mountInvoices();
    const rows = wrapper.findAll('[data-testid^="invoice-row-"]').map((r) => r.attributes('data-testid'));
    expect(rows).toEqual(['invoice-row-C21', 'invoice-row-C12', 'invoice-row-C11']);
    expect(wrapper.get('[data-testid="invoice-status-C21"]').text()).toContain('Anulación solicitada');
    expect(wrapper.get('[data-testid="invoice-status-C21"]').text()).not.toContain('Anulada');
    expect(wrapper.get('[data-testid="invoice-status-C11"]').text()).toContain('Vigente');
    // The cloud acknowledged the credit note: now it is voided.
    const ack: UploadAck = {
      id: note.id,
      kind: 'credit-note',
      status: 'created',
      at: '2026-11-28T12:00:00-05:00',
      by: { id: 'marta', name: 'Marta' },
      terminalId: 'caja-2',
    };
    useLiveStore().acks = new Map([[note.id, ack]]);
    await settle();
    expect(wrapper.get('[data-testid="invoice-status-C21"]').text()).toContain('Anulada');
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
    expect(manager.detail).toEqual({ kind: 'invoice', number: 'C11', total: a.total });
    // PIN4: a cashier's PIN is refused when typed; the void is sent once, with the manager's.
    await manager.submit('1234');
    await settle();
    expect(manager.error).toBe('not-a-manager');
    expect(manager.open).toBe(true);
    await manager.submit('9999');
    await settle();
    expect(manager.open).toBe(false);
    expect(useInvoicesStore().voidOpen).toBe(false);
    expect(host.elevations.map((c) => c.body)).toEqual([{ pin: '1234' }, { pin: '9999' }]);
    const sent = host.calls.filter((call) => call.method === 'POST');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['x-manager-pin']).toBe('9999');
    expect((sent[0]?.body as { reason: string }).reason).toBe('Cliente desistió');
  });

  it('offers no void for an invoice already voided', async () => {
    fakeHost({});
    const { wrapper } = mountInvoices('manager');
    await wrapper.get('[data-testid="invoice-row-C21"]').trigger('click');
    expect(wrapper.find('[data-testid="invoice-void"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="invoice-detail"]').text()).toContain('Anulada por Marta');
  });

  it('[RET1] [RET2] returns some products of an invoice: quantities, the amount priced as the host does, a manager’s PIN, one command id', async () => {
    const mixed = makeInvoice({
      consecutive: 7,
      minute: 7,
      lines: [
        { sku: 'BEB-001', quantity: 3 },
        { sku: 'FRU-001', quantity: 1.5 },
      ],
    });
    const host = fakeHost({
      [`POST /api/invoices/${mixed.id}/returns`]: (call: FakeCall) =>
        call.headers['x-manager-pin'] === '9999'
          ? { status: 201, body: { creditNote: { ...makeVoid(mixed, 'caja-1'), amount: 3_200 } } }
          : { status: 403, body: { error: 'not-a-manager', message: 'not a manager' } },
    });
    const ledger = buildLedgerViews([entries('caja-1', [{ kind: 'invoice', invoice: mixed }])]);
    const { wrapper } = mountWith(InvoicesView, {
      pinia: {
        stubActions: false,
        initialState: {
          live: { ledger, ready: true },
          session: { user: { id: 'ana', name: 'Ana', role: 'cashier' }, token: 't' },
        },
      },
    });
    await wrapper.get('[data-testid="invoice-row-C17"]').trigger('click');
    await wrapper.get('[data-testid="invoice-return"]').trigger('click');
    const dialog = () => wrapper.get('[data-testid="return-dialog"]');
    expect(dialog().text()).toContain('Gaseosa cola 400 ml');
    // More than was sold is refused before anything is sent.
    await wrapper.get('[data-testid="return-qty-BEB-001"]').setValue('4');
    expect(wrapper.get('[data-testid="return-problem"]').text()).toContain('No se puede devolver más');
    expect(wrapper.get('[data-testid="return-confirm"]').attributes('disabled')).toBeDefined();
    // One of three sodas: 3 × 3.200 = 9.600, one third is 3.200.
    await wrapper.get('[data-testid="return-qty-BEB-001"]').setValue('1');
    expect(wrapper.get('[data-testid="return-amount"]').text().replace(/\s/g, ' ')).toContain('$ 3.200');
    expect(wrapper.get('[data-testid="return-amount"]').text()).toContain('Efectivo');
    await wrapper.get('[data-testid="return-reason"]').setValue('Llegó vencida');
    await wrapper.get('[data-testid="return-confirm"]').trigger('click');
    await settle();
    const manager = useManagerStore();
    expect(manager.action).toBe('return');
    await manager.submit('1234');
    await settle();
    await manager.submit('9999');
    await settle();
    expect(useInvoicesStore().returnOpen).toBe(false);
    const sent = host.calls.filter((call) => call.method === 'POST');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatchObject({
      reason: 'Llegó vencida',
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      refund: { method: 'cash' },
    });
  });
});
