import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { offsetDateTimeSchema, slugSchema } from './schemas.js';

/**
 * What makes a fiscal record the terminal's own (DESIGN "Trust"): every journal entry carries the
 * id of the key that signed it, the hash of the same terminal's previous entry (a chain, as
 * France's NF525 asks of certified tills: deleting or reordering an entry breaks a visible link),
 * and its Ed25519 signature over the canonical JSON of everything else. Pure: the crypto is in
 * src/security/signing.ts.
 */
export const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;
export const B64URL_SIGNATURE = /^[A-Za-z0-9_-]{86}$/;
export const KEY_ID = /^[A-Za-z0-9_-]{16}$/;
/** A request digest: the first 16 bytes of a SHA-256, base64url. */
export const REQUEST_DIGEST = /^[A-Za-z0-9_-]{22}$/;

/** The first entry of a journal has no predecessor. */
export const CHAIN_START = '';

export const sealFields = {
  /** SHA-256 (base64url) of the canonical JSON of this terminal's previous entry; '' for seq 1. */
  prev: z.union([z.literal(CHAIN_START), z.string().regex(B64URL_32)]),
  keyId: z.string().regex(KEY_ID),
  sig: z.string().regex(B64URL_SIGNATURE),
  /** Digest of the command that made the entry: a reused commandId with another body is refused. */
  req: z.string().regex(REQUEST_DIGEST).optional(),
};

/** The text a record's signature covers: its canonical JSON without the signature. */
export function signedText(record: object, known?: ReadonlyMap<object, string>): string {
  const { sig: _sig, ...rest } = record as { sig?: unknown };
  return canonicalJson(rest, known);
}

/**
 * An uploaded invoice or credit note carries its journal entry's seal: the entry without the
 * document, from which the cloud rebuilds the signed entry and checks the signature.
 */
export const sealSchema = z.strictObject({
  seq: z.int().min(1),
  terminalId: slugSchema,
  at: offsetDateTimeSchema,
  commandId: z.string().min(8).max(64),
  ...sealFields,
});
export type Seal = z.infer<typeof sealSchema>;

/** The journal entry a document and its seal stand for (the inverse of `sealOf`). */
export function entryOfSeal(
  document: { readonly kind: 'invoice' | 'credit-note' },
  seal: Seal,
): Record<string, unknown> {
  const field = document.kind === 'invoice' ? 'invoice' : 'creditNote';
  return { ...seal, kind: document.kind, [field]: document };
}

/** The seal of an invoice's or a credit note's journal entry: the entry without its document. */
export function sealOf(entry: {
  readonly seq: number;
  readonly terminalId: string;
  readonly at: string;
  readonly commandId: string;
  readonly prev: string;
  readonly keyId: string;
  readonly sig: string;
  readonly req?: string | undefined;
}): Seal {
  return {
    seq: entry.seq,
    terminalId: entry.terminalId,
    at: entry.at,
    commandId: entry.commandId,
    prev: entry.prev,
    keyId: entry.keyId,
    sig: entry.sig,
    ...(entry.req === undefined ? {} : { req: entry.req }),
  };
}
