import { stepMilliOf, type SaleUnit } from '../../domain/quantity.js';
import { defineStore, storeToRefs } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { Order } from '../../crdt/documents/floor-orders.js';
import type { Product } from '../../domain/catalog.js';
import { isOpen, pendingForKitchen, tableStatuses, type TableStatus } from '../../restaurant/floor.js';
import { editConflict, unresolvedDoubleCharges } from '../../restaurant/notices.js';
import type { PrintJobSummary } from '../../contract/host-api.js';
import { api } from '../api/endpoints.js';
import { floorApi } from '../api/floor-endpoints.js';
import { reasonOf } from '../api/http.js';
import { newCommandId } from '../command-id.js';
import { useHealthStore } from './health.js';
import { useLiveStore } from './live.js';
import { useManagerStore } from './manager.js';
import { useToastStore } from './toasts.js';

export const FLOOR_TICK_MS = 15_000;

/** Something another terminal did to what this screen is working on. */
export type FloorNotice =
  | { readonly kind: 'sent'; readonly line: string; readonly by: string; readonly terminalId: string }
  | { readonly kind: 'removed'; readonly line: string }
  | { readonly kind: 'moved'; readonly table: string }
  | { readonly kind: 'closed'; readonly table: string; readonly terminalId: string };

/** A printed text to show (and print): the kitchen ticket or the pre-bill. */
export interface FloorTicket {
  readonly kind: 'comanda' | 'cuenta';
  readonly table: string;
  readonly text: string;
  /** PRN6: the stations whose printers already took their lines (the rest is `text`). */
  readonly sentTo?: readonly string[];
}

/**
 * PRN6: the stations a send's comandas went to. A job's title is "Comanda <station> — <table>"
 * (the receipt printer's, for lines of no station, is "Comanda — <table>"); the screen cannot read
 * the stations (a manager's route), so it names them from the jobs.
 */
export function comandaDestinations(jobs: readonly PrintJobSummary[]): string[] {
  const names = jobs.map((j) => {
    const m = /^Comanda (.+?) — /.exec(j.title);
    return m?.[1] ?? j.title;
  });
  return [...new Set(names)];
}

/** The comanda's header (up to its first rule) and only the lines no printer took. */
export function unroutedTicket(ticket: string, unrouted: readonly string[]): string {
  const lines = ticket.split('\n');
  const rule = lines.findIndex((l) => /^[-=]{8,}$/.test(l.trim()));
  const head = rule >= 0 ? lines.slice(0, rule + 1) : [];
  return [...head, ...unrouted].join('\n');
}

/**
 * Comedores: the floor read live from the shared floor document (so another terminal's changes
 * show at once) and the table commands sent to the host. A thin adapter: the table states,
 * totals, kitchen pending lines and alerts are src/restaurant's pure functions, the rules the
 * host's.
 */
