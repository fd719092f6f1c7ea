// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../src/ui/api/endpoints.js';
import { useSessionStore } from '../../src/ui/stores/session.js';
import { fakeHost, settle } from './helpers.js';

const ana = { id: 'ana', name: 'Ana', role: 'cashier' };
const marta = { id: 'marta', name: 'Marta', role: 'manager' };

beforeEach(() => {
  setActivePinia(createPinia());
  sessionStorage.clear();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('session store', () => {
  it('loads the users and logs the chosen one in, keeping the token for a reload', async () => {
    const host = fakeHost({
      'GET /api/users': { body: { users: [ana, marta] } },
      'POST /api/session': { body: { token: 'tok-ana', user: ana } },
      'GET /api/health': { body: {} },
    });
    const session = useSessionStore();
    await session.loadUsers();
    expect(session.users.map((u) => u.id)).toEqual(['ana', 'marta']);
    expect(await session.login('ana', '1234')).toBe(true);
    expect(host.calls.find((c) => c.path === '/api/session')?.body).toEqual({ pin: '1234', userId: 'ana' });
    expect(session.isLoggedIn).toBe(true);
    expect(session.isManager).toBe(false);
    expect(sessionStorage.getItem('caja.session')).toBe('tok-ana');
    // Later calls carry the token.
    await api.health();
    expect(host.calls.at(-1)?.headers.authorization).toBe('Bearer tok-ana');
  });

  it('says why a log-in failed: wrong PIN, lockout, host down', async () => {
    fakeHost({
      'POST /api/session': [
        { status: 401, body: { error: 'invalid-pin', message: 'wrong PIN' } },
        {
          status: 429,
          body: { error: 'too-many-attempts', message: 'try again in 27 s', retryAfterSeconds: 27 },
        },
      ],
    });
    const session = useSessionStore();
    expect(await session.login('ana', '0000')).toBe(false);
    expect(session.loginError).toBe('invalid-pin');
    expect(session.loginRetryAfterSeconds).toBeNull();
    expect(await session.login('ana', '0000')).toBe(false);
    expect(session.loginError).toBe('too-many-attempts');
    // The host says how long the PIN pad stays locked.
    expect(session.loginRetryAfterSeconds).toBe(27);
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    expect(await session.login('ana', '1234')).toBe(false);
    expect(session.loginError).toBe('network-error');
    expect(session.isLoggedIn).toBe(false);
  });

  it('refuses a PIN that belongs to somebody else than the user picked, and closes that session', async () => {
    const host = fakeHost({
      'POST /api/session': { body: { token: 'tok-marta', user: marta } },
      'DELETE /api/session': { status: 204 },
    });
    const session = useSessionStore();
    expect(await session.login('ana', '9999')).toBe(false);
    expect(session.loginError).toBe('invalid-pin');
    expect(session.isLoggedIn).toBe(false);
    const logout = host.calls.find((c) => c.method === 'DELETE');
    expect(logout?.headers.authorization).toBe('Bearer tok-marta');
  });

  it('restores the session after a reload while the host knows the token, and drops it otherwise', async () => {
    sessionStorage.setItem('caja.session', 'tok-old');
    fakeHost({ 'GET /api/session': { body: { user: ana } } });
    const session = useSessionStore();
    await session.restore();
    expect(session.user?.id).toBe('ana');
    expect(session.token).toBe('tok-old');

    setActivePinia(createPinia());
    fakeHost({ 'GET /api/session': { status: 401, body: { error: 'unauthorized', message: 'log in' } } });
    const again = useSessionStore();
    await again.restore();
    expect(again.isLoggedIn).toBe(false);
    expect(sessionStorage.getItem('caja.session')).toBeNull();
  });

  it('logs out when the host forgot the session (a 401 confirmed by GET /api/session)', async () => {
    fakeHost({
      'POST /api/session': { body: { token: 'tok-ana', user: ana } },
      'GET /api/shifts/current/report': { status: 401, body: { error: 'unauthorized', message: 'log in' } },
      'GET /api/session': { status: 401, body: { error: 'unauthorized', message: 'log in' } },
    });
    const session = useSessionStore();
    await session.login('ana', '1234');
    await expect(api.shiftReport()).rejects.toMatchObject({ reason: 'unauthorized' });
    await settle();
    expect(session.isLoggedIn).toBe(false);
  });

  it('stays logged in when a 401 came from the cloud behind the host', async () => {
    fakeHost({
      'POST /api/session': { body: { token: 'tok-ana', user: ana } },
      'POST /api/catalog/read': { status: 401, body: { error: 'unauthorized', message: 'cloud token' } },
      'GET /api/session': { body: { user: ana } },
    });
    const session = useSessionStore();
    await session.login('ana', '1234');
    await expect(api.readCatalog('9999')).rejects.toMatchObject({ reason: 'unauthorized' });
    await settle();
    expect(session.isLoggedIn).toBe(true);
  });
});
