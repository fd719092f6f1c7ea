import { z } from 'zod';

/**
 * A user's PIN as it leaves the cloud: a salted scrypt hash (hashing and checking it live in
 * src/security/pin.ts, which needs Node's crypto).
 */
export const pinHashSchema = z.strictObject({
  algorithm: z.literal('scrypt'),
  N: z
    .int()
    .min(1024)
    .max(1 << 20),
  r: z.int().min(1).max(32),
  p: z.int().min(1).max(16),
  salt: z.base64url().min(16),
  hash: z.base64url().min(32),
});
export type PinHash = z.infer<typeof pinHashSchema>;
