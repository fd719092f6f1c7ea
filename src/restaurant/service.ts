import { randomUUID } from 'node:crypto';
import type { Order } from '../crdt/documents/floor-orders.js';
import type { StoreDocuments } from '../crdt/store-documents.js';
import type { Customer } from '../domain/customer.js';
import type { Invoice } from '../domain/invoice.js';
import type { PaymentRequest } from '../domain/payment.js';
import { parseQuantity } from '../domain/quantity.js';
import { priceInChannel } from '../domain/channel.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor, Cashbox, SaleCommand, SaleReason } from '../invoice/cashbox.js';
import { previewBill, type BillPreview, type BillPreviewReason } from './bill-preview.js';
import type { FiscalLedger } from '../invoice/ledger.js';
import * as ops from '../crdt/documents/floor-ops.js';
import { isOpen, orderStatus, pendingForKitchen, tableStatuses, type SplitRequest } from './floor.js';
import { earlierCancellation, earlierChange, earlierClose, earlierLine } from './table-commands.js';

export type FloorReason =
  | 'unknown-table'
  | 'table-occupied'
  | 'table-not-open'
  | 'unknown-line'
  | 'line-sent'
  | 'line-not-sent'
  | 'nothing-to-send'
  | 'invalid-quantity'
  | 'fractional-quantity'
  | 'invalid-split'
  | 'split-payments-mismatch'
  | 'unknown-sku'
  | 'inactive-product'
  | 'invalid-open-price'
  | 'invalid-cancellation'
  | 'order-closed'
  | 'command-id-reused';

export interface CloseCommand {
  readonly commandId: string;
  /** One payment list, or with a split one per part. */
  readonly payments: readonly PaymentRequest[] | readonly (readonly PaymentRequest[])[];
  readonly tip?: number | undefined;
  readonly split?: SplitRequest | undefined;
  readonly customer?: Customer | undefined;
}

/**
 * Comedores: the commands of the restaurant floor. Order edits are changes to the shared floor
 * document (no fiscal record); closing a table issues invoices through the cashbox, then records
 * the close on the order (src/restaurant/SPEC.md).
 */
export class Restaurant {
  constructor(
    private readonly docs: StoreDocuments,
    private readonly cashbox: Cashbox,
    private readonly ledger: FiscalLedger,
    private readonly terminalId: string,
  ) {}

  view() {
    const { tables, areas, orders } = this.docs.floor;
    const statuses = tableStatuses(tables, orders, Date.now());
    return {
      areas,
      tables: statuses,
      alerts: orders
        .filter((o) => o.closes.length > 1)
        .map((o) => ({
          kind: 'double-charge' as const,
          orderId: o.id,
          tableId: o.tableId,
          closes: o.closes,
        })),
    };
  }

  private table(tableId: string) {
    return this.docs.floor.tables.find((t) => t.id === tableId);
  }

  /** The open order of a table: the oldest one when a split LAN let two terminals open it. */
  private openOrder(tableId: string, orderId?: string): Result<Order, FloorReason> {
    if (!this.table(tableId)) return err('unknown-table', `no table ${tableId}`);
    const open = this.docs.floor.orders.filter((o) => o.tableId === tableId && isOpen(o));
    const found = orderId === undefined ? open[0] : open.find((o) => o.id === orderId);
    return found ? ok(found) : err('table-not-open', `table ${tableId} has no open order`);
  }

  private edit(fn: (doc: Record<string, unknown>) => void): Promise<void> {
    return this.docs.changeShared('floor', fn);
  }

  async open(tableId: string, diners: number, actor: Actor): Promise<Result<Order, FloorReason>> {
    if (!this.table(tableId)) return err('unknown-table', `no table ${tableId}`);
    if (this.docs.floor.orders.some((o) => o.tableId === tableId && isOpen(o))) {
      return err('table-occupied', `table ${tableId} already has an open order`);
    }
    const orderId = randomUUID();
    await this.edit((d) => {
      ops.openOrder(d, {
        orderId,
        tableId,
        diners,
        waiter: { id: actor.id, name: actor.name },
        at: this.ledger.timestamp(),
        terminalId: this.terminalId,
      });
    });
    return this.openOrder(tableId, orderId);
  }

