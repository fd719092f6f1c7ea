import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { ImmutableString } from '@automerge/automerge';
import { Repo, type PeerId } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { deriveDocumentId } from '../../src/crdt/documents/doc-ids.js';
import { entryPath, journalDocName } from '../../src/crdt/documents/journal-doc.js';
import { type JournalEntry } from '../../src/domain/journal-entry.js';
import { STORE_DOC_NAME } from '../../src/crdt/documents/store-doc.js';
import { writeAcks } from '../../src/crdt/documents/uploads-doc.js';
import { LanNetworkAdapter, terminalPeerId } from '../../src/crdt/lan/lan-network.js';
import { JOURNAL_LOOKAHEAD } from '../../src/crdt/journal-set.js';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import type { Invoice } from '../../src/domain/invoice.js';
import { terminalConfigSchema } from '../../src/host/terminal-config.js';
import { decodeLanKey } from '../../src/security/lan-key.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import { makeInvoice, product } from '../support/invoices.js';
import { eventually, startStore, type TestStore, type TestTerminal } from '../support/store.js';
import { forgedAck, sellMany, setUp, waitForUpload } from '../support/upload.js';

/**
 * SIG1–SIG4, CAP1, UI1, API1: the attacks of issue 11, by real processes. A screen writing through
 * its sync socket, and a peer holding the store's LAN key (but no terminal key the store
 * certified) forging, duplicating, planting and deleting records: nothing it does is taken for a
 * terminal's record, the owner writes its own records back, and the cloud gets only the real ones.
 */
