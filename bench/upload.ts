/**
 * bench:upload — "Subir venta offline" end to end: 10,000 invoices held by three `caja terminal`
 * processes (their journals filled in-process, see bench/lib/fill-journal.ts), uploaded by a
 * manager through the terminal's API (POST /api/uploads, then GET /api/uploads/{id} until done)
 * to the reference cloud as a real `caja cloud` process on loopback. Then:
 *   - the same upload again: everything is acknowledged, nothing is sent;
 *   - the same store from a copy taken before the first upload, to a cloud that drops the answer
 *     of a share of the batches after committing them (--drop-rate, --fault-seed): the retries come
 *     back as duplicates, and the cloud's read-back holds every invoice once.
 * CAJA_BENCH_UPLOAD_INVOICES lowers the size for a quick run; CAJA_BENCH_UPLOAD_BATCH sets the
 * terminal's --upload-batch-size (its default when unset).
 */
import { cpSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CloudClient } from '../src/upload/cloud-client.js';
import type { UploadStatus } from '../src/upload/uploader.js';
import { startCloud, type CloudProcess } from '../tests/support/processes.js';
import { PIN } from '../tests/support/store.js';
import { BenchStore, stopProcess } from './lib/bench-store.js';
import { fillJournal } from './lib/fill-journal.js';
import { progress, report, type Figure } from './lib/report.js';
import { health, sleep, waitFor } from './lib/store-state.js';

const INVOICES = Number(process.env.CAJA_BENCH_UPLOAD_INVOICES ?? 10_000);
const BATCH = process.env.CAJA_BENCH_UPLOAD_BATCH;
const DROP_RATE = 0.3;
const FAULT_SEED = 7;
const BUDGET_MS = 300_000;

const log = (message: string) => {
  progress('upload', message);
};
const fmt = (n: number) => n.toLocaleString('en-US');

interface Timed {
  readonly seconds: number;
  readonly status: UploadStatus;
}

