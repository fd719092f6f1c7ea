import type { FastifyRequest } from 'fastify';
import type { StoreDocuments } from '../../crdt/store-documents.js';
import type { UnreadableDocument } from '../../crdt/storage/document-storage.js';
import type { DiscoveryStatus } from '../../crdt/lan/lan-discovery.js';
import type { PeerFoundBy } from '../../crdt/lan/lan-network.js';
import { ApiError, type ErrorDetails } from '../../contract/errors.js';
import type { Actor, Cashbox } from '../../invoice/cashbox.js';
import type { InvoiceIndex } from '../../invoice/invoice-index.js';
import type { FiscalLedger, RecoveryReport } from '../../invoice/ledger.js';
import type { TerminalCloud } from '../../upload/cloud-port.js';
import type { CloudReachability } from '../../upload/cloud-probe.js';
import type { PinRefusal, Sessions } from '../sessions.js';
import type { ContingencyWatch } from '../contingency-watch.js';
import type { DianStatusReader } from '../dian-status.js';
import type { RangeKeeper } from '../next-range.js';
import type { TerminalConfig } from '../terminal-config.js';
import type { Printing } from '../printing.js';
import type { PrintQueue } from '../../printing/print-queue.js';
import type { DraftStore } from '../drafts.js';
import { isReason, REASON_STATUS, type Reason } from '../../contract/reasons.js';

export interface PeerStatus {
  readonly terminalId: string;
  readonly url?: string | undefined;
  readonly connected: boolean;
  readonly lastSeenAt?: number | undefined;
  /** The peer's wall clock minus ours (ms), as it last told us. */
  readonly clockSkewMs?: number | undefined;
  readonly foundBy: PeerFoundBy;
}

/** Everything the API handlers use; built by the composition root (terminal.ts). */
export interface TerminalContext {
  readonly config: TerminalConfig;
  /** RNG4: the next range held, read at "Leer catálogo" (absent in tests that build a context by hand). */
  readonly ranges?: RangeKeeper;
  /** EPI1/EPI5: the contingency episodes this terminal records, and the outage-only gate. */
  readonly contingency?: ContingencyWatch;
  /** DIAN1: each uploaded document's transmission state, read from the cloud (Facturas). */
  readonly dian?: DianStatusReader;
  readonly docs: StoreDocuments;
  /** PRN1–PRN7: this terminal's printers, stations and durable print jobs. */
  readonly printing: Printing;
  readonly printQueue: PrintQueue;
  /** DRF1–DRF3: the screen's sale in progress and parked sales (absent in hand-built test contexts). */
  readonly drafts?: DraftStore;
  readonly ledger: FiscalLedger;
  readonly cashbox: Cashbox;
  readonly index: InvoiceIndex;
  readonly sessions: Sessions;
  readonly cloud: TerminalCloud;
  readonly cloudReachability: () => CloudReachability;
  /** What the start found and mended: the ledger's reconciliation and unreadable files (STO1, STO2). */
  readonly recovery: RecoveryReport & {
    readonly filesReadFromCopy: readonly string[];
    readonly unreadableDocuments: readonly UnreadableDocument[];
  };
  readonly peers: () => readonly PeerStatus[];
  /** DSC4: mDNS discovery (absent: never started, as with `--no-mdns`). */
  readonly discovery?: () => DiscoveryStatus;
  readonly network: () => Record<string, number>;
  /** Frames from this terminal's screens refused for trying to write (UI1). */
  readonly screenWritesRefused: () => number;
  readonly now: () => number;
  readonly startedAt: number;
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * The user behind the request's session token. With `manager`, a cashier's request passes when it
 * carries a manager's PIN in `X-Manager-Pin` for this one action; the actor is then that manager.
 */
export function requireActor(
  ctx: TerminalContext,
  request: FastifyRequest,
  options: { manager?: boolean } = {},
): Actor {
  const user = ctx.sessions.resolve(bearer(request));
  if (!user) refuse('unauthorized', 'log in first (POST /api/session with your PIN)');
  if (!options.manager || user.role === 'manager') return user;
  const pin = request.headers['x-manager-pin'];
  if (typeof pin !== 'string') refuse('manager-required', 'this action needs a manager');
  const manager = ctx.sessions.elevate(pin, managerOf(request));
  if (!manager.ok) pinRefused(manager);
  return { ...manager.value, elevated: true };
}

/** Who types a manager's PIN: the manager named in `X-Manager-Id` (if any), from this client. */
function managerOf(request: FastifyRequest): { userId?: string; client: string } {
  const id = request.headers['x-manager-id'];
  return { ...(typeof id === 'string' && id.length > 0 ? { userId: id } : {}), client: request.ip };
}

/** The cashier, possibly with a manager's PIN for one action (discounts above the limit). */
export function actorWithOptionalElevation(ctx: TerminalContext, request: FastifyRequest): Actor {
  const actor = requireActor(ctx, request);
  const pin = request.headers['x-manager-pin'];
  if (typeof pin !== 'string' || actor.role === 'manager') return actor;
  const manager = ctx.sessions.elevate(pin, managerOf(request));
  if (!manager.ok) pinRefused(manager);
  return { ...actor, elevated: true };
}

/**
 * Answer `{error: reason, message}` with the reason's HTTP status (src/contract/reasons.ts): the one
 * way the host's handlers refuse, so a reason without a status does not compile.
 */
export function refuse(reason: Reason, message: string, details: ErrorDetails = {}): never {
  throw new ApiError(REASON_STATUS[reason], reason, message, details);
}

/**
 * A refused PIN (log-in or a manager's PIN). While the PIN pad is locked, the answer says for how
 * many more seconds (`retryAfterSeconds`); a wrong PIN says how many more may be typed before a
 * lock (`attemptsLeft`), so the screen can tell the cashier.
 */
export function pinRefused(failure: PinRefusal<Reason>): never {
  const details: ErrorDetails = {
    ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
    ...(failure.attemptsLeft !== undefined ? { attemptsLeft: failure.attemptsLeft } : {}),
  };
  refuse(failure.reason, failure.message, details);
}

/** Turn a failed command result into the API's `{error, message}` answer. */
export function fail(failure: { readonly reason: Reason; readonly message: string }): never {
  refuse(failure.reason, failure.message);
}

/**
 * A failure of a call to the cloud, answered to the screen: the cloud client's own reasons
 * (`cloud-unreachable`, `cloud-timeout`, …) and the cloud's reasons that are also ours (its
 * `unauthorized` is the store's token; the screen tells it from the cashier's session) as they
 * are, any other reason of the cloud as `cloud-error`, naming it in the message.
 */
export function failFromCloud(failure: { readonly reason: string; readonly message: string }): never {
  if (isReason(failure.reason)) refuse(failure.reason, failure.message);
  refuse('cloud-error', `${failure.reason}: ${failure.message}`);
}
