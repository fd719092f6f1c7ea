import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as A from '@automerge/automerge';
import {
  NetworkAdapter,
  Repo,
  type Message,
  type PeerId,
  type PeerMetadata,
} from '@automerge/automerge-repo';
import { runNetworkAdapterTests } from '@automerge/automerge-repo/helpers/tests/network-adapter-tests.js';
import { encode } from 'cbor-x';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { backoffDelay } from '../../src/crdt/lan/lan-dialer.js';
import {
  LanNetworkAdapter,
  parseTerminalPeerId,
  terminalPeerId,
  type LanEvent,
} from '../../src/crdt/lan/lan-network.js';
import {
  handshakeMac,
  helloSchema,
  verifyHandshakeMac,
  welcomeSchema,
  type HandshakeTranscript,
} from '../../src/crdt/lan/lan-handshake.js';

const STORE = 'tienda-1';
const KEY = new Uint8Array(32).fill(7);
const WRONG_KEY = new Uint8Array(32).fill(9);
const FAST = { initialMs: 50, maxMs: 400 };
type Doc = Record<string, string>;

// Anything a peer sends must never reach these: they end a real host process.
const processErrors: unknown[] = [];
const onProcessError = (error: unknown): void => {
  processErrors.push(error);
};
beforeAll(() => {
  process.on('unhandledRejection', onProcessError);
  process.on('uncaughtException', onProcessError);
});
afterAll(() => {
  process.off('unhandledRejection', onProcessError);
  process.off('uncaughtException', onProcessError);
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  expect(processErrors).toEqual([]);
});

interface Terminal {
  readonly adapter: LanNetworkAdapter;
  readonly repo: Repo;
  readonly url: string;
  readonly events: LanEvent[];
  readonly candidates: PeerId[];
}

interface TerminalSetup {
  readonly listen?: boolean;
  readonly port?: number;
  readonly peers?: string[];
  readonly key?: Uint8Array;
  readonly handshakeTimeoutMs?: number;
  readonly keepaliveMs?: number;
}

async function startTerminal(terminalId: string, setup: TerminalSetup = {}): Promise<Terminal> {
  const events: LanEvent[] = [];
  const adapter = new LanNetworkAdapter({
    storeId: STORE,
    terminalId,
    lanKey: setup.key ?? KEY,
    ...(setup.listen === false ? {} : { listen: { host: '127.0.0.1', port: setup.port ?? 0 } }),
    peers: setup.peers ?? [],
    backoff: FAST,
    handshakeTimeoutMs: setup.handshakeTimeoutMs ?? 2000,
    ...(setup.keepaliveMs === undefined ? {} : { keepaliveMs: setup.keepaliveMs }),
    log: (event) => events.push(event),
  });
  const { port } = await adapter.start();
  const candidates: PeerId[] = [];
  adapter.on('peer-candidate', ({ peerId }) => candidates.push(peerId));
  const repo = new Repo({
    network: [adapter],
    peerId: terminalPeerId(STORE, terminalId),
    sharePolicy: () => Promise.resolve(true),
  });
  cleanups.push(async () => {
    await repo.shutdown();
    await adapter.close();
  });
  return { adapter, repo, url: port === undefined ? '' : `ws://127.0.0.1:${port}`, events, candidates };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

/** Fails fast instead of at the test timeout when an expected close never comes. */
async function within<T>(promise: Promise<T>, what: string, timeoutMs = 3000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function connectedTo(terminal: Terminal, terminalId: string): boolean {
  return terminal.adapter.peerStatus().some((s) => s.terminalId === terminalId && s.connected);
}

/** A hand-driven client, to send what a real adapter never would. */
interface RawClient {
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  next(): Promise<Buffer>;
}

function rawConnect(url: string): Promise<RawClient> {
  const socket = new WebSocket(url);
  const queue: Buffer[] = [];
  const waiters: ((frame: Buffer) => void)[] = [];
  socket.on('message', (data: Buffer) => {
    const waiter = waiters.shift();
    if (waiter) waiter(data);
    else queue.push(data);
  });
  socket.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
    });
  });
  const next = () =>
    new Promise<Buffer>((resolve) => {
      const frame = queue.shift();
      if (frame) resolve(frame);
      else waiters.push(resolve);
    });
  cleanups.push(() => {
    socket.terminate();
    return Promise.resolve();
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      resolve({ socket, closed, next });
    });
    socket.once('error', reject);
  });
}

