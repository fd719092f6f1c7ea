import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  closeShiftBodySchema,
  movementBodySchema,
  openShiftBodySchema,
  returnBodySchema,
  saleBodySchema,
  voidBodySchema,
} from '../../../src/contract/host-api.js';
import { ApiError, parseOr400 } from '../../../src/contract/errors.js';

/** The bodies of every command that records money or fiscal data, with a commandId. */
const bodies: [string, z.ZodType, Record<string, unknown>][] = [
  [
    'sale',
    saleBodySchema,
    { lines: [{ sku: 'BEB-001', quantity: 1 }], payments: [{ method: 'cash', amount: 5_000 }] },
  ],
  ['void', voidBodySchema, { reason: 'error de digitación' }],
  [
    'return',
    returnBodySchema,
    { reason: 'no le gustó', lines: [{ sku: 'BEB-001', quantity: 1 }], refund: { method: 'cash' } },
  ],
  ['shift open', openShiftBodySchema, { openingCash: 100_000 }],
  ['cash movement', movementBodySchema, { type: 'in', amount: 5_000, reason: 'sencillo' }],
  ['shift close', closeShiftBodySchema, { countedCash: 100_000 }],
];

function refusal(schema: z.ZodType, body: unknown): ApiError {
  try {
    parseOr400(schema, body);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('the bodies of commands that record money (CMD1)', () => {
  it.each(bodies)(
    '[CMD1] a %s needs its commandId: without one, 400 invalid-body naming it',
    (_, schema, body) => {
      expect(schema.safeParse({ ...body, commandId: 'cmd-12345678' }).success).toBe(true);
      const missing = refusal(schema, body);
      expect(missing.status).toBe(400);
      expect(missing.reason).toBe('invalid-body');
      expect(missing.message).toContain('commandId: commandId is required');
    },
  );

  it.each(bodies)('[CMD1] a %s with a malformed commandId is refused too', (_, schema, body) => {
    for (const commandId of ['short', 'x'.repeat(65), 'with space 1', 42]) {
      const bad = refusal(schema, { ...body, commandId });
      expect(bad.reason).toBe('invalid-body');
      expect(bad.message).toMatch(/^commandId: /);
    }
  });
});
