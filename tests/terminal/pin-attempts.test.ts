import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalApi } from '../support/api-client.js';
import { PIN, startStore, type TestStore } from '../support/store.js';

/** The log-in's refusals and the manager-PIN check, over real HTTP to a `caja terminal` process. */
let store: TestStore;
let url: string;

beforeAll(async () => {
  store = await startStore(['caja-1']);
  const t = store.terminals[0];
  if (!t) throw new Error('no terminal');
  url = t.api.url;
}, 60_000);

afterAll(async () => {
  await store.stop();
}, 30_000);

interface Refusal {
  token?: string;
  user?: { id: string; role: string };
  error?: string;
  attemptsLeft?: number;
  retryAfterSeconds?: number;
}

const login = (body: Record<string, unknown>) =>
  new TerminalApi(url).call<Refusal>('POST', '/api/session', body);

describe('log-in lockouts per user (PIN2, PIN4)', () => {
  it('[PIN2][PIN4] five wrong PINs for Ana count down then lock Ana only; Luis, Marta and a PIN alone still log in', async () => {
    const left: (number | undefined)[] = [];
    for (let i = 0; i < 4; i += 1) {
      const answer = await login({ userId: 'ana', pin: '0000' });
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('invalid-pin');
      left.push(answer.body.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1]);
    const locked = await login({ userId: 'ana', pin: '0000' });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: 'too-many-attempts', retryAfterSeconds: 30 });
    expect((await login({ userId: 'ana', pin: PIN.ana })).status).toBe(429);
    expect((await login({ userId: 'luis', pin: PIN.luis })).status).toBe(200);
    expect((await login({ userId: 'marta', pin: PIN.marta })).status).toBe(200);
    // API clients: a PIN alone logs in whoever it belongs to.
    const alone = await login({ pin: PIN.luis });
    expect(alone.status).toBe(200);
    expect(alone.body.user?.id).toBe('luis');
  });
});

describe('a manager PIN checked before the action (PIN4)', () => {
  it('[PIN4] POST /api/session/elevate answers the manager, refuses a cashier PIN and a wrong one, and needs a session', async () => {
    const elevate = (api: TerminalApi, body: Record<string, unknown>) =>
      api.call<Refusal>('POST', '/api/session/elevate', body);
    const anonymous = await elevate(new TerminalApi(url), { pin: PIN.marta });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe('unauthorized');

    const luis = await new TerminalApi(url).login(PIN.luis);
    const ok = await elevate(luis, { pin: PIN.marta });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ id: 'marta', role: 'manager' });
    expect(ok.body).not.toHaveProperty('token');

    const cashier = await elevate(luis, { pin: PIN.ana });
    expect(cashier.status).toBe(403);
    expect(cashier.body.error).toBe('not-a-manager');

    const named = await elevate(luis, { pin: '0000', userId: 'marta' });
    expect(named.status).toBe(401);
    expect(named.body).toMatchObject({ error: 'invalid-pin', attemptsLeft: 4 });

    // Luis's own session is untouched: still Luis.
    const me = await luis.call<{ user: { id: string } }>('GET', '/api/session');
    expect(me.body.user.id).toBe('luis');
  });
});