/** Start terminals, wait until caja-1 holds every invoice, log the manager in on caja-1. */
async function startStore(store: BenchStore, label: string): Promise<void> {
  const started = performance.now();
  await Promise.all(store.terminals.map((t) => store.start(t)));
  const [first] = store.terminals;
  if (!first) throw new Error('no terminals');
  await waitFor(
    `${first.id} holding ${fmt(INVOICES)} invoices`,
    async () => ((await health(first.api)).invoices.total >= INVOICES ? true : undefined),
    120_000,
    100,
  );
  await first.api.login(PIN.marta);
  log(
    `${label}: terminals started and caja-1 holds all ${fmt(INVOICES)} invoices after ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** POST /api/uploads as the manager and poll its status until it ends. */
async function upload(store: BenchStore, label: string): Promise<Timed> {
  const [first] = store.terminals;
  if (!first) throw new Error('no terminals');
  const t0 = performance.now();
  const started = await first.api.call<{ id?: string }>('POST', '/api/uploads');
  if (started.status !== 202 || started.body.id === undefined)
    throw new Error(`POST /api/uploads answered ${started.status}: ${JSON.stringify(started.body)}`);
  let lastLog = t0;
  for (;;) {
    const res = await first.api.call<UploadStatus>('GET', `/api/uploads/${started.body.id}`);
    if (res.status !== 200) throw new Error(`upload status answered ${res.status}`);
    const status = res.body;
    const now = performance.now();
    if (status.state !== 'running') {
      const seconds = (now - t0) / 1000;
      log(
        `${label}: ${status.state} in ${seconds.toFixed(2)} s: ${fmt(status.sent)} of ${fmt(status.total)} sent, ${fmt(status.created)} created, ${fmt(status.duplicate)} duplicate, ${status.rejected.length} rejected, ${status.attempts} requests`,
      );
      if (status.state !== 'done')
        throw new Error(`${label} ended ${status.state}: ${status.lastError ?? ''}`);
      return { seconds, status };
    }
    if (now - lastLog > 2_000) {
      lastLog = now;
      log(`${label}: ${fmt(status.sent)} / ${fmt(status.total)} sent, ${status.rate} inv/s`);
    }
    if (now - t0 > 120_000) throw new Error(`${label}: still running after 120 s`);
    await sleep(20);
  }
}

/** The cloud's read-back: how many offline sales it holds, and how many distinct ids among them. */
async function readBack(cloud: CloudProcess): Promise<{ stored: number; distinct: number }> {
  const client = new CloudClient({ baseUrl: cloud.url, token: cloud.token });
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page += 1) {
    const answer = await client.offlineSales('demo', {
      limit: 1000,
      ...(cursor === undefined ? {} : { cursor }),
    });
    if (!answer.ok) throw new Error(`read-back: ${answer.reason}: ${answer.message}`);
    ids.push(...answer.value.items.map((i) => i.document.id));
    if (answer.value.nextCursor === null) break;
    cursor = answer.value.nextCursor;
  }
  return { stored: ids.length, distinct: new Set(ids).size };
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench:upload: over its budget of ${BUDGET_MS / 1000} s; stopping`);
    process.exit(1);
  }, BUDGET_MS);
  watchdog.unref();
  const began = performance.now();
  log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; provisioning 3 terminals`,
  );
  const store = await BenchStore.create(3);
  if (BATCH !== undefined) store.terminalArgs.push('--upload-batch-size', BATCH);
  let cloud: CloudProcess | undefined;
  try {
    for (const [i, t] of store.terminals.entries()) {
      const share = Math.floor(INVOICES / 3) + (i < INVOICES % 3 ? 1 : 0);
      const fill = await fillJournal(t.data, share, performance.now() + 120_000, () => undefined);
      if (fill.written < share) throw new Error(`${t.id}: only ${fill.written} of ${share} filled`);
      log(`${t.id}: ${fmt(fill.written)} invoices filled in ${fill.seconds.toFixed(1)} s`);
    }
    // The fault run starts from this same store, before anything was uploaded.
    const snapshot = store.path('before-upload');
    for (const t of store.terminals) cpSync(t.data, `${snapshot}/${t.id}`, { recursive: true });
    cpSync(store.cloud.db, `${snapshot}/cloud.db`);

    cloud = await startCloud(store.cloud.db, store.cloud.token, store.cloud.port);
    log(`caja cloud at ${cloud.url}; terminal batch size ${BATCH ?? 'default'}`);
    await startStore(store, 'first upload');
    const first = await upload(store, 'first upload');
    const firstBack = await readBack(cloud);
    log(
      `first upload: the cloud holds ${fmt(firstBack.stored)} offline sales, ${fmt(firstBack.distinct)} distinct`,
    );
    if (first.status.created !== INVOICES || firstBack.distinct !== INVOICES || firstBack.stored !== INVOICES)
      throw new Error(`first upload: expected ${INVOICES} created and stored once each`);
    const again = await upload(store, 're-run');
    if (again.status.total !== 0) throw new Error(`re-run: ${again.status.total} items were still pending`);

    await Promise.all(store.terminals.map((t) => store.stop(t)));
    await stopProcess(cloud.process, 'SIGTERM');
    cloud = undefined;
    for (const t of store.terminals) {
      rmSync(t.data, { recursive: true, force: true });
      cpSync(`${snapshot}/${t.id}`, t.data, { recursive: true });
    }
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${store.cloud.db}${suffix}`, { force: true });
    cpSync(`${snapshot}/cloud.db`, store.cloud.db);
    cloud = await startCloud(store.cloud.db, store.cloud.token, store.cloud.port, [
      '--drop-rate',
      String(DROP_RATE),
      '--fault-seed',
      String(FAULT_SEED),
    ]);
    log(
      `lost answers: the same store before its upload; the cloud drops ${DROP_RATE * 100} % of the answers after committing`,
    );
    await startStore(store, 'lost answers');
    const faulty = await upload(store, 'lost answers');
    const faultyBack = await readBack(cloud);
    log(
      `lost answers: the cloud holds ${fmt(faultyBack.stored)} offline sales, ${fmt(faultyBack.distinct)} distinct`,
    );
    if (faulty.status.created + faulty.status.duplicate !== INVOICES)
      throw new Error(`lost answers: created + duplicate is not ${INVOICES}`);

    const n = fmt(INVOICES);
    const figures: Figure[] = [
      {
        name: `upload of ${n} invoices, 3 terminals: total`,
        value: first.seconds,
        unit: 's',
        target: '<= 10',
      },
      { name: 'upload: invoices per second', value: INVOICES / first.seconds, unit: 'inv/s' },
      { name: 'upload: requests to the cloud', value: first.status.attempts, unit: 'req' },
      { name: 're-run, all acknowledged: total', value: again.seconds, unit: 's' },
      { name: 're-run: items sent', value: again.status.sent, unit: 'inv', target: '<= 0' },
      { name: `lost answers (${DROP_RATE * 100} % dropped): total`, value: faulty.seconds, unit: 's' },
      { name: 'lost answers: requests to the cloud', value: faulty.status.attempts, unit: 'req' },
      { name: 'lost answers: counted as duplicate', value: faulty.status.duplicate, unit: 'inv' },
      { name: 'lost answers: created', value: faulty.status.created, unit: 'inv' },
      {
        name: 'lost answers: stored twice (cloud read-back)',
        value: faultyBack.stored - faultyBack.distinct,
        unit: 'inv',
        target: '<= 0',
      },
      {
        name: 'lost answers: missing in the cloud (read-back)',
        value: INVOICES - faultyBack.distinct,
        unit: 'inv',
        target: '<= 0',
      },
    ];
    log(`whole run ${((performance.now() - began) / 1000).toFixed(0)} s`);
    report('upload', figures);
  } finally {
    if (cloud) await stopProcess(cloud.process, 'SIGTERM');
    await store.close();
    clearTimeout(watchdog);
  }
}

await main();