let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;
let lanKey: Uint8Array;
let sold: Invoice[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

type AnyDoc = Record<string, Record<string, Record<string, unknown>>>;

beforeAll(async () => {
  store = await startStore(['caja-1', 'caja-2']);
  [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
  await setUp(store);
  sold = await sellMany(c1, 3);
  await eventually(async () => {
    const res = await c2.api.call<{ total: number }>('GET', '/api/invoices');
    expect(res.body.total).toBe(3);
  }, 30_000);
  // Both terminals hold the same documents at the same heads before anything is forged, so a
  // late sync of caja-2's own journal is not mistaken for a forged change reaching caja-1.
  await eventually(async () => {
    const [h1, h2] = [await documentHeads(c1), await documentHeads(c2)];
    expect(h1.some((d) => d.startsWith('journal/v1/caja-2/0:'))).toBe(true);
    expect(h1).toEqual(h2);
  }, 30_000);
  const config = terminalConfigSchema.parse(JSON.parse(readFileSync(`${c1.data}/terminal.json`, 'utf8')));
  lanKey = decodeLanKey(config.provisioning.lanKey);
}, 180_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await store.stop();
});

interface Health {
  quarantined: {
    count: number;
    items: { document: string; path: string; reason: string }[];
    entries: string[];
  };
  integrity: { restoredEntries: number; screenWritesRefused: number };
  documents: number;
  invoices: { total: number };
}
const health = async (t: TestTerminal) => (await t.api.call<Health>('GET', '/api/health')).body;
const invoiceIds = async (t: TestTerminal) =>
  (await t.api.call<{ items: { invoice: Invoice }[] }>('GET', '/api/invoices?limit=500')).body.items
    .map((i) => i.invoice.id)
    .sort();
const documentHeads = async (t: TestTerminal) =>
  (
    await t.api.call<{ documents: { name: string; heads: string[] }[] }>('GET', '/api/documents')
  ).body.documents
    .map((d) => `${d.name}:${d.heads.join(',')}`)
    .sort();

/** A peer with the store's LAN key, dialing caja-1 directly. */
function rogue(terminalId: string): Repo {
  const adapter = new LanNetworkAdapter({
    storeId: 'demo',
    terminalId,
    lanKey,
    peers: [`ws://127.0.0.1:${c1.lanPort}`],
    backoff: { initialMs: 100, maxMs: 500 },
  });
  const repo = new Repo({
    network: [adapter],
    peerId: terminalPeerId('demo', terminalId),
    sharePolicy: () => Promise.resolve(true),
  });
  cleanups.push(async () => {
    await repo.shutdown();
    await adapter.close();
  });
  return repo;
}

const docId = (name: string) => deriveDocumentId(lanKey, 'demo', name);

function put(handle: { change(fn: (d: AnyDoc) => void): void }, seq: number, value: unknown): void {
  const { bucket, key } = entryPath(seq);
  handle.change((d) => {
    const target = d.entries?.[bucket];
    if (target) target[key] = typeof value === 'string' ? new ImmutableString(value) : value;
  });
}

describe('the screen only reads (UI1) and the API answers only this machine (API1, API2)', () => {
  it('a screen peer writing a forged invoice and a fake acknowledgement through /sync changes nothing', async () => {
    const before = await documentHeads(c1);
    const idsBefore = await invoiceIds(c1);
    const info = (
      await c1.api.call<{ documents: { uploads: string }; journals: Record<string, string> }>(
        'GET',
        '/api/sync-info',
      )
    ).body;
    const url = `ws://127.0.0.1:${c1.port}/sync?token=${encodeURIComponent(c1.api.token ?? '')}`;
    const adapter = new WebSocketClientAdapter(url, 60_000);
    const screen = new Repo({ network: [adapter], peerId: 'ui-evil-screen' as PeerId });
    cleanups.push(async () => {
      await screen.shutdown();
    });
    const journalId = info.journals['caja-1/0'] ?? '';
    const journal = await screen.find<AnyDoc>(journalId as Parameters<Repo['find']>[0]);
    const uploads = await screen.find<AnyDoc>(info.documents.uploads as Parameters<Repo['find']>[0]);
    // The cashier's screen rewrites C12 with a lower total and acknowledges C13 as uploaded.
    const entries = journal.doc().entries ?? {};
    const original = Object.values(entries)
      .flatMap((b) => Object.values(b))
      .map((v) => JSON.parse((v as { val: string }).val) as JournalEntry)
      .find((e) => e.seq === 2);
    if (original?.kind !== 'invoice') throw new Error('no C12 on the screen');
    put(journal, 2, canonicalJson({ ...original, invoice: { ...original.invoice, total: 1 } }));
    const target = sold[2];
    if (!target) throw new Error('no third sale');
    uploads.change((d) => {
      writeAcks(d, [forgedAck(target, 'caja-1')]);
    });
    await eventually(async () => {
      expect((await health(c1)).integrity.screenWritesRefused).toBeGreaterThan(0);
    }, 20_000);
    // Nothing of it reached the host or the other terminal.
    expect(await documentHeads(c1)).toEqual(before);
    expect(await invoiceIds(c1)).toEqual(idsBefore);
    const pending = await c2.api.call<{ invoices: { pendingUpload: number } }>('GET', '/api/health');
    expect(pending.body.invoices.pendingUpload).toBe(3);
  }, 60_000);

  it('a page of another origin gets no screen socket and no command; a rebound host name gets nothing', async () => {
    const evilSocket = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${c1.port}/sync?token=${c1.api.token ?? ''}`, {
        origin: 'http://evil.example',
      });
      ws.on('unexpected-response', (_req, res) => {
        resolve(String(res.statusCode));
        ws.terminate();
      });
      ws.on('open', () => {
        resolve('open');
        ws.close();
      });
      ws.on('error', () => undefined);
    });
    expect(evilSocket).toBe('403');
    const raw = (method: string, path: string, headers: Record<string, string>, body?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: c1.port, method, path, headers }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: text });
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    const rebound = await raw('GET', '/api/health', { host: 'evil.example:5301' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: 'forbidden-host' });
    const sale = JSON.stringify({
      commandId: 'evil-origin-sale-1',
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 10_000 }],
    });
    const crossSite = await raw(
      'POST',
      '/api/sales',
      {
        host: `127.0.0.1:${c1.port}`,
        origin: 'http://evil.example',
        'content-type': 'application/json',
        authorization: `Bearer ${c1.api.token ?? ''}`,
      },
      sale,
    );
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.body)).toMatchObject({ error: 'forbidden-origin' });
    // The same request from the terminal's own page goes through.
    const own = await raw(
      'POST',
      '/api/sales',
      {
        host: `localhost:${c1.port}`,
        origin: `http://localhost:${c1.port}`,
        'content-type': 'application/json',
        authorization: `Bearer ${c1.api.token ?? ''}`,
      },
      sale,
    );
    expect(own.status).toBe(201);
    sold.push((JSON.parse(own.body) as { invoice: Invoice }).invoice);
  });
});