  async addLine(
    tableId: string,
    l: {
      commandId: string;
      sku: string;
      quantity: number;
      note?: string | undefined;
      orderId?: string | undefined;
    },
    actor: Actor,
  ): Promise<Result<Order, FloorReason>> {
    // SAL1: a retry returns the order as it is now (also once the table is closed); this commandId
    // on another table or order, for another product or note, or for another command is refused.
    const earlier = earlierLine(this.docs.floor.orders, tableId, l);
    if (!earlier.ok) return earlier;
    if (earlier.value) return ok(earlier.value);
    const target = this.openOrder(tableId, l.orderId);
    if (!target.ok) return target;
    const product = this.docs.catalog.products.find((p) => p.sku === l.sku);
    if (!product) return err('unknown-sku', `no product with SKU ${l.sku}`);
    if (!product.active) return err('inactive-product', `${product.name} is not for sale`);
    // OPN3: a table line has no typed price; an open-price product is sold in Ventas only.
    if (product.openPrice === true)
      return err('invalid-open-price', `${product.name} is sold at a price typed at the till (Ventas)`);
    const quantity = parseQuantity(l.quantity, product.unit);
    if (!quantity.ok) return quantity;
    await this.edit((d) => {
      const order = ops.order(d, target.value.id);
      if (order) {
        // CHN2: a table line is priced and taxed as the restaurant serves it.
        const atTable = priceInChannel(product, 'mesa', this.cashbox.settings.restaurantRegime);
        ops.addLine(order, {
          lineId: l.commandId,
          product: { ...product, price: atTable.unitPrice, tax: atTable.tax },
          quantityMilli: quantity.value,
          note: l.note ?? '',
          by: { id: actor.id, name: actor.name },
          at: this.ledger.timestamp(),
          terminalId: this.terminalId,
        });
      }
    });
    return this.openOrder(tableId, target.value.id);
  }

  /**
   * FLR2/FLR4: change an unsent line by a delta, its note, or remove it (a sent line is reduced by
   * a cancellation). CMD3: idempotent by its commandId, recorded on the order with the change.
   */
  async changeLine(
    tableId: string,
    lineId: string,
    change: {
      commandId: string;
      delta?: number | undefined;
      note?: string | undefined;
      remove?: boolean | undefined;
    },
    actor: Actor,
  ): Promise<Result<Order, FloorReason>> {
    // Looked up before the checks, which the first run changed (the quantity, or the line gone).
    const earlier = earlierChange(this.docs.floor.orders, tableId, lineId, change);
    if (!earlier.ok) return earlier;
    if (earlier.value) return ok(earlier.value);
    const target = this.findLine(tableId, lineId);
    if (!target.ok) return target;
    const { order, line } = target.value;
    if (line.sentAt !== null && (change.delta !== undefined || change.remove === true)) {
      return err('line-sent', 'this line was sent to the kitchen: reduce it with a cancellation (manager)');
    }
    let deltaMilli = 0;
    if (change.delta !== undefined) {
      const magnitude = parseQuantity(Math.abs(change.delta), line.unit);
      if (!magnitude.ok || change.delta === 0)
        return err('invalid-quantity', 'the change must be a valid non-zero quantity');
      deltaMilli = Math.sign(change.delta) * magnitude.value;
      if (line.quantityMilli + deltaMilli <= 0)
        return err('invalid-quantity', 'remove the line instead of going below one');
    }
    await this.edit((d) => {
      const o = ops.order(d, order.id);
      if (!o) return;
      if (change.remove === true) ops.removeLine(o, lineId);
      else {
        if (deltaMilli !== 0) ops.changeQuantity(o, lineId, deltaMilli);
        if (change.note !== undefined) ops.setNote(o, lineId, change.note);
      }
      ops.recordLineChange(o, {
        changeId: change.commandId,
        lineId,
        // As the retry will compare it (earlierChange): the delta asked, in thousandths.
        deltaMilli: change.delta === undefined ? null : Math.round(change.delta * 1000),
        note: change.note ?? null,
        remove: change.remove === true,
        by: { id: actor.id, name: actor.name },
        at: this.ledger.timestamp(),
      });
    });
    return this.openOrder(tableId, order.id);
  }

