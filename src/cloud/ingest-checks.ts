import { spanOf, type Certificate } from '../domain/certificate.js';
import { invoiceNumber } from '../domain/ids.js';
import { verifyInvoice } from '../domain/invoice-check.js';
import { entryOfSeal, signedText, type Seal } from '../domain/seal.js';
import type { Numbering } from '../domain/schemas.js';
import { entryOfUnused, type UnusedNumber, type UnusedSeal } from '../domain/unused-number.js';
import type { CreditNote, Invoice } from '../domain/invoice.js';
import { verifyText } from '../security/signing.js';
import type { ItemKind, ItemResult, SealedDocument } from '../contract/cloud.js';
import type { CloudStore } from './cloud-store.js';
import type { ResolutionStore } from './resolution-store.js';

/**
 * What the checks read of the store: its certificates and every range it assigned. The reference
 * cloud's CloudStore; the in-memory cloud of the unit tests (tests/support/memory-cloud.ts) holds
 * its own, so both refuse a document for the same reason (UPL11).
 */
export type SealBook = Pick<CloudStore, 'certificate'>;
export interface RangeBook {
  readonly ranges: Pick<ResolutionStore, 'holding' | 'of'>;
}

/**
 * Whether an uploaded document is its terminal's own and its number authorized (UPL9, RNG1,
 * RNG2): the checks every item of a batch goes through before it is stored (ingest.ts).
 */
/** The item's seal is its terminal's, signed by a key the store certified for that terminal. */
export function checkSeal(
  store: SealBook,
  storeId: string,
  item: { id: string; kind: ItemKind; terminalId: string },
  seal: { terminalId: string; keyId: string; sig: string },
  entry: Record<string, unknown>,
  document: object | undefined,
  body: string,
): { ok: true; cert: Certificate } | { ok: false; refusal: ItemResult } {
  const refuse = (reason: string, message: string) => ({
    ok: false as const,
    refusal: result(item, 'rejected', reason, message),
  });
  if (seal.terminalId !== item.terminalId)
    return refuse('seal-mismatch', 'the seal is of another terminal than the document');
  const cert = store.certificate(storeId, seal.terminalId, seal.keyId);
  if (!cert) return refuse('unknown-key', `key ${seal.keyId} is not certified for ${seal.terminalId}`);
  // The document's canonical text is reused inside the entry's (it was just computed).
  const text = signedText(entry, document ? new Map([[document, body]]) : undefined);
  if (!verifyText('caja-entry-v1', text, seal.sig, cert.publicKey))
    return refuse('bad-signature', 'the signature does not verify: the document was altered');
  return { ok: true, cert };
}

/**
 * RNG1: a number is checked against the resolution that authorized it, among every one the
 * terminal was ever assigned, and against the range of the key that signed it (RNG2).
 */
export function checkNumber(
  store: RangeBook,
  storeId: string,
  item: { id: string; kind: ItemKind },
  terminalId: string,
  prefix: string,
  consecutive: number,
  /** The certificate of the key that signed it (checkSeal found it). */
  cert: Certificate,
): { ok: true; assigned: Numbering } | { ok: false; refusal: ItemResult } {
  const number = invoiceNumber(prefix, consecutive);
  const assigned = store.ranges.holding(storeId, terminalId, prefix, consecutive);
  if (!assigned) {
    // Only a refusal reads every range of the terminal, to say which it has.
    const ranges = store.ranges.of(storeId, terminalId);
    if (!ranges.some((n) => n.prefix === prefix))
      return {
        ok: false,
        refusal: result(
          item,
          'rejected',
          'prefix-mismatch',
          `terminal ${terminalId} numbers with prefix ${[...new Set(ranges.map((n) => n.prefix))].join(', ')}`,
        ),
      };
    return {
      ok: false,
      refusal: result(
        item,
        'rejected',
        'number-out-of-range',
        `${number} is outside every range authorized to ${terminalId}: ${ranges
          .map((n) => `${n.prefix}${n.from}–${n.prefix}${n.to}`)
          .join(', ')}`,
      ),
    };
  }
  const span = spanOf(cert);
  if (prefix !== span.prefix || consecutive < span.from || consecutive > span.to)
    return {
      ok: false,
      refusal: result(
        item,
        'rejected',
        'number-out-of-range',
        `${number} is outside the numbers certified with key ${cert.keyId} (${span.prefix}${span.from}–${span.prefix}${span.to})`,
      ),
    };
  return { ok: true, assigned };
}

/** A sealed document, its seal, and the journal entry they stand for (the signature covers it). */
export type Unpacked =
  | { unused: false; item: Invoice | CreditNote; seal: Seal; entry: Record<string, unknown> }
  | { unused: true; item: UnusedNumber; seal: UnusedSeal; entry: Record<string, unknown> };

export function unpack(sealed: SealedDocument): Unpacked {
  if (sealed.kind === 'unused-number') {
    const { seal, ...item } = sealed;
    return { unused: true, item, seal, entry: entryOfUnused(item, seal) };
  }
  const { seal, ...item } = sealed;
  return { unused: false, item, seal, entry: entryOfSeal(item, seal) };
}

export function result(
  item: { readonly id: string; readonly kind: ItemKind },
  status: ItemResult['status'],
  reason?: string,
  message?: string,
): ItemResult {
  return {
    id: item.id,
    kind: item.kind,
    status,
    ...(reason === undefined ? {} : { reason }),
    ...(message === undefined ? {} : { message }),
  };
}

/**
 * RNG1: an invoice matches the resolution that authorized its number (the one printed on it), was
 * issued within that resolution's validity, and its figures add up (`verifyInvoice`). The cloud
 * and the tests' in-memory cloud check with this one function.
 */
export function checkInvoiceAgainst(invoice: Invoice, assigned: Numbering): ItemResult | undefined {
  const r = invoice.resolution;
  if (
    r.prefix !== assigned.prefix ||
    r.resolutionNumber !== assigned.resolutionNumber ||
    r.from !== assigned.from ||
    r.to !== assigned.to ||
    r.validFrom !== assigned.validFrom ||
    r.validUntil !== assigned.validUntil
  ) {
    return result(
      invoice,
      'rejected',
      'resolution-mismatch',
      `the resolution printed on the invoice is not resolution ${assigned.resolutionNumber}, which authorized ${invoice.number}`,
    );
  }
  // The date part of issuedAt is the store's local date: it carries the store's own offset.
  const issuedOn = invoice.issuedAt.slice(0, 10);
  if (issuedOn < assigned.validFrom || issuedOn > assigned.validUntil) {
    return result(
      invoice,
      'rejected',
      'range-not-valid',
      `issued on ${issuedOn}, outside the range's validity`,
    );
  }
  const check = verifyInvoice(invoice);
  return check.ok ? undefined : result(invoice, 'rejected', check.reason, check.message);
}