describe('PIN guessing on a running terminal (PIN1–PIN3)', () => {
  it('a guesser locks the cashier it names, not the manager; a PIN alone locks that screen only', async () => {
    const login = (body: Record<string, unknown>) =>
      c2.api.call<{ token?: string; error?: string; retryAfterSeconds?: number }>(
        'POST',
        '/api/session',
        body,
      );
    for (let i = 0; i < 4; i += 1)
      expect((await login({ userId: 'luis', pin: '0000' })).body.error).toBe('invalid-pin');
    expect((await login({ userId: 'luis', pin: '0000' })).body).toMatchObject({
      error: 'too-many-attempts',
      retryAfterSeconds: 30,
    });
    // Luis is locked, even with his right PIN; the manager and another cashier are not.
    expect((await login({ userId: 'luis', pin: '5678' })).status).toBe(429);
    expect((await login({ userId: 'marta', pin: '9999' })).status).toBe(200);
    expect((await login({ userId: 'ana', pin: '1234' })).status).toBe(200);
    // A guesser naming the manager locks the manager only (Ana still logs in below).
    for (let i = 0; i < 5; i += 1) await login({ userId: 'marta', pin: '1111' });
    expect((await login({ userId: 'marta', pin: '9999' })).status).toBe(429);
    // PINs without a user lock this screen's PIN-alone log-in; naming the user still works.
    for (let i = 0; i < 5; i += 1) await login({ pin: '0001' });
    expect((await login({ pin: '1234' })).body.error).toBe('too-many-attempts');
    expect((await login({ userId: 'ana', pin: '1234' })).status).toBe(200);
  });
});

