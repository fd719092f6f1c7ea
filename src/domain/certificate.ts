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

export const certificateSchema = z.strictObject({
  v: z.literal(CERTIFICATE_VERSION),
  storeId: slugSchema,
  terminalId: slugSchema,
  keyId: z.string().regex(KEY_ID),
  /** base64url of the 32 raw bytes of the terminal's Ed25519 public key. */
  publicKey: z.string().regex(B64URL_32),
  /** The range the terminal numbers from with this key. */
  numbering: numberingSchema,
  issuedAt: offsetDateTimeSchema,
  /** The store key's signature over the canonical JSON of the rest. */
  sig: z.string().regex(B64URL_SIGNATURE),
});
export type Certificate = z.infer<typeof certificateSchema>;

export const publicKeySchema = z.string().regex(B64URL_32, 'an Ed25519 public key: 43 base64url characters');
