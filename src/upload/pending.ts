import type { CreditNote, Invoice } from '../domain/invoice.js';
import { unusedNumberId } from '../domain/unused-number.js';

/**
 * UPL12: what is still to upload, per terminal — the one rule the banner, health, the preflight and
 * the screen's upload panel count with. Every document counts under the terminal whose sale (or
 * number) it is: an invoice under its issuer, a void or partial return under the voided invoice's
 * terminal (whichever terminal requested it), an unused number under its terminal — as the upload
 * sends them and the cloud's numbering account lists them. Only the effective void of an invoice
 * counts: a request another one superseded is never uploaded.
 */
export interface PendingRow {
  readonly invoice: Pick<Invoice, 'id' | 'terminalId'>;
  readonly voidedBy: Pick<CreditNote, 'id'> | undefined;
  readonly returns: readonly Pick<CreditNote, 'id'>[];
}

export interface PendingUnused {
  readonly terminalId: string;
  readonly prefix: string;
  readonly consecutive: number;
}

export interface PendingUpload {
  readonly terminalId: string;
  readonly invoices: number;
  /** Credit-note requests: effective voids and partial returns. */
  readonly voids: number;
  /** UPL10: numbers reserved and never issued. */
  readonly unused: number;
}

export interface Acknowledged {
  has(id: string): boolean;
}

/** Per terminal, in terminal order; every id of `terminalIds` is listed even with nothing pending. */
export function pendingUploads(
  rows: Iterable<PendingRow>,
  unused: Iterable<PendingUnused>,
  acks: Acknowledged,
  terminalIds: Iterable<string> = [],
): PendingUpload[] {
  const counts = new Map<string, { invoices: number; voids: number; unused: number }>();
  const at = (terminalId: string) => {
    let count = counts.get(terminalId);
    if (!count) {
      count = { invoices: 0, voids: 0, unused: 0 };
      counts.set(terminalId, count);
    }
    return count;
  };
  for (const id of terminalIds) at(id);
  for (const row of rows) {
    const count = at(row.invoice.terminalId);
    if (!acks.has(row.invoice.id)) count.invoices += 1;
    if (row.voidedBy && !acks.has(row.voidedBy.id)) count.voids += 1;
    for (const ret of row.returns) if (!acks.has(ret.id)) count.voids += 1;
  }
  for (const u of unused)
    if (!acks.has(unusedNumberId(u.prefix, u.consecutive))) at(u.terminalId).unused += 1;
  return [...counts.entries()]
    .map(([terminalId, c]) => ({ terminalId, ...c }))
    .sort((a, b) => (a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : 0));
}

/** The store's totals of `pendingUploads`. */
export function pendingTotals(list: readonly PendingUpload[]): {
  invoices: number;
  voids: number;
  unused: number;
  all: number;
} {
  const invoices = list.reduce((s, p) => s + p.invoices, 0);
  const voids = list.reduce((s, p) => s + p.voids, 0);
  const unused = list.reduce((s, p) => s + p.unused, 0);
  return { invoices, voids, unused, all: invoices + voids + unused };
}
