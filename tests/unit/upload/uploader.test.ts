import { randomBytes } from 'node:crypto';
import { Repo } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it } from 'vitest';
import { useDocumentStorage } from '../../../src/crdt/storage/document-storage.js';
import { openStorage } from '../../../src/crdt/storage/open-storage.js';
import { StoreDocuments } from '../../../src/crdt/store-documents.js';
import { formatInTimeZone } from '../../../src/domain/time.js';
import { InvoiceIndex } from '../../../src/invoice/invoice-index.js';
import { generateSigningKey } from '../../../src/security/signing.js';
import { Uploader, type UploaderOptions, type UploadStatus } from '../../../src/upload/uploader.js';
import { makeInvoice } from '../../support/invoices.js';
import { MemoryCloud } from '../../support/memory-cloud.js';
import { tempDir } from '../../support/processes.js';
import { demoNumbering, localTrust, signedInvoices, TestSigner } from '../../support/signing.js';

/**
 * The uploader in one process: caja-1's signed journal in a real repo on disk, the in-memory cloud
 * (held to the reference cloud's behaviour by tests/contract/cloud-client.contract.ts, UPL11).
 */
const lanKey = new Uint8Array(randomBytes(32));
const { trust, key } = localTrust('demo', 'caja-1', demoNumbering('C1'));
const MARTA = { id: 'marta', name: 'Marta' };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** caja-1 with invoices C11…C1n in its journal, and a cloud that certified its key. */
async function till(n: number, options: Partial<UploaderOptions> = {}, cloud = new MemoryCloud()) {
  const dir = tempDir('caja-uploader-');
  const storage = await openStorage(`${dir.path}/automerge`);
  const repo = new Repo({ storage, network: [] });
  useDocumentStorage(repo, storage);
  const docs = new StoreDocuments({
    repo,
    storageDir: `${dir.path}/automerge`,
    storeId: 'demo',
    terminalId: 'caja-1',
    lanKey,
    trust,
  });
  await docs.open();
  for (const entry of signedInvoices(key, n)) await docs.appendOwn(entry);
  const certified = await cloud.client().certifyKey('demo', 'caja-1', key.publicKey);
  if (!certified.ok) throw new Error(certified.message);
  const uploader = new Uploader({
    docs,
    index: new InvoiceIndex(docs),
    cloud: cloud.client(),
    storeId: 'demo',
    terminalId: 'caja-1',
    timestamp: () => formatInTimeZone(Date.now()),
    backoff: { initialMs: 1, maxMs: 2 },
    random: () => 0.5,
    ...options,
  });
  closers.push(async () => {
    docs.close();
    await repo.flush();
    await repo.shutdown();
    // A repo's throttled save (100 ms) can still be writing after shutdown() returned.
    await new Promise((resolve) => setTimeout(resolve, 300));
    dir.remove();
  });
  /** One run to its end. */
  const upload = async (): Promise<UploadStatus> => {
    const started = uploader.start(MARTA);
    if (!started.ok) throw new Error(started.message);
    const status = await uploader.finished(started.value.id);
    if (!status) throw new Error('no status');
    return status;
  };
  return { docs, uploader, cloud, upload };
}

