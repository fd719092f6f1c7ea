// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthAnswer, PrintJobSummary } from '../../src/contract/host-api.js';
import type { PrinterQueueState } from '../../src/printing/print-queue.js';
import AppBanner from '../../src/ui/components/AppBanner.vue';
import ReceiptDialog from '../../src/ui/components/ReceiptDialog.vue';
import { shiftReportText } from '../../src/ui/report-text.js';
import { comandaDestinations, unroutedTicket } from '../../src/ui/stores/floor.js';
import { useNavStore } from '../../src/ui/stores/nav.js';
import { usePrintingStore } from '../../src/ui/stores/printing.js';
import { useReceiptStore } from '../../src/ui/stores/receipt.js';
import { fakeHost, mountWith, settle } from './helpers.js';
import { makeInvoice } from './fixtures.js';
import { CALM_HEALTH, CALM_QUARANTINE } from './health-fixture.js';

const RECEIPTS = { id: 'recibos-ab12', name: 'Recibos', columns: 42 } as const;

function printingHealth(printers: PrinterQueueState[], receiptPrinter: typeof RECEIPTS | null = null) {
  return {
    ...CALM_HEALTH,
    terminalId: 'caja-1',
    terminalName: 'Caja 1',
    peers: [],
    peersConnected: 0,
    terminalsInStore: 1,
    quarantined: CALM_QUARANTINE,
    shift: null,
    catalog: { version: '1', readAt: null, ageHours: 1, products: 10 },
    invoices: { total: 0, pendingUpload: 0, voidsPendingUpload: 0, unusedNumbersPendingUpload: 0 },
    warnings: printers.some((p) => p.failing) ? ['printer-not-answering'] : [],
    printing: {
      receiptPrinter,
      queued: printers.reduce((n, p) => n + p.queued, 0),
      printers,
      unreadableJobs: 0,
    },
  } as unknown as HealthAnswer;
}

const failing = (byKind: PrinterQueueState['byKind'], name = 'Cocina'): PrinterQueueState => ({
  printerId: 'cocina-1',
  name,
  queued: Object.values(byKind).reduce((n, k) => n + k, 0),
  byKind,
  failing: true,
  lastError: { reason: 'refused', message: 'connect ECONNREFUSED', at: '2026-11-28T19:00:00.000Z' },
});

