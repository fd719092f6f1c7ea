import { z } from 'zod';
import { rowLines, type Row } from '../invoice/receipt.js';
import { printable } from '../domain/text.js';

/**
 * PRN2: what a print job prints, kept on disk with the job: rows laid out at the printer's width
 * when the job is sent (so a job redirected to a printer of other width still fits), whether to
 * cut and whether to open the cash drawer. `pre` rows are text laid out already (a report rendered
 * at the printer's width): cut, never re-wrapped.
 */
export type PrintRow = Row | { kind: 'pre'; text: string };

const text = z.string().max(400);
export const printRowSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('center'), text, strong: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('text'), text, strong: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('pair'), left: text, right: text, strong: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('rule') }),
  z.strictObject({ kind: z.literal('pre'), text }),
]);

export const printDocumentSchema = z.strictObject({
  title: z.string().min(1).max(200),
  rows: z.array(printRowSchema).max(5_000),
  cut: z.boolean(),
  /** Open the cash drawer (a pulse on the printer's drawer port). */
  pulse: z.boolean(),
});
export type PrintDocument = z.infer<typeof printDocumentSchema>;

/** Lines of text already laid out (a pre-bill, a report): one `pre` row each. */
export function preformatted(body: string): PrintRow[] {
  return body
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => ({ kind: 'pre' as const, text: line }));
}

/** The lines a row takes at `columns`, without control characters (TXT2). */
export function printLines(row: PrintRow, columns: number): string[] {
  const lines: string[] = [];
  if (row.kind === 'pre') {
    const clean = printable(row.text).trimEnd();
    for (let i = 0; i < Math.max(1, clean.length); i += columns) lines.push(clean.slice(i, i + columns));
    return lines;
  }
  return rowLines(row, columns).map((line) => printable(line).trimEnd());
}