describe('the uploader against the in-memory cloud', () => {
  it('[UPL3] [UPL5] sends every invoice in batches, acknowledges each, and a second run has nothing to send', async () => {
    const t = await till(7, { batchSize: 3 });
    const status = await t.upload();
    expect(status).toMatchObject({
      state: 'done',
      total: 7,
      sent: 7,
      created: 7,
      duplicate: 0,
      rejected: [],
      attempts: 3,
      lastError: null,
      perTerminal: { 'caja-1': { total: 7, sent: 7 } },
      unconfirmed: { before: 0, after: 0 },
    });
    expect(t.cloud.uploads).toBe(3);
    expect(t.cloud.size).toBe(7);
    expect([...t.docs.acks.values()].map((a) => a.status)).toEqual(Array(7).fill('created'));
    expect(t.docs.uploadRunsView.find((r) => r.id === status.id)).toMatchObject({ state: 'done', sent: 7 });

    const again = await t.upload();
    expect(again).toMatchObject({ state: 'done', total: 0, sent: 0 });
    expect(t.cloud.uploads).toBe(3);
  });

  it('[UPL6] a batch that fails on the network is sent again, and the run goes on', async () => {
    const t = await till(4, { batchSize: 2 });
    t.cloud.failUploads(2);
    const status = await t.upload();
    expect(status).toMatchObject({ state: 'done', created: 4, attempts: 4, lastError: null });
    expect(t.cloud.size).toBe(4);
  });

  it('[UPL5] [UPL6] retries used up end the run failed; the next run sends only what was not acknowledged', async () => {
    const cloud = new MemoryCloud({
      beforeUpload: (call) => {
        if (call === 2) cloud.failUploads(3, 'cloud-error', 503);
      },
    });
    const t = await till(5, { batchSize: 3, maxAttempts: 3 }, cloud);
    const failed = await t.upload();
    expect(failed).toMatchObject({ state: 'failed', sent: 3, created: 3 });
    expect(failed.lastError).toMatch(/^cloud-error: /);
    expect(t.docs.acks.size).toBe(3);

    const resumed = await t.upload();
    expect(resumed).toMatchObject({ state: 'done', total: 2, created: 2, duplicate: 0 });
    expect(t.cloud.ids()).toHaveLength(5);
    expect(new Set(t.cloud.ids()).size).toBe(5);
  });

  it('[UPL6] a 4xx for the whole batch is not retried: the run fails with the cloud’s reason', async () => {
    const t = await till(2);
    t.cloud.failUploads(1, 'unauthorized', 401);
    const status = await t.upload();
    expect(status).toMatchObject({ state: 'failed', attempts: 1, sent: 0 });
    expect(status.lastError).toMatch(/^unauthorized: /);
    expect(t.docs.acks.size).toBe(0);
    expect((await t.upload()).state).toBe('done');
  });

  it('[UPL5] a cancelled run stops before its next batch; what went up stays acknowledged', async () => {
    // The uploader is made after its cloud: the hook finds it here.
    const held: { uploader?: Uploader } = {};
    const cloud = new MemoryCloud({
      beforeUpload: (call) => {
        const id = held.uploader?.running;
        if (call === 1 && id !== undefined) held.uploader?.cancel(id);
      },
    });
    const t = await till(6, { batchSize: 2 }, cloud);
    held.uploader = t.uploader;
    const cancelled = await t.upload();
    expect(cancelled).toMatchObject({ state: 'cancelled', sent: 2, created: 2 });
    expect(cancelled.lastError).toMatch(/^cancelled: /);
    expect(t.cloud.uploads).toBe(1);
    expect(t.docs.acks.size).toBe(2);

    const rest = await t.upload();
    expect(rest).toMatchObject({ state: 'done', total: 4, created: 4 });
  });

  it('[UPL6] items the cloud refuses are listed with their reason, block nothing, and stay pending', async () => {
    const cloud = new MemoryCloud();
    // Another installation of caja-1 already put C13 in the cloud under another id.
    const other = generateSigningKey().key;
    expect((await cloud.client().certifyKey('demo', 'caja-1', other.publicKey)).ok).toBe(true);
    const taken = new TestSigner('caja-1', other).seal(makeInvoice({ consecutive: 3 }));
    expect((await cloud.client().uploadOfflineSales('demo', [taken])).ok).toBe(true);

    const t = await till(4, {}, cloud);
    const status = await t.upload();
    expect(status).toMatchObject({ state: 'done', sent: 4, created: 3 });
    expect(status.rejected).toEqual([
      {
        id: expect.any(String) as string,
        number: 'C13',
        terminalId: 'caja-1',
        kind: 'invoice',
        status: 'conflict',
        reason: 'number-taken',
        message: expect.stringContaining('C13') as string,
      },
    ]);
    expect([...t.docs.acks.keys()]).not.toContain(status.rejected[0]?.id);
    // Still pending: the next run sends it again, and only it.
    expect(await t.upload()).toMatchObject({ total: 1, rejected: [{ number: 'C13' }] });
  });

  it('[UPL8] an answer that leaves an item out fails the run (incomplete-answer); the next run finds it stored', async () => {
    const t = await till(3, { batchSize: 3 });
    t.cloud.omitFromAnswers(1);
    const status = await t.upload();
    expect(status).toMatchObject({ state: 'failed', sent: 3, created: 2 });
    expect(status.lastError).toBe(
      'incomplete-answer: the cloud answered 2 results for a batch of 3; no answer for C13',
    );
    expect(t.docs.acks.size).toBe(2);

    const resumed = await t.upload();
    expect(resumed).toMatchObject({ state: 'done', total: 1, created: 0, duplicate: 1 });
    expect(t.cloud.size).toBe(3);
  });

  it('[UPL8] acknowledgements the read-back does not hold are sent again by the next run', async () => {
    const t = await till(3);
    expect((await t.upload()).state).toBe('done');
    // The same journal, a cloud that lost everything (a restore from an old backup, say).
    const blank = new MemoryCloud();
    expect((await blank.client().certifyKey('demo', 'caja-1', key.publicKey)).ok).toBe(true);
    const again = new Uploader({
      docs: t.docs,
      index: new InvoiceIndex(t.docs),
      cloud: blank.client(),
      storeId: 'demo',
      terminalId: 'caja-1',
      timestamp: () => formatInTimeZone(Date.now()),
    });
    const started = again.start(MARTA);
    if (!started.ok) throw new Error(started.message);
    expect(await again.finished(started.value.id)).toMatchObject({
      state: 'done',
      total: 3,
      created: 3,
      unconfirmed: { before: 3, after: 0 },
    });
    expect(blank.size).toBe(3);
  });
});
