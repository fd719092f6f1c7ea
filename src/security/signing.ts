import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import { B64URL_32, B64URL_SIGNATURE } from '../domain/seal.js';

/**
 * Ed25519 signatures (node:crypto) over canonical JSON, each under a domain tag so that a
 * signature made for one kind of record can never be passed off as another's. Keys travel as
 * base64url: a public key is its 32 raw bytes, a key id the first 12 bytes of its SHA-256.
 */

export type SignatureTag = 'caja-entry-v1' | 'caja-cert-v1';

export interface SigningKey {
  readonly keyId: string;
  /** base64url of the 32 raw bytes. */
  readonly publicKey: string;
  readonly privateKey: KeyObject;
}

export function keyIdOf(publicKey: string): string {
  return createHash('sha256')
    .update(Buffer.from(publicKey, 'base64url'))
    .digest()
    .subarray(0, 12)
    .toString('base64url');
}

function fromPrivateKey(privateKey: KeyObject): SigningKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return { keyId: keyIdOf(jwk.x), publicKey: jwk.x, privateKey };
}

/** A new key pair, with its private half as PKCS#8 PEM to keep on disk. */
export function generateSigningKey(): { pem: string; key: SigningKey } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { pem, key: fromPrivateKey(privateKey) };
}

/** Read a PKCS#8 PEM written by generateSigningKey; throws on anything else. */
export function signingKeyFromPem(pem: string): SigningKey {
  return fromPrivateKey(createPrivateKey({ key: pem, format: 'pem' }));
}

const publicKeys = new Map<string, KeyObject>();

function publicKeyObject(publicKey: string): KeyObject | undefined {
  let key = publicKeys.get(publicKey);
  if (key === undefined) {
    if (!B64URL_32.test(publicKey)) return undefined;
    try {
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    } catch {
      return undefined;
    }
    publicKeys.set(publicKey, key);
  }
  return key;
}

function message(tag: SignatureTag, text: string): Buffer {
  return Buffer.from(`${tag}\n${text}`, 'utf8');
}

export function signText(tag: SignatureTag, text: string, key: SigningKey): string {
  return sign(null, message(tag, text), key.privateKey).toString('base64url');
}

/** False for a malformed key or signature as for a wrong one: nothing here throws. */
export function verifyText(tag: SignatureTag, text: string, signature: string, publicKey: string): boolean {
  const key = publicKeyObject(publicKey);
  if (key === undefined || !B64URL_SIGNATURE.test(signature)) return false;
  try {
    return verify(null, message(tag, text), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** A short digest of a command's body (canonical JSON): tells a retry from a reused commandId. */
export function requestDigest(value: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(value), 'utf8')
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

export function sha256Base64url(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}
