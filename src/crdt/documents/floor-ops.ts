import { Counter, ImmutableString } from '@automerge/automerge';
import { canonicalJson } from '../../domain/canonical-json.js';
import type { Product } from '../../domain/catalog.js';

/**
 * The only code that writes orders into the floor document (the layout is described in
 * src/crdt/documents/floor-orders.ts). Each function runs inside one `change` and touches only
 * the keys its operation owns, so concurrent operations from other terminals merge.
 */
type Doc = Record<string, unknown>;
type Person = { readonly id: string; readonly name: string };

const immutable = (value: unknown) => new ImmutableString(canonicalJson(value));

function orders(doc: Doc): Record<string, Doc> {
  return doc.orders as Record<string, Doc>;
}

export function order(doc: Doc, orderId: string): Doc | undefined {
  return orders(doc)[orderId];
}

export function openOrder(
  doc: Doc,
  o: { orderId: string; tableId: string; diners: number; waiter: Person; at: string; terminalId: string },
): void {
  orders(doc)[o.orderId] = {
    tableId: o.tableId,
    diners: o.diners,
    waiter: immutable(o.waiter),
    openedAt: o.at,
    openedOn: o.terminalId,
    billAt: null,
    billTip: null,
    mergedInto: null,
    lines: {},
    cancellations: {},
    changes: {},
    sends: {},
    closes: {},
  };
}

export function addLine(
  target: Doc,
  l: {
    lineId: string;
    product: Product;
    quantityMilli: number;
    note: string;
    by: Person;
    at: string;
    terminalId: string;
  },
): void {
  (target.lines as Record<string, Doc>)[l.lineId] = {
    sku: l.product.sku,
    name: l.product.name,
    unit: l.product.unit,
    unitPrice: l.product.price,
    tax: l.product.tax,
    quantity: new Counter(l.quantityMilli),
    note: l.note,
    addedBy: immutable(l.by),
    addedAt: l.at,
    addedOn: l.terminalId,
    sentAt: null,
  };
}

/** FLR2: quantities change by increments, so two terminals adding to one line both count. */
export function changeQuantity(target: Doc, lineId: string, deltaMilli: number): void {
  const line = (target.lines as Record<string, Doc>)[lineId];
  (line?.quantity as Counter | undefined)?.increment(deltaMilli);
}

export function setNote(target: Doc, lineId: string, note: string): void {
  const line = (target.lines as Record<string, Doc>)[lineId];
  if (line) line.note = note;
}

export function removeLine(target: Doc, lineId: string): void {
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing an unsent line is deleting its key
  delete (target.lines as Record<string, Doc>)[lineId];
}

/**
 * CMD3: the record of a line change, written in the same `change` as the change itself. An order
 * opened by an older version has no `changes` map: its first change creates it (two terminals
 * doing that at once would keep one map's records, and only a retry of the other's would apply
 * again).
 */
export function recordLineChange(
  target: Doc,
  c: {
    changeId: string;
    lineId: string;
    deltaMilli: number | null;
    note: string | null;
    remove: boolean;
    by: Person;
    at: string;
  },
): void {
  if (typeof target.changes !== 'object' || target.changes === null) target.changes = {};
  (target.changes as Record<string, unknown>)[c.changeId] = immutable({
    lineId: c.lineId,
    deltaMilli: c.deltaMilli,
    note: c.note,
    remove: c.remove,
    by: c.by,
    at: c.at,
  });
}

export function cancelSentLine(
  target: Doc,
  c: {
    cancellationId: string;
    lineId: string;
    quantityMilli: number;
    reason: string;
    by: Person;
    at: string;
  },
): void {
  (target.cancellations as Record<string, unknown>)[c.cancellationId] = immutable({
    lineId: c.lineId,
    quantityMilli: c.quantityMilli,
    reason: c.reason,
    by: c.by,
    at: c.at,
  });
}

export function recordSend(
  target: Doc,
  s: {
    sendId: string;
    at: string;
    by: Person;
    terminalId: string;
    lines: { lineId: string; quantityMilli: number }[];
    cancellationIds: string[];
  },
): void {
  const lines = target.lines as Record<string, Doc>;
  for (const l of s.lines) {
    const line = lines[l.lineId];
    if (line && line.sentAt === null) line.sentAt = s.at;
  }
  (target.sends as Record<string, unknown>)[s.sendId] = immutable({
    at: s.at,
    by: s.by,
    terminalId: s.terminalId,
    lines: s.lines,
    cancellationIds: s.cancellationIds,
  });
}

export function moveOrder(target: Doc, tableId: string): void {
  target.tableId = tableId;
}

export function setDiners(target: Doc, diners: number): void {
  target.diners = diners;
}

export function requestBill(target: Doc, at: string, tip?: number): void {
  target.billAt = at;
  if (tip !== undefined) target.billTip = tip;
}

/** FLR3: merging copies the source's lines into the target as new lines; the source is kept, marked. */
export function mergeInto(
  doc: Doc,
  sourceId: string,
  targetId: string,
  newLineId: (old: string) => string,
): void {
  const source = order(doc, sourceId);
  const target = order(doc, targetId);
  if (!source || !target) return;
  const targetLines = target.lines as Record<string, Doc>;
  for (const [lineId, line] of Object.entries(source.lines as Record<string, Doc>)) {
    targetLines[newLineId(lineId)] = {
      sku: line.sku,
      name: line.name,
      unit: line.unit,
      unitPrice: line.unitPrice,
      tax: line.tax,
      quantity: new Counter((line.quantity as Counter | undefined)?.value ?? 0),
      note: line.note,
      addedBy: immutable(JSON.parse(String(line.addedBy)) as unknown),
      addedAt: line.addedAt,
      addedOn: line.addedOn,
      sentAt: line.sentAt ?? null,
    };
  }
  for (const [id, value] of Object.entries(source.cancellations as Record<string, unknown>)) {
    const c = JSON.parse(String(value)) as { lineId: string };
    (target.cancellations as Record<string, unknown>)[newLineId(id)] = immutable({
      ...c,
      lineId: newLineId(c.lineId),
    });
  }
  source.mergedInto = targetId;
}

export function recordClose(
  target: Doc,
  c: {
    closeId: string;
    at: string;
    by: Person;
    terminalId: string;
    commandId: string;
    invoiceIds: string[];
    invoiceNumbers: string[];
  },
): void {
  (target.closes as Record<string, unknown>)[c.closeId] = immutable({
    at: c.at,
    by: c.by,
    terminalId: c.terminalId,
    commandId: c.commandId,
    invoiceIds: c.invoiceIds,
    invoiceNumbers: c.invoiceNumbers,
  });
}