/** Completes a correct handshake (v2) as `terminalId`; resolves with the server's peer id. */
async function rawHandshake(url: string, terminalId: string): Promise<RawClient & { server: PeerId }> {
  const client = await rawConnect(url);
  const hello = helloSchema.parse(JSON.parse((await client.next()).toString()));
  const transcript = {
    store: STORE,
    serverTerminal: '',
    clientTerminal: terminalId,
    serverNonce: hello.nonce,
    clientNonce: randomBytes(32).toString('base64url'),
  };
  client.socket.send(
    JSON.stringify({
      t: 'auth',
      v: 2,
      nonce: transcript.clientNonce,
      mac: handshakeMac(KEY, 'auth', transcript),
    }),
  );
  const welcome = welcomeSchema.parse(JSON.parse((await client.next()).toString()));
  transcript.serverTerminal = welcome.terminal;
  expect(verifyHandshakeMac(KEY, 'welcome', transcript, welcome.mac)).toBe(true);
  client.socket.send(
    JSON.stringify({
      t: 'ident',
      v: 2,
      terminal: terminalId,
      peerMetadata: {},
      time: Date.now(),
      mac: handshakeMac(KEY, 'ident', transcript),
    }),
  );
  expect(JSON.parse((await client.next()).toString())).toEqual({ t: 'ready', v: 2 });
  return { ...client, server: terminalPeerId(STORE, welcome.terminal) };
}

/** A sync message that decodes but whose change chunk does not parse. */
function corruptSyncMessage(): Uint8Array {
  let source = A.change(A.init<Doc>(), (d) => {
    d.text = 'tamal '.repeat(20);
  });
  let [sourceState, target, targetState] = [A.initSyncState(), A.init<Doc>(), A.initSyncState()];
  let message: Uint8Array | null;
  // Only after learning what the target lacks does the source send its changes.
  [sourceState, message] = A.generateSyncMessage(source, sourceState);
  if (message) [target, targetState] = A.receiveSyncMessage(target, targetState, message);
  [, message] = A.generateSyncMessage(target, targetState);
  if (message) [source, sourceState] = A.receiveSyncMessage(source, sourceState, message);
  [, message] = A.generateSyncMessage(source, sourceState);
  if (!message) throw new Error('no sync message with changes');
  for (let i = 0; i < message.length; i++) {
    const bad = message.slice();
    bad[i] = (bad[i] ?? 0) ^ 0x55;
    try {
      A.decodeSyncMessage(bad);
    } catch {
      continue;
    }
    try {
      A.receiveSyncMessage(A.init(), A.initSyncState(), bad);
    } catch {
      return bad;
    }
  }
  throw new Error('found no decodable corruption');
}

async function expectSynced(from: Terminal, to: Terminal, key: string): Promise<void> {
  const source = from.repo.create<Doc>({ created: key });
  const copy = await to.repo.find<Doc>(source.url);
  expect(copy.doc().created).toBe(key);
  source.change((d) => {
    d.later = key;
  });
  await waitFor(`${key} change to arrive`, () => copy.doc().later === key);
}

