/**
 * CASH1: the quick cash buttons of the payment dialog. A customer pays with the bills they carry,
 * so the amounts worth one touch are, for each Colombian bill, the least whole number of that
 * bill that covers the total (32.000 → 35.000 in 5.000s, 40.000 in 10.000s or 20.000s, 50.000,
 * 100.000). The exact amount is its own button ("Exacto"), never one of these; where a large bill
 * pays the total exactly, one more of it is offered (50.000 → 100.000: the customer hands a
 * 100.000 bill).
 */

/** The bills in circulation (Banco de la República), smallest first. */
export const COP_BILLS: readonly number[] = [2_000, 5_000, 10_000, 20_000, 50_000, 100_000];

/** From this bill up, a total it pays exactly still offers one bill more. */
const LARGE_BILL = 50_000;

/** Room on the dialog: five buttons besides "Exacto" and "Borrar". */
export const MAX_CASH_SUGGESTIONS = 5;

/**
 * CASH1: the distinct amounts above `total` that one kind of bill pays, smallest first, at most
 * `max`. Nothing for a total that is not a positive whole amount.
 */
export function cashSuggestions(
  total: number,
  max: number = MAX_CASH_SUGGESTIONS,
  bills: readonly number[] = COP_BILLS,
): number[] {
  if (!Number.isSafeInteger(total) || total <= 0 || max <= 0) return [];
  const amounts = new Set<number>();
  for (const bill of bills) {
    const least = Math.ceil(total / bill) * bill;
    const covering = least === total && bill >= LARGE_BILL ? least + bill : least;
    if (covering > total && Number.isSafeInteger(covering)) amounts.add(covering);
  }
  return [...amounts].sort((a, b) => a - b).slice(0, max);
}
