/**
 * Money as the cashier types it: whole pesos shown with es-CO thousands separators ("32.000")
 * while typing, the caret kept after the same digit it followed. Pure, for MoneyInput and the
 * numpad's display.
 */

/** The most digits a typed amount takes: 999.999.999.999 pesos is beyond any till. */
export const MAX_MONEY_DIGITS = 12;

/** "32000" → "32.000"; leading zeros dropped ("007" → "7"), "" stays "". */
export function formatMoneyDigits(digits: string): string {
  const clean = digits.replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  return clean.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** An amount as the text a money field shows: 11000 → "11.000". */
export function moneyText(amount: number): string {
  return formatMoneyDigits(String(Math.max(0, Math.trunc(amount))));
}

/**
 * The field's text after a keystroke, reformatted, and where the caret goes: after the same
 * count of digits as before (separators do not count), so typing in the middle stays in place.
 */
export function formatMoneyTyping(text: string, caret: number): { text: string; caret: number } {
  const digitsBefore = text.slice(0, Math.max(0, caret)).replace(/\D/g, '').length;
  const allDigits = text.replace(/\D/g, '').slice(0, MAX_MONEY_DIGITS);
  const leadingZeros = /^0+(?=\d)/.exec(allDigits)?.[0].length ?? 0;
  const formatted = formatMoneyDigits(allDigits);
  const wanted = Math.min(Math.max(0, digitsBefore - leadingZeros), formatted.replace(/\./g, '').length);
  let seen = 0;
  let position = 0;
  while (position < formatted.length && seen < wanted) {
    if (formatted[position] !== '.') seen += 1;
    position += 1;
  }
  return { text: formatted, caret: position };
}
