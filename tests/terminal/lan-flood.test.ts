import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, startStore, type TestStore, type TestTerminal } from '../support/store.js';
import { setUp } from '../support/upload.js';

/**
 * LAN9 with real processes: 500 unauthenticated sockets from one address on caja-1's LAN port
 * (kept open and reopened for the whole test) do not keep a restarted caja-2, dialing from another
 * address, from coming back; and none of them learns anything about the store.
 */
let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;
const flood = new Set<WebSocket>();
let flooding = true;
const hellos: Record<string, unknown>[] = [];

beforeAll(async () => {
  store = await startStore(['caja-1', 'caja-2']);
  [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
  await setUp(store);
}, 180_000);

afterAll(async () => {
  flooding = false;
  for (const ws of flood) ws.terminate();
  await store.stop();
});

/** One attacking socket from 127.0.0.2, reopened whenever it is closed. */
function attacker(): void {
  if (!flooding) return;
  const ws = new WebSocket(`ws://127.0.0.1:${c1.lanPort}`, { localAddress: '127.0.0.2' });
  flood.add(ws);
  ws.on('message', (data: Buffer) => {
    if (hellos.length < 20) hellos.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    flood.delete(ws);
    setTimeout(attacker, 50);
  });
}

const connected = async (t: TestTerminal, peer: string) => {
  const h = await t.api.call<{ peers: { terminalId: string; connected: boolean }[] }>('GET', '/api/health');
  return h.body.peers.some((p) => p.terminalId === peer && p.connected);
};

describe('500 unauthenticated sockets on the LAN port (LAN9)', () => {
  it('a restarted peer still comes back, and no flooding socket is told who the store is', async () => {
    await eventually(async () => {
      expect(await connected(c1, 'caja-2')).toBe(true);
    }, 30_000);
    for (let i = 0; i < 500; i += 1) attacker();
    await eventually(async () => {
      const h = await c1.api.call<{ network: { handshakesRefused: number } }>('GET', '/api/health');
      expect(h.body.network.handshakesRefused).toBeGreaterThan(400);
    }, 30_000);

    await store.kill(c2, 'SIGKILL');
    await eventually(async () => {
      expect(await connected(c1, 'caja-2')).toBe(false);
    }, 40_000);
    await store.start(c2);
    // From caja-2's LAN endpoint being up to caja-1 seeing it connected.
    const started = performance.now();
    await eventually(async () => {
      expect(await connected(c1, 'caja-2')).toBe(true);
    }, 60_000);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `caja-2 back on caja-1 ${seconds.toFixed(2)} s after its restart, through 500 flooding sockets`,
    );

    // What the flooding sockets were told: a nonce, nothing about the store.
    expect(hellos.length).toBeGreaterThan(0);
    for (const hello of hellos) expect(Object.keys(hello).sort()).toEqual(['nonce', 't', 'v']);
  }, 180_000);
});
