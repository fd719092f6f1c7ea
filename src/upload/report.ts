import type { UploadAck } from '../crdt/documents/uploads-doc.js';
import type { Invoice } from '../domain/invoice.js';
import type { PaymentMethod } from '../domain/payment.js';
import type { TaxCode } from '../domain/tax.js';
import type { IndexedInvoice } from '../invoice/invoice-index.js';
import { Tally } from '../domain/tally.js';
import type { StoredSale } from '../contract/cloud.js';
import { unusedNumberId, type ReservedEntry } from '../domain/unused-number.js';

/**
 * The report after an upload (UPL7): per terminal and for the store, what is in the cloud according
 * to this terminal's acknowledgements — counts, totals by payment means, taxes per rate, tips,
 * voids, numbers covered and numbers reported unused — checked against the cloud's own read-back. Pure.
 */
export interface ReportBlock {
  readonly invoices: number;
  readonly total: number;
  readonly byPaymentMethod: Readonly<Record<PaymentMethod, number>>;
  readonly taxes: readonly { code: TaxCode; base: number; tax: number }[];
  readonly tips: number;
  readonly voids: { readonly count: number; readonly total: number };
  /**
   * RET1: acknowledged partial returns of invoices not voided. `total`, `byPaymentMethod` and
   * `taxes` are net of them (the money went back; the credit notes reverse their lines' taxes).
   */
  readonly returns: { readonly count: number; readonly total: number };
  readonly numbers: { readonly first: string | null; readonly last: string | null; readonly count: number };
  /** UPL10: acknowledged numbers reserved and never issued (the first 100 listed). */
  readonly unused: { readonly count: number; readonly numbers: readonly string[] };
}

/** DIAN1: where the store's documents in the cloud are in their transmission to the DIAN. */
export interface DianSummary {
  readonly pending: number;
  readonly transmitted: number;
  /** Rejected documents, with the DIAN's reason: the manager must correct and reissue them. */
  readonly rejected: readonly {
    readonly id: string;
    readonly kind: 'invoice' | 'credit-note';
    readonly number: string;
    readonly terminalId: string;
    readonly reason: string;
    readonly at: string | null;
  }[];
}

export interface UploadReport {
  readonly store: ReportBlock;
  readonly terminals: Readonly<Record<string, ReportBlock>>;
  /** Acknowledged here but not in the cloud's read-back, and the other way round. */
  readonly differences: {
    readonly missingInCloud: readonly string[];
    readonly unknownHere: readonly string[];
  };
  readonly checkedAgainstCloud: boolean;
  /** From the cloud's read-back; null when it could not be read or does not say. */
  readonly dian: DianSummary | null;
}

export function dianSummary(cloud: readonly StoredSale[]): DianSummary | null {
  let pending = 0;
  let transmitted = 0;
  let said = false;
  const rejected: DianSummary['rejected'][number][] = [];
  for (const sale of cloud) {
    const { document, dian } = sale;
    if (!dian || document.kind === 'unused-number') continue;
    said = true;
    if (dian.status === 'pending') pending += 1;
    else if (dian.status === 'transmitted') transmitted += 1;
    else
      rejected.push({
        id: document.id,
        kind: document.kind,
        number: document.kind === 'invoice' ? document.number : document.invoiceNumber,
        terminalId: document.terminalId,
        reason: dian.reason ?? 'rejected',
        at: dian.transmittedAt ?? null,
      });
  }
  return said ? { pending, transmitted, rejected } : null;
}

/**
 * The figures of a set of invoices, counting only the documents `counted` says (the upload report:
 * those the cloud acknowledged; the contingency report: all of them).
 */
export function tally(
  invoices: readonly IndexedInvoice[],
  unusedNumbers: readonly ReservedEntry[],
  counted: (id: string) => boolean,
): ReportBlock {
  const unused = unusedNumbers.filter((u) => counted(unusedNumberId(u.prefix, u.consecutive)));
  const uploaded = invoices.filter((i) => counted(i.invoice.id));
  const voided = uploaded.filter((i) => i.voidedBy !== undefined && counted(i.voidedBy.id));
  const kept = uploaded.filter((i) => !voided.includes(i));
  const valid: Invoice[] = kept.map((i) => i.invoice);
  const returned = kept.flatMap((i) => i.returns.map((r) => r.creditNote)).filter((n) => counted(n.id));
  const t = new Tally();
  for (const invoice of valid) t.addSale(invoice);
  for (const note of returned) {
    t.addPayments(note.refunds ?? [], -1);
    t.addTaxes(
      (note.lines ?? []).map((line) => ({ code: line.tax, base: line.base, tax: line.taxAmount })),
      -1,
    );
  }
  const returnedTotal = returned.reduce((s, n) => s + n.amount, 0);
  const sorted = [...uploaded].sort((a, b) => a.invoice.consecutive - b.invoice.consecutive);
  return {
    invoices: valid.length,
    total: t.total - returnedTotal,
    byPaymentMethod: t.byPaymentMethod,
    taxes: t.taxRows(),
    tips: t.tips,
    voids: { count: voided.length, total: voided.reduce((s, i) => s + i.invoice.total, 0) },
    returns: { count: returned.length, total: returnedTotal },
    numbers: {
      first: sorted[0]?.invoice.number ?? null,
      last: sorted.at(-1)?.invoice.number ?? null,
      count: sorted.length,
    },
    unused: { count: unused.length, numbers: unused.slice(0, 100).map((u) => u.number) },
  };
}

export function uploadReport(
  invoices: readonly IndexedInvoice[],
  acks: ReadonlyMap<string, UploadAck>,
  cloud: readonly StoredSale[] | undefined,
  unusedNumbers: readonly ReservedEntry[],
): UploadReport {
  const terminals: Record<string, ReportBlock> = {};
  const ids = [...invoices.map((i) => i.invoice.terminalId), ...unusedNumbers.map((u) => u.terminalId)];
  for (const terminalId of [...new Set(ids)].sort()) {
    terminals[terminalId] = tally(
      invoices.filter((i) => i.invoice.terminalId === terminalId),
      unusedNumbers.filter((u) => u.terminalId === terminalId),
      (id) => acks.has(id),
    );
  }
  let missingInCloud: string[] = [];
  let unknownHere: string[] = [];
  if (cloud) {
    const inCloud = new Set(cloud.map((s) => s.document.id));
    missingInCloud = [...acks.keys()].filter((id) => !inCloud.has(id));
    unknownHere = [...inCloud].filter((id) => !acks.has(id));
  }
  return {
    store: tally(invoices, unusedNumbers, (id) => acks.has(id)),
    terminals,
    differences: { missingInCloud, unknownHere },
    checkedAgainstCloud: cloud !== undefined,
    dian: cloud ? dianSummary(cloud) : null,
  };
}
