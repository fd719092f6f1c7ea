import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../contract/errors.js';
import { REASON_STATUS } from '../../contract/reasons.js';

/**
 * The terminal's API and screen are for this machine only (API1, API2 in src/host/SPEC.md). A
 * page on the internet can still reach 127.0.0.1 through the browser — by DNS rebinding (its own
 * name resolving to 127.0.0.1) or by posting a form — so binding to loopback is not enough:
 *
 * - the Host header must name this machine (127.0.0.1, localhost, [::1], or the address the API
 *   was told to listen on), which a rebound name never does;
 * - a state-changing request and the screen's socket, when they carry an Origin (every browser
 *   sends one), must come from a page of this same terminal.
 */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface LoopbackGuard {
  /** Why this request is refused, or undefined when it may go on. */
  check(
    headers: IncomingMessage['headers'],
    method: string,
  ): { reason: 'forbidden-host' | 'forbidden-origin'; message: string } | undefined;
}

export function loopbackGuard(listenHost: string, port: () => number): LoopbackGuard {
  const names = new Set(LOOPBACK_NAMES);
  // `--host 192.168.1.20` (support staff opening the API on the LAN) adds that address.
  if (listenHost !== '0.0.0.0' && listenHost !== '::')
    names.add(listenHost.includes(':') ? `[${listenHost}]` : listenHost);
  const hostAllowed = (host: string | undefined): boolean => {
    if (host === undefined) return false;
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
    if (!match?.[1]) return false;
    const portPart = match[2];
    return names.has(match[1]) && (portPart === undefined || Number(portPart) === port());
  };
  const originAllowed = (origin: string): boolean => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    return url.protocol === 'http:' && url.pathname === '/' && hostAllowed(url.host);
  };
  return {
    check(headers, method) {
      if (!hostAllowed(headers.host))
        return {
          reason: 'forbidden-host',
          message: `this terminal answers only requests addressed to itself (Host ${headers.host ?? ''})`,
        };
      const origin = headers.origin;
      const changes = method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
      if (changes && origin !== undefined && !originAllowed(origin))
        return { reason: 'forbidden-origin', message: `requests from ${origin} are not accepted` };
      return undefined;
    },
  };
}

/** Every request of the API and the static screen goes through the guard. */
export function registerLoopbackGuard(app: FastifyInstance, guard: LoopbackGuard): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const refused = guard.check(request.headers, request.method);
    done(refused ? new ApiError(REASON_STATUS[refused.reason], refused.reason, refused.message) : undefined);
  });
}
