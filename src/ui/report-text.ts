import type { ShiftReport } from '../contract/host-api.js';
import { PAYMENT_METHOD_IDS } from '../domain/payment.js';
import { cop, formatDateTime } from './format.js';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** "left ........ right" in `columns`; a left side too long wraps above the amount. */
export function pairLine(left: string, right: string, columns: number): string {
  const room = columns - right.length - 1;
  if (left.length <= room) return `${left.padEnd(room)} ${right}`;
  return `${left}\n${right.padStart(columns)}`;
}

/** Free text broken at spaces to fit `columns` (a word longer than that is cut). */
export function wrapLine(text: string, columns: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    for (let w = word; w !== '';) {
      const room = line === '' ? columns : columns - line.length - 1;
      if (w.length <= room) {
        line = line === '' ? w : `${line} ${w}`;
        w = '';
      } else if (line !== '') {
        out.push(line);
        line = '';
      } else {
        out.push(w.slice(0, columns));
        w = w.slice(columns);
      }
    }
  }
  if (line !== '') out.push(line);
  return out;
}

/**
 * The X or Z report as text at the receipt printer's width (POST /api/print): the host has no
 * text version of a shift report, so the screen lays it out from the report it shows, with the
 * same labels.
 */
export function shiftReportText(
  report: ShiftReport,
  title: string,
  columns: number,
  t: Translate,
  terminalName: string = report.terminalId,
): string {
  const rule = '-'.repeat(columns);
  const pair = (left: string, right: string) => pairLine(left, right, columns);
  const lines: string[] = [
    title,
    terminalName,
    t('report.opened', { at: formatDateTime(report.openedAt), name: report.openedBy.name }),
  ];
  if (report.closedAt && report.closedBy)
    lines.push(t('report.closed', { at: formatDateTime(report.closedAt), name: report.closedBy.name }));
  lines.push(
    rule,
    pair(t('report.salesCount'), String(report.salesCount)),
    pair(t('report.salesTotal'), cop(report.salesTotal)),
  );
  for (const m of PAYMENT_METHOD_IDS)
    if (report.byPaymentMethod[m] !== 0 || m === 'cash')
      lines.push(pair(`  ${t(`payment.methods.${m}`)}`, cop(report.byPaymentMethod[m])));
  for (const tax of report.taxes)
    lines.push(pair(`  ${t(`taxes.${tax.code}`)} (${t('cart.base')} ${cop(tax.base)})`, cop(tax.tax)));
  lines.push(
    pair(t('report.tips'), cop(report.tips)),
    pair(t('report.voids'), `${report.voids.count} · ${cop(report.voids.total)}`),
  );
  if (report.refunds.count > 0)
    lines.push(pair(t('report.refunds'), `${report.refunds.count} · ${cop(-report.refunds.total)}`));
  lines.push(
    pair(t('report.numbers'), `${report.firstNumber ?? '-'} - ${report.lastNumber ?? '-'}`),
    rule,
    pair(t('report.openingCash'), cop(report.openingCash)),
    pair(t('report.cashIn'), cop(report.cashIn)),
    pair(t('report.cashOut'), cop(report.cashOut)),
    pair(t('report.expectedCash'), cop(report.expectedCash)),
  );
  if (report.countedCash !== null)
    lines.push(
      pair(t('report.countedCash'), cop(report.countedCash)),
      pair(t('report.difference'), cop(report.difference ?? 0)),
    );
  if (report.drawerOpenings.length > 0) {
    lines.push(rule, t('report.drawerOpenings'));
    for (const o of report.drawerOpenings)
      lines.push(t('report.drawerOpening', { at: formatDateTime(o.at), name: o.by.name, reason: o.reason }));
  }
  // Thin spaces and no-break spaces of the money format print as plain spaces.
  const text = lines.join('\n').replace(/[\u00a0\u202f]/g, ' ');
  return `${text
    .split('\n')
    .flatMap((line) => (line.length <= columns ? [line] : wrapLine(line, columns)))
    .join('\n')}\n`;
}
