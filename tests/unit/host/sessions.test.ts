import { describe, expect, it } from 'vitest';
import type { User } from '../../../src/contract/cloud.js';
import { pinRefused } from '../../../src/host/api/context.js';
import { Sessions } from '../../../src/host/sessions.js';
import { toErrorResponse } from '../../../src/contract/errors.js';
import { hashPin } from '../../../src/security/pin.js';

const salt = (n: number) => new Uint8Array(16).fill(n);
const users: User[] = [
  { id: 'ana', name: 'Ana', role: 'cashier', pin: hashPin('1234', salt(1)) },
  { id: 'luis', name: 'Luis', role: 'cashier', pin: hashPin('5678', salt(2)) },
  { id: 'marta', name: 'Marta', role: 'manager', pin: hashPin('9999', salt(3)) },
];
const screen = { client: '127.0.0.1' };

/** A till whose wall clock and monotonic clock the test moves apart. */
function till() {
  const clocks = { wall: 1_000_000, mono: 5_000 };
  const sessions = new Sessions(
    users,
    () => clocks.wall,
    () => clocks.mono,
  );
  return { sessions, clocks };
}

describe('PIN log-in lockout', () => {
  it('[PIN1] locks a user after five wrong PINs and says how many seconds are left', () => {
    const { sessions, clocks } = till();
    const ana = { userId: 'ana', ...screen };
    for (let i = 0; i < 4; i += 1)
      expect(sessions.login('0000', ana)).toMatchObject({ reason: 'invalid-pin' });
    expect(sessions.login('0000', ana)).toMatchObject({ reason: 'too-many-attempts', retryAfterSeconds: 30 });
    expect(sessions.login('1234', ana)).toMatchObject({ ok: false, reason: 'too-many-attempts' });
    clocks.mono += 12_500;
    const refused = sessions.login('1234', ana);
    expect(refused).toMatchObject({ reason: 'too-many-attempts', retryAfterSeconds: 18 });
    if (refused.ok) throw new Error('expected a refusal');
    // The API answer carries the seconds left, for the login screen.
    let thrown: unknown;
    try {
      pinRefused(refused);
    } catch (error) {
      thrown = error;
    }
    expect(toErrorResponse(thrown)).toEqual({
      status: 429,
      body: { error: 'too-many-attempts', message: expect.any(String) as string, retryAfterSeconds: 18 },
    });
    clocks.mono += 17_600;
    expect(sessions.login('1234', ana).ok).toBe(true);
  });

  it('[PIN2] a locked cashier never keeps the manager (or another cashier) out', () => {
    const { sessions } = till();
    for (let i = 0; i < 5; i += 1) sessions.login('0000', { userId: 'ana', ...screen });
    expect(sessions.login('1234', { userId: 'ana', ...screen })).toMatchObject({
      reason: 'too-many-attempts',
    });
    expect(sessions.login('9999', { userId: 'marta', ...screen })).toMatchObject({
      ok: true,
      value: { user: { id: 'marta' } },
    });
    expect(sessions.login('5678', { userId: 'luis', ...screen }).ok).toBe(true);
    // A manager's PIN for one action, naming the manager, works too.
    expect(sessions.elevate('9999', { userId: 'marta', ...screen })).toMatchObject({ ok: true });
  });

  it('[PIN1] a slow guesser gets slower: every wrong PIN after a lock locks again, twice as long', () => {
    const { sessions, clocks } = till();
    const marta = { userId: 'marta', ...screen };
    const waits: number[] = [];
    let guesses = 0;
    // Ten minutes of guessing as soon as the pad allows it.
    for (const end = clocks.mono + 10 * 60_000; clocks.mono < end;) {
      const answer = sessions.login('0000', marta);
      if (answer.ok) throw new Error('guessed');
      if (answer.reason === 'invalid-pin') guesses += 1;
      else if ('retryAfterSeconds' in answer && answer.retryAfterSeconds !== undefined) {
        if (waits.at(-1) !== answer.retryAfterSeconds) waits.push(answer.retryAfterSeconds);
        clocks.mono += answer.retryAfterSeconds * 1000;
        continue;
      }
      clocks.mono += 1000;
    }
    expect(waits.slice(0, 4)).toEqual([30, 60, 120, 240]);
    // 10 guesses a minute were possible before; now a handful in ten minutes.
    expect(guesses).toBeLessThanOrEqual(8);
  });

  it('[PIN3] the lockout follows a monotonic clock: a wall clock set back 3 h changes nothing', () => {
    const { sessions, clocks } = till();
    const ana = { userId: 'ana', ...screen };
    for (let i = 0; i < 5; i += 1) sessions.login('0000', ana);
    clocks.wall -= 3 * 3_600_000;
    clocks.mono += 30_500;
    expect(sessions.login('1234', ana).ok).toBe(true);
  });

  it('[PIN1] PINs typed without a user lock that client only, and naming the user still works', () => {
    const { sessions } = till();
    for (let i = 0; i < 5; i += 1) expect(sessions.login('0000', screen).ok).toBe(false);
    expect(sessions.login('1234', screen)).toMatchObject({ reason: 'too-many-attempts' });
    expect(sessions.login('1234', { client: '10.0.0.7' }).ok).toBe(true);
    expect(sessions.login('9999', { userId: 'marta', ...screen }).ok).toBe(true);
  });

  it('[PIN4] answers a wrong PIN with the attempts left and no retry seconds, an unknown user, and a cashier typing as a manager', () => {
    const { sessions } = till();
    const refused = sessions.login('0000', screen);
    if (refused.ok) throw new Error('expected a refusal');
    expect(() => {
      pinRefused(refused);
    }).toThrow(expect.objectContaining({ reason: 'invalid-pin', details: { attemptsLeft: 4 } }) as Error);
    expect(sessions.login('1234', { userId: 'nadie', ...screen })).toMatchObject({ reason: 'unknown-user' });
    expect(sessions.elevate('1234', screen)).toMatchObject({ reason: 'not-a-manager' });
    expect(sessions.elevate('9999', { userId: 'ana', ...screen })).toMatchObject({ reason: 'not-a-manager' });
  });
});