function mountBanner(h: HealthAnswer, role: 'cashier' | 'manager' = 'cashier') {
  return mountWith(AppBanner, {
    pinia: {
      initialState: {
        health: { health: h },
        session: { user: { id: 'u', name: 'U', role }, token: 't' },
      },
    },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the banner when a printer does not answer (PRN5)', () => {
  it.each([
    [{ comanda: 1 }, 'Impresora Cocina sin respuesta: 1 comanda en cola'],
    [{ comanda: 2 }, 'Impresora Cocina sin respuesta: 2 comandas en cola'],
    [{ receipt: 1 }, 'Impresora Cocina sin respuesta: 1 factura en cola'],
    [{ receipt: 3 }, 'Impresora Cocina sin respuesta: 3 facturas en cola'],
    [{ comanda: 2, prebill: 1 }, 'Impresora Cocina sin respuesta: 3 trabajos en cola'],
  ] as const)('%j → “%s”', (byKind, text) => {
    const { wrapper } = mountBanner(printingHealth([failing(byKind)]));
    expect(wrapper.get('[data-testid="banner-printer-cocina-1"]').text()).toBe(text);
  });

  it('says nothing of a printer that is only busy, and links a manager to the print jobs', async () => {
    const calm = mountBanner(printingHealth([{ ...failing({ comanda: 2 }), failing: false }])).wrapper;
    expect(calm.find('[data-testid^="banner-printer-"]').exists()).toBe(false);

    fakeHost({
      'GET /api/printers': { body: { printers: [] } },
      'GET /api/stations': { body: { stations: [] } },
      'GET /api/print-jobs': { body: { jobs: [], printers: [] } },
    });
    const { wrapper } = mountBanner(printingHealth([failing({ comanda: 2 })]), 'manager');
    const link = wrapper.get('[data-testid="banner-printer-cocina-1"]');
    expect(link.element.tagName).toBe('BUTTON');
    await link.trigger('click');
    expect(useNavStore().go).toHaveBeenCalledWith('caja');
    expect(usePrintingStore().openScreen).toHaveBeenCalled();
  });
});

function mountReceipt(receiptPrinter: typeof RECEIPTS | null) {
  return mountWith(ReceiptDialog, {
    attachTo: document.body,
    pinia: {
      stubActions: false,
      initialState: {
        health: { health: printingHealth([], receiptPrinter) },
        session: { user: { id: 'ana', name: 'Ana', role: 'cashier' }, token: 't' },
      },
    },
  });
}

const job = (over: Partial<PrintJobSummary> = {}): PrintJobSummary => ({
  id: '00000000-0000-4000-8000-000000000001',
  seq: 1,
  kind: 'receipt',
  printerId: RECEIPTS.id,
  title: 'Factura C1-1',
  copy: false,
  status: 'queued',
  attempts: 0,
  uncertain: false,
  createdAt: '2026-11-28T19:00:00.000Z',
  ...over,
});

describe('the receipt dialog after a sale (PRN2)', () => {
  it('via=printer: says where it prints, and “Imprimir copia” asks the host, never the browser', async () => {
    const host = fakeHost({
      'GET /api/invoices/inv-1/receipt': { text: '<html><body>FACTURA</body></html>' },
      'POST /api/invoices/inv-1/print': { status: 202, body: { job: job({ copy: true }) } },
    });
    const browserPrint = vi.fn();
    window.print = browserPrint;
    const { wrapper } = mountReceipt(RECEIPTS);
    const invoice = { ...makeInvoice({ consecutive: 1, minute: 1 }), id: 'inv-1' };
    useReceiptStore().show(invoice, { via: 'printer', jobs: [job()] });
    await settle();
    const frame = wrapper.find('iframe').element as HTMLIFrameElement | undefined;
    const framePrint = vi.fn();
    if (frame?.contentWindow) frame.contentWindow.print = framePrint;
    expect(wrapper.get('[data-testid="receipt-print-status"]').text()).toBe('Imprimiendo en Recibos…');
    const button = wrapper.get('[data-testid="receipt-print"]');
    expect(button.text()).toBe('Imprimir copia');
    await button.trigger('click');
    await settle();
    expect(host.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/api/invoices/inv-1/print',
    ]);
    expect(wrapper.get('[data-testid="receipt-print-status"]').text()).toBe(
      'Enviado a la impresora Recibos.',
    );
    expect(browserPrint).not.toHaveBeenCalled();
    expect(framePrint).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it('via=ask: nothing printed yet, “Imprimir” sends it to the receipt printer', async () => {
    const host = fakeHost({
      'GET /api/invoices/inv-2/receipt': { text: '<html><body>FACTURA</body></html>' },
      'POST /api/invoices/inv-2/print': { status: 202, body: { job: job() } },
    });
    const { wrapper } = mountReceipt(RECEIPTS);
    useReceiptStore().show(
      { ...makeInvoice({ consecutive: 2, minute: 2 }), id: 'inv-2' },
      { via: 'ask', jobs: [] },
    );
    await settle();
    expect(wrapper.find('[data-testid="receipt-print-status"]').exists()).toBe(false);
    await wrapper.get('[data-testid="receipt-print"]').trigger('click');
    await settle();
    expect(host.calls.some((c) => c.method === 'POST' && c.path === '/api/invoices/inv-2/print')).toBe(true);
    wrapper.unmount();
  });

  it('a reprint (no answer) uses the receipt printer when the terminal has one, else the browser', async () => {
    fakeHost({ 'GET /api/invoices/inv-3/receipt': { text: '<html></html>' } });
    const invoice = { ...makeInvoice({ consecutive: 3, minute: 3 }), id: 'inv-3' };
    const withPrinter = mountReceipt(RECEIPTS);
    useReceiptStore().show(invoice);
    expect(useReceiptStore().via).toBe('ask');
    withPrinter.wrapper.unmount();
    const without = mountReceipt(null);
    useReceiptStore().show(invoice);
    expect(useReceiptStore().via).toBe('browser');
    await settle();
    expect(without.wrapper.get('[data-testid="receipt-print"]').text()).toContain('Imprimir');
    without.wrapper.unmount();
  });
});

describe('comandas sent to the stations’ printers (PRN6)', () => {
  it('names the stations from the jobs, and keeps only the unrouted lines for the browser', () => {
    const jobs = [
      job({ kind: 'comanda', title: 'Comanda Cocina — Mesa 4' }),
      job({ kind: 'comanda', title: 'Comanda Barra — Mesa 4' }),
    ];
    expect(comandaDestinations(jobs)).toEqual(['Cocina', 'Barra']);
    const ticket = [
      'COMANDA — Mesa 4',
      'Mesero: Ana · 19:00 · caja-1',
      '-'.repeat(42),
      '1 × Sopa',
      '2 × Postre',
      '',
    ].join('\n');
    expect(unroutedTicket(ticket, ['2 × Postre'])).toBe(
      ['COMANDA — Mesa 4', 'Mesero: Ana · 19:00 · caja-1', '-'.repeat(42), '2 × Postre'].join('\n'),
    );
  });
});

describe('the shift report as text for the receipt printer', () => {
  it('fits the printer’s columns and lists the drawer openings', () => {
    const t = (key: string, params?: Record<string, unknown>) =>
      params ? `${key} ${Object.values(params).join(' ')}` : key;
    const zero = { cash: 0, 'debit-card': 0, 'credit-card': 0, transfer: 0, other: 0 };
    const report = {
      shiftId: 's1',
      terminalId: 'caja-1',
      openedAt: '2026-11-28T08:00:00-05:00',
      openedBy: { id: 'ana', name: 'Ana' },
      closedAt: null,
      closedBy: null,
      salesCount: 3,
      salesTotal: 45_300,
      byPaymentMethod: { ...zero, cash: 45_300 },
      taxes: [],
      tips: 0,
      voids: { count: 0, total: 0, numbers: [] },
      refunds: { count: 0, total: 0, byPaymentMethod: zero, taxes: [], notes: [] },
      firstNumber: 'C1-1',
      lastNumber: 'C1-3',
      reservedNotIssued: [],
      openingCash: 100_000,
      cashIn: 0,
      cashOut: 0,
      expectedCash: 145_300,
      countedCash: null,
      difference: null,
      drawerOpenings: [
        { at: '2026-11-28T10:15:00-05:00', by: { id: 'marta', name: 'Marta' }, reason: 'cambio' },
      ],
    } as unknown as Parameters<typeof shiftReportText>[0];
    const text = shiftReportText(report, 'Informe X', 32, t);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(32);
    expect(text).toContain('report.drawerOpenings');
    expect(text).toContain('Marta');
    expect(text).toMatch(/report\.expectedCash +\$ ?145\.300/);
  });
});
