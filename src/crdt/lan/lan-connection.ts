/**
 * One LAN socket from open to close: the authenticated handshake (either role), then checked
 * automerge frames. It never throws into `ws`: whatever a peer sends ends, at worst, in a close.
 * The adapter (lan-network.ts) decides what a connection means for the Repo.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { PeerId, PeerMetadata, RepoMessage } from '@automerge/automerge-repo';
import { decode } from 'cbor-x';
import { WebSocket, type RawData } from 'ws';
import {
  LAN_CLOSE,
  LAN_PROTOCOL_VERSION,
  MAX_HANDSHAKE_FRAME_BYTES,
  NONCE_BYTES,
  handshakeMac,
  parseHandshakeFrame,
  parseRepoFrame,
  terminalPeerId,
  toPeerMetadata,
  verifyHandshakeMac,
  type HandshakeParseFailure,
  type LanCloseReason,
} from './lan-handshake.js';

export type Direction = 'in' | 'out';

export interface LanIdentity {
  readonly storeId: string;
  readonly terminalId: string;
  readonly peerId: PeerId;
  readonly lanKey: Uint8Array;
  readonly peerMetadata: PeerMetadata;
}

export interface ConnectionHooks {
  authenticated(conn: LanConnection): void;
  message(conn: LanConnection, message: RepoMessage): void;
  /** This side is closing the connection because of what the peer did (or did not do). */
  rejected(conn: LanConnection, reason: LanCloseReason, detail: string): void;
  closed(conn: LanConnection, code: number, reason: string): void;
  error(conn: LanConnection, error: Error): void;
}

export interface ConnectionOptions {
  readonly handshakeTimeoutMs: number;
  readonly now: () => number;
  /** Server side: the TCP socket under the upgrade, to cap what an unauthenticated client sends. */
  readonly rawSocket?: Duplex;
  /** Client side: who we are, known before the socket exists. */
  readonly identity?: LanIdentity;
}

type State =
  | 'waiting'
  | 'await-hello'
  | 'await-auth'
  | 'await-welcome'
  | 'await-ident'
  | 'await-ready'
  | 'open'
  | 'failed'
  | 'closed';

// ws buffers a whole frame (up to maxPayload) before we see it; counting raw bytes bounds what an
// unauthenticated client can make us hold to a few handshake frames.
const PRE_AUTH_BYTE_BUDGET = 4 * MAX_HANDSHAKE_FRAME_BYTES;
const FAIL_GRACE_MS = 1000;

export class LanConnection {
  readonly closed: Promise<void>;
  terminalId: string | undefined;
  peerId: PeerId | undefined;
  peerMetadata: PeerMetadata = {};
  lastSeenAt: number | undefined;
  /** Cleared by each keepalive ping, set again by any frame or pong. */
  alive = true;
  /** Why this side gave up on the peer, if it did. */
  failure: LanCloseReason | undefined;
  /** The peer's wall clock minus ours, as last told (handshake, then every keepalive ping). */
  clockSkewMs: number | undefined;

