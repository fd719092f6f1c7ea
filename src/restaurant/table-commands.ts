import type {
  Cancellation,
  LineChange,
  Order,
  OrderClose,
  OrderLine,
} from '../crdt/documents/floor-orders.js';
import { err, ok, type Result } from '../domain/result.js';

/**
 * SAL1 on the floor, as the ledger's `entryForCommand` does it for fiscal commands: the order an
 * earlier run of a table command answered (a retry gets it as it is now), or `command-id-reused`
 * when its commandId was used by another command.
 *
 * Table commands leave no fiscal record, so the ledger never sees them; the floor document is
 * their record. An added line's key is its commandId, so is a cancellation's and a line change's
 * (CMD3: quantity, note or removal), and a close keeps its commandId; orders are never deleted (closed and merged ones stay), so searching every order
 * finds every earlier use — on another table or order, after a restart, and from whichever
 * terminal the retry comes through — with nothing else to keep in step or to bound. (A day's
 * floor is a few thousand lines: the search takes well under a millisecond.) The one use it
 * cannot find is an unsent line removed since: its key is gone, so the same command adds it again.
 */
type Use =
  | { readonly kind: 'line'; readonly order: Order; readonly line: OrderLine }
  | { readonly kind: 'cancellation'; readonly order: Order; readonly cancellation: Cancellation }
  | { readonly kind: 'change'; readonly order: Order; readonly change: LineChange }
  | { readonly kind: 'close'; readonly order: Order; readonly close: OrderClose };

type Earlier = Result<Order | undefined, 'command-id-reused'>;

function uses(orders: readonly Order[], commandId: string): Use[] {
  const found: Use[] = [];
  for (const order of orders) {
    for (const line of order.lines) if (line.id === commandId) found.push({ kind: 'line', order, line });
    for (const cancellation of order.cancellations)
      if (cancellation.id === commandId) found.push({ kind: 'cancellation', order, cancellation });
    for (const change of order.changes)
      if (change.id === commandId) found.push({ kind: 'change', order, change });
    for (const close of order.closes)
      if (close.commandId === commandId) found.push({ kind: 'close', order, close });
  }
  return found;
}

function earlier(orders: readonly Order[], commandId: string, same: (use: Use) => boolean): Earlier {
  const found = uses(orders, commandId);
  if (found.length === 0) return ok(undefined);
  const replay = found.find(same);
  return replay
    ? ok(replay.order)
    : err('command-id-reused', `commandId ${commandId} was used for another command`);
}

/**
 * "Add a line": the same table (the path is part of the command, as the invoice is part of a
 * void's), order if named, product and note. The quantity is not compared: it is a counter others
 * may have changed since.
 */
export function earlierLine(
  orders: readonly Order[],
  tableId: string,
  l: {
    readonly commandId: string;
    readonly sku: string;
    readonly note?: string | undefined;
    readonly orderId?: string | undefined;
  },
): Earlier {
  return earlier(
    orders,
    l.commandId,
    (use) =>
      use.kind === 'line' &&
      use.order.tableId === tableId &&
      (l.orderId === undefined || l.orderId === use.order.id) &&
      use.line.sku === l.sku &&
      use.line.note === (l.note ?? ''),
  );
}

/** A cancellation: the same table, line, quantity (in thousandths) and reason. */
export function earlierCancellation(
  orders: readonly Order[],
  tableId: string,
  lineId: string,
  c: { readonly commandId: string; readonly quantity: number; readonly reason: string },
): Earlier {
  return earlier(
    orders,
    c.commandId,
    (use) =>
      use.kind === 'cancellation' &&
      use.order.tableId === tableId &&
      use.cancellation.lineId === lineId &&
      use.cancellation.quantityMilli === Math.round(c.quantity * 1000) &&
      use.cancellation.reason === c.reason,
  );
}

/**
 * CMD3: a line change (PATCH or DELETE of a line): the same table, line, quantity change (in
 * thousandths), note and removal. A retry answers the order as it is now and changes nothing.
 */
export function earlierChange(
  orders: readonly Order[],
  tableId: string,
  lineId: string,
  c: {
    readonly commandId: string;
    readonly delta?: number | undefined;
    readonly note?: string | undefined;
    readonly remove?: boolean | undefined;
  },
): Earlier {
  const deltaMilli = c.delta === undefined ? null : Math.round(c.delta * 1000);
  return earlier(
    orders,
    c.commandId,
    (use) =>
      use.kind === 'change' &&
      use.order.tableId === tableId &&
      use.change.lineId === lineId &&
      use.change.deltaMilli === deltaMilli &&
      use.change.note === (c.note ?? null) &&
      use.change.remove === (c.remove === true),
  );
}

/**
 * A close: of the same table (a closed order never moves). Its payments are compared by the
 * ledger, with each part's invoice (`<commandId>-p<n>`, its own request digest).
 */
export function earlierClose(orders: readonly Order[], tableId: string, commandId: string): Earlier {
  return earlier(orders, commandId, (use) => use.kind === 'close' && use.order.tableId === tableId);
}
