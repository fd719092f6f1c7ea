/** A product's SKU, branded: a plain string reaches a price only through the catalog's parser. */
export type Sku = string & { readonly __brand: 'Sku' };

/** Store, terminal and user ids: short, URL-safe, lowercase. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** A numbering prefix authorized by DIAN: one to four letters or digits. */
export const PREFIX_PATTERN = /^[A-Z0-9]{1,4}$/;
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Prefix followed by the consecutive, no padding: `C1` + `1042` → `C11042`. */
export function invoiceNumber(prefix: string, consecutive: number): string {
  return `${prefix}${consecutive}`;
}

/**
 * A new id from a person's name for it (a printer, a station): accents dropped, lowercase, words
 * joined by dashes, and `suffix` (a few random hex digits, given by the caller) so that two with
 * one name differ. Always matches SLUG_PATTERN.
 */
export function slugFromName(name: string, fallback: string, suffix: string): string {
  const base = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24);
  return `${base || fallback}-${suffix
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 8)}`;
}
