import { printable } from '../domain/text.js';
import type { Order } from '../crdt/documents/floor-orders.js';
import { formatThousands } from '../domain/money.js';
import { TAX_RATES } from '../domain/tax.js';
import type { BillPreview } from './bill-preview.js';

/** Kitchen ticket (comanda) and pre-bill (cuenta) as plain text for the 42-column printer. */
const WIDTH = 42;
const rule = '-'.repeat(WIDTH);
const pair = (left: string, right: string) =>
  `${left.slice(0, WIDTH - right.length - 1).padEnd(WIDTH - right.length - 1)} ${right}`;
const qty = (milli: number, unit: string) =>
  unit === 'kg' ? `${(milli / 1000).toFixed(3).replace('.', ',')} kg` : String(milli / 1000);

export function kitchenTicket(
  order: Order,
  sendId: string,
  tableName: string,
  terminalName?: (id: string) => string,
): string {
  const rows = comandaRows(order, sendId, `COMANDA — ${tableName}`, () => true, terminalName);
  if (!rows) return '';
  return `${rows.map((r) => (r.kind === 'text' ? printable(r.text) : rule)).join('\n')}\n`;
}

type ComandaRow = { kind: 'text'; text: string; strong?: boolean } | { kind: 'rule' };

/**
 * PRN6: the comanda of one send for one station (Cocina, Barra, …): the table, the waiter, the
 * time, and only the lines (and cancellations) whose product `goesHere`. Undefined when the send
 * has nothing for it.
 */
export function comandaRows(
  order: Order,
  sendId: string,
  title: string,
  goesHere: (sku: string) => boolean,
  /** The sending terminal's display name ("Caja 1"); its id without it. */
  terminalName: (id: string) => string = (id) => id,
): ComandaRow[] | undefined {
  const send = order.sends.find((s) => s.id === sendId);
  if (!send) return undefined;
  const body: ComandaRow[] = [];
  for (const item of send.lines) {
    const line = order.lines.find((l) => l.id === item.lineId);
    if (!line || !goesHere(line.sku)) continue;
    body.push({ kind: 'text', text: `${qty(item.quantityMilli, line.unit)} × ${line.name}` });
    if (line.note) body.push({ kind: 'text', text: `   ${line.note}` });
  }
  for (const id of send.cancellationIds) {
    const c = order.cancellations.find((x) => x.id === id);
    const line = order.lines.find((l) => l.id === c?.lineId);
    if (c && line && goesHere(line.sku))
      body.push(
        { kind: 'text', text: `ANULAR ${qty(c.quantityMilli, line.unit)} × ${line.name}`, strong: true },
        { kind: 'text', text: `   Motivo: ${c.reason}` },
      );
  }
  if (body.length === 0) return undefined;
  return [
    { kind: 'text', text: title, strong: true },
    {
      kind: 'text',
      text: `Mesero: ${order.waiter.name} · ${send.at.slice(11, 16)} · ${terminalName(send.terminalId)}`,
    },
    { kind: 'rule' },
    ...body,
  ];
}

/**
 * FLR7, TIP2: the pre-bill (cuenta) priced as the close will charge it (`bill`, one invoice): with
 * `tip` (asked before the bill is printed) it shows it; without, the suggested 10 % of the service
 * before tax. The tip is outside the tax base and apart from the total without it.
 */
export function preBill(
  order: Order,
  tableName: string,
  at: string,
  bill: BillPreview,
  tip?: number,
): string {
  const lines = [
    `CUENTA — ${tableName}`,
    `${at.slice(0, 16).replace('T', ' ')} · Mesero: ${order.waiter.name}`,
    'Documento no válido como factura',
    rule,
  ];
  for (const l of bill.parts[0]?.lines ?? []) {
    const unit = order.lines.find((x) => x.sku === l.sku)?.unit ?? 'unit';
    lines.push(pair(`${qty(l.quantityMilli, unit)} ${l.name}`, formatThousands(l.amount)));
  }
  const suggested = bill.maxTip;
  const shown = tip ?? suggested;
  const percent = bill.tipBase > 0 ? Math.round((shown * 1000) / bill.tipBase) / 10 : 0;
  lines.push(rule, pair('Total sin propina', `$ ${formatThousands(bill.subtotal)}`));
  for (const row of bill.parts[0]?.taxes ?? [])
    lines.push(pair(`  ${TAX_RATES[row.code].label} incluido`, `$ ${formatThousands(row.tax)}`));
  lines.push(
    pair(shown === suggested ? 'Propina sugerida 10 %' : 'Propina voluntaria', `$ ${formatThousands(shown)}`),
    `  ${formatPercent(percent)} de $ ${formatThousands(bill.tipBase)} (${bill.tipBaseKind === 'pre-tax' ? 'servicio antes de impuestos' : 'servicio con impuestos'})`,
    pair('Total a pagar', `$ ${formatThousands(bill.subtotal + shown)}`),
    rule,
    'La propina es voluntaria: usted puede',
    'aceptarla, modificarla o rechazarla.',
    'No hace parte de la base de impuestos.',
  );
  return `${lines.map(printable).join('\n')}\n`;
}

function formatPercent(value: number): string {
  return `${String(value).replace('.', ',')} %`;
}
