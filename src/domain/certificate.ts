import { z } from 'zod';
import { B64URL_32, B64URL_SIGNATURE, KEY_ID } from './seal.js';
import { numberingSchema, offsetDateTimeSchema, slugSchema } from './schemas.js';

/**
 * A terminal key certificate: the cloud, the store's trust root, signs with the store's key that
 * this public key is terminal X's and that X numbers from this range. Every terminal receives the
 * store's public key when it is provisioned, so a certificate proves itself wherever it was read
 * (a keyed rogue peer can write the store document, but cannot sign a certificate).
 */
export const CERTIFICATE_VERSION = 1;

export const certificateSchema = z
  .strictObject({
    v: z.literal(CERTIFICATE_VERSION),
    storeId: slugSchema,
    terminalId: slugSchema,
    keyId: z.string().regex(KEY_ID),
    /** base64url of the 32 raw bytes of the terminal's Ed25519 public key. */
    publicKey: z.string().regex(B64URL_32),
    /** The range (resolution) the terminal numbers from with this key. */
    numbering: numberingSchema,
    /**
     * RNG5: the part of the range this key numbers from — a position no earlier key of the terminal
     * ever had. Absent on certificates made before positions: the whole range.
     */
    position: z.strictObject({ from: z.int().min(0), to: z.int().min(0) }).optional(),
    issuedAt: offsetDateTimeSchema,
    /** The store key's signature over the canonical JSON of the rest. */
    sig: z.string().regex(B64URL_SIGNATURE),
  })
  .refine(
    (c) =>
      c.position === undefined ||
      (c.numbering.from <= c.position.from &&
        c.position.from <= c.position.to &&
        c.position.to <= c.numbering.to),
    { error: 'the position must lie inside the range', path: ['position'] },
  );
export type Certificate = z.infer<typeof certificateSchema>;

export interface NumberSpan {
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
}

/** RNG5: the numbers a certified key may number: its position, else its whole range. */
export function spanOf(cert: Pick<Certificate, 'numbering' | 'position'>): NumberSpan {
  const { prefix, from, to } = cert.numbering;
  return cert.position ? { prefix, from: cert.position.from, to: cert.position.to } : { prefix, from, to };
}

export const publicKeySchema = z.string().regex(B64URL_32, 'an Ed25519 public key: 43 base64url characters');

/**
 * RNG5: the spans a terminal's certified keys number, when the store certifies positions (at least
 * one of its certificates has one); empty otherwise (the whole range is one span).
 */
export function positionsOf(certificates: readonly Certificate[]): NumberSpan[] {
  return certificates.some((c) => c.position !== undefined) ? certificates.map(spanOf) : [];
}
