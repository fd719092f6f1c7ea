import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ImmutableString } from '@automerge/automerge';
import { Repo } from '@automerge/automerge-repo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { deriveDocumentId } from '../../src/crdt/documents/doc-ids.js';
import { CATALOG_DOC_NAME, productBucket } from '../../src/crdt/documents/catalog-doc.js';
import { FLOOR_DOC_NAME } from '../../src/crdt/documents/floor-doc.js';
import { journalDocName } from '../../src/crdt/documents/journal-doc.js';
import { STORE_DOC_NAME } from '../../src/crdt/documents/store-doc.js';
import { LanNetworkAdapter, terminalPeerId } from '../../src/crdt/lan/lan-network.js';
import { decodeLanKey } from '../../src/security/lan-key.js';
import { terminalConfigSchema } from '../../src/host/terminal-config.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';

let store: TestStore;
let c1: TestTerminal;
let lanKey: Uint8Array;
const adapters: LanNetworkAdapter[] = [];
const repos: Repo[] = [];

beforeAll(async () => {
  store = await startStore(['caja-1', 'caja-2']);
  c1 = store.terminals[0] as TestTerminal;
  await c1.api.login(PIN.marta);
  expect(
    (await c1.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') })).status,
  ).toBe(201);
  for (let i = 0; i < 3; i += 1) {
    const res = await c1.api.call('POST', '/api/sales', {
      commandId: commandId('untrusted'),
      lines: [{ sku: 'BEB-003', quantity: 1 }],
      payments: [{ method: 'cash', amount: 20_000 }],
    });
    expect(res.status).toBe(201);
  }
  const config = terminalConfigSchema.parse(JSON.parse(readFileSync(`${c1.data}/terminal.json`, 'utf8')));
  lanKey = decodeLanKey(config.provisioning.lanKey);
}, 180_000);

afterAll(async () => {
  for (const r of repos) await r.shutdown().catch(() => undefined);
  for (const a of adapters) await a.close().catch(() => undefined);
  await store.stop();
});

function peerRepo(terminalId: string, key: Uint8Array): { repo: Repo; adapter: LanNetworkAdapter } {
  const adapter = new LanNetworkAdapter({
    storeId: 'demo',
    terminalId,
    lanKey: key,
    peers: [`ws://127.0.0.1:${c1.lanPort}`],
    backoff: { initialMs: 100, maxMs: 500 },
  });
  const repo = new Repo({
    network: [adapter],
    peerId: terminalPeerId('demo', terminalId),
    sharePolicy: () => Promise.resolve(true),
  });
  adapters.push(adapter);
  repos.push(repo);
  return { repo, adapter };
}

const health = () =>
  c1.api.call<{
    status: string;
    quarantined: { count: number; items: { document: string; path: string; reason: string }[] };
    network: Record<string, number>;
    invoices: { total: number };
    catalog: { products: number };
  }>('GET', '/api/health');

describe('untrusted peers on the LAN', () => {
  it('a peer with the wrong key learns nothing and the host keeps serving', async () => {
    const { repo, adapter } = peerRepo('caja-3', new Uint8Array(randomBytes(32)));
    await adapter.start();
    const storeDoc = deriveDocumentId(lanKey, 'demo', STORE_DOC_NAME);
    const found = await Promise.race([
      repo.find(storeDoc).then(
        () => 'found',
        () => 'unavailable',
      ),
      new Promise((r) => {
        setTimeout(() => {
          r('nothing');
        }, 3000);
      }),
    ]);
    expect(found).not.toBe('found');
    await eventually(async () => {
      expect((await health()).body.network.authFailures).toBeGreaterThan(0);
    });
    expect(adapter.peerStatus().some((p) => p.connected)).toBe(false);
    await adapter.close();
    expect((await health()).status).toBe(200);
  });

  it('malformed frames before the handshake are cut off; the host stays up', async () => {
    for (const frame of [
      'not json',
      Buffer.from([0xde, 0xad, 0xbe, 0xef]),
      JSON.stringify({ t: 'auth', v: 1 }),
      'x'.repeat(10_000),
    ]) {
      const code = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${c1.lanPort}`);
        ws.on('open', () => {
          ws.send(frame);
        });
        ws.on('close', (c) => {
          resolve(c);
        });
        ws.on('error', () => undefined);
      });
      expect(code).not.toBe(1000);
    }
    expect((await health()).status).toBe(200);
  });

  it('documents that break the schema are quarantined, visible in health, and the valid data beside them stays', async () => {
    const before = await health();
    // A peer holding the key (a buggy or newer terminal) writes garbage into the shared documents.
    const { repo, adapter } = peerRepo('caja-3', lanKey);
    await adapter.start();
    const journal = await repo.find<Record<string, Record<string, Record<string, unknown>>>>(
      deriveDocumentId(lanKey, 'demo', journalDocName('caja-1', 0)),
    );
    const catalog = await repo.find<Record<string, Record<string, Record<string, unknown>>>>(
      deriveDocumentId(lanKey, 'demo', CATALOG_DOC_NAME),
    );
    const storeDoc = await repo.find<Record<string, Record<string, unknown>>>(
      deriveDocumentId(lanKey, 'demo', STORE_DOC_NAME),
    );
    const floor = await repo.find<Record<string, unknown>>(deriveDocumentId(lanKey, 'demo', FLOOR_DOC_NAME));
    journal.change((d) => {
      const bucket = d.entries?.b1;
      if (bucket) {
        bucket['000000101'] = new ImmutableString('{"kind":"invoice","seq":101,"terminalId":"caja-1"}');
        bucket['000000102'] = new ImmutableString('not json at all');
        bucket['000000103'] = 42;
      }
    });
    catalog.change((d) => {
      const bucket = d.products?.[productBucket('ZZZ-999')];
      if (bucket) bucket['ZZZ-999'] = new ImmutableString('{"sku":"ZZZ-999","price":-5}');
    });
    storeDoc.change((d) => {
      if (d.terminals) d.terminals['caja-9'] = new ImmutableString('{}');
    });
    floor.change((d) => {
      d.schemaVersion = 99;
    });
    const after = await eventually(async () => {
      const h = await health();
      expect(h.body.quarantined.count).toBeGreaterThanOrEqual(before.body.quarantined.count + 6);
      return h;
    }, 15_000);
    const reasons = after.body.quarantined.items.map((i) => `${i.document}:${i.reason}`);
    expect(reasons).toContain('floor:newer-schema:99');
    expect(reasons.some((r) => r.startsWith('journal/caja-1/0:'))).toBe(true);
    // The valid data beside the garbage is all still there, and the host still sells.
    expect(after.body.invoices.total).toBe(before.body.invoices.total);
    expect(after.body.catalog.products).toBe(before.body.catalog.products);
    const sale = await c1.api.call('POST', '/api/sales', {
      commandId: commandId('after-garbage'),
      lines: [{ sku: 'BEB-003', quantity: 1 }],
      payments: [{ method: 'cash', amount: 20_000 }],
    });
    expect(sale.status).toBe(201);
    // caja-2 received the same garbage from caja-1 and stays up too.
    const c2 = store.terminals[1] as TestTerminal;
    await eventually(async () => {
      const h2 = await c2.api.call<{ quarantined: { count: number } }>('GET', '/api/health');
      expect(h2.body.quarantined.count).toBeGreaterThan(0);
    }, 15_000);
  });
});