export const useFloorStore = defineStore('floor', () => {
  const live = useLiveStore();
  const { floor, products, ledger } = storeToRefs(live);
  const { health } = storeToRefs(useHealthStore());
  const now = ref(Date.now());
  const selectedTableId = ref<string | null>(null);
  /** The order on screen, followed when another terminal moves it to another table. */
  const followedOrderId = ref<string | null>(null);
  const selectedLineId = ref<string | null>(null);
  /** The line whose note is being typed. */
  const noteLineId = ref<string | null>(null);
  const notice = shallowRef<FloorNotice | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const ticket = shallowRef<FloorTicket | null>(null);
  /** FLR7: the tip chosen for an order when its pre-bill was printed here. */
  const tips = ref<Record<string, number>>({});
  /** Lines this screen sent, removed or is closing: no notice for our own doing. */
  const ownChanges = new Set<string>();
  const movingHere = new Set<string>();
  /**
   * CMD3: the commandId of each line change that has not succeeded yet, by what it asks: the same
   * change asked again (the cashier's retry after a failure, which may have been applied before
   * its answer was lost) reuses it, so the host applies it once; a success ends it, so the next
   * tap is a new change. (A refused change recorded nothing: reusing its id is harmless.)
   */
  const pendingChanges = new Map<string, string>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const isRestaurant = computed(() => floor.value.tables.length > 0);
  const statuses = computed<TableStatus[]>(() =>
    tableStatuses(floor.value.tables, floor.value.orders, now.value),
  );
  const areas = computed(() =>
    floor.value.areas.map((area) => ({
      area,
      tables: statuses.value.filter((s) => s.table.areaId === area.id),
    })),
  );
  const counts = computed(() => {
    const out = { free: 0, occupied: 0, billing: 0 };
    for (const s of statuses.value) out[s.state] += 1;
    return out;
  });
  const tableName = (id: string) => floor.value.tables.find((t) => t.id === id)?.name ?? id;
  const selected = computed(() => statuses.value.find((s) => s.table.id === selectedTableId.value));
  /** The table's open order (the oldest, when a split LAN let two terminals open it: FLR1). */
  const current = computed(() => selected.value?.orders[0]);
  const otherOrders = computed(() => selected.value?.orders.slice(1) ?? []);
  const pending = computed(() =>
    current.value ? pendingForKitchen(current.value.order) : { lines: [], cancellationIds: [] },
  );
  const pendingCount = computed(() => pending.value.lines.length + pending.value.cancellationIds.length);
  const bySku = computed(() => new Map(products.value.map((p) => [p.sku, p])));
  const voidedIds = computed(
    () => new Set(ledger.value.invoices.filter((r) => r.voidedBy).map((r) => r.invoice.id)),
  );
  const alerts = computed(() => unresolvedDoubleCharges(floor.value.orders, (id) => voidedIds.value.has(id)));

  // What others changed under our feet (FLR4, FLR3, FLR5): tell the person at this screen.
  watch(
    () => floor.value.orders,
    (after, before) => {
      const lineId = noteLineId.value ?? selectedLineId.value;
      if (lineId !== null && !ownChanges.has(lineId)) {
        const was = before.find((o) => o.lines.some((l) => l.id === lineId));
        const conflict = editConflict(
          was,
          after.find((o) => o.id === was?.id),
          lineId,
        );
        const name = was?.lines.find((l) => l.id === lineId)?.name ?? '';
        if (conflict?.kind === 'sent') notice.value = { ...conflict, line: name };
        else if (conflict?.kind === 'removed') notice.value = { kind: 'removed', line: name };
        if (conflict) {
          noteLineId.value = null;
          if (conflict.kind === 'removed') selectedLineId.value = null;
        }
      }
      follow(after);
    },
  );

  function follow(orders: readonly Order[]): void {
    const id = followedOrderId.value;
    if (id === null) return;
    const order = orders.find((o) => o.id === id);
    if (!order) return;
    // Merged into another table's order (FLR3): follow the lines there.
    const into = order.mergedInto === null ? undefined : orders.find((o) => o.id === order.mergedInto);
    if (into && isOpen(into) && !ownChanges.has(id)) {
      followedOrderId.value = into.id;
      selectedTableId.value = into.tableId;
      notice.value = { kind: 'moved', table: tableName(into.tableId) };
    } else if (isOpen(order) && order.tableId !== selectedTableId.value) {
      selectedTableId.value = order.tableId;
      if (!movingHere.has(id)) notice.value = { kind: 'moved', table: tableName(order.tableId) };
    } else if (order.closes.length > 0 && !ownChanges.has(id)) {
      const close = order.closes[0];
      notice.value = { kind: 'closed', table: tableName(order.tableId), terminalId: close?.terminalId ?? '' };
      followedOrderId.value = null;
    }
  }

  function select(tableId: string | null): void {
    selectedTableId.value = tableId;
    selectedLineId.value = null;
    noteLineId.value = null;
    notice.value = null;
    error.value = null;
    followedOrderId.value = tableId === null ? null : (selected.value?.orders[0]?.order.id ?? null);
  }

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    error.value = null;
    try {
      return await action();
    } catch (failure) {
      error.value = reasonOf(failure);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  async function open(tableId: string, diners: number): Promise<boolean> {
    const answer = await run(() => floorApi.open(tableId, diners));
    if (!answer) return false;
    select(tableId);
    followedOrderId.value = answer.order.id;
    return true;
  }

  /** QTY4: one unit, or 100 g of a product by weight (the rule the cart steps by). */
  const stepOf = (unit: SaleUnit) => stepMilliOf(unit) / 1000;

  /** A line change sent with the commandId of its earlier unanswered try, if any. */
  async function changeCommand<T>(
    key: string,
    send: (commandId: string) => Promise<T>,
  ): Promise<T | undefined> {
    const commandId = pendingChanges.get(key) ?? newCommandId('cambio');
    pendingChanges.set(key, commandId);
    const answer = await run(() => send(commandId));
    if (answer !== undefined) pendingChanges.delete(key);
    return answer;
  }

  const changeLine = (tableId: string, lineId: string, change: { delta?: number; note?: string }) =>
    changeCommand(`change:${tableId}:${lineId}:${JSON.stringify(change)}`, (commandId) =>
      floorApi.changeLine(tableId, lineId, { commandId, ...change }),
    );

  /**
   * A product tapped or scanned: one more (or the scale label's `quantity` more) of the same unsent
   * line without a note, else a new line.
   */
  async function addProduct(product: Product, quantity?: number): Promise<void> {
    const tableId = selectedTableId.value;
    const order = current.value;
    if (tableId === null || !order) return;
    const same = order.lines.find(
      (l) => l.line.sku === product.sku && !l.sent && l.line.note === '' && l.quantityMilli > 0,
    );
    if (same) {
      selectedLineId.value = same.line.id;
      await changeLine(tableId, same.line.id, { delta: quantity ?? stepOf(product.unit) });
      return;
    }
    const commandId = newCommandId('linea');
    const answer = await run(() =>
      floorApi.addLine(tableId, { commandId, sku: product.sku, quantity: quantity ?? 1 }),
    );
    if (answer) selectedLineId.value = commandId;
  }

  function lineOf(lineId: string) {
    return current.value?.lines.find((l) => l.line.id === lineId);
  }

  /** FLR2: +/− on an unsent line is an increment, so others' changes to it add up. */
  async function step(lineId: string, direction: 1 | -1): Promise<void> {
    const tableId = selectedTableId.value;
    const line = lineOf(lineId);
    if (tableId === null || !line) return;
    selectedLineId.value = lineId;
    const delta = direction * stepOf(line.line.unit);
    if (line.quantityMilli + delta * 1000 <= 0) return;
    await changeLine(tableId, lineId, { delta });
  }

  async function remove(lineId: string): Promise<void> {
    const tableId = selectedTableId.value;
    if (tableId === null) return;
    ownChanges.add(lineId);
    const done = await changeCommand(`remove:${tableId}:${lineId}`, (commandId) =>
      floorApi.removeLine(tableId, lineId, commandId),
    );
    if (done && selectedLineId.value === lineId) selectedLineId.value = null;
    if (!done) ownChanges.delete(lineId);
  }

  async function setNote(lineId: string, note: string): Promise<boolean> {
    const tableId = selectedTableId.value;
    if (tableId === null) return false;
    const done = await changeLine(tableId, lineId, { note: note.trim() });
    if (done) noteLineId.value = null;
    return done !== undefined;
  }

  /** FLR4: "Enviar a cocina": the new lines on one comanda, shown to print. */
  async function send(): Promise<boolean> {
    const tableId = selectedTableId.value;
    if (tableId === null || pendingCount.value === 0) return false;
    const lineIds = pending.value.lines.map((l) => l.id);
    for (const id of lineIds) ownChanges.add(id);
    const answer = await run(() => floorApi.send(tableId));
    if (!answer) {
      for (const id of lineIds) ownChanges.delete(id);
      return false;
    }
    noteLineId.value = null;
    const { jobs, unrouted } = answer.comandas;
    const stations = comandaDestinations(jobs);
    // PRN6: every line went to a station's printer: nothing for the browser to print.
    if (jobs.length > 0 && unrouted.length === 0) {
      useToastStore().info('comedores.comandasSent', { stations: stations.join(', ') });
      return true;
    }
    // Lines no printer took: only those are shown to print from the screen.
    const text = jobs.length > 0 ? unroutedTicket(answer.ticket, unrouted) : answer.ticket;
    ticket.value = { kind: 'comanda', table: tableName(tableId), text, sentTo: stations };
    return true;
  }

  /** FLR4: a sent line is reduced only by a cancellation with a reason, authorized by a manager. */
  async function cancelLine(
    lineId: string,
    quantity: number,
    reason: string,
    commandId: string,
  ): Promise<{ done: boolean; reason?: string }> {
    const tableId = selectedTableId.value;
    if (tableId === null) return { done: false, reason: 'table-not-open' };
    try {
      const answer = await useManagerStore().authorize(
        'cancel-line',
        (pin) => floorApi.cancelLine(tableId, lineId, { commandId, quantity, reason }, pin),
        { kind: 'line', product: lineOf(lineId)?.line.name ?? '', table: tableName(tableId) },
      );
      // No answer: the manager's PIN dialog was cancelled; nothing to report.
      return { done: answer !== undefined };
    } catch (failure) {
      return { done: false, reason: reasonOf(failure) };
    }
  }

  /**
   * FLR8: a manager adds a table to an area or renames one; the live floor document shows it on
   * every terminal. Answers the failure's reason, if any (undefined when the PIN was cancelled).
   */
  async function editTables(
    action: (pin: string | undefined) => Promise<unknown>,
  ): Promise<{ done: boolean; reason?: string }> {
    busy.value = true;
    try {
      const answer = await useManagerStore().authorize('edit-tables', action);
      return { done: answer !== undefined };
    } catch (failure) {
      return { done: false, reason: reasonOf(failure) };
    } finally {
      busy.value = false;
    }
  }

  const addTable = (areaId: string, name: string, seats: number) =>
    editTables((pin) => floorApi.addTable(areaId, { name, seats }, pin));
  const renameTable = (tableId: string, name: string) =>
    editTables((pin) => floorApi.updateTable(tableId, { name }, pin));

  async function move(to: string): Promise<boolean> {
    const from = selectedTableId.value;
    const orderId = current.value?.order.id;
    if (from === null || orderId === undefined) return false;
    // The synced document may show the move before the answer comes: no notice for our own move.
    movingHere.add(orderId);
    const answer = await run(() => floorApi.move(from, to)).finally(() => movingHere.delete(orderId));
    if (!answer) return false;
    selectedTableId.value = to;
    useToastStore().info('comedores.movedDone', { from: tableName(from), to: tableName(to) });
    return true;
  }

  /** FLR3: bring another table's order onto this one. */
  async function merge(from: string): Promise<boolean> {
    const into = selectedTableId.value;
    if (into === null) return false;
    const answer = await run(() => floorApi.merge(into, from));
    if (!answer) return false;
    useToastStore().info('comedores.mergedDone', { from: tableName(from), to: tableName(into) });
    return true;
  }

  /** FLR7: the tip is asked before the pre-bill (cuenta) is printed, and kept for the close. */
  async function requestBill(tip: number): Promise<boolean> {
    const tableId = selectedTableId.value;
    const order = current.value?.order;
    if (tableId === null || !order) return false;
    const answer = await run(() => floorApi.bill(tableId, tip));
    if (!answer) return false;
    tips.value = { ...tips.value, [order.id]: tip };
    const table = tableName(tableId);
    // With a receipt printer the pre-bill prints there, as the host laid it out.
    if (health.value?.printing.receiptPrinter) {
      try {
        await api.printText('prebill', `Cuenta ${table}`, answer.preBill);
        useToastStore().info('comedores.prebillSent', { name: health.value.printing.receiptPrinter.name });
        return true;
      } catch (failure) {
        error.value = reasonOf(failure);
      }
    }
    ticket.value = { kind: 'cuenta', table, text: answer.preBill };
    return true;
  }

  /** The close about to be sent from here: its order closing is no news to this screen. */
  function closingHere(orderId: string): void {
    ownChanges.add(orderId);
  }

  function start(): void {
    stop();
    now.value = Date.now();
    timer = setInterval(() => {
      now.value = Date.now();
    }, FLOOR_TICK_MS);
  }

  function stop(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  function reset(): void {
    stop();
    select(null);
    ticket.value = null;
    tips.value = {};
    ownChanges.clear();
    pendingChanges.clear();
  }

  return {
    now,
    selectedTableId,
    selectedLineId,
    noteLineId,
    notice,
    busy,
    error,
    ticket,
    tips,
    isRestaurant,
    statuses,
    areas,
    counts,
    selected,
    current,
    otherOrders,
    pending,
    pendingCount,
    bySku,
    alerts,
    tableName,
    select,
    open,
    addProduct,
    step,
    remove,
    setNote,
    send,
    cancelLine,
    addTable,
    renameTable,
    move,
    merge,
    requestBill,
    closingHere,
    start,
    stop,
    reset,
    selectLine: (lineId: string | null) => {
      selectedLineId.value = lineId;
    },
    editNote: (lineId: string | null) => {
      noteLineId.value = lineId;
      if (lineId !== null) selectedLineId.value = lineId;
    },
    dismissNotice: () => {
      notice.value = null;
    },
    closeTicket: () => {
      ticket.value = null;
    },
  };
});
