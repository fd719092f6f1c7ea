/** Branded ids: a plain string cannot be passed where a terminal id is expected by accident. */
export type StoreId = string & { readonly __brand: 'StoreId' };
export type TerminalId = string & { readonly __brand: 'TerminalId' };
export type UserId = string & { readonly __brand: 'UserId' };
export type ShiftId = string & { readonly __brand: 'ShiftId' };
/** The UUID a terminal gives a sale (invoice) or a credit note when it creates it. */
export type SaleId = string & { readonly __brand: 'SaleId' };
/** Prefix followed by the consecutive, no padding: `C1` + `1042` → `C11042`. */
export type InvoiceNumber = string & { readonly __brand: 'InvoiceNumber' };
export type Sku = string & { readonly __brand: 'Sku' };

/** Store, terminal and user ids: short, URL-safe, lowercase. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** A numbering prefix authorized by DIAN: one to four letters or digits. */
export const PREFIX_PATTERN = /^[A-Z0-9]{1,4}$/;
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function invoiceNumber(prefix: string, consecutive: number): InvoiceNumber {
  return `${prefix}${consecutive}` as InvoiceNumber;
}