describe('LAN protocol pieces', () => {
  it('[LAN0] peer ids are store/terminal and parse back; anything else is refused', () => {
    expect(terminalPeerId('tienda-1', 'caja-2')).toBe('tienda-1/caja-2');
    expect(parseTerminalPeerId('tienda-1/caja-2')).toEqual({
      ok: true,
      value: { storeId: 'tienda-1', terminalId: 'caja-2' },
    });
    for (const bad of ['tienda-1', 'a/b/c', 'Tienda/caja', 'tienda/caja|x', '/caja']) {
      expect(parseTerminalPeerId(bad).ok).toBe(false);
    }
    expect(() => terminalPeerId('tienda|1', 'caja')).toThrow();
  });

  it('[LAN0] the MAC inputs are the documented transcripts, with the role first and only the names said so far', () => {
    const t: HandshakeTranscript = {
      store: 's',
      serverTerminal: 'caja-1',
      clientTerminal: 'caja-2',
      serverNonce: 'sn',
      clientNonce: 'cn',
    };
    const mac = (input: string) => createHmac('sha256', KEY).update(input).digest('base64url');
    expect(handshakeMac(KEY, 'auth', t)).toBe(mac('caja-lan-v2|auth|s|sn|cn'));
    expect(handshakeMac(KEY, 'welcome', t)).toBe(mac('caja-lan-v2|welcome|s|caja-1|sn|cn'));
    expect(handshakeMac(KEY, 'ident', t)).toBe(mac('caja-lan-v2|ident|s|caja-1|caja-2|sn|cn'));
    const auth = handshakeMac(KEY, 'auth', t);
    expect(verifyHandshakeMac(KEY, 'auth', t, auth)).toBe(true);
    expect(verifyHandshakeMac(KEY, 'welcome', t, auth)).toBe(false);
    expect(verifyHandshakeMac(WRONG_KEY, 'auth', t, auth)).toBe(false);
    expect(verifyHandshakeMac(KEY, 'auth', { ...t, store: 'other' }, auth)).toBe(false);
    expect(verifyHandshakeMac(KEY, 'auth', t, 'short')).toBe(false);
  });

  it('[LAN9] before the client proves the key, the server says nothing about itself', async () => {
    const a = await startTerminal('caja-1');
    const client = await rawConnect(a.url);
    const hello = JSON.parse((await client.next()).toString()) as Record<string, unknown>;
    expect(Object.keys(hello).sort()).toEqual(['nonce', 't', 'v']);
    // A wrong proof gets a close, never the welcome that names the terminal.
    client.socket.send(JSON.stringify({ t: 'auth', v: 2, nonce: 'n'.repeat(43), mac: 'm'.repeat(43) }));
    expect(await within(client.closed, 'close')).toEqual({ code: 4001, reason: 'auth-failed' });
  });

  it('[LAN9] one address holding many unauthenticated sockets never keeps a terminal from another out', async () => {
    const a = await startTerminal('caja-1', { handshakeTimeoutMs: 20_000 });
    const codes: number[] = [];
    const flood = Array.from({ length: 40 }, () => {
      const ws = new WebSocket(a.url, { localAddress: '127.0.0.2' });
      ws.on('error', () => undefined);
      cleanups.push(() => {
        ws.terminate();
        return Promise.resolve();
      });
      return new Promise<void>((resolve) => {
        ws.once('close', (code) => {
          codes.push(code);
          resolve();
        });
        ws.once('message', () => {
          resolve();
        });
      });
    });
    await within(Promise.all(flood), 'the flood settled');
    // Four are held (they got a hello), every other one was refused at once.
    expect(codes.filter((c) => c === 1013)).toHaveLength(36);
    expect(a.adapter.stats().handshakesRefused).toBe(36);
    const b = await startTerminal('caja-2', { listen: false, peers: [a.url] });
    await expectSynced(a, b, 'through-the-flood');
  });

  it("[CLK2] each side learns the other one's clock skew at the handshake", async () => {
    const a = await startTerminal('caja-1');
    await rawHandshake(a.url, 'caja-2');
    await waitFor('the peer to be connected', () => connectedTo(a, 'caja-2'));
    const skew = a.adapter.peerStatus()[0]?.clockSkewMs ?? Number.NaN;
    expect(Math.abs(skew)).toBeLessThan(5_000);
  });

  it('[LAN0] backoff is full jitter under an exponential ceiling capped at maxMs', () => {
    const backoff = { initialMs: 250, maxMs: 10_000 };
    expect([0, 1, 2, 3, 6, 40].map((attempt) => backoffDelay(backoff, attempt, () => 0.999))).toEqual([
      249, 499, 999, 1998, 9990, 9990,
    ]);
    expect(backoffDelay(backoff, 5, () => 0)).toBe(0);
  });
});

