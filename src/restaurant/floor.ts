import type { Table } from '../crdt/documents/floor-doc.js';
import type { Order, OrderLine } from '../crdt/documents/floor-orders.js';
import { divFloor, divRoundHalfUp } from '../domain/money.js';

/**
 * The restaurant floor as people see it, computed from the floor document (pure): which table is
 * free, occupied or waiting for the bill, what each order holds and costs, what goes to the
 * kitchen next, and the alerts a manager must resolve. See src/restaurant/SPEC.md.
 */
export type TableState = 'free' | 'occupied' | 'billing';

export interface LineStatus {
  readonly line: OrderLine;
  /** Ordered minus cancelled, in thousandths. */
  readonly quantityMilli: number;
  readonly cancelledMilli: number;
  readonly sent: boolean;
  /** unit price × quantity, rounded half up: what the line adds to the bill, taxes included. */
  readonly amount: number;
}

export interface OrderStatus {
  readonly order: Order;
  readonly lines: readonly LineStatus[];
  readonly total: number;
  readonly open: boolean;
  /** FLR5: closed more than once (two terminals charged it during a LAN split). */
  readonly doubleCharge: boolean;
}

export interface TableStatus {
  readonly table: Table;
  readonly state: TableState;
  readonly orders: readonly OrderStatus[];
  readonly total: number;
  /** Minutes since the oldest open order was opened. */
  readonly elapsedMinutes: number | null;
}

/** FLR1: an order is open until it is closed or merged into another. */
export function isOpen(order: Order): boolean {
  return order.closes.length === 0 && order.mergedInto === null;
}

export function orderStatus(order: Order): OrderStatus {
  const cancelled = new Map<string, number>();
  for (const c of order.cancellations)
    cancelled.set(c.lineId, (cancelled.get(c.lineId) ?? 0) + c.quantityMilli);
  const lines = order.lines.map((line) => {
    const cancelledMilli = Math.min(cancelled.get(line.id) ?? 0, Math.max(line.quantityMilli, 0));
    const quantityMilli = Math.max(line.quantityMilli - cancelledMilli, 0);
    return {
      line,
      quantityMilli,
      cancelledMilli,
      sent: line.sentAt !== null,
      amount: divRoundHalfUp(line.unitPrice * quantityMilli, 1000),
    };
  });
  return {
    order,
    lines,
    total: lines.reduce((sum, l) => sum + l.amount, 0),
    open: isOpen(order),
    doubleCharge: order.closes.length > 1,
  };
}

export function tableStatuses(
  tables: readonly Table[],
  orders: readonly Order[],
  nowMs: number,
): TableStatus[] {
  return tables.map((table) => {
    const open = orders.filter((o) => o.tableId === table.id && isOpen(o)).map(orderStatus);
    const oldest = open[0]?.order.openedAt;
    return {
      table,
      state: open.length === 0 ? 'free' : open.every((o) => o.order.billAt !== null) ? 'billing' : 'occupied',
      orders: open,
      total: open.reduce((sum, o) => sum + o.total, 0),
      elapsedMinutes:
        oldest === undefined ? null : Math.max(0, Math.floor((nowMs - Date.parse(oldest)) / 60_000)),
    };
  });
}

/** FLR4: the lines and cancellations the next kitchen ticket carries (not sent yet). */
export function pendingForKitchen(order: Order): { lines: OrderLine[]; cancellationIds: string[] } {
  const sentCancellations = new Set(order.sends.flatMap((s) => s.cancellationIds));
  return {
    lines: order.lines.filter((l) => l.sentAt === null && l.quantityMilli > 0),
    cancellationIds: order.cancellations.filter((c) => !sentCancellations.has(c.id)).map((c) => c.id),
  };
}

/** Orders charged twice: every close after the first is a candidate for a void. */
export function doubleCharges(orders: readonly Order[]): Order[] {
  return orders.filter((o) => o.closes.length > 1);
}

/** A line of a part split by lines: the whole (remaining) line, or some of its quantity. */
export type SplitLineRef = string | { readonly lineId: string; readonly quantity: number };

export type SplitRequest =
  | { readonly kind: 'lines'; readonly parts: readonly (readonly SplitLineRef[])[] }
  | { readonly kind: 'equal'; readonly parts: number };

export interface BillPartLine {
  readonly sku: string;
  readonly quantityMilli: number;
  /** On an equal part: the whole line's quantity, of which `quantityMilli` is this part's share. */
  readonly ofMilli?: number | undefined;
  /** The order line this part line comes from. */
  readonly lineId: string;
}

export interface BillPart {
  readonly lines: readonly BillPartLine[];
}

export type SplitReason = 'invalid-split';

type SplitResult = { ok: true; parts: BillPart[] } | { ok: false; reason: SplitReason; message: string };

