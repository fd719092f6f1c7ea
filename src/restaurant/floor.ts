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

export type SplitRequest =
  | { readonly kind: 'lines'; readonly parts: readonly (readonly string[])[] }
  | { readonly kind: 'equal'; readonly parts: number };

export interface BillPart {
  readonly lines: readonly { readonly sku: string; readonly quantityMilli: number }[];
}

export type SplitReason = 'invalid-split';

/**
 * FLR6: split an order's bill into parts. By lines: every billable line in exactly one part. In
 * equal parts: every line's quantity is shared out in thousandths so that the parts add up to
 * the whole exactly (the first parts take the remainders).
 */
export function splitBill(
  lines: readonly LineStatus[],
  split: SplitRequest | undefined,
): { ok: true; parts: BillPart[] } | { ok: false; reason: SplitReason; message: string } {
  const billable = lines.filter((l) => l.quantityMilli > 0);
  if (billable.length === 0)
    return { ok: false, reason: 'invalid-split', message: 'the order has nothing to charge' };
  if (split === undefined) return { ok: true, parts: [{ lines: billable.map(toBillLine) }] };
  if (split.kind === 'lines') {
    const byId = new Map(billable.map((l) => [l.line.id, l]));
    const seen = new Set<string>();
    const parts: BillPart[] = [];
    for (const ids of split.parts) {
      const part: { sku: string; quantityMilli: number }[] = [];
      for (const id of ids) {
        const line = byId.get(id);
        if (!line || seen.has(id))
          return {
            ok: false,
            reason: 'invalid-split',
            message: `line ${id} is not billable or is in two parts`,
          };
        seen.add(id);
        part.push(toBillLine(line));
      }
      if (part.length === 0) return { ok: false, reason: 'invalid-split', message: 'a part has no lines' };
      parts.push({ lines: part });
    }
    if (seen.size !== byId.size)
      return { ok: false, reason: 'invalid-split', message: 'every line must be in one part' };
    return { ok: true, parts };
  }
  const n = split.parts;
  if (!Number.isInteger(n) || n < 2 || n > 20)
    return { ok: false, reason: 'invalid-split', message: 'split in 2 to 20 parts' };
  const parts: { sku: string; quantityMilli: number }[][] = Array.from({ length: n }, () => []);
  for (const l of billable) {
    const share = divFloor(l.quantityMilli, n);
    const remainder = l.quantityMilli - share * n;
    for (let i = 0; i < n; i += 1) {
      const q = share + (i < remainder ? 1 : 0);
      if (q > 0) parts[i]?.push({ sku: l.line.sku, quantityMilli: q });
    }
  }
  if (parts.some((p) => p.length === 0))
    return { ok: false, reason: 'invalid-split', message: 'too many parts for this order' };
  return { ok: true, parts: parts.map((p) => ({ lines: p })) };
}

function toBillLine(l: LineStatus): { sku: string; quantityMilli: number } {
  return { sku: l.line.sku, quantityMilli: l.quantityMilli };
}

/**
 * FLR7: share a tip across parts in proportion to their amounts, rounded down, the pesos left
 * going to the parts with room under their own 10 % limit.
 */
export function shareTip(tip: number, subtotals: readonly number[]): number[] {
  const whole = subtotals.reduce((a, b) => a + b, 0);
  if (tip <= 0 || whole <= 0) return subtotals.map(() => 0);
  const shares = subtotals.map((s) => divFloor(tip * s, whole));
  let left = tip - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0 && i < shares.length; i += 1) {
    const room = divFloor(subtotals[i] ?? 0, 10) - (shares[i] ?? 0);
    const add = Math.min(room, left);
    if (add > 0) {
      shares[i] = (shares[i] ?? 0) + add;
      left -= add;
    }
  }
  return shares;
}
