import { defineStore, storeToRefs } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PrinterBody, PrinterPatch, PrintJobSummary, StationBody } from '../../contract/host-api.js';
import type { Printer, Station } from '../../domain/printer.js';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import { newCommandId } from '../command-id.js';
import { useHealthStore } from './health.js';
import { useManagerStore } from './manager.js';

/** What the printers screen was doing when it failed (the message shows next to it). */
export type PrintingAction =
  'load' | 'save-printer' | 'remove-printer' | 'test' | 'save-station' | 'remove-station' | 'job' | 'drawer';

/**
 * PRN1–PRN7 on the screen: this terminal's receipt printer (from health), "Impresoras y
 * estaciones" and "Trabajos de impresión" for a manager, "Abrir cajón", and the documents the
 * screen sends to the receipt printer instead of the browser's print dialog. A thin adapter: the
 * host decides which printer prints what.
 */
export const usePrintingStore = defineStore('printing', () => {
  const { health } = storeToRefs(useHealthStore());
  /** This terminal's receipt printer, or null: the screen prints through the browser. */
  const receiptPrinter = computed(() => health.value?.printing.receiptPrinter ?? null);

  /** "Impresoras y estaciones" takes Caja's whole screen while open. */
  const open = ref(false);
  const printers = shallowRef<readonly Printer[]>([]);
  const stations = shallowRef<readonly Station[]>([]);
  const jobs = shallowRef<readonly PrintJobSummary[]>([]);
  const loaded = ref(false);
  const busy = ref<PrintingAction | null>(null);
  const error = ref<{ action: PrintingAction; reason: string } | null>(null);
  /** The last "Imprimir prueba" queued, by printer id (the screen says it was sent). */
  const tested = ref<Record<string, string>>({});

  async function act<T>(action: PrintingAction, run: () => Promise<T>): Promise<T | undefined> {
    busy.value = action;
    error.value = null;
    try {
      return await run();
    } catch (failure) {
      error.value = { action, reason: reasonOf(failure) };
      return undefined;
    } finally {
      busy.value = null;
    }
  }

  async function load(): Promise<void> {
    await act('load', async () => {
      const [p, s, j] = await Promise.all([api.printers(), api.stations(), api.printJobs()]);
      printers.value = p.printers;
      stations.value = s.stations;
      jobs.value = j.jobs;
      loaded.value = true;
    });
  }

  async function loadJobs(): Promise<void> {
    try {
      jobs.value = (await api.printJobs()).jobs;
    } catch (failure) {
      error.value = { action: 'load', reason: reasonOf(failure) };
    }
  }

  function openScreen(): void {
    open.value = true;
    void load();
  }

  function closeScreen(): void {
    open.value = false;
    error.value = null;
  }

  async function savePrinter(id: string | null, body: PrinterBody): Promise<boolean> {
    const done = await act('save-printer', () =>
      id === null ? api.addPrinter(body) : api.updatePrinter(id, body satisfies PrinterPatch),
    );
    if (done) await load();
    // The health poll says the new receipt printer later: say it now.
    if (done) void useHealthStore().refresh();
    return done !== undefined;
  }

  async function removePrinter(id: string): Promise<boolean> {
    const done = await act('remove-printer', () => api.removePrinter(id));
    if (done) {
      await load();
      void useHealthStore().refresh();
    }
    return done !== undefined;
  }

  async function test(id: string): Promise<boolean> {
    const answer = await act('test', () => api.testPrinter(id));
    if (answer) {
      tested.value = { ...tested.value, [id]: answer.job.id };
      await loadJobs();
    }
    return answer !== undefined;
  }

  async function saveStation(id: string, body: StationBody): Promise<boolean> {
    const done = await act('save-station', () => api.putStation(id, body));
    if (done) await load();
    return done !== undefined;
  }

  async function removeStation(id: string): Promise<boolean> {
    const done = await act('remove-station', () => api.removeStation(id));
    if (done) await load();
    return done !== undefined;
  }

  async function jobAction(id: string, what: 'retry' | 'cancel' | { redirect: string }): Promise<boolean> {
    const done = await act('job', () =>
      what === 'retry'
        ? api.retryJob(id)
        : what === 'cancel'
          ? api.cancelJob(id)
          : api.redirectJob(id, what.redirect),
    );
    if (done) {
      await loadJobs();
      void useHealthStore().refresh();
    }
    return done !== undefined;
  }

  /**
   * PRN7: "Abrir cajón" — a manager, or a cashier with a manager's PIN; the host records it in
   * the shift before the drawer opens. One command id per press: a retry of the same press is
   * recorded once.
   */
  async function openDrawer(reason: string): Promise<boolean> {
    const commandId = newCommandId();
    const answer = await act('drawer', () =>
      useManagerStore().authorize('open-drawer', (pin) => api.openDrawer(reason, commandId, pin), {
        kind: 'reason',
        text: reason,
      }),
    );
    return answer !== undefined;
  }

  /** PRN2: a receipt on the receipt printer ("COPIA" when it printed before). */
  async function printInvoice(invoiceId: string): Promise<void> {
    await api.printInvoice(invoiceId);
  }

  /** A pre-bill or a report, as text at the receipt printer's width. */
  async function printText(kind: 'prebill' | 'report', title: string, text: string): Promise<void> {
    await api.printText(kind, title, text);
  }

  function reset(): void {
    open.value = false;
    printers.value = [];
    stations.value = [];
    jobs.value = [];
    loaded.value = false;
    error.value = null;
    tested.value = {};
  }

  return {
    receiptPrinter,
    open,
    printers,
    stations,
    jobs,
    loaded,
    busy,
    error,
    tested,
    load,
    loadJobs,
    openScreen,
    closeScreen,
    savePrinter,
    removePrinter,
    test,
    saveStation,
    removeStation,
    jobAction,
    openDrawer,
    printInvoice,
    printText,
    reset,
  };
});
