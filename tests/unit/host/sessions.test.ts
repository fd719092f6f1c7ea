import { describe, expect, it } from 'vitest';
import type { User } from '../../../src/cloud/contract.js';
import { pinRefused, type TerminalContext } from '../../../src/host/api/context.js';
import { Sessions } from '../../../src/host/sessions.js';
import { toErrorResponse } from '../../../src/http/errors.js';
import { hashPin } from '../../../src/security/pin.js';

const users: User[] = [
  { id: 'ana', name: 'Ana', role: 'cashier', pin: hashPin('1234', new Uint8Array(16).fill(1)) },
];

describe('PIN log-in lockout', () => {
  it('locks the PIN pad after five wrong PINs and says how many seconds are left', () => {
    let now = 1_000_000;
    const sessions = new Sessions(users, () => now);
    for (let i = 0; i < 5; i += 1) expect(sessions.login('0000')).toMatchObject({ reason: 'invalid-pin' });
    expect(sessions.login('1234')).toMatchObject({ ok: false, reason: 'too-many-attempts' });
    expect(sessions.retryAfterSeconds()).toBe(30);
    now += 12_500;
    expect(sessions.retryAfterSeconds()).toBe(18);

    // The API answer carries the seconds left, for the login screen.
    const ctx = { sessions } as unknown as TerminalContext;
    const refused = sessions.login('1234');
    if (refused.ok) throw new Error('expected a refusal');
    let thrown: unknown;
    try {
      pinRefused(ctx, refused);
    } catch (error) {
      thrown = error;
    }
    expect(toErrorResponse(thrown)).toEqual({
      status: 429,
      body: { error: 'too-many-attempts', message: expect.any(String) as string, retryAfterSeconds: 18 },
    });

    now += 17_600;
    expect(sessions.retryAfterSeconds()).toBe(0);
    expect(sessions.login('1234').ok).toBe(true);
  });

  it('answers a wrong PIN without retry seconds', () => {
    const sessions = new Sessions(users, () => 0);
    const refused = sessions.login('0000');
    if (refused.ok) throw new Error('expected a refusal');
    expect(() => pinRefused({ sessions } as unknown as TerminalContext, refused)).toThrow(
      expect.objectContaining({ reason: 'invalid-pin', details: {} }) as Error,
    );
  });
});
