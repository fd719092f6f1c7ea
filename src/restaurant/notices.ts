import type { Order, OrderClose } from '../crdt/documents/floor-orders.js';

/**
 * What a person at a screen must be told about the floor that others changed (pure): a table
 * charged twice (FLR5) until a manager voids one of the charges, and a line someone is editing
 * that another terminal sent to the kitchen or removed meanwhile (FLR4).
 */
export interface ChargeStatus {
  readonly close: OrderClose;
  /** Every invoice of this close is voided: the charge no longer counts. */
  readonly voided: boolean;
}

export interface DoubleChargeAlert {
  readonly order: Order;
  readonly charges: readonly ChargeStatus[];
}

/**
 * FLR5: orders closed more than once whose charges still count more than once. It is resolved
 * when every charge but one has all its invoices voided.
 */
export function unresolvedDoubleCharges(
  orders: readonly Order[],
  isVoided: (invoiceId: string) => boolean,
): DoubleChargeAlert[] {
  const alerts: DoubleChargeAlert[] = [];
  for (const order of orders) {
    if (order.closes.length < 2) continue;
    const charges = [...order.closes]
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1))
      .map((close) => ({ close, voided: close.invoiceIds.every(isVoided) }));
    if (charges.filter((c) => !c.voided).length > 1) alerts.push({ order, charges });
  }
  return alerts;
}

export type EditConflict =
  { readonly kind: 'sent'; readonly by: string; readonly terminalId: string } | { readonly kind: 'removed' };

/**
 * FLR4: the line `lineId` was unsent in `before` and is sent (or gone) in `after`: whoever edits
 * it must be told, since a sent line is no longer changed, only cancelled by a manager.
 */
export function editConflict(
  before: Order | undefined,
  after: Order | undefined,
  lineId: string,
): EditConflict | undefined {
  const was = before?.lines.find((l) => l.id === lineId);
  if (!was || was.sentAt !== null) return undefined;
  const now = after?.lines.find((l) => l.id === lineId);
  if (!now) return { kind: 'removed' };
  if (now.sentAt === null) return undefined;
  const send = after?.sends.find((s) => s.lines.some((x) => x.lineId === lineId));
  return { kind: 'sent', by: send?.by.name ?? '', terminalId: send?.terminalId ?? '' };
}