  private findLine(tableId: string, lineId: string) {
    const target = this.openOrder(tableId);
    if (!target.ok) return target;
    const open = this.docs.floor.orders.filter((o) => o.tableId === tableId && isOpen(o));
    for (const order of open) {
      const line = order.lines.find((l) => l.id === lineId);
      if (line) return ok({ order, line });
    }
    return err('unknown-line', `no line ${lineId} on table ${tableId}`);
  }

  /** FLR4: a sent line is reduced only by a cancellation with a reason (manager). */
  async cancelLine(
    tableId: string,
    lineId: string,
    c: { commandId: string; quantity: number; reason: string },
    actor: Actor,
  ): Promise<Result<Order, FloorReason>> {
    // SAL1: looked up before the checks, which the first run changed (what is left of the line).
    const earlier = earlierCancellation(this.docs.floor.orders, tableId, lineId, c);
    if (!earlier.ok) return earlier;
    if (earlier.value) return ok(earlier.value);
    const target = this.findLine(tableId, lineId);
    if (!target.ok) return target;
    const { order, line } = target.value;
    if (line.sentAt === null)
      return err('line-not-sent', 'an unsent line is changed or removed, not cancelled');
    const status = orderStatus(order).lines.find((l) => l.line.id === lineId);
    const quantity = parseQuantity(c.quantity, line.unit);
    if (!quantity.ok || !status || quantity.value > status.quantityMilli) {
      return err('invalid-cancellation', 'cancel at most what is left of the line');
    }
    await this.edit((d) => {
      const o = ops.order(d, order.id);
      if (o) {
        ops.cancelSentLine(o, {
          cancellationId: c.commandId,
          lineId,
          quantityMilli: quantity.value,
          reason: c.reason,
          by: { id: actor.id, name: actor.name },
          at: this.ledger.timestamp(),
        });
      }
    });
    return this.openOrder(tableId, order.id);
  }

  /** FLR4: "Enviar a cocina": the new lines and cancellations, marked sent, on one ticket. */
  async send(tableId: string, actor: Actor): Promise<Result<{ order: Order; sendId: string }, FloorReason>> {
    const target = this.openOrder(tableId);
    if (!target.ok) return target;
    const pending = pendingForKitchen(target.value);
    if (pending.lines.length === 0 && pending.cancellationIds.length === 0) {
      return err('nothing-to-send', 'nothing new to send to the kitchen');
    }
    const sendId = randomUUID();
    await this.edit((d) => {
      const o = ops.order(d, target.value.id);
      if (!o) return;
      ops.recordSend(o, {
        sendId,
        at: this.ledger.timestamp(),
        by: { id: actor.id, name: actor.name },
        terminalId: this.terminalId,
        lines: pending.lines.map((l) => ({ lineId: l.id, quantityMilli: l.quantityMilli })),
        cancellationIds: pending.cancellationIds,
      });
    });
    const order = this.openOrder(tableId, target.value.id);
    return order.ok ? ok({ order: order.value, sendId }) : order;
  }

  async move(tableId: string, to: string): Promise<Result<Order, FloorReason>> {
    const source = this.openOrder(tableId);
    if (!source.ok) return source;
    if (!this.table(to)) return err('unknown-table', `no table ${to}`);
    if (this.docs.floor.orders.some((o) => o.tableId === to && isOpen(o))) {
      return err('table-occupied', `table ${to} is occupied: merge the tables instead`);
    }
    await this.edit((d) => {
      const o = ops.order(d, source.value.id);
      if (o) ops.moveOrder(o, to);
    });
    return this.openOrder(to, source.value.id);
  }

  /** FLR3: bring the order of table `from` onto this table's order. */
  async merge(tableId: string, from: string): Promise<Result<Order, FloorReason>> {
    const target = this.openOrder(tableId);
    if (!target.ok) return target;
    const source = this.openOrder(from);
    if (!source.ok) return source;
    if (source.value.id === target.value.id)
      return err('invalid-split', 'a table cannot be merged with itself');
    const prefix = source.value.id.slice(0, 8);
    await this.edit((d) => {
      ops.mergeInto(d, source.value.id, target.value.id, (old) => `m${prefix}-${old}`.slice(0, 64));
    });
    return this.openOrder(tableId, target.value.id);
  }

