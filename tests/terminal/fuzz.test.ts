import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../src/domain/invoice.js';
import { provision } from '../../src/host/provision.js';
import { startTerminal, type RunningTerminal } from '../../src/host/terminal.js';
import { TerminalApi } from '../support/api-client.js';
import { startCloud, tempDir, type CloudProcess } from '../support/processes.js';
import { freePort, LinkProxy } from '../support/proxy.js';
import { eventually, PIN } from '../support/store.js';
import { prng } from '../support/prng.js';

/**
 * Seeded fuzz of a store: three terminals (the real host, in this process, on real sockets), random
 * sales and voids, LAN links cut and healed, terminals stopped and restarted. At the end every
 * terminal holds identical documents and every acknowledged sale, with no number twice.
 * A failing seed is replayed with CAJA_FUZZ_SEED=<seed> and then added to REGRESSION_SEEDS.
 */
const REGRESSION_SEEDS: readonly number[] = [];
const SEEDS = process.env.CAJA_FUZZ_SEED ? [Number(process.env.CAJA_FUZZ_SEED)] : [1, 2, ...REGRESSION_SEEDS];
const STEPS = 60;
const IDS = ['caja-1', 'caja-2', 'caja-3'] as const;
const SKUS = ['BEB-001', 'SNK-004', 'LAC-002', 'FRU-010', 'PLA-003', 'ASE-007'];

let cloud: CloudProcess;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  dir = tempDir('caja-fuzz-');
  cloud = await startCloud(`${dir.path}/cloud.db`);
}, 180_000);

afterAll(async () => {
  await cloud.process.stop();
  dir.remove();
});

interface Node {
  readonly id: string;
  readonly data: string;
  readonly port: number;
  readonly lanPort: number;
  readonly peers: string[];
  running: RunningTerminal | undefined;
  readonly api: TerminalApi;
}

async function runFuzz(seed: number): Promise<string> {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const nodes: Node[] = [];
  for (const id of IDS) {
    const data = `${dir.path}/seed-${seed}/${id}`;
    const result = await provision({
      cloudUrl: cloud.url,
      token: cloud.token,
      storeId: 'demo',
      terminalId: id,
      dataDir: data,
    });
    if (!result.ok) throw new Error(result.message);
    const port = await freePort();
    nodes.push({
      id,
      data,
      port,
      lanPort: await freePort(),
      peers: [],
      running: undefined,
      api: new TerminalApi(`http://127.0.0.1:${port}`),
    });
  }
  const links: LinkProxy[] = [];
  for (const [i, a] of nodes.entries()) {
    for (const b of nodes.slice(i + 1)) {
      const link = new LinkProxy(b.lanPort);
      await link.start();
      links.push(link);
      a.peers.push(`ws://127.0.0.1:${link.port}`);
    }
  }
  const start = async (n: Node) => {
    n.running = await startTerminal({
      dataDir: n.data,
      port: n.port,
      host: '127.0.0.1',
      lanPort: n.lanPort,
      lanHost: '127.0.0.1',
      peers: n.peers,
      // EPI5: the fuzz's cloud answers; its terminals sell as in an outage.
      whenCloudAnswers: 'sell',
    });
    await n.api.login(PIN.marta);
    const shift = await n.api.call('GET', '/api/shifts/current');
    if (shift.status !== 200)
      expect(
        (
          await n.api.call('POST', '/api/shifts/open', {
            openingCash: 0,
            commandId: `fuzz-${seed}-${n.id}-${Date.now()}-turno`,
          })
        ).status,
      ).toBe(201);
  };
  const acknowledged = new Map<string, string>();
  const log: string[] = [];
  try {
    for (const n of nodes) await start(n);
    for (let step = 0; step < STEPS; step += 1) {
      const r = random();
      const n = pick(nodes);
      if (r < 0.55 && n.running) {
        const quantity = 1 + Math.floor(random() * 3);
        const sku = pick(SKUS);
        const res = await n.api.call<{ invoice: Invoice }>('POST', '/api/sales', {
          commandId: `fuzz-${seed}-${step}`,
          lines: [{ sku, quantity: sku.startsWith('FRU') ? quantity / 4 : quantity }],
          payments: [{ method: 'cash', amount: 500_000 }],
        });
        expect(res.status).toBe(201);
        acknowledged.set(res.body.invoice.id, res.body.invoice.number);
        log.push(`${step}: sale ${res.body.invoice.number} on ${n.id}`);
      } else if (r < 0.65 && n.running && acknowledged.size > 0) {
        const id = pick([...acknowledged.keys()]);
        const res = await n.api.call('POST', `/api/invoices/${id}/void`, {
          commandId: `fuzz-${seed}-${step}-void`,
          reason: 'fuzz',
        });
        // The invoice may not have reached this side of a split yet.
        expect([200, 404]).toContain(res.status);
        log.push(`${step}: void ${acknowledged.get(id) ?? ''} on ${n.id} → ${res.status}`);
      } else if (r < 0.8) {
        const link = pick(links);
        if (link.cutNow) link.heal();
        else link.cut();
        log.push(`${step}: link ${links.indexOf(link)} ${link.cutNow ? 'cut' : 'healed'}`);
      } else if (r < 0.9 && n.running) {
        await n.running.close();
        n.running = undefined;
        log.push(`${step}: stop ${n.id}`);
      } else if (!n.running) {
        await start(n);
        log.push(`${step}: start ${n.id}`);
      }
    }
    for (const link of links) link.heal();
    for (const n of nodes) if (!n.running) await start(n);
    await eventually(
      () => {
        const docs = nodes.map((n) => JSON.stringify(n.running?.docs.documentSummaries()));
        for (const d of docs) expect(d).toBe(docs[0]);
        return Promise.resolve();
      },
      30_000,
      200,
    );
    for (const n of nodes) {
      const list = await n.api.call<{ items: { invoice: Invoice }[] }>('GET', '/api/invoices?limit=500');
      const numbers = list.body.items.map((i) => i.invoice.number);
      expect(new Set(numbers).size).toBe(numbers.length);
      for (const number of acknowledged.values()) expect(numbers).toContain(number);
      expect(n.running?.docs.quarantine.size).toBe(0);
    }
    return `seed ${seed}: ${acknowledged.size} sales, ${log.filter((l) => l.includes('stop')).length} stops, ${log.filter((l) => l.includes('cut')).length} cuts`;
  } catch (error) {
    throw new Error(`fuzz seed ${seed} failed: ${String(error)}\n${log.join('\n')}`);
  } finally {
    for (const n of nodes) await n.running?.close();
    for (const link of links) await link.close();
    // automerge-repo saves sync states through a 100 ms throttle that its shutdown does not flush
    // (Repo#saveSyncState): let those last writes land before the directories are removed.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('seeded fuzz of a store', () => {
  it.each(SEEDS)(
    'seed %i: random sales, voids, cut links and restarts end converged with nothing lost',
    async (seed) => {
      console.log(await runFuzz(seed));
    },
    180_000,
  );
});
