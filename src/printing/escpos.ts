import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { Printer } from '../domain/printer.js';
import { printLines, type PrintDocument } from './print-document.js';

/**
 * Typography the code pages do not have, as a printer's font shows it: a dash for the em dash, plain
 * quotes, three dots. (Everything Spanish — ñ, á, ü, ¿, ¡, $ — is in the code page itself.)
 */
const FOLD: Record<string, string> = {
  '\u2014': '-',
  '\u2013': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2026': '...',
  '\u2022': '·',
  '\u00a0': ' ',
};
export function foldForPrinter(text: string): string {
  return text.replace(
    /[\u2012-\u2014\u2212\u2018\u2019\u201c\u201d\u2026\u2022\u00a0]/g,
    (ch) => FOLD[ch] ?? ch,
  );
}

/** How a job is marked on paper: a later print of the same receipt, or a resend after an unsure send. */
export interface PrintMarks {
  /** "COPIA": the receipt was printed before (a reprint asked for). */
  readonly copy?: boolean;
  /** "REIMPRESIÓN": an earlier send may have printed it already. */
  readonly reprint?: boolean;
}

/**
 * PRN3: a document as ESC/POS bytes for one printer, through @point-of-sale/receipt-printer-encoder:
 * ESC @, the printer's code page (cp858 by default: ñ, á, ¿, ¡ and $ print as written), the rows
 * at its width, strong rows (the total) bold and double height, then the cut and the drawer pulse.
 */
export function encodeEscPos(
  document: PrintDocument,
  printer: Pick<Printer, 'columns' | 'codepage'>,
  marks: PrintMarks = {},
): Uint8Array {
  const columns = printer.columns;
  const encoder = new ReceiptPrinterEncoder({ language: 'esc-pos', columns, feedBeforeCut: 4 });
  encoder.initialize().codepage(printer.codepage ?? 'cp858');
  const banner = (text: string) => {
    encoder.align('center').bold(true).line(text).bold(false).align('left');
  };
  if (marks.reprint) banner('*** REIMPRESIÓN ***');
  if (marks.copy) banner('*** COPIA ***');
  for (const row of document.rows) {
    const strong = row.kind !== 'rule' && row.kind !== 'pre' && row.strong === true;
    if (strong) encoder.bold(true).height(2);
    for (const line of printLines(row, columns)) encoder.line(foldForPrinter(line));
    if (strong) encoder.height(1).bold(false);
  }
  if (marks.reprint) banner('*** REIMPRESIÓN ***');
  if (document.cut) encoder.cut('partial');
  if (document.pulse) encoder.pulse();
  return encoder.encode();
}