  /** The bill of a table's open order as one invoice (no split), to print or to limit the tip. */
  bill(tableId: string, tip = 0): Result<BillPreview, FloorReason | BillPreviewReason> {
    const target = this.openOrder(tableId);
    if (!target.ok) return target;
    return previewBill(
      orderStatus(target.value).lines,
      this.cashbox.products(),
      undefined,
      tip,
      this.cashbox.settings,
    );
  }

  async requestBill(tableId: string, tip?: number): Promise<Result<Order, FloorReason | BillPreviewReason>> {
    const target = this.openOrder(tableId);
    if (!target.ok) return target;
    // TIP2: the tip chosen is checked against the service (10 % of it before tax).
    if (tip !== undefined) {
      const bill = this.bill(tableId, tip);
      if (!bill.ok) return bill;
    }
    await this.edit((d) => {
      const o = ops.order(d, target.value.id);
      if (o) ops.requestBill(o, this.ledger.timestamp(), tip);
    });
    return this.openOrder(tableId, target.value.id);
  }

  /**
   * FLR6/FLR7: close the table: split the bill, share the tip, check every part, issue one
   * invoice per part through the cashbox (idempotent per part), then record the close.
   */
  async close(
    tableId: string,
    command: CloseCommand,
    actor: Actor,
  ): Promise<Result<{ invoices: Invoice[]; order: Order }, FloorReason | SaleReason | BillPreviewReason>> {
    // SAL1: this table's close again is replayed; another table's, or another command's, refused.
    const earlier = earlierClose(this.docs.floor.orders, tableId, command.commandId);
    if (!earlier.ok) return earlier;
    const replay = earlier.value;
    const target = replay ? ok(replay) : this.openOrder(tableId);
    if (!target.ok) return target;
    const order = target.value;
    // SPL1–SPL3: the bill the screen previewed is the bill issued: one function prices it.
    const bill = previewBill(
      orderStatus(order).lines,
      this.cashbox.products(),
      command.split,
      command.tip ?? 0,
      this.cashbox.settings,
    );
    if (!bill.ok) return bill;
    const parts = bill.value.parts;
    const paymentLists =
      Array.isArray(command.payments[0]) || (command.payments.length === 0 && parts.length > 1)
        ? (command.payments as readonly (readonly PaymentRequest[])[])
        : [command.payments as readonly PaymentRequest[]];
    if (paymentLists.length !== parts.length) {
      return err('split-payments-mismatch', `give one payment list per part (${parts.length})`);
    }
    const kind = bill.value.split;
    const sales: SaleCommand[] = parts.map((part, i) => ({
      commandId: `${command.commandId}-p${i + 1}`,
      lines: part.sale,
      payments: paymentLists[i] ?? [],
      tip: part.tip,
      customer: command.customer,
      channel: 'mesa',
      ...(kind ? { split: { orderId: order.id, part: i + 1, parts: parts.length, kind } } : {}),
    }));
    if (!replay) {
      // Every part is checked before the first is issued: a bad payment on part 3 issues nothing.
      for (const sale of sales) {
        const checked = this.cashbox.checkSale(sale, actor);
        if (!checked.ok) return checked;
      }
    }
    const invoices: Invoice[] = [];
    for (const sale of sales) {
      const sold = await this.cashbox.sell(sale, actor);
      if (!sold.ok) return sold;
      invoices.push(sold.value.invoice);
    }
    if (!order.closes.some((c) => c.commandId === command.commandId)) {
      await this.edit((d) => {
        const o = ops.order(d, order.id);
        if (!o) return;
        ops.recordClose(o, {
          closeId: command.commandId,
          at: this.ledger.timestamp(),
          by: { id: actor.id, name: actor.name },
          terminalId: this.terminalId,
          commandId: command.commandId,
          invoiceIds: invoices.map((x) => x.id),
          invoiceNumbers: invoices.map((x) => x.number),
        });
      });
    }
    const closed = this.docs.floor.orders.find((o) => o.id === order.id) ?? order;
    return ok({ invoices, order: closed });
  }
}
