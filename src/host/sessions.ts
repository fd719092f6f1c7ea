import { randomBytes } from 'node:crypto';
import type { User } from '../cloud/contract.js';
import { err, ok, type Result } from '../domain/result.js';
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

const MAX_FAILURES = 5;
const LOCKOUT_MS = 30_000;
const IDLE_EXPIRY_MS = 12 * 60 * 60_000;

/**
 * PIN log-in against the provisioned users' salted hashes, offline. Tokens live in memory (a
 * restart logs everyone out, which a cashier expects of a restarted till). Repeated wrong PINs lock
 * the PIN pad for a while: four digits are easy to guess otherwise.
 */
export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private failures = 0;
  private lockedUntil = 0;

  constructor(
    private readonly users: readonly User[],
    private readonly now: () => number = Date.now,
  ) {}

  private match(pin: string): Result<SessionUser, 'invalid-pin' | 'too-many-attempts'> {
    const now = this.now();
    if (now < this.lockedUntil) {
      return err(
        'too-many-attempts',
        `too many wrong PINs; try again in ${Math.ceil((this.lockedUntil - now) / 1000)} s`,
      );
    }
    const user = this.users.find((u) => verifyPin(pin, u.pin));
    if (!user) {
      this.failures += 1;
      if (this.failures >= MAX_FAILURES) {
        this.failures = 0;
        this.lockedUntil = now + LOCKOUT_MS;
      }
      return err('invalid-pin', 'wrong PIN');
    }
    this.failures = 0;
    return ok({ id: user.id, name: user.name, role: user.role });
  }

  login(pin: string): Result<{ token: string; user: SessionUser }, 'invalid-pin' | 'too-many-attempts'> {
    const matched = this.match(pin);
    if (!matched.ok) return matched;
    const token = randomBytes(24).toString('base64url');
    this.sessions.set(token, { user: matched.value, lastUsedAt: this.now() });
    return ok({ token, user: matched.value });
  }

  /** A manager's PIN typed for one guarded action, without logging anyone out. */
  elevate(pin: string): Result<SessionUser, 'invalid-pin' | 'too-many-attempts' | 'not-a-manager'> {
    const matched = this.match(pin);
    if (!matched.ok) return matched;
    return matched.value.role === 'manager'
      ? matched
      : err('not-a-manager', `${matched.value.name} is not a manager`);
  }

  /** Whole seconds until the PIN pad takes PINs again after too many wrong ones; 0 when it does. */
  retryAfterSeconds(): number {
    return Math.max(0, Math.ceil((this.lockedUntil - this.now()) / 1000));
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
