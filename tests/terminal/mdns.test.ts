import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthAnswer } from '../../src/contract/host-api.js';
import { provision } from '../../src/host/provision.js';
import { TerminalApi } from '../support/api-client.js';
import {
  canUseNetNamespaces,
  createNetNamespace,
  removeStaleNamespaces,
  type NetNamespace,
} from '../support/netns.js';
import {
  spawnCaja,
  startCloud,
  tempDir,
  waitForLine,
  type CloudProcess,
  type Spawned,
} from '../support/processes.js';
import { commandId, eventually, PIN } from '../support/store.js';

/**
 * Terminals that find each other with no --peer (DSC1–DSC4), as real processes. They run in network
 * namespaces of their own (tests/support/netns.ts): their mDNS stays off the machine's LAN and out
 * of the way of every other test, and this machine's network is left as it was.
 */
const usable = canUseNetNamespaces();

interface NsTerminal {
  readonly id: string;
  readonly process: Spawned;
  readonly api: TerminalApi;
}

const dir = tempDir('caja-mdns-');
const stops: (() => Promise<unknown>)[] = [];
let cloud: CloudProcess;

async function provisioned(terminalId: string): Promise<string> {
  const data = `${dir.path}/${terminalId}`;
  const result = await provision({
    cloudUrl: cloud.url,
    token: cloud.token,
    storeId: 'demo',
    terminalId,
    dataDir: data,
  });
  if (!result.ok) throw new Error(result.message);
  return data;
}

/** `caja terminal` inside `ns`, with mDNS on (the default) and no --peer. */
async function startIn(ns: NetNamespace, terminalId: string, port: number): Promise<NsTerminal> {
  const data = await provisioned(terminalId);
  const p = spawnCaja(
    [
      'terminal',
      '--data',
      data,
      '--host',
      ns.address,
      '--port',
      String(port),
      '--lan-host',
      ns.address,
      '--lan-port',
      String(port + 1000),
      '--when-cloud-answers',
      'sell',
    ],
    { prefix: ns.prefix },
  );
  stops.push(() => p.stop());
  await waitForLine(p, /LAN peers on/, 60_000);
  return { id: terminalId, process: p, api: new TerminalApi(`http://${ns.address}:${port}`) };
}

async function health(t: NsTerminal): Promise<HealthAnswer> {
  const res = await t.api.call<HealthAnswer>('GET', '/api/health');
  expect(res.status).toBe(200);
  return res.body;
}

beforeAll(async () => {
  if (!usable) return;
  removeStaleNamespaces();
  cloud = await startCloud(`${dir.path}/cloud.db`);
  stops.push(() => cloud.process.stop());
}, 60_000);

afterAll(async () => {
  // Processes first: a namespace is only gone once nothing runs in it.
  for (const stop of stops.splice(0).reverse()) await stop();
  dir.remove();
}, 60_000);

describe.skipIf(!usable)('terminals that find each other by mDNS (root only: network namespaces)', () => {
  let ns: NetNamespace;
  beforeAll(() => {
    ns = createNetNamespace(0);
    stops.unshift(() => {
      ns.remove();
      return Promise.resolve();
    });
  });

  it('[DSC1] [DSC2] [DSC3] two terminals started without --peer find each other and sync a sale', async () => {
    const [a, b] = [await startIn(ns, 'caja-1', 5301), await startIn(ns, 'caja-2', 5302)];
    // Each hears the other's announcement (and dials it where the announcement came from).
    await waitForLine(a.process, /mDNS: found a terminal of this store at ws:\/\/\S+:6302/, 30_000);
    await waitForLine(b.process, /mDNS: found a terminal of this store at ws:\/\/\S+:6301/, 30_000);
    // The announcement names neither the store nor the terminal.
    expect(a.process.output()).toMatch(/mDNS: announcing caja-[0-9a-f]{16} on /);

    await a.api.login(PIN.ana);
    await b.api.login(PIN.luis);
    const shift = await a.api.call('POST', '/api/shifts/open', {
      openingCash: 50_000,
      commandId: commandId('turno'),
    });
    expect(shift.status).toBe(201);
    const sale = await a.api.call<{ invoice: { number: string } }>('POST', '/api/sales', {
      commandId: commandId('mdns'),
      lines: [{ sku: 'BEB-001', quantity: 2 }],
      payments: [{ method: 'cash', amount: 100_000 }],
    });
    expect(sale.status).toBe(201);
    const number = sale.body.invoice.number;

    await eventually(async () => {
      const invoices = await b.api.call<{ items: { invoice: { number: string } }[] }>(
        'GET',
        '/api/invoices?limit=50',
      );
      expect(invoices.body.items.map((i) => i.invoice.number)).toContain(number);
    }, 60_000);

    await eventually(async () => {
      for (const [t, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const h = await health(t);
        expect(h.discovery).toEqual({ mdns: 'running', problem: null, discovered: 1 });
        expect(h.peers).toEqual([
          expect.objectContaining({ terminalId: other.id, connected: true, foundBy: 'mdns' }),
        ]);
        expect(h.warnings).not.toContain('mdns-unavailable');
      }
    }, 30_000);
  }, 180_000);

  it('[DSC4] a terminal whose mDNS port is taken keeps running, says so once, and warns in health', async () => {
    const blocked = createNetNamespace(1);
    stops.unshift(() => {
      blocked.remove();
      return Promise.resolve();
    });
    // Port 5353 held without SO_REUSEADDR: multicast-dns's bind fails with EADDRINUSE.
    const hold = "require('node:dgram').createSocket('udp4').bind(5353, () => console.log('holding 5353'))";
    const blocker = spawn(
      blocked.prefix[0] ?? 'ip',
      [...blocked.prefix.slice(1), process.execPath, '-e', hold],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    stops.push(() => {
      blocker.kill('SIGKILL');
      return Promise.resolve();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('the blocker never bound 5353'));
      }, 30_000);
      blocker.stdout.once('data', () => {
        clearTimeout(timer);
        resolve();
      });
    });

    const t = await startIn(blocked, 'caja-3', 5303);
    await waitForLine(t.process, /mDNS unavailable \(.*EADDRINUSE/, 30_000);
    const h = await health(t);
    expect(h.discovery.mdns).toBe('failed');
    expect(h.discovery.problem).toMatch(/EADDRINUSE/);
    expect(h.warnings).toContain('mdns-unavailable');
    expect(t.process.output().match(/mDNS unavailable/g)).toHaveLength(1);
    expect(t.process.output()).not.toContain('mDNS: announcing');
    expect(t.process.child.exitCode).toBeNull();
  }, 120_000);
});
