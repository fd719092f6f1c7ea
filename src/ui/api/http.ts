/**
 * The one door to the terminal host's JSON API. Every failure becomes an ApiFailure carrying the
 * host's machine-readable reason (`{error, message}`), or a reason of our own when the host could
 * not be reached or answered something that is not JSON; errors.ts turns reasons into messages.
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    /** `too-many-attempts`: seconds until the host takes PINs again, when it says. */
    readonly retryAfterSeconds?: number,
    /** `invalid-pin`: wrong PINs still allowed before the host locks (PIN4), when it says. */
    readonly attemptsLeft?: number,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export function isApiFailure(error: unknown): error is ApiFailure {
  return error instanceof ApiFailure;
}

/** The reason of any error, for the error messages: ours, or `unexpected-error`. */
export function reasonOf(error: unknown): string {
  return isApiFailure(error) ? error.reason : 'unexpected-error';
}

export interface RequestOptions {
  readonly body?: unknown;
  /** A manager's PIN authorizing this one request (header X-Manager-Pin). */
  readonly managerPin?: string | undefined;
  /** Milliseconds before giving up; commands are idempotent, so a retry is safe. */
  readonly timeoutMs?: number;
  /** Answer text instead of JSON (the receipt). */
  readonly text?: boolean;
  /** Sent even as the page goes away (the cart written when the tab is closed or reloaded). */
  readonly keepalive?: boolean;
  /** A session token other than the current one (a log-out finished after its "Deshacer" passed). */
  readonly token?: string;
}

let sessionToken: string | null = null;
let unauthorizedListener: (() => void) | undefined;

export function setSessionToken(token: string | null): void {
  sessionToken = token;
}

/** Called when an authenticated call answers 401: the host no longer knows the session. */
export function onUnauthorized(listener: (() => void) | undefined): void {
  unauthorizedListener = listener;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: options.text ? 'text/html' : 'application/json' };
  const token = options.token ?? sessionToken;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.managerPin !== undefined) headers['x-manager-pin'] = options.managerPin;
  const hasBody = options.body !== undefined;
  if (hasBody) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
      ...(options.keepalive ? { keepalive: true } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    const timeout = error instanceof Error && error.name === 'TimeoutError';
    throw new ApiFailure(0, timeout ? 'timeout' : 'network-error', String(error));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (response.ok && options.text) return text as T;
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ApiFailure(response.status, 'invalid-response', `not JSON (HTTP ${response.status})`);
  }
  if (!response.ok) {
    const body = (parsed ?? {}) as {
      error?: unknown;
      message?: unknown;
      retryAfterSeconds?: unknown;
      attemptsLeft?: unknown;
    };
    const reason = typeof body.error === 'string' ? body.error : `http-${response.status}`;
    const retryAfter = body.retryAfterSeconds;
    const failure = new ApiFailure(
      response.status,
      reason,
      typeof body.message === 'string' ? body.message : '',
      typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0
        ? Math.ceil(retryAfter)
        : undefined,
      typeof body.attemptsLeft === 'number' && Number.isInteger(body.attemptsLeft) && body.attemptsLeft >= 0
        ? body.attemptsLeft
        : undefined,
    );
    if (response.status === 401 && reason === 'unauthorized' && sessionToken !== null && !options.token) {
      unauthorizedListener?.();
    }
    throw failure;
  }
  return parsed as T;
}
