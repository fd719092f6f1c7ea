/** DIAN check digit (dígito de verificación) of a NIT, modulo 11 with DIAN's prime weights. */
const WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

export function nitCheckDigit(nit: string): number {
  if (!/^\d{1,15}$/.test(nit)) throw new RangeError(`a NIT is 1 to 15 digits: ${nit}`);
  let sum = 0;
  const digits = nit.split('').reverse();
  digits.forEach((digit, index) => {
    sum += Number(digit) * (WEIGHTS[index] ?? 0);
  });
  const remainder = sum % 11;
  return remainder > 1 ? 11 - remainder : remainder;
}

export function isValidNit(nit: string, checkDigit: number): boolean {
  return /^\d{1,15}$/.test(nit) && nitCheckDigit(nit) === checkDigit;
}

/** `901234567-8` → `901.234.567-8`, as printed on invoices. */
export function formatNit(nit: string, checkDigit: number): string {
  return `${nit.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}-${checkDigit}`;
}