describe('a peer holding the LAN key, but no certified terminal key (SIG3, SIG4, CAP1)', () => {
  it('its forged, duplicate, out-of-range, planted and deleting changes are left out everywhere, the owner restores its records, and only the real ones reach the cloud', async () => {
    await eventually(async () => {
      expect(await invoiceIds(c2)).toEqual(sold.map((i) => i.id).sort());
    }, 30_000);
    const docsBefore = (await health(c2)).documents;
    const repo = rogue('caja-3');
    const chunk = await repo.find<AnyDoc>(docId(journalDocName('caja-1', 0)));
    const storeDoc = await repo.find<AnyDoc>(docId(STORE_DOC_NAME));
    const entries = Object.values(chunk.doc().entries ?? {})
      .flatMap((b) => Object.values(b))
      .map((v) => JSON.parse((v as { val: string }).val) as JournalEntry);
    const c12 = entries.find((e) => e.kind === 'invoice' && e.invoice.number === 'C12');
    const c11 = entries.find((e) => e.kind === 'invoice' && e.invoice.number === 'C11');
    const c13 = entries.find((e) => e.kind === 'invoice' && e.invoice.number === 'C13');
    if (c12?.kind !== 'invoice' || c11?.kind !== 'invoice' || !c13) throw new Error('C11–C13 not found');
    const cheaper = makeInvoice({ consecutive: 2, lines: [{ product: product('BEB-001'), quantity: 1 }] });

    // 1. C12 overwritten by a cheaper invoice with the same number and a new id (its seal copied).
    put(chunk, c12.seq, canonicalJson({ ...c12, invoice: { ...cheaper, id: cheaper.id } }));
    // 2. A second invoice with C11's number, far ahead in caja-1's journal.
    put(chunk, 400, canonicalJson({ ...c11, seq: 400, commandId: 'rogue-duplicate-1' }));
    // 3. Numbers ahead in caja-2's range and another prefix's number, in caja-1's journal.
    put(
      chunk,
      401,
      canonicalJson({
        ...c11,
        seq: 401,
        invoice: { ...c11.invoice, prefix: 'C2', consecutive: 90, number: 'C290' },
      }),
    );
    put(
      chunk,
      402,
      canonicalJson({
        ...c11,
        seq: 402,
        invoice: { ...c11.invoice, prefix: 'ZZ', consecutive: 1, number: 'ZZ1' },
      }),
    );
    // 4. C13 deleted.
    chunk.change((d) => {
      const { bucket, key } = entryPath(c13.seq);
      const target = d.entries?.[bucket];
      if (target) Reflect.deleteProperty(target, key);
    });
    // 5. A thousand journal keys (of caja-1, and of a terminal nobody certified), and a large value.
    storeDoc.change((d) => {
      const journals = d.journals as unknown as Record<string, boolean>;
      for (let i = 1; i < 500; i += 1) journals[`caja-1/${i}`] = true;
      for (let i = 0; i < 500; i += 1) journals[`caja-9/${i}`] = true;
      const terminals = d.terminals as unknown as Record<string, unknown>;
      terminals['caja-9'] = new ImmutableString(`"${'x'.repeat(300_000)}"`);
    });

    // The owner writes its own records back, as it wrote them.
    await eventually(async () => {
      expect((await health(c1)).integrity.restoredEntries).toBeGreaterThanOrEqual(2);
    }, 30_000);
    const real = sold.map((i) => i.id).sort();
    for (const t of [c1, c2]) {
      await eventually(async () => {
        expect(await invoiceIds(t)).toEqual(real);
        const h = await health(t);
        const left = h.quarantined.items.map((i) => `${i.document}|${i.path}|${i.reason}`);
        // Each one is left out (the forged C11 copy for its signature; the others may fail
        // earlier, on figures that do not fit their number).
        for (const seq of [400, 401, 402]) {
          const { bucket, key } = entryPath(seq);
          expect(left.some((l) => l.startsWith(`journal/caja-1/0|entries/${bucket}/${key}|`))).toBe(true);
        }
        expect(left).toContain(
          `journal/caja-1/0|entries/${entryPath(400).bucket}/${entryPath(400).key}|bad-signature`,
        );
        expect(h.quarantined.entries).toEqual(
          expect.arrayContaining(['caja-1/400', 'caja-1/401', 'caja-1/402']),
        );
        expect(left.some((l) => l.startsWith('store|terminals/caja-9|too-large'))).toBe(true);
      }, 30_000);
      // A thousand listed chunks open at most the lookahead of caja-1, none of caja-9.
      expect((await health(t)).documents).toBeLessThanOrEqual(docsBefore + JOURNAL_LOOKAHEAD);
    }
    // The preflight says so before anything is sent.
    const preflight = await c2.api.call<{
      warnings: { kind: string; terminalId?: string; count?: number }[];
    }>('GET', '/api/uploads/preflight');
    expect(preflight.body.warnings).toContainEqual(
      expect.objectContaining({ kind: 'quarantined', terminalId: 'caja-1', count: 3 }),
    );

    // Uploaded from the terminal that watched it all: the cloud holds the real sales only.
    const started = await c2.api.call<{ id: string }>('POST', '/api/uploads');
    expect(started.status).toBe(202);
    expect((await waitForUpload(c2, started.body.id)).state).toBe('done');
    const cloud = new CloudClient({ baseUrl: store.cloud.url, token: store.cloud.token });
    const page = await cloud.offlineSales('demo', { limit: 1000 });
    if (!page.ok) throw new Error(page.message);
    expect(page.value.items.map((i) => i.document.id).sort()).toEqual(real);
    const c12InCloud = page.value.items.find(
      (i) => i.document.kind === 'invoice' && i.document.number === 'C12',
    );
    expect(c12InCloud?.document).toEqual(c12.invoice);

    // CAP2: a 30 MB value never comes in: the frame carrying it closes the peer's socket.
    const errorsBefore = (await c1.api.call<{ network: { protocolErrors: number } }>('GET', '/api/health'))
      .body.network.protocolErrors;
    // The upload's acknowledgements (written on caja-2) must have reached caja-1 first: a late
    // sync of them is not the forged value coming in.
    const uploadsHeads = async (t: TestTerminal) =>
      (await documentHeads(t)).filter((d) => d.startsWith('uploads/v1:'));
    await eventually(async () => {
      expect(await uploadsHeads(c1)).toEqual(await uploadsHeads(c2));
    }, 30_000);
    const headsBefore = await documentHeads(c1);
    storeDoc.change((d) => {
      const terminals = d.terminals as unknown as Record<string, unknown>;
      terminals['caja-8'] = new ImmutableString(`"${'y'.repeat(30_000_000)}"`);
    });
    await eventually(async () => {
      const h = await c1.api.call<{ network: { protocolErrors: number } }>('GET', '/api/health');
      expect(h.body.network.protocolErrors).toBeGreaterThan(errorsBefore);
    }, 60_000);
    expect(await documentHeads(c1)).toEqual(headsBefore);

    // A restart reads the documents as they are and comes to the same view.
    await store.kill(c2, 'SIGTERM');
    await store.start(c2);
    await c2.api.login('9999');
    await eventually(async () => {
      expect(await invoiceIds(c2)).toEqual(real);
      expect((await health(c2)).quarantined.entries).toEqual(
        expect.arrayContaining(['caja-1/400', 'caja-1/401', 'caja-1/402']),
      );
    }, 30_000);
  }, 240_000);
});