describe('LanNetworkAdapter', () => {
  it('[LAN1] two terminals with the same key sync a document and its later changes', async () => {
    const a = await startTerminal('caja-1');
    const b = await startTerminal('caja-2', { listen: false, peers: [a.url] });
    await expectSynced(a, b, 'one');
    expect(a.candidates).toEqual([terminalPeerId(STORE, 'caja-2')]);
    expect(b.adapter.peerStatus()).toEqual([
      expect.objectContaining({ terminalId: 'caja-1', url: `${a.url}/`, connected: true, direction: 'out' }),
    ]);
  });

  it('[LAN2] three terminals in a chain converge on a document changed on all three', async () => {
    const a = await startTerminal('caja-1');
    const b = await startTerminal('caja-2', { peers: [a.url] });
    const c = await startTerminal('caja-3', { listen: false, peers: [b.url] });
    const onA = a.repo.create<Doc>({});
    const onC = await c.repo.find<Doc>(onA.url);
    const onB = await b.repo.find<Doc>(onA.url);
    for (const [handle, name] of [
      [onA, 'a'],
      [onB, 'b'],
      [onC, 'c'],
    ] as const) {
      handle.change((d) => {
        d[name] = name;
      });
    }
    const complete = (doc: Doc) => doc.a === 'a' && doc.b === 'b' && doc.c === 'c';
    await waitFor('all three changes everywhere', () => [onA, onB, onC].every((h) => complete(h.doc())));
    expect(A.getHeads(onA.doc())).toEqual(A.getHeads(onC.doc()));
  });

  it('[LAN3] a peer with a wrong key gets nothing, and the server keeps serving others', async () => {
    const a = await startTerminal('caja-1');
    const secret = a.repo.create<Doc>({ secret: 'ventas' });
    const intruder = await startTerminal('caja-9', { listen: false, peers: [a.url], key: WRONG_KEY });
    await expect(intruder.repo.find<Doc>(secret.url)).rejects.toThrow(/unavailable/);
    await waitFor('an auth failure', () => a.adapter.stats().authFailures > 0);
    expect(a.candidates).toEqual([]);
    expect(intruder.candidates).toEqual([]);
    expect(intruder.adapter.peerStatus()[0]).toMatchObject({ connected: false, lastError: 'auth-failed' });
    const b = await startTerminal('caja-2', { listen: false, peers: [a.url] });
    const copy = await b.repo.find<Doc>(secret.url);
    expect(copy.doc().secret).toBe('ventas');
    expect(a.candidates).toEqual([terminalPeerId(STORE, 'caja-2')]);
  });

  it('[LAN3] a client does not accept a server that cannot prove it has the key', async () => {
    const fake = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(
      () =>
        new Promise((resolve) => {
          fake.close(resolve);
        }),
    );
    fake.on('connection', (socket) => {
      socket.send(JSON.stringify({ t: 'hello', v: 2, nonce: 'n'.repeat(43) }));
      socket.on('message', () => {
        socket.send(
          JSON.stringify({
            t: 'welcome',
            v: 2,
            terminal: 'caja-1',
            peerMetadata: {},
            time: Date.now(),
            mac: 'm'.repeat(43),
          }),
        );
      });
    });
    await new Promise((resolve) => fake.once('listening', resolve));
    const port = (fake.address() as AddressInfo).port;
    const b = await startTerminal('caja-2', { listen: false, peers: [`ws://127.0.0.1:${port}`] });
    await waitFor('the client to reject the server', () => b.adapter.stats().authFailures > 0);
    expect(b.candidates).toEqual([]);
  });

  it('[LAN4] an authenticated peer sending invalid frames is cut off with 4002; the host survives', async () => {
    const a = await startTerminal('caja-1');
    const doc = a.repo.create<Doc>({ x: 'y' });
    const validSync = A.generateSyncMessage(A.init(), A.initSyncState())[1];
    if (!validSync) throw new Error('automerge produced no sync message');
    const self = terminalPeerId(STORE, 'intruso');
    const request = (fields: Record<string, unknown>) =>
      encode({ type: 'request', documentId: doc.documentId, data: validSync, senderId: self, ...fields });
    const badFrames: [string, (server: PeerId) => Buffer | string][] = [
      ['garbage bytes', () => Buffer.from([0xff, 0x00, 0x13, 0x37])],
      ['CBOR that is not a message', () => encode([1, 2, 3])],
      ['unknown type', (server) => request({ type: 'join', targetId: server })],
      [
        'spoofed senderId',
        (server) => request({ senderId: terminalPeerId(STORE, 'caja-2'), targetId: server }),
      ],
      ['wrong targetId', () => request({ targetId: terminalPeerId(STORE, 'caja-7') })],
      ['invalid documentId', (server) => request({ documentId: 'not-base58!', targetId: server })],
      [
        'data that is not a sync message',
        (server) => request({ data: Buffer.from('junk'), targetId: server }),
      ],
      ['a text frame', () => 'hola'],
    ];
    for (const [label, frame] of badFrames) {
      const client = await rawHandshake(a.url, 'intruso');
      client.socket.send(frame(client.server));
      const { code, reason } = await within(client.closed, `${label}: close`);
      expect({ label, code, reason }).toEqual({ label, code: 4002, reason: 'protocol-error' });
    }
    expect(a.adapter.stats().protocolErrors).toBe(badFrames.length);

    // A listener that throws while handling a valid frame stands for a Repo that chokes on it.
    const choke = () => {
      throw new Error('choked');
    };
    a.adapter.on('message', choke);
    const choking = await rawHandshake(a.url, 'intruso');
    choking.socket.send(request({ targetId: choking.server }));
    expect(await within(choking.closed, 'choked close')).toEqual({ code: 4002, reason: 'protocol-error' });
    a.adapter.off('message', choke);

    // Corrupt changes inside a well-formed sync message only fail deep in the Repo's async
    // handling, which catches and logs them: the host must survive and the document stay intact.
    const corrupt = await rawHandshake(a.url, 'intruso');
    corrupt.socket.send(
      encode({
        type: 'sync',
        documentId: doc.documentId,
        data: corruptSyncMessage(),
        senderId: self,
        targetId: corrupt.server,
      }),
    );
    await pause(200);
    expect(doc.doc()).toEqual({ x: 'y' });

    const b = await startTerminal('caja-2', { listen: false, peers: [a.url] });
    await expectSynced(a, b, 'after-garbage');
  });

  it('[LAN5] a client sending anything but a valid auth before the handshake is disconnected', async () => {
    const a = await startTerminal('caja-1', { handshakeTimeoutMs: 300 });
    const auth = (fields: Record<string, unknown>) =>
      JSON.stringify({ t: 'auth', v: 2, nonce: 'n'.repeat(43), mac: 'm'.repeat(43), ...fields });
    /** A correct proof of the key made for store `store`, from this hello. */
    const proof = (hello: Buffer, store: string) => {
      const nonce = helloSchema.parse(JSON.parse(hello.toString())).nonce;
      const t = {
        store,
        serverTerminal: '',
        clientTerminal: '',
        serverNonce: nonce,
        clientNonce: 'c'.repeat(43),
      };
      return auth({ nonce: t.clientNonce, mac: handshakeMac(KEY, 'auth', t) });
    };
    const cases: [string, string | Buffer | ((hello: Buffer) => string) | undefined, number[]][] = [
      ['not JSON', 'hola', [4002]],
      ['oversized text', JSON.stringify({ t: 'auth', pad: 'x'.repeat(5000) }), [4002]],
      ['1 MiB binary', Buffer.alloc(1024 * 1024), [4002, 1006]],
      ['binary', Buffer.from([1, 2, 3]), [4002]],
      ['the wrong message', JSON.stringify({ t: 'welcome', v: 2, mac: 'm'.repeat(43) }), [4002]],
      ['another version', JSON.stringify({ t: 'auth', v: 1 }), [4005]],
      ['a proof made for another store', (hello) => proof(hello, 'tienda-2'), [4001]],
      ['a bad MAC', auth({}), [4001]],
      ['silence', undefined, [4000]],
    ];
    for (const [label, frame, codes] of cases) {
      const client = await rawConnect(a.url);
      const hello = await client.next();
      if (frame !== undefined) client.socket.send(typeof frame === 'function' ? frame(hello) : frame);
      const { code } = await within(client.closed, `${label}: close`);
      expect({ label, code: codes.includes(code) }).toEqual({ label, code: true });
    }
    // A right proof followed by an identity that claims the server's own terminal id.
    const impostor = await rawConnect(a.url);
    impostor.socket.send(proof(await impostor.next(), STORE));
    const welcome = welcomeSchema.parse(JSON.parse((await impostor.next()).toString()));
    impostor.socket.send(
      JSON.stringify({
        t: 'ident',
        v: 2,
        terminal: welcome.terminal,
        peerMetadata: {},
        time: Date.now(),
        mac: 'm'.repeat(43),
      }),
    );
    expect((await within(impostor.closed, 'impostor close')).code).toBe(4001);
    expect(a.adapter.stats()).toMatchObject({ authFailures: 3, protocolErrors: 0, handshakeFailures: 7 });
    expect(a.candidates).toEqual([]);
    const b = await startTerminal('caja-2', { listen: false, peers: [a.url] });
    await expectSynced(a, b, 'after-noise');
  });

  it.each([
    ['both configured at boot', false],
    ['one added at run time', true],
  ])('[LAN6] terminals that dial each other keep exactly one connection (%s)', async (_label, atRunTime) => {
    const [portA, portB] = [await freePort(), await freePort()];
    const [urlA, urlB] = [`ws://127.0.0.1:${portA}`, `ws://127.0.0.1:${portB}`];
    const a = await startTerminal('caja-1', { port: portA, peers: atRunTime ? [] : [urlB] });
    const b = await startTerminal('caja-2', { port: portB, peers: [urlA] });
    // As mDNS will: caja-1's dial then arrives second and must replace caja-2's.
    if (atRunTime) a.adapter.addPeer(urlB);
    await waitFor('both connected', () => connectedTo(a, 'caja-2') && connectedTo(b, 'caja-1'));
    await pause(500);
    const attempts = () => a.adapter.stats().dialAttempts + b.adapter.stats().dialAttempts;
    const before = attempts();
    await pause(2000);
    expect(attempts() - before).toBeLessThanOrEqual(1);
    expect([a.adapter.stats().connections, b.adapter.stats().connections]).toEqual([1, 1]);
    // The lower terminal id's dial is the one both sides keep.
    expect(a.adapter.peerStatus()).toEqual([
      expect.objectContaining({ terminalId: 'caja-2', direction: 'out' }),
    ]);
    expect(b.adapter.peerStatus()).toEqual([
      expect.objectContaining({ terminalId: 'caja-1', direction: 'in' }),
    ]);
    expect(a.adapter.stats().duplicateConnections + b.adapter.stats().duplicateConnections).toBeGreaterThan(
      0,
    );
    expect(a.candidates.length + b.candidates.length).toBeLessThanOrEqual(4);
    await expectSynced(b, a, 'both-dial');
  });

  it('[LAN8] a peer that stops answering pings is dropped; lastSeenAt says when it was last heard', async () => {
    const a = await startTerminal('caja-1', { keepaliveMs: 100 });
    const client = await rawHandshake(a.url, 'caja-2');
    await waitFor('the peer to be connected', () => connectedTo(a, 'caja-2'));
    // A paused socket reads nothing, so it answers no ping: a peer whose host froze or vanished.
    client.socket.pause();
    await waitFor('the peer to be dropped', () => !connectedTo(a, 'caja-2'));
    expect(a.events.some((e) => e.type === 'keepalive-timeout')).toBe(true);
    const [status] = a.adapter.peerStatus();
    expect(status).toMatchObject({ terminalId: 'caja-2', connected: false });
    expect(status?.lastSeenAt).toBeLessThanOrEqual(Date.now());
  });

  it('[LAN7] a restarted peer on the same port is redialed with backoff and sync resumes', async () => {
    const b1 = await startTerminal('caja-2');
    const port = Number(new URL(b1.url).port);
    const a = await startTerminal('caja-1', { listen: false, peers: [b1.url] });
    // A terminal that only listens is ready at once: it cannot know who will dial it.
    await waitFor('the first connection', () => connectedTo(b1, 'caja-1'));
    await expectSynced(a, b1, 'before-restart');
    await b1.repo.shutdown();
    await b1.adapter.close();
    await waitFor('the drop to be seen', () => !connectedTo(a, 'caja-2'));
    const attempts = a.adapter.stats().dialAttempts;
    await pause(600);
    expect(a.adapter.stats().dialAttempts).toBeGreaterThan(attempts);
    const b2 = await startTerminal('caja-2', { port });
    await waitFor('the redial', () => connectedTo(a, 'caja-2') && connectedTo(b2, 'caja-1'));
    await expectSynced(a, b2, 'after-restart');
  });

  it('[LAN7] refused ports, a 401 at the upgrade and an unknown host are retried, never thrown', async () => {
    const refused = await freePort();
    const http401 = createServer((_req, res) => res.writeHead(401).end());
    http401.on('upgrade', (_req, socket) => {
      // An upgraded socket has no error listener of its own: the dialer resetting it after the 401
      // must not end this test process (it is this fake server's socket, not the terminal's).
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
    });
    const port401 = await listen(http401);
    cleanups.push(() => new Promise((resolve) => http401.close(resolve)));
    const urls = [`ws://127.0.0.1:${refused}`, `ws://127.0.0.1:${port401}`, 'ws://no-such-host.invalid:1'];
    const a = await startTerminal('caja-1', { listen: false, peers: urls });
    await waitFor('several attempts per URL', () => a.adapter.stats().dialAttempts >= 6);
    const status = a.adapter.peerStatus();
    expect(status.map((s) => [s.terminalId, s.url, s.connected])).toEqual(
      urls.map((url) => ['', `${url}/`, false]),
    );
    expect(status[0]?.lastError).toBe('ECONNREFUSED');
    expect(status[1]?.lastError).toMatch(/401/);
  });

  it('[LAN6] a terminal dialing one already connected to it learns who answered and stops dialing', async () => {
    const b = await startTerminal('caja-2');
    const a = await startTerminal('caja-1', { peers: [b.url] });
    await waitFor('connected', () => connectedTo(a, 'caja-2') && connectedTo(b, 'caja-1'));
    // As discovery does once caja-2 hears caja-1: caja-1 keeps its own socket and closes this one
    // before caja-2's handshake is over.
    b.adapter.addPeer(a.url, 'mdns');
    await waitFor(
      'the duplicate closed',
      () => b.adapter.stats().duplicateConnections + a.adapter.stats().duplicateConnections > 0,
    );
    await pause(2000);
    expect(b.adapter.stats().dialAttempts).toBe(1);
    expect(b.adapter.peerStatus()).toEqual([
      expect.objectContaining({
        terminalId: 'caja-1',
        url: `${a.url}/`,
        connected: true,
        direction: 'in',
        foundBy: 'mdns',
      }),
    ]);
  });

  it('[DSC3] each peer says how it was found; a URL removed is never dialed again', async () => {
    const a = await startTerminal('caja-1');
    const b = await startTerminal('caja-2', { listen: false, peers: [a.url] });
    const c = await startTerminal('caja-3', { listen: false });
    c.adapter.addPeer(a.url, 'mdns');
    await waitFor('both connected', () => connectedTo(b, 'caja-1') && connectedTo(c, 'caja-1'));
    expect(b.adapter.peerStatus().map((s) => [s.terminalId, s.foundBy])).toEqual([['caja-1', 'peer-flag']]);
    expect(c.adapter.peerStatus().map((s) => [s.terminalId, s.foundBy])).toEqual([['caja-1', 'mdns']]);
    await waitFor('caja-1 sees both', () => connectedTo(a, 'caja-2') && connectedTo(a, 'caja-3'));
    expect(a.adapter.peerStatus().map((s) => [s.terminalId, s.foundBy])).toEqual([
      ['caja-2', 'inbound'],
      ['caja-3', 'inbound'],
    ]);

    // A discovered terminal that moved: its old URL is dropped and dialed no more.
    const gone = `ws://127.0.0.1:${await freePort()}`;
    c.adapter.addPeer(gone, 'mdns');
    await waitFor('a few attempts at the old URL', () => c.adapter.stats().dialAttempts >= 3);
    c.adapter.removePeer(gone);
    const attempts = c.adapter.stats().dialAttempts;
    await pause(1500);
    expect(c.adapter.stats().dialAttempts).toBe(attempts);
    expect(c.adapter.peerStatus().map((s) => s.url)).toEqual([`${a.url}/`]);
    await expectSynced(a, c, 'after-remove');
  });
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// automerge-repo's own acceptance suite names peers alice, bob, left…; this wrapper runs each as a
// terminal of store "suite" and translates ids at the boundary.
const SUITE_STORE = 'suite';

class SuitePeer extends NetworkAdapter {
  #inner: LanNetworkAdapter | undefined;
  #ready: Promise<void> = new Promise(() => undefined);
  constructor(private readonly mesh: SuiteMesh) {
    super();
  }
  isReady(): boolean {
    return this.#inner?.isReady() ?? false;
  }
  whenReady(): Promise<void> {
    return this.#ready;
  }
  connect(peerId: PeerId, peerMetadata?: PeerMetadata): void {
    this.peerId = peerId;
    const earlier = [...this.mesh.urls];
    const inner = new LanNetworkAdapter({
      storeId: SUITE_STORE,
      terminalId: peerId,
      lanKey: KEY,
      listen: { host: '127.0.0.1', port: 0 },
      backoff: FAST,
    });
    this.#inner = inner;
    this.mesh.adapters.push(inner);
    const published = inner.start().then(({ port }) => `ws://127.0.0.1:${port ?? 0}`);
    this.mesh.urls.push(published);
    const strip = (id: string) => id.slice(SUITE_STORE.length + 1) as PeerId;
    inner.on('peer-candidate', (p) => {
      this.emit('peer-candidate', { ...p, peerId: strip(p.peerId) });
    });
    inner.on('peer-disconnected', (p) => {
      this.emit('peer-disconnected', { peerId: strip(p.peerId) });
    });
    inner.on('message', (m) =>
      this.emit('message', { ...m, senderId: strip(m.senderId), targetId: strip(m.targetId) }),
    );
    this.#ready = (async () => {
      await published;
      for (const url of await Promise.all(earlier)) inner.addPeer(url);
      inner.connect(terminalPeerId(SUITE_STORE, peerId), peerMetadata);
      await inner.whenReady();
    })();
  }
  send(message: Message): void {
    const wrap = (id: string) => terminalPeerId(SUITE_STORE, id);
    this.#inner?.send({ ...message, senderId: wrap(message.senderId), targetId: wrap(message.targetId) });
  }
  disconnect(): void {
    void this.#inner?.close();
    this.#inner = undefined;
  }
}

interface SuiteMesh {
  readonly urls: Promise<string>[];
  readonly adapters: LanNetworkAdapter[];
}

runNetworkAdapterTests(() => {
  const mesh: SuiteMesh = { urls: [], adapters: [] };
  return Promise.resolve({
    adapters: [new SuitePeer(mesh), new SuitePeer(mesh), new SuitePeer(mesh)],
    teardown: () => void Promise.all(mesh.adapters.map((adapter) => adapter.close())),
  });
}, 'LanNetworkAdapter');
