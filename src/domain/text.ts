/**
 * Text that people type (names, notes, reasons) and that ends up on a printed receipt, a kitchen
 * ticket or the cloud. Control characters have no place in it: an ESC/POS sequence in a customer's
 * name would open the drawer or cut the paper when printed, NUL and BEL confuse printers and logs,
 * and bidirectional overrides make a printed name read differently from what is stored (TXT1).
 */

/**
 * C0 and C1 controls (tab and newline included: every text field is one line), DEL, the
 * bidirectional embeddings, overrides and isolates, line and paragraph separators, and the BOM.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u;
// eslint-disable-next-line no-control-regex -- same set, every occurrence
const UNSAFE_TEXT_ALL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu;

export function isSafeText(text: string): boolean {
  return !UNSAFE_TEXT.test(text);
}

/**
 * What a receipt or ticket prints of a value it did not make itself: every unsafe character
 * becomes a space, so whatever a document holds, no raw control byte reaches the printer (TXT2).
 */
export function printable(text: string): string {
  return text.replace(UNSAFE_TEXT_ALL, ' ');
}

/** The machine-readable reason a refused text answers with. */
export const INVALID_TEXT = 'invalid-text';

/** Accents and case folded, for searches: "Peña" and "pena" match. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
