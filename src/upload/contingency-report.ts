import type { StoreProfile, StoredSale } from '../contract/cloud.js';
import type { UploadAck } from '../crdt/documents/uploads-doc.js';
import { contingencyStatus, type Episode } from '../domain/episode.js';
import { formatThousands } from '../domain/money.js';
import { formatInTimeZone } from '../domain/time.js';
import { PAYMENT_METHOD_IDS, PAYMENT_METHODS } from '../domain/payment.js';
import type { Numbering } from '../domain/schemas.js';
import { TAX_RATES } from '../domain/tax.js';
import { unusedNumberId, type ReservedEntry } from '../domain/unused-number.js';
import type { IndexedInvoice } from '../invoice/invoice-index.js';
import { money, rowsHtml, rowsText, storeHeader, type Row } from '../invoice/receipt.js';
import { dianSummary, tally, type DianSummary, type ReportBlock } from './report.js';

/**
 * EPI4 (src/upload/SPEC.md): the report of one contingency episode — what a DIAN auditor and the
 * store's accountant ask of it: the store, its terminals and the ranges they numbered from, first
 * and last numbers, counts issued / voided / unused, totals by tax rate and payment means, when it
 * started and ended, the deadline, and how far the upload and the transmission went. Pure.
 */
export interface EpisodeTerminal {
  readonly terminalId: string;
  readonly name: string;
  /** The resolutions printed on its invoices of the episode. */
  readonly ranges: readonly Numbering[];
  readonly first: string | null;
  readonly last: string | null;
  readonly issued: number;
  readonly voided: number;
  readonly unused: readonly string[];
  readonly totals: ReportBlock;
}

export interface ContingencyReport {
  readonly store: {
    readonly id: string;
    readonly name: string;
    readonly nit: string;
    readonly checkDigit: number;
  };
  readonly episode: Episode;
  readonly deadline: string | null;
  readonly terminals: readonly EpisodeTerminal[];
  readonly totals: ReportBlock;
  readonly upload: { readonly documents: number; readonly uploaded: number; readonly pending: number };
  /** From the cloud's read-back of the episode's documents; null when not read. */
  readonly dian: DianSummary | null;
  readonly generatedAt: string;
}

export interface ContingencyReportInput {
  readonly store: StoreProfile;
  readonly episode: Episode;
  readonly terminals: readonly { readonly id: string; readonly name: string }[];
  readonly invoices: readonly IndexedInvoice[];
  readonly unusedNumbers: readonly ReservedEntry[];
  readonly acks: ReadonlyMap<string, UploadAck>;
  readonly cloud: readonly StoredSale[] | undefined;
  readonly windowHours: number;
  readonly now: number;
  readonly generatedAt: string;
}

/** The documents of an episode: its invoices, their credit notes, and the numbers left unused in it. */
function inEpisode(input: ContingencyReportInput) {
  const { episode } = input;
  const invoices = input.invoices.filter((i) => i.invoice.episodeId === episode.id);
  const from = Date.parse(episode.startedAt);
  const to = episode.endedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(episode.endedAt);
  const unused = input.unusedNumbers.filter((u) => {
    const at = Date.parse(u.at);
    return at >= from && at <= to;
  });
  return { invoices, unused };
}

export function contingencyReport(input: ContingencyReportInput): ContingencyReport {
  const { invoices, unused } = inEpisode(input);
  const all = () => true;
  const terminals = input.terminals
    .map((t): EpisodeTerminal => {
      const own = invoices
        .filter((i) => i.invoice.terminalId === t.id)
        .sort((a, b) => a.invoice.consecutive - b.invoice.consecutive);
      const ownUnused = unused.filter((u) => u.terminalId === t.id);
      const ranges = new Map<string, Numbering>();
      for (const i of own)
        ranges.set(`${i.invoice.resolution.prefix}|${i.invoice.resolution.from}`, i.invoice.resolution);
      return {
        terminalId: t.id,
        name: t.name,
        ranges: [...ranges.values()],
        first: own[0]?.invoice.number ?? null,
        last: own.at(-1)?.invoice.number ?? null,
        issued: own.length,
        voided: own.filter((i) => i.voidedBy !== undefined).length,
        unused: ownUnused.map((u) => u.number),
        totals: tally(own, ownUnused, all),
      };
    })
    .filter((t) => t.issued > 0 || t.unused.length > 0);
  const ids = [
    ...invoices.flatMap((i) => [
      i.invoice.id,
      ...(i.voidedBy ? [i.voidedBy.id] : []),
      ...i.returns.map((r) => r.creditNote.id),
    ]),
    ...unused.map((u) => unusedNumberId(u.prefix, u.consecutive)),
  ];
  const uploaded = ids.filter((id) => input.acks.has(id)).length;
  const idSet = new Set(ids);
  const status = contingencyStatus(
    [input.episode],
    ids.length - uploaded,
    input.now,
    input.windowHours,
    (ms) => formatInTimeZone(ms, input.store.timeZone),
  );
  return {
    store: {
      id: input.store.id,
      name: input.store.name,
      nit: input.store.nit,
      checkDigit: input.store.checkDigit,
    },
    episode: input.episode,
    deadline: status.deadline,
    terminals,
    totals: tally(invoices, unused, all),
    upload: { documents: ids.length, uploaded, pending: ids.length - uploaded },
    dian: input.cloud
      ? (dianSummary(input.cloud.filter((s) => idSet.has(s.document.id))) ?? {
          pending: 0,
          transmitted: 0,
          rejected: [],
        })
      : null,
    generatedAt: input.generatedAt,
  };
}

