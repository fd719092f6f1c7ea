import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { User } from '../contract/cloud.js';
import { err, ok, type Err, type Result } from '../domain/result.js';
import { verifyPin } from '../security/pin.js';

export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly role: 'cashier' | 'manager';
}

interface Session {
  readonly user: SessionUser;
  lastUsedAt: number;
}

export type PinReason = 'invalid-pin' | 'too-many-attempts' | 'unknown-user';

/**
 * A refused PIN; while locked, for how many more seconds; otherwise how many more wrong PINs this
 * user (or client) may type before the next lock (PIN4).
 */
export type PinRefusal<R extends string = PinReason> = Err<R> & {
  readonly retryAfterSeconds?: number;
  readonly attemptsLeft?: number;
};

/** Wrong PINs in a row before a lock, the first lock, and the longest. */
export const MAX_FAILURES = 5;
export const FIRST_LOCK_MS = 30_000;
export const LONGEST_LOCK_MS = 15 * 60_000;
const IDLE_EXPIRY_MS = 12 * 60 * 60_000;

/**
 * Wrong PINs of one user, or of one client typing PINs without naming a user. After
 * MAX_FAILURES in a row it locks for 30 s; every further wrong PIN before a right one locks again
 * for twice as long (up to 15 min), so a slow guesser gets nowhere (PIN1).
 */
class Lockout {
  private failures = 0;
  private strikes = 0;
  private lockedUntil = 0;

  constructor(private readonly monotonic: () => number) {}

  remainingMs(): number {
    return Math.max(0, this.lockedUntil - this.monotonic());
  }

  fail(): void {
    this.failures += 1;
    if (this.failures >= MAX_FAILURES || this.strikes > 0) {
      this.strikes += 1;
      this.failures = 0;
      this.lockedUntil =
        this.monotonic() + Math.min(LONGEST_LOCK_MS, FIRST_LOCK_MS * 2 ** (this.strikes - 1));
    }
  }

  /** Wrong PINs still allowed before a lock: after a first lock, the next wrong PIN locks again. */
  attemptsLeft(): number {
    return this.strikes > 0 ? 0 : MAX_FAILURES - this.failures;
  }

  succeed(): void {
    this.failures = 0;
    this.strikes = 0;
    this.lockedUntil = 0;
  }
}

function wrongPin(lockout: Lockout): PinRefusal<'invalid-pin'> {
  const attemptsLeft = lockout.attemptsLeft();
  return { ...err('invalid-pin', `wrong PIN; ${attemptsLeft} attempts left before a lock`), attemptsLeft };
}

/**
 * PIN log-in against the provisioned users' salted hashes, offline. Tokens live in memory (a
 * restart logs everyone out, which a cashier expects of a restarted till).
 *
 * Lockouts (PIN1–PIN3 in src/host/SPEC.md) are kept per user — a log-in that names its user
 * (`{userId, pin}`, as the screen sends it) is checked against that user only and locks only that
 * user, so a manager can always log in while a cashier's PIN is locked — and per client for PINs
 * typed without a user. They are timed with a monotonic clock: setting the wall clock back or
 * forward neither lengthens nor ends a lock.
 */
export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly byUser = new Map<string, Lockout>();
  private readonly byClient = new Map<string, Lockout>();

  constructor(
    private readonly users: readonly User[],
    /** Wall clock, for the idle expiry of a session. */
    private readonly now: () => number = Date.now,
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  private lockout(map: Map<string, Lockout>, key: string): Lockout {
    let lockout = map.get(key);
    if (!lockout) {
      lockout = new Lockout(this.monotonic);
      map.set(key, lockout);
    }
    return lockout;
  }

  private locked(lockout: Lockout, who: string): PinRefusal<'too-many-attempts'> | undefined {
    const ms = lockout.remainingMs();
    if (ms <= 0) return undefined;
    const retryAfterSeconds = Math.ceil(ms / 1000);
    return {
      ...err('too-many-attempts', `too many wrong PINs for ${who}; try again in ${retryAfterSeconds} s`),
      retryAfterSeconds,
    };
  }

  /** Check a PIN, of a named user or of whoever it matches, against the right lockout. */
  private match(
    pin: string,
    who: { userId?: string | undefined; client: string },
    accept: (user: User) => boolean = () => true,
  ): Result<User, PinReason> | PinRefusal {
    if (who.userId !== undefined) {
      const user = this.users.find((u) => u.id === who.userId);
      if (!user) return err('unknown-user', `no user ${who.userId} on this terminal`);
      const lockout = this.lockout(this.byUser, user.id);
      const refused = this.locked(lockout, user.name);
      if (refused) return refused;
      if (!accept(user) || !verifyPin(pin, user.pin)) {
        lockout.fail();
        return this.locked(lockout, user.name) ?? wrongPin(lockout);
      }
      lockout.succeed();
      return ok(user);
    }
    const lockout = this.lockout(this.byClient, who.client);
    const refused = this.locked(lockout, 'this screen');
    if (refused) return refused;
    const user = this.users.find((u) => accept(u) && verifyPin(pin, u.pin));
    if (!user) {
      lockout.fail();
      return this.locked(lockout, 'this screen') ?? wrongPin(lockout);
    }
    lockout.succeed();
    return ok(user);
  }

  login(
    pin: string,
    who: { userId?: string | undefined; client: string },
  ): Result<{ token: string; user: SessionUser }, PinReason> | PinRefusal {
    const matched = this.match(pin, who);
    if (!matched.ok) return matched;
    const user = { id: matched.value.id, name: matched.value.name, role: matched.value.role };
    const token = randomBytes(24).toString('base64url');
    this.sessions.set(token, { user, lastUsedAt: this.now() });
    return ok({ token, user });
  }

  /** A manager's PIN typed for one guarded action, without logging anyone out. */
  elevate(
    pin: string,
    who: { userId?: string | undefined; client: string },
  ): Result<SessionUser, PinReason | 'not-a-manager'> | PinRefusal {
    if (who.userId !== undefined) {
      const named = this.users.find((u) => u.id === who.userId);
      if (named && named.role !== 'manager') return err('not-a-manager', `${named.name} is not a manager`);
    }
    const matched = this.match(pin, who, (u) => u.role === 'manager');
    if (!matched.ok) {
      // A right PIN of a cashier says so rather than "wrong PIN" (only without a named user).
      if (matched.reason === 'invalid-pin' && who.userId === undefined) {
        const cashier = this.users.find((u) => u.role !== 'manager' && verifyPin(pin, u.pin));
        if (cashier) return err('not-a-manager', `${cashier.name} is not a manager`);
      }
      return matched;
    }
    return ok({ id: matched.value.id, name: matched.value.name, role: matched.value.role });
  }

  resolve(token: string | undefined): SessionUser | undefined {
    if (token === undefined) return undefined;
    const session = this.sessions.get(token);
    if (!session) return undefined;
    const now = this.now();
    if (now - session.lastUsedAt > IDLE_EXPIRY_MS) {
      this.sessions.delete(token);
      return undefined;
    }
    session.lastUsedAt = now;
    return session.user;
  }

  logout(token: string): void {
    this.sessions.delete(token);
  }
}
