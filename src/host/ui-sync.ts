import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { decodeSyncMessage } from '@automerge/automerge';
import { cbor, type PeerId } from '@automerge/automerge-repo';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { WebSocketServer } from 'ws';
import type { LoopbackGuard } from './api/loopback-guard.js';

/** Peer ids the UI (the browser's in-memory repo) uses: never a terminal's `store/terminal` id. */
export const UI_PEER_PATTERN = /^ui-[A-Za-z0-9-]{1,64}$/;

export function isUiPeer(peerId: PeerId): boolean {
  return UI_PEER_PATTERN.test(peerId);
}

/** What a screen may send: asking for documents and syncing them towards itself, nothing else. */
const SCREEN_MESSAGES = new Set([
  'join',
  'leave',
  'request',
  'sync',
  'doc-unavailable',
  'remote-subscription-change',
  'remote-heads-changed',
]);

/**
 * Does this message try to change a document? A sync (or request) message carries the changes
 * the sender has and we lack — for a screen, which never writes, there are none; anything else is
 * a forgery (UI1: the screen only reads).
 */
function carriesChanges(message: { type?: unknown; data?: unknown }): boolean {
  if (message.type !== 'sync' && message.type !== 'request') return false;
  if (!(message.data instanceof Uint8Array)) return true;
  try {
    return decodeSyncMessage(message.data).changes.length > 0;
  } catch {
    return true;
  }
}

/**
 * The UI's sync socket (`/sync` on the terminal's loopback port). automerge's server adapter
 * trusts the peer id a client joins with; this one binds each socket to the `ui-…` id of its
 * first join, so a page can never pose as a terminal of the store or as another page, and a frame
 * that does not decode, or that the repo chokes on, closes that socket only. The screen only
 * reads: a frame carrying changes closes its socket (4003) and changes nothing — every command
 * goes through the JSON API.
 */
class UiSyncAdapter extends WebSocketServerAdapter {
  private readonly bound = new WeakMap<object, string>();
  /** Screen frames refused for trying to write (health). */
  refusedWrites = 0;

  /**
   * automerge's server adapter is "ready" only once a client connected, and the repo asks peers
   * for a document it does not have only when every adapter is ready: with no page open, journal
   * chunks announced by other terminals would stay loading forever. Serving pages needs no
   * handshake of its own, so the adapter is ready from the start.
   */
  override isReady(): boolean {
    return true;
  }

  override whenReady(): Promise<void> {
    return Promise.resolve();
  }

  override receiveMessage(
    messageBytes: Buffer,
    socket: Parameters<WebSocketServerAdapter['receiveMessage']>[1],
  ): void {
    let message: { type?: unknown; senderId?: unknown; data?: unknown };
    try {
      message = cbor.decode<{ type?: unknown; senderId?: unknown; data?: unknown }>(
        new Uint8Array(messageBytes),
      );
    } catch {
      socket.close(4002, 'protocol-error');
      return;
    }
    if (typeof message.type !== 'string' || !SCREEN_MESSAGES.has(message.type) || carriesChanges(message)) {
      this.refusedWrites += 1;
      socket.close(4003, 'read-only');
      return;
    }
    const sender = typeof message.senderId === 'string' ? message.senderId : '';
    const bound = this.bound.get(socket);
    if (bound === undefined) {
      if (message.type !== 'join' || !UI_PEER_PATTERN.test(sender)) {
        socket.close(4002, 'protocol-error');
        return;
      }
      this.bound.set(socket, sender);
    } else if (sender !== bound) {
      socket.close(4002, 'protocol-error');
      return;
    }
    try {
      super.receiveMessage(messageBytes, socket);
    } catch {
      socket.close(4002, 'protocol-error');
    }
  }
}

export interface UiSync {
  readonly adapter: WebSocketServerAdapter;
  /** Frames from screens that tried to write, refused. */
  refusedWrites(): number;
  /** Handle an HTTP upgrade on the host's server: `/sync?token=…` with a valid session token. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createUiSync(
  isValidToken: (token: string | undefined) => boolean,
  guard?: LoopbackGuard,
): UiSync {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 * 1024 });
  // The adapter's types name `ws` through its CommonJS declarations; it is the same class.
  const adapter = new UiSyncAdapter(
    wss as unknown as ConstructorParameters<typeof WebSocketServerAdapter>[0],
  );
  return {
    adapter,
    refusedWrites: () => adapter.refusedWrites,
    handleUpgrade(request, socket, head) {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== '/sync') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      // A page of another origin (or a rebound host name) never gets the screen's socket.
      if (guard?.check(request.headers, 'UPGRADE')) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      if (!isValidToken(url.searchParams.get('token') ?? undefined)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        ws.on('error', () => undefined);
        wss.emit('connection', ws, request);
      });
    },
    close() {
      return new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => {
          resolve();
        });
      });
    },
  };
}