  #state: State;
  #identity: LanIdentity | undefined;
  #serverNonce = '';
  #clientNonce = '';
  #timer: NodeJS.Timeout | undefined;
  #preAuthBytes = 0;
  #resolveClosed: () => void = () => undefined;
  readonly #countPreAuth = (chunk: Buffer): void => {
    this.#preAuthBytes += chunk.length;
    if (this.#preAuthBytes > PRE_AUTH_BYTE_BUDGET && this.#state !== 'open') {
      this.fail('protocol-error', `more than ${PRE_AUTH_BYTE_BUDGET} bytes before authentication`);
      this.socket.terminate();
    }
  };

  constructor(
    readonly socket: WebSocket,
    readonly direction: Direction,
    /** The dialed URL, or the client's address and port. */
    readonly remote: string,
    private readonly hooks: ConnectionHooks,
    private readonly options: ConnectionOptions,
  ) {
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#identity = options.identity;
    this.#state = direction === 'out' ? 'await-hello' : 'waiting';
    socket.on('error', (error) => {
      this.#guard(() => {
        hooks.error(this, error);
      });
    });
    socket.on('close', (code, reason) => {
      this.#onClose(code, reason.toString('utf8'));
    });
    socket.on('message', (data, isBinary) => {
      this.#guard(() => {
        this.#onFrame(data, isBinary);
      });
    });
    socket.on('ping', (data) => {
      this.#seen();
      this.#peerTime(data);
    });
    socket.on('pong', () => {
      this.#seen();
    });
    options.rawSocket?.on('data', this.#countPreAuth);
    this.#timer = setTimeout(() => {
      this.fail('handshake-timeout', `no handshake within ${options.handshakeTimeoutMs} ms`);
    }, options.handshakeTimeoutMs);
  }

  get isAuthenticated(): boolean {
    return this.peerId !== undefined;
  }

  /** Server side: sends hello (a nonce, nothing else) once the Repo has told the adapter who we are. */
  begin(identity: LanIdentity): void {
    if (this.#state !== 'waiting') return;
    this.#identity = identity;
    this.#serverNonce = newNonce();
    this.#state = 'await-auth';
    this.#sendJson({ t: 'hello', v: LAN_PROTOCOL_VERSION, nonce: this.#serverNonce });
  }

  /** Sends one encoded automerge frame; false when the socket cannot take it. */
  send(frame: Uint8Array): boolean {
    if (this.#state !== 'open' || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame);
    return true;
  }

  /** Keepalive; the ping carries our wall clock, so the peer learns our skew (CLK2). */
  ping(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping(String(this.options.now()));
  }

  close(reason: LanCloseReason): void {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(LAN_CLOSE[reason], reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  /** Closes because of the peer; nothing it sends afterwards is looked at. */
  fail(reason: LanCloseReason, detail: string): void {
    if (this.#state === 'failed' || this.#state === 'closed') return;
    this.#state = 'failed';
    this.failure = reason;
    this.#guard(() => {
      this.hooks.rejected(this, reason, detail);
    });
    this.close(reason);
    // ws would wait 30 s for a peer that never answers the close frame; a misbehaving peer
    // should not keep holding a socket (or a pending-handshake slot) that long.
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.terminate();
    }, FAIL_GRACE_MS);
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    this.#seen();
    const frame = toBuffer(data);
    switch (this.#state) {
      case 'open':
        this.#onRepoFrame(frame, isBinary);
        return;
      case 'await-hello':
      case 'await-auth':
      case 'await-welcome':
      case 'await-ident':
      case 'await-ready':
        if (isBinary) {
          this.fail('protocol-error', 'binary frame during the handshake');
          return;
        }
        this.#onHandshakeFrame(frame);
        return;
      case 'waiting':
        this.fail('protocol-error', 'frame before hello');
        return;
      case 'failed':
      case 'closed':
        return;
    }
  }

  #onHandshakeFrame(frame: Buffer): void {
    const identity = this.#identity;
    if (identity === undefined) return;
    if (this.#state === 'await-hello') this.#onHello(identity, frame);
    else if (this.#state === 'await-auth') this.#onAuth(identity, frame);
    else if (this.#state === 'await-welcome') this.#onWelcome(identity, frame);
    else if (this.#state === 'await-ident') this.#onIdent(identity, frame);
    else this.#onReady(identity, frame);
  }

  /** Client, 1 → 2: prove the key without saying who we are. */
  #onHello(identity: LanIdentity, frame: Buffer): void {
    const hello = parseHandshakeFrame('hello', frame);
    if (!hello.ok) {
      this.#failParse(hello.reason, hello.message);
      return;
    }
    this.#serverNonce = hello.value.nonce;
    this.#clientNonce = newNonce();
    this.#state = 'await-welcome';
    this.#sendJson({
      t: 'auth',
      v: LAN_PROTOCOL_VERSION,
      nonce: this.#clientNonce,
      mac: handshakeMac(identity.lanKey, 'auth', this.#transcript(identity)),
    });
  }

  /** Server, 2 → 3: the client holds the key; only now say who we are. */
  #onAuth(identity: LanIdentity, frame: Buffer): void {
    const auth = parseHandshakeFrame('auth', frame);
    if (!auth.ok) {
      this.#failParse(auth.reason, auth.message);
      return;
    }
    this.#clientNonce = auth.value.nonce;
    if (!verifyHandshakeMac(identity.lanKey, 'auth', this.#transcript(identity), auth.value.mac)) {
      this.fail('auth-failed', 'client MAC does not verify');
      return;
    }
    this.#state = 'await-ident';
    this.#sendJson({
      t: 'welcome',
      v: LAN_PROTOCOL_VERSION,
      terminal: identity.terminalId,
      peerMetadata: identity.peerMetadata,
      time: this.options.now(),
      mac: handshakeMac(identity.lanKey, 'welcome', this.#transcript(identity)),
    });
  }

  /** Client, 3 → 4: the server holds the key too; say who we are and start. */
  #onWelcome(identity: LanIdentity, frame: Buffer): void {
    const welcome = parseHandshakeFrame('welcome', frame);
    if (!welcome.ok) {
      this.#failParse(welcome.reason, welcome.message);
      return;
    }
    this.terminalId = welcome.value.terminal;
    if (!verifyHandshakeMac(identity.lanKey, 'welcome', this.#transcript(identity), welcome.value.mac)) {
      this.terminalId = undefined;
      this.fail('auth-failed', 'server MAC does not verify');
    } else if (welcome.value.terminal === identity.terminalId) {
      this.fail('self-connection', 'dialed our own server');
    } else {
      this.peerMetadata = toPeerMetadata(welcome.value.peerMetadata);
      this.#noteSkew(welcome.value.time);
      this.#sendJson({
        t: 'ident',
        v: LAN_PROTOCOL_VERSION,
        terminal: identity.terminalId,
        peerMetadata: identity.peerMetadata,
        time: this.options.now(),
        mac: handshakeMac(identity.lanKey, 'ident', this.#transcript(identity)),
      });
      this.#state = 'await-ready';
    }
  }

  /** Client, 5: the server took us in. */
  #onReady(identity: LanIdentity, frame: Buffer): void {
    const ready = parseHandshakeFrame('ready', frame);
    if (!ready.ok) this.#failParse(ready.reason, ready.message);
    else this.#authenticate(identity);
  }

  /** Server, 4: who the client is. */
  #onIdent(identity: LanIdentity, frame: Buffer): void {
    const ident = parseHandshakeFrame('ident', frame);
    if (!ident.ok) {
      this.#failParse(ident.reason, ident.message);
      return;
    }
    this.terminalId = ident.value.terminal;
    if (ident.value.terminal === identity.terminalId) {
      this.fail('auth-failed', 'client claims our own terminal id');
    } else if (!verifyHandshakeMac(identity.lanKey, 'ident', this.#transcript(identity), ident.value.mac)) {
      this.fail('auth-failed', 'client identity MAC does not verify');
    } else {
      this.peerMetadata = toPeerMetadata(ident.value.peerMetadata);
      this.#noteSkew(ident.value.time);
      this.#authenticate(identity);
      this.#sendJson({ t: 'ready', v: LAN_PROTOCOL_VERSION });
    }
  }

  #noteSkew(peerTime: number): void {
    this.clockSkewMs = peerTime - this.options.now();
  }

  /** A keepalive ping's payload is the peer's wall clock; a ping without one says nothing. */
  #peerTime(data: Buffer): void {
    if (!this.isAuthenticated || data.length === 0 || data.length > 20) return;
    const time = Number(data.toString('latin1'));
    if (Number.isSafeInteger(time) && time > 0) this.#noteSkew(time);
  }

  #transcript(identity: LanIdentity) {
    const peer = this.terminalId ?? '';
    const isServer = this.direction === 'in';
    return {
      store: identity.storeId,
      serverTerminal: isServer ? identity.terminalId : peer,
      clientTerminal: isServer ? peer : identity.terminalId,
      serverNonce: this.#serverNonce,
      clientNonce: this.#clientNonce,
    };
  }

  #authenticate(identity: LanIdentity): void {
    clearTimeout(this.#timer);
    this.options.rawSocket?.off('data', this.#countPreAuth);
    this.#state = 'open';
    this.peerId = terminalPeerId(identity.storeId, this.terminalId ?? '');
    this.hooks.authenticated(this);
  }

  #onRepoFrame(frame: Buffer, isBinary: boolean): void {
    const identity = this.#identity;
    if (!isBinary) {
      this.fail('protocol-error', 'text frame after the handshake');
      return;
    }
    if (identity === undefined || this.peerId === undefined) return;
    let value: unknown;
    try {
      value = decode(frame);
    } catch {
      this.fail('protocol-error', 'frame is not CBOR');
      return;
    }
    const ctx = { from: this.peerId, self: identity.peerId, storeId: identity.storeId };
    const message = parseRepoFrame(value, ctx);
    if (!message.ok) {
      this.fail('protocol-error', message.message);
      return;
    }
    this.hooks.message(this, message.value);
  }

  #failParse(reason: HandshakeParseFailure, detail: string): void {
    this.fail(reason === 'unsupported-version' ? 'unsupported-version' : 'protocol-error', detail);
  }

  #sendJson(message: object): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  #seen(): void {
    this.alive = true;
    this.lastSeenAt = this.options.now();
  }

  #onClose(code: number, reason: string): void {
    clearTimeout(this.#timer);
    this.options.rawSocket?.off('data', this.#countPreAuth);
    this.#state = 'closed';
    this.#guard(() => {
      this.hooks.closed(this, code, reason);
    });
    this.#resolveClosed();
  }

  // A throw inside a ws listener would surface as an uncaught exception and end the host.
  #guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      try {
        this.hooks.error(this, error instanceof Error ? error : new Error(String(error)));
      } catch {
        // The error hook itself failed; there is nobody left to tell.
      }
      if (this.#state !== 'closed') this.fail('protocol-error', 'internal error while handling a frame');
    }
  }
}

function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
