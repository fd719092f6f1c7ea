/**
 * The automerge-repo network adapter between the terminals of one store: a WebSocket server for
 * peers that dial us, clients for the peers we dial, a mutual HMAC handshake on every socket
 * (lan-connection.ts), and exactly one authenticated connection per pair of terminals.
 * Wire format: docs/lan-protocol.md.
 */
import {
  NetworkAdapter,
  type Message,
  type PeerId,
  type PeerMetadata,
  type RepoMessage,
} from '@automerge/automerge-repo';
import { Encoder } from 'cbor-x';
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { LanConnection, type ConnectionHooks, type Direction, type LanIdentity } from './lan-connection.js';
import { LanDialer, type Backoff, type PeerFoundBy } from './lan-dialer.js';
import { LAN_CLOSE, parseTerminalPeerId, terminalPeerId, type LanCloseReason } from './lan-handshake.js';

export { parseTerminalPeerId, terminalPeerId } from './lan-handshake.js';
export type { Direction } from './lan-connection.js';
export type { PeerFoundBy } from './lan-dialer.js';

export interface LanNetworkOptions {
  readonly storeId: string;
  readonly terminalId: string;
  /** 32 bytes shared by the terminals of the store; never sent. */
  readonly lanKey: Uint8Array;
  /** Omit to only dial. Port 0 picks a free port; `start()` returns it. */
  readonly listen?: { readonly port: number; readonly host: string };
  /** ws:// URLs of other terminals to dial (found by `peer-flag`: given, not discovered). */
  readonly peers?: readonly string[];
  /** For the backoff jitter; defaults to Math.random. */
  readonly random?: () => number;
  readonly now?: () => number;
  readonly backoff?: Backoff;
  readonly handshakeTimeoutMs?: number;
  readonly keepaliveMs?: number;
  readonly log?: (event: LanEvent) => void;
}

/** Which socket an event is about, and the terminal behind it once known. */
export interface LanSocketRef {
  readonly direction: Direction;
  /** The dialed URL, or the dialing client's address:port. */
  readonly remote: string;
  readonly terminalId?: string;
}

export type LanEvent =
  | { readonly type: 'listening'; readonly host: string; readonly port: number }
  | { readonly type: 'dialing'; readonly url: string; readonly attempt: number }
  | { readonly type: 'retry-scheduled'; readonly url: string; readonly delayMs: number }
  | (LanSocketRef & { readonly type: 'peer-up' | 'peer-down' | 'keepalive-timeout' | 'message-dropped' })
  /** The socket described is the one closed; `kept` is the direction of the one that stays. */
  | (LanSocketRef & { readonly type: 'duplicate-connection'; readonly kept: Direction })
  | (LanSocketRef & { readonly type: 'rejected'; readonly reason: LanCloseReason; readonly detail: string })
  | (LanSocketRef & { readonly type: 'closed'; readonly code: number; readonly reason: string })
  | (LanSocketRef & { readonly type: 'socket-error'; readonly error: string })
  | { readonly type: 'send-dropped'; readonly targetId: string; readonly messageType: string }
  | { readonly type: 'config-error'; readonly detail: string };

export interface LanPeerStatus {
  /** '' for a configured URL that has not yet said who it is. */
  readonly terminalId: string;
  readonly url?: string;
  readonly foundBy: PeerFoundBy;
  readonly connected: boolean;
  readonly lastSeenAt?: number;
  readonly direction?: Direction;
  /** Why the last dial of `url` failed: a close reason (`auth-failed`, …) or a socket error code. */
  readonly lastError?: string;
  /** The peer's wall clock minus ours (ms), as it last told us (CLK2). */
  readonly clockSkewMs?: number;
}

