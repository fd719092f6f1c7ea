import { scryptSync, timingSafeEqual } from 'node:crypto';
import type { PinHash } from '../domain/pin-hash.js';

/**
 * A user's PIN leaves the cloud only as a salted scrypt hash; terminals verify PINs offline
 * against it. A 4-digit PIN is weak against offline guessing whatever the hash, so the cost is
 * kept moderate and the host rate-limits attempts.
 */
export { pinHashSchema, type PinHash } from '../domain/pin-hash.js';

export const PIN_PATTERN = /^\d{4,8}$/;

const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/** `salt` comes from the caller (randomness is a parameter). */
export function hashPin(pin: string, salt: Uint8Array): PinHash {
  if (!PIN_PATTERN.test(pin)) throw new RangeError('a PIN is 4 to 8 digits');
  const hash = scryptSync(pin, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return {
    algorithm: 'scrypt',
    ...PARAMS,
    salt: Buffer.from(salt).toString('base64url'),
    hash: hash.toString('base64url'),
  };
}

export function verifyPin(pin: string, stored: PinHash): boolean {
  if (!PIN_PATTERN.test(pin)) return false;
  const expected = Buffer.from(stored.hash, 'base64url');
  const actual = scryptSync(pin, Buffer.from(stored.salt, 'base64url'), expected.length, {
    N: stored.N,
    r: stored.r,
    p: stored.p,
    maxmem: 256 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
