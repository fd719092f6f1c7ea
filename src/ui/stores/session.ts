import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/endpoints.js';
import { ApiFailure, onUnauthorized, reasonOf, setSessionToken } from '../api/http.js';
import type { UserSummary } from '../../contract/host-api.js';

const TOKEN_KEY = 'caja.session';
const USER_KEY = 'caja.session.user';
/** How long "Salir" can be undone before the session really ends on the host. */
export const LOGOUT_UNDO_MS = 8_000;

/**
 * Who is logged in on this screen. The token lives in sessionStorage, so a reload keeps the
 * session while the host still knows it; the host forgets every session when it restarts. A
 * session the host no longer knows is `lost`: the log-in asks that person's PIN again and the sale
 * in progress waits (DRF1), unlike "Salir", which ends it on purpose (and can be undone for a few
 * seconds).
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
  /** Whose session the host forgot (a restart of the terminal program): ask their PIN again. */
  const lost = ref<UserSummary | null>(null);
  /** "Salir" just pressed: the session ends on the host when the undo time is over. */
  const leaving = shallowRef<{
    token: string;
    user: UserSummary;
    timer: ReturnType<typeof setTimeout>;
  } | null>(null);

  const isLoggedIn = computed(() => user.value !== null && token.value !== null);
  const isManager = computed(() => user.value?.role === 'manager');

  function setSession(newToken: string | null, newUser: UserSummary | null): void {
    token.value = newToken;
    user.value = newUser;
    setSessionToken(newToken);
    if (newToken === null || newUser === null) {
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(USER_KEY);
    } else {
      sessionStorage.setItem(TOKEN_KEY, newToken);
      sessionStorage.setItem(USER_KEY, JSON.stringify(newUser));
    }
  }

  /** The host answered 401 for a session it knew: it restarted (or the session expired). */
  function loseSession(): void {
    if (user.value !== null) lost.value = user.value;
    setSession(null, null);
  }

  function savedUser(): UserSummary | null {
    try {
      const parsed: unknown = JSON.parse(sessionStorage.getItem(USER_KEY) ?? 'null');
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        'id' in parsed &&
        'name' in parsed &&
        'role' in parsed &&
        typeof parsed.id === 'string' &&
        typeof parsed.name === 'string' &&
        (parsed.role === 'cashier' || parsed.role === 'manager')
      )
        return { id: parsed.id, name: parsed.name, role: parsed.role };
    } catch {
      // Not ours: nobody to name.
    }
    return null;
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
    const who = savedUser();
    try {
      const answer = await api.session();
      setSession(saved, answer.user);
    } catch (error) {
      // A reload after the program restarted: the same person is asked for the PIN again.
      if (error instanceof ApiFailure && error.status === 401 && who) lost.value = who;
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
      finishLeaving();
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
    finishLeaving();
    lost.value = null;
    if (token.value !== null) await api.logout().catch(() => undefined);
    setSession(null, null);
  }

  /** "Salir" with "Deshacer": the screen logs out now, the host in LOGOUT_UNDO_MS. */
  function leave(): void {
    const current = token.value;
    const who = user.value;
    if (current === null || who === null) return;
    finishLeaving();
    lost.value = null;
    const timer = setTimeout(finishLeaving, LOGOUT_UNDO_MS);
    leaving.value = { token: current, user: who, timer };
    setSession(null, null);
  }

  /** End the session left with "Salir" on the host (the undo time is over, or someone logs in). */
  function finishLeaving(): void {
    const left = leaving.value;
    if (!left) return;
    clearTimeout(left.timer);
    leaving.value = null;
    void api.logout(left.token).catch(() => undefined);
  }

  /** "Deshacer" after "Salir": the same session again, if the host still knows it. */
  async function undoLeave(): Promise<boolean> {
    const left = leaving.value;
    if (!left) return false;
    clearTimeout(left.timer);
    leaving.value = null;
    setSessionToken(left.token);
    try {
      const answer = await api.session();
      setSession(left.token, answer.user);
      return true;
    } catch {
      setSession(null, null);
      return false;
    }
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
      if (error instanceof ApiFailure && error.status === 401) loseSession();
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
    lost,
    leaving,
    isLoggedIn,
    isManager,
    loadUsers,
    restore,
    login,
    logout,
    leave,
    undoLeave,
    checkSession,
    forgetLost: () => {
      lost.value = null;
    },
    clearLoginError: () => {
      loginError.value = null;
      loginRetryAfterSeconds.value = null;
      loginAttemptsLeft.value = null;
    },
  };
});
