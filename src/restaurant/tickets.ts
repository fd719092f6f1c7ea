import { printable } from '../domain/text.js';
import type { Order } from '../crdt/documents/floor-orders.js';
import { formatThousands } from '../domain/money.js';
import { suggestedTip } from '../domain/totals.js';
import type { Money } from '../domain/money.js';
import { orderStatus } from './floor.js';

/** Kitchen ticket (comanda) and pre-bill (cuenta) as plain text for the 42-column printer. */
const WIDTH = 42;
const rule = '-'.repeat(WIDTH);
const pair = (left: string, right: string) =>
  `${left.slice(0, WIDTH - right.length - 1).padEnd(WIDTH - right.length - 1)} ${right}`;
const qty = (milli: number, unit: string) =>
  unit === 'kg' ? `${(milli / 1000).toFixed(3).replace('.', ',')} kg` : String(milli / 1000);

export function kitchenTicket(order: Order, sendId: string, tableName: string): string {
  const send = order.sends.find((s) => s.id === sendId);
  if (!send) return '';
  const lines = [
    `COMANDA — ${tableName}`,
    `Mesero: ${order.waiter.name} · ${send.at.slice(11, 16)} · ${send.terminalId}`,
    rule,
  ];
  for (const item of send.lines) {
    const line = order.lines.find((l) => l.id === item.lineId);
    if (!line) continue;
    lines.push(`${qty(item.quantityMilli, line.unit)} × ${line.name}`);
    if (line.note) lines.push(`   ${line.note}`);
  }
  for (const id of send.cancellationIds) {
    const c = order.cancellations.find((x) => x.id === id);
    const line = order.lines.find((l) => l.id === c?.lineId);
    if (c && line)
      lines.push(`ANULAR ${qty(c.quantityMilli, line.unit)} × ${line.name}`, `   Motivo: ${c.reason}`);
  }
  return `${lines.map(printable).join('\n')}\n`;
}

/** FLR7: with `tip` (asked before the bill is printed) the bill shows it; without, the suggested 10 %. */
export function preBill(order: Order, tableName: string, at: string, tip?: number): string {
  const status = orderStatus(order);
  const lines = [
    `CUENTA — ${tableName}`,
    `${at.slice(0, 16).replace('T', ' ')} · Mesero: ${order.waiter.name}`,
    'Documento no válido como factura',
    rule,
  ];
  for (const l of status.lines) {
    if (l.quantityMilli === 0) continue;
    lines.push(pair(`${qty(l.quantityMilli, l.line.unit)} ${l.line.name}`, formatThousands(l.amount)));
  }
  const suggested = suggestedTip(status.total as Money);
  const shown = tip ?? suggested;
  lines.push(
    rule,
    pair('Subtotal (impuestos incluidos)', `$ ${formatThousands(status.total)}`),
    pair(shown === suggested ? 'Propina sugerida 10 %' : 'Propina voluntaria', `$ ${formatThousands(shown)}`),
    pair('Total con propina', `$ ${formatThousands(status.total + shown)}`),
    rule,
    'La propina es voluntaria: usted puede',
    'aceptarla, modificarla o rechazarla.',
  );
  return `${lines.map(printable).join('\n')}\n`;
}
