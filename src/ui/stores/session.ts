import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/endpoints.js';
import { ApiFailure, onUnauthorized, reasonOf, setSessionToken } from '../api/http.js';
import type { UserSummary } from '../../contract/host-api.js';

const TOKEN_KEY = 'caja.session';

/**
 * Who is logged in on this screen. The token lives in sessionStorage, so a reload keeps the
 * session while the host still knows it; the host forgets every session when it restarts.
 */
export const useSessionStore = defineStore('session', () => {
  const users = shallowRef<readonly UserSummary[]>([]);
  const usersError = ref<string | null>(null);
  const user = ref<UserSummary | null>(null);
  const token = ref<string | null>(null);
  const busy = ref(false);
  const loginError = ref<string | null>(null);
  /** With `too-many-attempts`: the seconds the host said the PIN pad stays locked. */
  const loginRetryAfterSeconds = ref<number | null>(null);
  /** With `invalid-pin`: wrong PINs this user may still type before a lock (PIN4). */
  const loginAttemptsLeft = ref<number | null>(null);
  const restoring = ref(false);

  const isLoggedIn = computed(() => user.value !== null && token.value !== null);
  const isManager = computed(() => user.value?.role === 'manager');

  function setSession(newToken: string | null, newUser: UserSummary | null): void {
    token.value = newToken;
    user.value = newUser;
    setSessionToken(newToken);
    if (newToken === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, newToken);
  }

  async function loadUsers(): Promise<void> {
    try {
      users.value = (await api.users()).users;
      usersError.value = null;
    } catch (error) {
      usersError.value = reasonOf(error);
    }
  }

  /** After a reload: keep the session if the host still knows the token. */
  async function restore(): Promise<void> {
    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved === null) return;
    restoring.value = true;
    setSessionToken(saved);
    try {
      const answer = await api.session();
      setSession(saved, answer.user);
    } catch {
      setSession(null, null);
    } finally {
      restoring.value = false;
    }
  }

  /**
   * Log in `expectedUserId` with a PIN. The host checks the PIN of that user only; a session of
   * somebody else (an older host that matched the PIN alone) is still refused and closed at once.
   */
  async function login(expectedUserId: string, pin: string): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    loginError.value = null;
    loginRetryAfterSeconds.value = null;
    loginAttemptsLeft.value = null;
    try {
      const answer = await api.login(pin, expectedUserId);
      if (answer.user.id !== expectedUserId) {
        setSessionToken(answer.token);
        await api.logout().catch(() => undefined);
        setSessionToken(null);
        loginError.value = 'invalid-pin';
        return false;
      }
      setSession(answer.token, answer.user);
      return true;
    } catch (error) {
      loginError.value = reasonOf(error);
      loginRetryAfterSeconds.value = error instanceof ApiFailure ? (error.retryAfterSeconds ?? null) : null;
      loginAttemptsLeft.value = error instanceof ApiFailure ? (error.attemptsLeft ?? null) : null;
      return false;
    } finally {
      busy.value = false;
    }
  }

  async function logout(): Promise<void> {
    if (token.value !== null) await api.logout().catch(() => undefined);
    setSession(null, null);
  }

  /**
   * An authenticated call answered 401: confirm with the host before dropping the session (a
   * failed cloud call can also carry the reason `unauthorized`).
   */
  let checking = false;
  async function checkSession(): Promise<void> {
    if (token.value === null || checking) return;
    checking = true;
    try {
      await api.session();
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) setSession(null, null);
    } finally {
      checking = false;
    }
  }

  onUnauthorized(() => {
    void checkSession();
  });

  return {
    users,
    usersError,
    user,
    token,
    busy,
    loginError,
    loginRetryAfterSeconds,
    loginAttemptsLeft,
    restoring,
    isLoggedIn,
    isManager,
    loadUsers,
    restore,
    login,
    logout,
    checkSession,
    clearLoginError: () => {
      loginError.value = null;
      loginRetryAfterSeconds.value = null;
      loginAttemptsLeft.value = null;
    },
  };
});
