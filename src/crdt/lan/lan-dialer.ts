/**
 * One URL a terminal keeps dialing: at most one socket at a time, and exponential backoff with
 * full jitter between attempts, so that terminals restarting together do not redial in step.
 */
import type { LanConnection } from './lan-connection.js';

/**
 * How a peer was found: a URL this terminal was given (`--peer`), one announced on the LAN by
 * DNS-SD (lan-discovery.ts), or neither — the peer dialed us.
 */
export type PeerFoundBy = 'peer-flag' | 'mdns' | 'inbound';

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Full jitter: uniform in [0, min(maxMs, initialMs · 2^attempt)). */
export function backoffDelay(backoff: Backoff, attempt: number, random: () => number): number {
  return Math.floor(random() * Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt));
}

// 2^30 · initialMs is far past any maxMs; stopping there keeps the arithmetic finite.
const MAX_ATTEMPT = 30;

export class LanDialer {
  /** The socket of the attempt in progress or of the connection it made. */
  conn: LanConnection | undefined;
  /** Learned when a handshake at this URL authenticates (an unauthenticated hello proves nothing). */
  terminalId: string | undefined;
  /** The URL answers with our own terminal: never dialed again. */
  isSelf = false;
  lastError: string | undefined;
  /** No longer wanted (`removePeer`): never dialed again. */
  #retired = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly url: string,
    private readonly backoff: Backoff,
    private readonly random: () => number,
    readonly foundBy: Exclude<PeerFoundBy, 'inbound'> = 'peer-flag',
  ) {}

  get retired(): boolean {
    return this.#retired;
  }

  retire(): void {
    this.#retired = true;
    this.cancel();
  }

  get attempt(): number {
    return this.#attempt;
  }

  /** Arms the next attempt; returns its delay, or undefined when one is already armed. */
  schedule(dial: () => void): number | undefined {
    if (this.isSelf || this.#retired || this.#timer) return undefined;
    const delayMs = backoffDelay(this.backoff, this.#attempt, this.random);
    this.#attempt = Math.min(this.#attempt + 1, MAX_ATTEMPT);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      dial();
    }, delayMs);
    return delayMs;
  }

  /** The handshake at this URL succeeded: the next drop is retried from the shortest delay. */
  succeeded(terminalId: string): void {
    this.terminalId = terminalId;
    this.lastError = undefined;
    this.#attempt = 0;
  }

  /** Cuts a long wait short (the terminal it waited on dropped); undefined if not waiting. */
  hurry(dial: () => void): number | undefined {
    if (this.#timer === undefined || this.conn) return undefined;
    this.cancel();
    this.#attempt = 0;
    return this.schedule(dial);
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
