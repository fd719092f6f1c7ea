import { readFileSync } from 'node:fs';
import { Repo } from '@automerge/automerge-repo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveDocumentId } from '../../src/crdt/documents/doc-ids.js';
import { UPLOADS_DOC_NAME, writeAcks } from '../../src/crdt/documents/uploads-doc.js';
import { LanNetworkAdapter, terminalPeerId } from '../../src/crdt/lan/lan-network.js';
import type { Invoice } from '../../src/domain/invoice.js';
import { terminalConfigSchema } from '../../src/host/terminal-config.js';
import { decodeLanKey } from '../../src/security/lan-key.js';
import type { UploadStatus } from '../../src/upload/uploader.js';
import { startCloud } from '../support/processes.js';
import { eventually, startStore, type TestStore, type TestTerminal } from '../support/store.js';
import {
  expectAllUploaded,
  expectCloudHolds,
  forgedAck,
  sellMany,
  setUp,
  waitForUpload,
} from '../support/upload.js';

/**
 * UPL8: the upload trusts the cloud's read-back, not its answers. A cloud that answers "created"
 * for items it did not store, one whose answer leaves items out, and an acknowledgement nobody got
 * from the cloud (written by a keyed peer): each is caught, the items are pending again, and the
 * next run sends them; the cloud ends with every sale exactly once.
 */
let store: TestStore;
let c1: TestTerminal;
const sold: Invoice[] = [];

beforeAll(async () => {
  store = await startStore(['caja-1'], { cloudArgs: ['--lie-rate', '0.3', '--fault-seed', '7'] });
  c1 = store.terminals[0] as TestTerminal;
  await setUp(store);
}, 180_000);

afterAll(async () => {
  await store.stop();
});

/** The same cloud (database, token, port) started again with other flags. */
async function restartCloud(args: readonly string[]): Promise<void> {
  await store.cloud.process.stop('SIGTERM');
  const port = Number(new URL(store.cloud.url).port);
  const cloud = await startCloud(store.cloud.dbPath, store.cloud.token, port, args);
  Object.assign(store.cloud, cloud);
}

async function upload(): Promise<UploadStatus> {
  const started = await c1.api.call<{ id: string }>('POST', '/api/uploads');
  expect(started.status).toBe(202);
  return waitForUpload(c1, started.body.id);
}

const preflightWarnings = async () =>
  (await c1.api.call<{ warnings: { kind: string; count?: number }[] }>('GET', '/api/uploads/preflight')).body
    .warnings;

describe('the upload trusts the read-back (UPL8)', () => {
  it('a cloud answering "created" for items it did not store: caught, pending again, sent by the next run', async () => {
    sold.push(...(await sellMany(c1, 20)));
    const lied = await upload();
    expect(lied.state).toBe('failed');
    expect(lied.lastError).toMatch(/^unconfirmed-by-cloud: /);
    expect(lied.unconfirmed.after).toBeGreaterThan(0);
    const health = await c1.api.call<{ invoices: { pendingUpload: number } }>('GET', '/api/health');
    expect(health.body.invoices.pendingUpload).toBe(lied.unconfirmed.after);
    expect(await preflightWarnings()).toContainEqual(
      expect.objectContaining({ kind: 'unconfirmed', count: lied.unconfirmed.after }),
    );

    await restartCloud([]);
    const honest = await upload();
    expect(honest).toMatchObject({ state: 'done', sent: lied.unconfirmed.after });
    await expectCloudHolds(store, sold, new Set());
    await expectAllUploaded(store);
    expect((await preflightWarnings()).some((w) => w.kind === 'unconfirmed')).toBe(false);
  }, 180_000);

  it('a batch answer that leaves items out ends the run with a reason; the next run completes it', async () => {
    await restartCloud(['--omit-rate', '1']);
    sold.push(...(await sellMany(c1, 5)));
    const short = await upload();
    expect(short.state).toBe('failed');
    expect(short.lastError).toMatch(/^incomplete-answer: /);
    await restartCloud([]);
    expect((await upload()).state).toBe('done');
    await expectCloudHolds(store, sold, new Set());
  }, 180_000);

  it('an acknowledgement no cloud gave (written by a keyed peer) is checked at the next run and the sale sent', async () => {
    sold.push(...(await sellMany(c1, 3)));
    const forged = sold.at(-1);
    if (!forged) throw new Error('no sale');
    const config = terminalConfigSchema.parse(JSON.parse(readFileSync(`${c1.data}/terminal.json`, 'utf8')));
    const lanKey = decodeLanKey(config.provisioning.lanKey);
    const adapter = new LanNetworkAdapter({
      storeId: 'demo',
      terminalId: 'caja-3',
      lanKey,
      peers: [`ws://127.0.0.1:${c1.lanPort}`],
      backoff: { initialMs: 100, maxMs: 500 },
    });
    const repo = new Repo({
      network: [adapter],
      peerId: terminalPeerId('demo', 'caja-3'),
      sharePolicy: () => Promise.resolve(true),
    });
    try {
      const uploads = await repo.find<Record<string, Record<string, Record<string, unknown>>>>(
        deriveDocumentId(lanKey, 'demo', UPLOADS_DOC_NAME),
      );
      uploads.change((d) => {
        writeAcks(d, [forgedAck(forged, 'caja-3')]);
      });
      // The terminal takes the forged acknowledgement for true: only 2 of the 3 look pending.
      await eventually(async () => {
        const h = await c1.api.call<{ invoices: { pendingUpload: number } }>('GET', '/api/health');
        expect(h.body.invoices.pendingUpload).toBe(2);
      }, 30_000);
    } finally {
      await repo.shutdown();
      await adapter.close();
    }
    const run = await upload();
    expect(run).toMatchObject({ state: 'done', sent: 3, unconfirmed: { before: 1, after: 0 } });
    await expectCloudHolds(store, sold, new Set());
  }, 180_000);
});