export interface LanStats {
  /** Handshakes whose MAC did not verify (or that claimed our own terminal id). */
  readonly authFailures: number;
  /** Authenticated peers closed for an invalid frame. */
  readonly protocolErrors: number;
  /** Second connections to an already connected terminal, closed by this side. */
  readonly duplicateConnections: number;
  /** Unauthenticated sockets closed for garbage, timeout, wrong store or version. */
  readonly handshakeFailures: number;
  /** Sockets refused at once: too many unauthenticated ones (from their address, or in all). */
  readonly handshakesRefused: number;
  readonly dialAttempts: number;
  /** Authenticated sockets open right now (one per connected terminal once duplicates settle). */
  readonly connections: number;
}

/** Catch-up sync of a whole journal can be large; the handshake has its own 4 KiB limit. */
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
/**
 * Sockets that have not authenticated yet: a few per remote address, more in all. One machine
 * opening hundreds of sockets holds only its own few slots, and a terminal coming back from
 * another address finds one free (LAN9).
 */
const MAX_PENDING_HANDSHAKES = 64;
const MAX_PENDING_PER_ADDRESS = 4;
const CLOSE_GRACE_MS = 500;
const encoder = new Encoder({ tagUint8Array: false, useRecords: false });

export class LanNetworkAdapter extends NetworkAdapter {
  readonly #options: LanNetworkOptions;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #backoff: Backoff;
  readonly #handshakeTimeoutMs: number;
  readonly #ownPeerId: PeerId;
  #identity: LanIdentity | undefined;
  #server: WebSocketServer | undefined;
  #listening: Promise<number> | undefined;
  readonly #conns = new Set<LanConnection>();
  /** The one connection per terminal that the Repo's messages use. */
  readonly #active = new Map<string, LanConnection>();
  readonly #lastSeen = new Map<string, number | undefined>();
  readonly #lastSkew = new Map<string, number>();
  readonly #dialers = new Map<string, LanDialer>();
  readonly #dialerOf = new WeakMap<LanConnection, LanDialer>();
  readonly #firstAttempts = new Set<LanDialer>();
  #keepalive: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #ready = false;
  #resolveReady: () => void = () => undefined;
  readonly #readyPromise = new Promise<void>((resolve) => (this.#resolveReady = resolve));
  #stats = {
    authFailures: 0,
    protocolErrors: 0,
    duplicateConnections: 0,
    handshakeFailures: 0,
    handshakesRefused: 0,
    dialAttempts: 0,
  };

  constructor(options: LanNetworkOptions) {
    super();
    if (options.lanKey.byteLength !== 32) throw new Error('lanKey must be 32 bytes');
    this.#ownPeerId = terminalPeerId(options.storeId, options.terminalId);
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#backoff = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
    this.#handshakeTimeoutMs = options.handshakeTimeoutMs ?? 5000;
    for (const url of options.peers ?? []) this.addPeer(url);
  }

  /** Opens the server, if any; resolves with the bound port. */
  async start(): Promise<{ port?: number }> {
    const listen = this.#options.listen;
    if (listen === undefined) return {};
    if (this.#closing) throw new Error('LAN adapter is closed');
    this.#listening ??= this.#listen(listen.host, listen.port);
    return { port: await this.#listening };
  }

  /** Adds a URL to dial (and keep dialing); a URL already known is ignored. */
  addPeer(url: string, foundBy: Exclude<PeerFoundBy, 'inbound'> = 'peer-flag'): void {
    const parsed = new URL(url);
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new Error(`not a ws:// URL: ${url}`);
    if (this.#closing || this.#dialers.has(parsed.href)) return;
    const dialer = new LanDialer(parsed.href, this.#backoff, this.#random, foundBy);
    this.#dialers.set(dialer.url, dialer);
    if (this.#identity) this.#dial(dialer);
  }

  /**
   * Stops dialing a URL (a discovered terminal that moved to another address or port). A
   * connection it made stays up until it drops; it is not dialed again.
   */
  removePeer(url: string): void {
    let href: string;
    try {
      href = new URL(url).href;
    } catch {
      return;
    }
    const dialer = this.#dialers.get(href);
    if (!dialer) return;
    dialer.retire();
    this.#dialers.delete(href);
    this.#settleFirstAttempt(dialer);
    if (dialer.conn && !dialer.conn.isAuthenticated) dialer.conn.close('going-away');
  }

  peerStatus(): LanPeerStatus[] {
    const status: LanPeerStatus[] = [];
    const urlOf = new Map<string, LanDialer>();
    for (const dialer of this.#dialers.values()) {
      if (dialer.isSelf) continue;
      if (dialer.terminalId === undefined) {
        status.push({
          terminalId: '',
          url: dialer.url,
          connected: false,
          foundBy: dialer.foundBy,
          ...errorOf(dialer),
        });
      } else if (!urlOf.has(dialer.terminalId) || dialer.foundBy === 'peer-flag') {
        // A terminal both given and discovered shows as given: that URL is the one kept for good.
        urlOf.set(dialer.terminalId, dialer);
      }
    }
    const terminals = new Set([...this.#lastSeen.keys(), ...urlOf.keys()]);
    for (const terminalId of [...terminals].sort()) {
      const conn = this.#active.get(terminalId);
      // The URL whose socket carries the connection, else the one kept for that terminal.
      const carrying = conn ? this.#dialerOf.get(conn) : undefined;
      const dialer =
        carrying && this.#dialers.get(carrying.url) === carrying ? carrying : urlOf.get(terminalId);
      const lastSeenAt = conn?.lastSeenAt ?? this.#lastSeen.get(terminalId);
      const skew = conn?.clockSkewMs ?? this.#lastSkew.get(terminalId);
      status.push({
        terminalId,
        connected: conn !== undefined,
        foundBy: dialer?.foundBy ?? 'inbound',
        ...(dialer ? { url: dialer.url } : {}),
        ...(lastSeenAt !== undefined ? { lastSeenAt } : {}),
        ...(conn ? { direction: conn.direction } : dialer ? errorOf(dialer) : {}),
        ...(skew !== undefined ? { clockSkewMs: skew } : {}),
      });
    }
    return status;
  }

  stats(): LanStats {
    let connections = 0;
    for (const conn of this.#conns) if (conn.isAuthenticated) connections++;
    return { ...this.#stats, connections };
  }

  isReady(): boolean {
    return this.#ready;
  }

  whenReady(): Promise<void> {
    return this.#readyPromise;
  }

  /** Called by the Repo; its peerId must be this terminal's `store/terminal`. */
  connect(peerId: PeerId, peerMetadata?: PeerMetadata): void {
    if (this.#closing || this.#identity) return;
    if (peerId !== this.#ownPeerId) {
      const detail = `Repo peerId ${peerId} is not ${this.#ownPeerId}`;
      this.#log({ type: 'config-error', detail });
      throw new Error(detail);
    }
    this.peerId = peerId;
    this.peerMetadata = peerMetadata ?? {};
    const identity: LanIdentity = {
      storeId: this.#options.storeId,
      terminalId: this.#options.terminalId,
      peerId,
      lanKey: this.#options.lanKey,
      peerMetadata: this.peerMetadata,
    };
    this.#identity = identity;
    for (const conn of this.#conns) if (conn.direction === 'in') conn.begin(identity);
    this.#keepalive = setInterval(() => {
      this.#checkAlive();
    }, this.#options.keepaliveMs ?? 10_000);
    for (const dialer of this.#dialers.values()) this.#firstAttempts.add(dialer);
    if (this.#firstAttempts.size === 0) this.#markReady();
    for (const dialer of this.#dialers.values()) this.#dial(dialer);
  }

  send(message: Message): void {
    if (this.#closing) return;
    const target = parseTerminalPeerId(message.targetId);
    const conn =
      target.ok && target.value.storeId === this.#options.storeId
        ? this.#active.get(target.value.terminalId)
        : undefined;
    let sent = false;
    try {
      sent = conn?.send(encoder.encode(message)) ?? false;
    } catch {
      sent = false;
    }
    if (!sent) this.#log({ type: 'send-dropped', targetId: message.targetId, messageType: message.type });
  }

  /** Repo API; everything stops. Use `close()` to know when it has. */
  disconnect(): void {
    void this.close();
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#markReady();
    clearInterval(this.#keepalive);
    for (const dialer of this.#dialers.values()) dialer.cancel();
    const conns = [...this.#conns];
    for (const conn of conns) conn.close('going-away');
    // A peer that never answers the close frame would hold us for ws's 30 s close timeout.
    const grace = setTimeout(() => {
      for (const conn of conns) conn.terminate();
    }, CLOSE_GRACE_MS);
    await Promise.all(conns.map((conn) => conn.closed));
    clearTimeout(grace);
    await this.#listening?.catch(() => undefined);
    const server = this.#server;
    if (server)
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    this.emit('close');
  }

  #listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = new WebSocketServer({
        host,
        port,
        maxPayload: MAX_PAYLOAD_BYTES,
        perMessageDeflate: false,
        clientTracking: false,
      });
      const onStartError = (error: Error): void => {
        server.close();
        reject(error);
      };
      server.once('error', onStartError);
      server.once('listening', () => {
        server.off('error', onStartError);
        server.on('error', (error) => {
          this.#log({ type: 'socket-error', error: error.message, direction: 'in', remote: 'server' });
        });
        this.#server = server;
        const address = server.address();
        const bound = address !== null && typeof address === 'object' ? address.port : port;
        this.#log({ type: 'listening', host, port: bound });
        resolve(bound);
      });
      server.on('connection', (socket, request) => {
        this.#accept(socket, request);
      });
    });
  }

  #accept(socket: WebSocket, request: IncomingMessage): void {
    const address = request.socket.remoteAddress ?? '?';
    const remote = `${address}:${request.socket.remotePort ?? '?'}`;
    socket.on('error', () => undefined);
    const pending = [...this.#conns].filter((c) => c.direction === 'in' && !c.isAuthenticated);
    const fromAddress = pending.filter((c) => c.remote.slice(0, c.remote.lastIndexOf(':')) === address);
    if (
      this.#closing ||
      pending.length >= MAX_PENDING_HANDSHAKES ||
      fromAddress.length >= MAX_PENDING_PER_ADDRESS
    ) {
      this.#stats.handshakesRefused++;
      socket.close(1013, 'try-again-later');
      setTimeout(() => {
        socket.terminate();
      }, CLOSE_GRACE_MS);
      return;
    }
    const conn = new LanConnection(socket, 'in', remote, this.#hooks, {
      handshakeTimeoutMs: this.#handshakeTimeoutMs,
      now: this.#now,
      rawSocket: request.socket,
    });
    this.#conns.add(conn);
    if (this.#identity) conn.begin(this.#identity);
  }

  #dial(dialer: LanDialer): void {
    const identity = this.#identity;
    if (this.#closing || !identity || dialer.isSelf || dialer.retired || dialer.conn) return;
    if (dialer.terminalId !== undefined && this.#active.has(dialer.terminalId)) {
      // Connected through another socket (it dialed us, or another URL): wait for it to drop.
      this.#schedule(dialer);
      return;
    }
    this.#stats.dialAttempts++;
    this.#log({ type: 'dialing', url: dialer.url, attempt: dialer.attempt });
    let socket: WebSocket;
    try {
      socket = new WebSocket(dialer.url, {
        maxPayload: MAX_PAYLOAD_BYTES,
        perMessageDeflate: false,
        handshakeTimeout: this.#handshakeTimeoutMs,
        followRedirects: false,
      });
    } catch (error) {
      dialer.lastError = error instanceof Error ? error.message : String(error);
      this.#settleFirstAttempt(dialer);
      this.#schedule(dialer);
      return;
    }
    const conn = new LanConnection(socket, 'out', dialer.url, this.#hooks, {
      handshakeTimeoutMs: this.#handshakeTimeoutMs,
      now: this.#now,
      identity,
    });
    dialer.conn = conn;
    this.#dialerOf.set(conn, dialer);
    this.#conns.add(conn);
  }

  #schedule(dialer: LanDialer): void {
    if (this.#closing || dialer.retired) return;
    const delayMs = dialer.schedule(() => {
      this.#dial(dialer);
    });
    if (delayMs !== undefined) this.#log({ type: 'retry-scheduled', url: dialer.url, delayMs });
  }

  /** A terminal's connection dropped: the dialers that were waiting for that try again soon. */
  #wake(terminalId: string): void {
    if (this.#closing) return;
    for (const dialer of this.#dialers.values()) {
      if (dialer.terminalId !== terminalId) continue;
      const delayMs = dialer.hurry(() => {
        this.#dial(dialer);
      });
      if (delayMs !== undefined) this.#log({ type: 'retry-scheduled', url: dialer.url, delayMs });
    }
  }

  readonly #hooks: ConnectionHooks = {
    authenticated: (conn) => {
      this.#onAuthenticated(conn);
    },
    message: (conn, message) => {
      this.#onMessage(conn, message);
    },
    rejected: (conn, reason, detail) => {
      if (reason === 'auth-failed') this.#stats.authFailures++;
      else if (reason === 'protocol-error' && conn.isAuthenticated) this.#stats.protocolErrors++;
      else this.#stats.handshakeFailures++;
      const dialer = this.#dialerOf.get(conn);
      if (dialer) {
        dialer.lastError = reason;
        if (reason === 'self-connection') dialer.isSelf = true;
      }
      this.#log({ type: 'rejected', reason, detail, ...describe(conn) });
    },
    closed: (conn, code, reason) => {
      this.#onClosed(conn, code, reason);
    },
    error: (conn, error) => {
      const code = (error as NodeJS.ErrnoException).code;
      const dialer = this.#dialerOf.get(conn);
      // Aborting our own handshake also raises an error; the reason we aborted says more.
      if (dialer && conn.failure === undefined) dialer.lastError = code ?? error.message;
      this.#log({ type: 'socket-error', error: code ?? error.message, ...describe(conn) });
    },
  };

  #onAuthenticated(conn: LanConnection): void {
    const terminalId = conn.terminalId;
    const peerId = conn.peerId;
    if (terminalId === undefined || peerId === undefined) return;
    if (this.#closing) {
      conn.close('going-away');
      return;
    }
    const dialer = this.#dialerOf.get(conn);
    if (dialer) {
      dialer.succeeded(terminalId);
      this.#settleFirstAttempt(dialer);
    }
    this.#lastSeen.set(terminalId, conn.lastSeenAt);
    const existing = this.#active.get(terminalId);
    if (existing === undefined) {
      this.#active.set(terminalId, conn);
      this.#log({ type: 'peer-up', ...describe(conn) });
      this.#tellRepo('peer-candidate', () =>
        this.emit('peer-candidate', { peerId, peerMetadata: conn.peerMetadata }),
      );
      return;
    }
    const keep = this.#keeper(existing, conn, terminalId);
    const drop = keep === existing ? conn : existing;
    this.#stats.duplicateConnections++;
    this.#log({ type: 'duplicate-connection', ...describe(drop), kept: keep.direction });
    if (keep === conn) {
      // The Repo's sync state assumed the old socket; restart it on the one that stays.
      this.#active.set(terminalId, conn);
      this.#tellRepo('peer-disconnected', () => this.emit('peer-disconnected', { peerId }));
      this.#tellRepo('peer-candidate', () =>
        this.emit('peer-candidate', { peerId, peerMetadata: conn.peerMetadata }),
      );
    }
    drop.close('duplicate-connection');
  }

  /**
   * Both terminals must pick the same socket without talking: keep the one dialed by the lower
   * terminal id. Two sockets in the same direction (a restarted peer, two URLs for one terminal):
   * keep the newer, the older one is probably dead.
   */
  #keeper(existing: LanConnection, incoming: LanConnection, terminalId: string): LanConnection {
    if (existing.direction === incoming.direction) return incoming;
    const lowerDialed: Direction = this.#options.terminalId < terminalId ? 'out' : 'in';
    return existing.direction === lowerDialed ? existing : incoming;
  }

  #onMessage(conn: LanConnection, message: RepoMessage): void {
    const terminalId = conn.terminalId;
    if (this.#closing || terminalId === undefined || !this.#active.has(terminalId)) {
      this.#log({ type: 'message-dropped', ...describe(conn) });
      return;
    }
    try {
      this.emit('message', message);
    } catch (error) {
      conn.fail('protocol-error', `the Repo rejected a frame: ${String(error)}`);
    }
  }

  #onClosed(conn: LanConnection, code: number, reason: string): void {
    this.#conns.delete(conn);
    this.#log({ type: 'closed', code, reason, ...describe(conn) });
    const dialer = this.#dialerOf.get(conn);
    if (dialer && dialer.conn === conn) {
      dialer.conn = undefined;
      if (!conn.isAuthenticated && code >= 4000) dialer.lastError = reason || String(code);
      // The server kept the connection it had dialed to us (LAN6) before our handshake finished:
      // its welcome, MAC verified, said who it is. Knowing that, this URL waits for that
      // connection to drop instead of redialing into a duplicate every few seconds (two
      // terminals that discovered each other both dial).
      if (
        code === LAN_CLOSE['duplicate-connection'] &&
        conn.direction === 'out' &&
        conn.terminalId !== undefined &&
        dialer.terminalId === undefined
      )
        dialer.terminalId = conn.terminalId;
      this.#settleFirstAttempt(dialer);
      this.#schedule(dialer);
    }
    const { terminalId, peerId } = conn;
    if (terminalId === undefined || peerId === undefined || this.#active.get(terminalId) !== conn) return;
    this.#active.delete(terminalId);
    this.#lastSeen.set(terminalId, conn.lastSeenAt);
    if (conn.clockSkewMs !== undefined) this.#lastSkew.set(terminalId, conn.clockSkewMs);
    this.#log({ type: 'peer-down', ...describe(conn) });
    this.#tellRepo('peer-disconnected', () => this.emit('peer-disconnected', { peerId }));
    this.#wake(terminalId);
  }

  #checkAlive(): void {
    for (const conn of this.#conns) {
      if (!conn.isAuthenticated) continue;
      if (conn.alive) {
        conn.alive = false;
        conn.ping();
      } else {
        this.#log({ type: 'keepalive-timeout', ...describe(conn) });
        conn.terminate();
      }
    }
  }

  #settleFirstAttempt(dialer: LanDialer): void {
    if (this.#firstAttempts.delete(dialer) && this.#firstAttempts.size === 0) this.#markReady();
  }

  #markReady(): void {
    if (this.#ready) return;
    this.#ready = true;
    this.#resolveReady();
  }

  // The Repo's listeners are not ours to trust either: a throw must not unwind into ws.
  #tellRepo(what: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#log({ type: 'config-error', detail: `Repo listener threw on ${what}: ${String(error)}` });
    }
  }

  #log(event: LanEvent): void {
    try {
      this.#options.log?.(event);
    } catch {
      // A broken logger must not break the network.
    }
  }
}

function describe(conn: LanConnection): LanSocketRef {
  return {
    direction: conn.direction,
    remote: conn.remote,
    ...(conn.terminalId !== undefined ? { terminalId: conn.terminalId } : {}),
  };
}

function errorOf(dialer: LanDialer): { lastError?: string } {
  return dialer.lastError !== undefined ? { lastError: dialer.lastError } : {};
}