const when = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—');

function reportRows(r: ContingencyReport, store: StoreProfile): Row[] {
  const e = r.episode;
  const rows: Row[] = [
    ...storeHeader('REPORTE DE CONTINGENCIA', store),
    { kind: 'center', text: 'Facturación de contingencia tipo 03' },
    { kind: 'rule' },
    { kind: 'pair', left: 'Episodio', right: e.id },
    { kind: 'pair', left: 'Inicio', right: `${when(e.startedAt)} (${e.startedBy})` },
    { kind: 'pair', left: 'Fin', right: e.endedAt ? `${when(e.endedAt)} (${e.endedBy ?? ''})` : 'en curso' },
    {
      kind: 'pair',
      left: 'Plazo para transmitir',
      right: when(r.deadline),
    },
    // EPI5: sold offline while the cloud answered, on a manager's word.
    ...(e.authorization
      ? ([
          {
            kind: 'pair',
            left: 'Autorizó',
            right: `${e.authorization.by.name} ${when(e.authorization.at)} (${e.authorization.terminalId})`,
          },
          { kind: 'text', text: `Motivo: ${e.authorization.reason}` },
        ] satisfies Row[])
      : []),
  ];
  for (const t of r.terminals) {
    rows.push({ kind: 'rule' }, { kind: 'text', text: `${t.name} (${t.terminalId})` });
    for (const n of t.ranges)
      rows.push({
        kind: 'text',
        text: `  Resolución ${n.resolutionNumber}: ${n.prefix}${n.from} a ${n.prefix}${n.to}`,
      });
    rows.push(
      { kind: 'pair', left: '  Primera / última', right: `${t.first ?? '—'} / ${t.last ?? '—'}` },
      { kind: 'pair', left: '  Emitidas', right: formatThousands(t.issued) },
      { kind: 'pair', left: '  Anuladas', right: formatThousands(t.voided) },
      { kind: 'pair', left: '  Sin emitir', right: formatThousands(t.unused.length) },
    );
    if (t.unused.length > 0) rows.push({ kind: 'text', text: `  ${t.unused.join(', ')}` });
    rows.push({ kind: 'pair', left: '  Total vigente', right: money(t.totals.total) });
  }
  rows.push({ kind: 'rule' }, { kind: 'text', text: 'Impuestos (facturas vigentes)' });
  for (const tax of r.totals.taxes)
    rows.push({
      kind: 'pair',
      left: `  ${TAX_RATES[tax.code].label} base ${formatThousands(tax.base)}`,
      right: money(tax.tax),
    });
  rows.push({ kind: 'text', text: 'Medios de pago' });
  for (const m of PAYMENT_METHOD_IDS)
    if (r.totals.byPaymentMethod[m] !== 0)
      rows.push({
        kind: 'pair',
        left: `  ${PAYMENT_METHODS[m].label}`,
        right: money(r.totals.byPaymentMethod[m]),
      });
  rows.push(
    { kind: 'pair', left: 'Propinas', right: money(r.totals.tips) },
    { kind: 'pair', left: 'TOTAL', right: money(r.totals.total) },
    { kind: 'rule' },
    {
      kind: 'pair',
      left: 'Subidos a la nube',
      right: `${formatThousands(r.upload.uploaded)} de ${formatThousands(r.upload.documents)}`,
    },
  );
  if (r.dian)
    rows.push(
      { kind: 'pair', left: 'DIAN transmitidos', right: formatThousands(r.dian.transmitted) },
      { kind: 'pair', left: 'DIAN pendientes', right: formatThousands(r.dian.pending) },
      { kind: 'pair', left: 'DIAN rechazados', right: formatThousands(r.dian.rejected.length) },
      ...r.dian.rejected.map((x): Row => ({ kind: 'text', text: `  ${x.number}: ${x.reason}` })),
    );
  else rows.push({ kind: 'text', text: 'Estado ante la DIAN: sin consultar (nube no disponible)' });
  rows.push({ kind: 'rule' }, { kind: 'center', text: `Generado ${when(r.generatedAt)}` });
  return rows;
}

export function renderContingencyText(r: ContingencyReport, store: StoreProfile, width = 42): string {
  return rowsText(reportRows(r, store), width);
}

export function renderContingencyHtml(r: ContingencyReport, store: StoreProfile): string {
  return rowsHtml(reportRows(r, store), `Reporte de contingencia ${r.episode.id}`);
}