/**
 * SPL1: deal whole amounts (pesos or thousandths) out to `n` parts so that every value's shares
 * add up to it exactly, each share is ⌊v/n⌋ or one more, and the extra units go round the parts in
 * turn across values — so the parts' sums never differ by more than one unit.
 */
export function dealEvenly(values: readonly number[], n: number): number[][] {
  let offset = 0;
  return values.map((v) => {
    const least = divFloor(v, n);
    const extra = v - least * n;
    const shares = Array.from({ length: n }, (_, i) => least + ((i - offset + n) % n < extra ? 1 : 0));
    offset = (offset + extra) % n;
    return shares;
  });
}

/**
 * SPL3: deal `total` out in proportion to `weights` by largest remainder: the shares add up to
 * `total` exactly and each is ⌊total·w/Σw⌋ or one more (ties go to the earlier part).
 */
export function dealByWeight(total: number, weights: readonly number[]): number[] {
  const whole = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || whole <= 0) return weights.map(() => 0);
  const shares = weights.map((w) => divFloor(total * w, whole));
  const remainders = weights.map((w, i) => ({ i, r: total * w - (shares[i] ?? 0) * whole }));
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  let left = total - shares.reduce((a, b) => a + b, 0);
  for (const { i } of remainders) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}

function fail(message: string): SplitResult {
  return { ok: false, reason: 'invalid-split', message };
}

/**
 * FLR6 / SPL1–SPL2: split an order's bill into parts. By lines: every billable line in exactly
 * one part, or its quantity shared between parts (2 × Bandeja paisa → 1 + 1). In equal parts:
 * every line in every part, its quantity dealt out in thousandths (the amounts are dealt by the
 * bill, see planBill).
 */
export function splitBill(lines: readonly LineStatus[], split: SplitRequest | undefined): SplitResult {
  const billable = lines.filter((l) => l.quantityMilli > 0);
  if (billable.length === 0) return fail('the order has nothing to charge');
  if (split === undefined) return { ok: true, parts: [{ lines: billable.map(toBillLine) }] };
  if (split.kind === 'lines') return splitByLines(billable, split.parts);
  const n = split.parts;
  if (!Number.isInteger(n) || n < 2 || n > 20) return fail('split in 2 to 20 parts');
  const dealt = dealEvenly(
    billable.map((l) => l.quantityMilli),
    n,
  );
  const parts: BillPartLine[][] = Array.from({ length: n }, () => []);
  for (const [k, l] of billable.entries()) {
    for (let i = 0; i < n; i += 1) {
      const q = dealt[k]?.[i] ?? 0;
      if (q <= 0) return fail(`${l.line.name} cannot be shared in ${n} parts`);
      parts[i]?.push({ sku: l.line.sku, quantityMilli: q, ofMilli: l.quantityMilli, lineId: l.line.id });
    }
  }
  return { ok: true, parts: parts.map((p) => ({ lines: p })) };
}

function splitByLines(
  billable: readonly LineStatus[],
  request: readonly (readonly SplitLineRef[])[],
): SplitResult {
  if (request.length < 1 || request.length > 20) return fail('split in 1 to 20 parts');
  const byId = new Map(billable.map((l) => [l.line.id, l]));
  const assigned = new Map<string, number>();
  const whole = new Set<string>();
  const parts: BillPartLine[][] = [];
  for (const refs of request) {
    const part: BillPartLine[] = [];
    for (const ref of refs) {
      const id = typeof ref === 'string' ? ref : ref.lineId;
      const line = byId.get(id);
      if (!line) return fail(`line ${id} is not billable`);
      let milli = line.quantityMilli;
      if (typeof ref !== 'string') {
        milli = Math.round(ref.quantity * 1000);
        if (!Number.isFinite(ref.quantity) || milli <= 0 || Math.abs(milli - ref.quantity * 1000) > 1e-6)
          return fail(`line ${id}: a quantity of at most three decimals above zero`);
        if (line.line.unit === 'unit' && milli % 1000 !== 0)
          return fail(`line ${id}: ${line.line.name} is shared by whole units`);
      }
      if (whole.has(id) || (typeof ref === 'string' && assigned.has(id)))
        return fail(`line ${id} is in two parts`);
      if (typeof ref === 'string') whole.add(id);
      assigned.set(id, (assigned.get(id) ?? 0) + milli);
      part.push({ sku: line.line.sku, quantityMilli: milli, lineId: id });
    }
    if (part.length === 0) return fail('a part has no lines');
    parts.push(part);
  }
  for (const l of billable) {
    if (assigned.get(l.line.id) !== l.quantityMilli)
      return fail(`every line must be charged once, whole: ${l.line.name} is not`);
  }
  return { ok: true, parts: parts.map((p) => ({ lines: p })) };
}

function toBillLine(l: LineStatus): BillPartLine {
  return { sku: l.line.sku, quantityMilli: l.quantityMilli, lineId: l.line.id };
}
