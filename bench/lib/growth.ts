/**
 * bench:growth-10k, -50k, -200k (issue 8 §3): how the cost of a store grows with the invoices it
 * holds, for this project and the PouchDB baseline, one size per benchmark so that each stays
 * within its 5 minutes. For each system: one terminal is filled with SIZE invoices of its own (this
 * project: through Cashbox in-process, bench/lib/fill-journal.ts; PouchDB: bulkDocs in its own
 * process), then
 *   - cold start: the filled terminal started alone, until it serves and until it shows them all;
 *   - memory: its RSS then;
 *   - disk: its data directory;
 *   - catch-up: a fresh terminal started with the filled one as its peer, until it holds them all.
 * A step that does not fit in what is left of the budget is not measured, and says so (NaN in the
 * figures, a "not measured" line); nothing is extrapolated.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/host/paths.js';
import { dataPaths } from '../../src/host/terminal-config.js';
import { performance } from 'node:perf_hooks';
import { freePort } from '../../tests/support/proxy.js';
import { PouchStore } from '../peers/pouchdb/store.js';
import { BenchStore, stopProcess, type BenchTerminal } from './bench-store.js';
import { diskUsage } from './disk-usage.js';
import { fillJournal } from './fill-journal.js';
import { writeGrowthPlot } from './growth-plot.js';
import { KeepAliveClient } from './keep-alive-client.js';
import { residentBytes } from './proc-stats.js';
import { progress, report, type Figure } from './report.js';
import { health, sleep } from './store-state.js';

/** The time limit (CAJA_BENCH_BUDGET_S, 295 s by default: within `npm run bench`'s 5 minutes). */
const BUDGET_MS = Number(process.env.CAJA_BENCH_BUDGET_S ?? 295) * 1000;

export interface GrowthPoint {
  readonly system: string;
  readonly invoices: number;
  readonly filled: number;
  readonly fillSeconds: number;
  readonly servingSeconds: number;
  readonly allVisibleSeconds: number;
  readonly rssBytes: number;
  readonly diskBytes: number;
  readonly catchUpSeconds: number;
  /** Which figures this point has (PouchDB: all). */
  readonly measures: CajaMeasures;
  readonly notes: string[];
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Poll `count` until it reaches `target` or `deadline` passes; answers performance.now() or NaN. */
async function until(count: () => Promise<number>, target: number, deadline: number): Promise<number> {
  for (;;) {
    let value = -1;
    try {
      value = await count();
    } catch {
      // Not serving yet.
    }
    if (value >= target) return performance.now();
    if (performance.now() > deadline) return Number.NaN;
    await sleep(50);
  }
}

/**
 * The most invoices one terminal's journal is filled with. A larger store is the journals of
 * several terminals (200,000 = 4 × 50,000, as a store with four tills would hold): they are
 * filled at once, one process each, as many at a time as there are cores, and their documents
 * are then copied into the first terminal's storage — the files syncing would have brought it,
 * plus their validation caches (each terminal validated its own journal as it wrote it).
 * Automerge storage files are named by content (a document id and a hash), so copying them side
 * by side is a union: every document holds every change of every copy.
 * CAJA_BENCH_FILL_PER_TERMINAL changes the 50,000 (a quick try of this path at a small size).
 */
const PER_TERMINAL = Number(process.env.CAJA_BENCH_FILL_PER_TERMINAL ?? 50_000);

const execFileAsync = promisify(execFile);

/**
 * A filled store saved by bench:growth-<size> (cold) for bench:growth-<size>-catchup, which runs
 * right after it in `npm run bench`: filling 200,000 takes half of a benchmark's 5 minutes, and
 * the catch-up needs the other half. Kept under bench/results/fixtures (not committed), valid only
 * for the same compiled code (a hash of dist/src): other code means filling again.
 */
interface Fixture {
  readonly code: string;
  readonly size: number;
  readonly written: number;
  readonly seconds: number;
}

function codeHash(): string {
  const hash = createHash('sha256');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = resolve(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(root);
  return hash.digest('hex').slice(0, 16);
}

const fixtureDir = (size: number) => resolve(projectRoot(), 'bench/results/fixtures', `growth-${size}`);

function saveFixture(store: BenchStore, size: number, fill: { written: number; seconds: number }): void {
  const dir = fixtureDir(size);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(store.dir.path, resolve(dir, 'store'), { recursive: true });
  const fixture: Fixture = { code: codeHash(), size, ...fill };
  writeFileSync(resolve(dir, 'fixture.json'), JSON.stringify(fixture));
}

function loadFixture(size: number): Fixture | undefined {
  try {
    const fixture = JSON.parse(readFileSync(resolve(fixtureDir(size), 'fixture.json'), 'utf8')) as Fixture;
    return fixture.size === size && fixture.code === codeHash() ? fixture : undefined;
  } catch {
    return undefined;
  }
}

async function fillSeveral(
  terminals: readonly BenchTerminal[],
  size: number,
  fillDeadline: number,
  log: (m: string) => void,
): Promise<{ written: number; seconds: number }> {
  const started = performance.now();
  const worker = resolve(dirname(fileURLToPath(import.meta.url)), 'fill-worker.js');
  const deadlineEpoch = Date.now() + (fillDeadline - performance.now());
  const each = Math.ceil(size / terminals.length);
  const queue = terminals.map((t, i) => ({ t, count: Math.min(each, size - i * each) }));
  let written = 0;
  const run = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const { stdout } = await execFileAsync(
        process.execPath,
        [worker, job.t.data, String(job.count), String(deadlineEpoch)],
        { maxBuffer: 1 << 20 },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { written?: unknown };
      const n = typeof result.written === 'number' ? result.written : 0;
      written += n;
      log(
        `caja: ${job.t.id} filled with ${fmt(n)} of its own in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), terminals.length) }, run));
  // Bring every filled terminal's documents and validated chunks into the first one.
  const [first, ...others] = terminals;
  if (!first) return { written, seconds: 0 };
  const target = dataPaths(first.data);
  const chunks: Record<string, unknown> = {};
  let key: unknown;
  for (const t of terminals) {
    const paths = dataPaths(t.data);
    if (t !== first)
      cpSync(paths.automerge, target.automerge, { recursive: true, force: false, errorOnExist: false });
    if (!existsSync(paths.validationCache)) continue;
    const cache = JSON.parse(readFileSync(paths.validationCache, 'utf8')) as {
      key?: unknown;
      chunks?: unknown;
    };
    key ??= cache.key;
    if (cache.key === key && cache.chunks !== null && typeof cache.chunks === 'object')
      Object.assign(chunks, cache.chunks);
  }
  if (key !== undefined) writeFileSync(target.validationCache, JSON.stringify({ key, chunks }));
  log(`caja: the journals of ${others.length + 1} terminals copied into ${first.id}'s storage`);
  return { written, seconds: (performance.now() - started) / 1000 };
}

/**
 * What a growth benchmark measures of this project: `all` (cold start, memory, disk, then the
 * catch-up of a fresh terminal from the filled one), `cold` (cold start, memory and disk only) or
 * `catch-up` (a fresh terminal joining the store's filled terminals, each serving its own journal
 * — at 200,000 both do not fit in one benchmark's 5 minutes).
 */
export type CajaMeasures = 'all' | 'cold' | 'catch-up';

async function cajaGrowth(
  size: number,
  deadline: number,
  log: (m: string) => void,
  measures: CajaMeasures = 'all',
): Promise<GrowthPoint> {
  const notes: string[] = [];
  const fillers = Math.ceil(size / PER_TERMINAL);
  const fixture = measures === 'catch-up' ? loadFixture(size) : undefined;
  const store = fixture
    ? await BenchStore.fromCopy(resolve(fixtureDir(size), 'store'), fillers + 1)
    : await BenchStore.create(fillers + 1);
  const filled = store.terminals[0];
  const fresh = store.terminals[fillers];
  if (!filled || !fresh) throw new Error('no terminals');
  const running: { process: Parameters<typeof stopProcess>[0] }[] = [];
  try {
    // Fill with at most 55 % of what is left, so that the rest can be measured.
    const fillDeadline = performance.now() + 0.55 * (deadline - performance.now());
    const fill = fixture
      ? { written: fixture.written, seconds: fixture.seconds }
      : fillers === 1
        ? await fillJournal(filled.data, size, fillDeadline, (n, s) => {
            if (n % 10_000 === 0) log(`caja: ${fmt(n)} filled in ${s.toFixed(0)} s`);
          })
        : await fillSeveral(store.terminals.slice(0, fillers), size, fillDeadline, log);
    log(
      fixture
        ? `caja: the store bench:growth-${size / 1000}k filled and saved (same code), copied`
        : `caja: ${fmt(fill.written)} invoices filled in ${fill.seconds.toFixed(1)} s`,
    );
    if (fillers > 1)
      notes.push(
        `caja at ${fmt(size)}: the store is ${fillers} terminals × ${fmt(Math.ceil(size / fillers))} invoices, filled at once and copied into one terminal's storage (bench/lib/growth.ts)${fixture ? `; reused from bench:growth-${size / 1000}k, which filled and saved it` : ''}; "filling took" is that wall time`,
      );
    if (measures === 'cold' && fill.written === size) saveFixture(store, size, fill);
    const point: GrowthPoint = {
      system: 'caja',
      invoices: size,
      filled: fill.written,
      fillSeconds: fill.seconds,
      servingSeconds: Number.NaN,
      allVisibleSeconds: Number.NaN,
      rssBytes: Number.NaN,
      diskBytes: measures === 'catch-up' ? Number.NaN : diskUsage(filled.data).bytes,
      catchUpSeconds: Number.NaN,
      measures,
      notes,
    };
    if (fill.written < size) {
      notes.push(
        `caja at ${fmt(size)}: only ${fmt(fill.written)} invoices could be filled within this benchmark's time (${fill.seconds.toFixed(0)} s); nothing else measured at this size`,
      );
      return { ...point, diskBytes: Number.NaN };
    }
    // The filled terminal starts; it dials nobody.
    const first = await store.spawn(filled.data, filled.port, filled.lanPort, []);
    running.push(first);
    let cold: Partial<GrowthPoint> = {};
    if (measures !== 'catch-up') {
      filled.api = new KeepAliveClient(filled.port);
      const visibleAt = await until(async () => (await health(filled.api)).invoices.total, size, deadline);
      const memory = residentBytes(first.process.child.pid);
      cold = {
        servingSeconds: (first.times.servingAt - first.times.spawnedAt) / 1000,
        allVisibleSeconds: (visibleAt - first.times.spawnedAt) / 1000,
        rssBytes: memory.rss,
      };
      log(
        `caja: cold start ${(cold.servingSeconds ?? 0).toFixed(2)} s to serve, ${(cold.allVisibleSeconds ?? 0).toFixed(2)} s until all visible; RSS ${(memory.rss / 2 ** 20).toFixed(0)} MB`,
      );
      if (Number.isNaN(visibleAt)) {
        notes.push(`caja at ${fmt(size)}: the cold terminal did not show every invoice within the time left`);
        return { ...point, ...cold };
      }
      if (measures === 'cold') return { ...point, ...cold };
    } else {
      filled.api = new KeepAliveClient(filled.port);
      await until(async () => (await health(filled.api)).invoices.total, size, deadline);
      log(`caja: the filled terminal serves all ${fmt(size)}`);
    }
    // The fresh terminal dials the filled one (one link).
    const port = await freePort();
    const lanPort = await freePort();
    const catchUp = await store.spawn(fresh.data, port, lanPort, [{ lanPort: filled.lanPort }]);
    running.push(catchUp);
    const freshApi = new KeepAliveClient(port);
    try {
      const caughtUpAt = await until(async () => (await health(freshApi)).invoices.total, size, deadline);
      const catchUpSeconds = (caughtUpAt - catchUp.times.spawnedAt) / 1000;
      if (Number.isNaN(caughtUpAt)) {
        const held = (await health(freshApi)).invoices.total;
        notes.push(
          `caja at ${fmt(size)}: the fresh terminal held ${fmt(held)} of ${fmt(size)} when this benchmark's time ran out (${((performance.now() - catchUp.times.spawnedAt) / 1000).toFixed(0)} s after its start): catch-up not measured`,
        );
      }
      log(`caja: catch-up of a fresh terminal ${catchUpSeconds.toFixed(2)} s`);
      return { ...point, ...cold, catchUpSeconds };
    } finally {
      freshApi.close();
    }
  } finally {
    // The figures are taken: no need for a graceful stop (a terminal holding 200,000 takes long).
    await Promise.all(running.map((r) => stopProcess(r.process, 'SIGKILL')));
    await store.close();
  }
}

async function pouchGrowth(size: number, deadline: number, log: (m: string) => void): Promise<GrowthPoint> {
  const notes: string[] = [];
  const store = await PouchStore.create(2);
  const [filled, fresh] = store.terminals;
  if (!filled || !fresh) throw new Error('no terminals');
  try {
    const fillSeconds = await store.fill(filled, size, (line) => {
      log(`PouchDB: ${line}`);
    });
    const diskBytes = diskUsage(filled.data).bytes;
    const times = await store.start(filled, []);
    const count = async (api: KeepAliveClient) =>
      (await api.call<{ docs: number }>('GET', '/api/status')).body.docs;
    const visibleAt = await until(() => count(filled.api), size, deadline);
    const memory = residentBytes(filled.process?.child.pid);
    const point: GrowthPoint = {
      system: 'PouchDB',
      invoices: size,
      filled: size,
      fillSeconds,
      servingSeconds: (times.servingAt - times.spawnedAt) / 1000,
      allVisibleSeconds: (visibleAt - times.spawnedAt) / 1000,
      rssBytes: memory.rss,
      diskBytes,
      catchUpSeconds: Number.NaN,
      measures: 'all',
      notes,
    };
    log(
      `PouchDB: cold start ${point.servingSeconds.toFixed(2)} s to serve, ${point.allVisibleSeconds.toFixed(2)} s until all visible; RSS ${(memory.rss / 2 ** 20).toFixed(0)} MB`,
    );
    const started = await store.start(fresh, [filled]);
    const caughtUpAt = await until(() => count(fresh.api), size, deadline);
    const catchUpSeconds = (caughtUpAt - started.spawnedAt) / 1000;
    if (Number.isNaN(caughtUpAt))
      notes.push(
        `PouchDB at ${fmt(size)}: the fresh terminal held ${fmt(await count(fresh.api))} of ${fmt(size)} when this benchmark's time ran out: catch-up not measured`,
      );
    log(`PouchDB: catch-up of a fresh terminal ${catchUpSeconds.toFixed(2)} s`);
    return { ...point, catchUpSeconds };
  } finally {
    await store.close();
  }
}

export function growthFigures(p: GrowthPoint): Figure[] {
  const label = `${fmt(p.invoices)} invoices, ${p.system}`;
  const all = [
    { name: `${label}: catch-up of a fresh terminal`, value: p.catchUpSeconds, unit: 's' },
    { name: `${label}: cold start, serving`, value: p.servingSeconds, unit: 's' },
    { name: `${label}: cold start, all visible`, value: p.allVisibleSeconds, unit: 's' },
    { name: `${label}: RSS after cold start`, value: p.rssBytes / 2 ** 20, unit: 'MB' },
    { name: `${label}: bytes on disk`, value: p.diskBytes / 2 ** 20, unit: 'MB' },
    { name: `${label}: filled`, value: p.filled, unit: 'inv' },
    { name: `${label}: filling took`, value: p.fillSeconds, unit: 's' },
  ];
  if (p.measures === 'all') return all;
  const catchUp = p.measures === 'catch-up';
  return all.filter(
    (f) =>
      f.name.endsWith(': filled') ||
      f.name.endsWith(': filling took') ||
      f.name.includes('catch-up') === catchUp,
  );
}

/**
 * `pouchShare`: the share of the budget PouchDB may use (it runs first); this project gets the
 * rest, and fills its terminal with at most 55 % of what is left then.
 */
export async function runGrowthBench(
  size: number,
  name: string,
  pouchShare = 0.4,
  system?: 'caja' | 'PouchDB',
  measures: CajaMeasures = 'all',
): Promise<void> {
  // A run with a longer budget than `npm run bench` allows, or of one system alone
  // (CAJA_BENCH_GROWTH_ONLY=caja or PouchDB), keeps its own results file.
  const budget = process.env.CAJA_BENCH_BUDGET_S;
  const only = system ?? process.env.CAJA_BENCH_GROWTH_ONLY;
  const bench = `${name}${budget === undefined ? '' : `-${budget}s`}${only === undefined || system !== undefined ? '' : `-${only}`}`;
  const log = (message: string) => {
    progress(bench, message);
  };
  const began = performance.now();
  const deadline = began + BUDGET_MS - 10_000;
  const watchdog = setTimeout(() => {
    console.error(`bench:${bench}: over its budget of ${BUDGET_MS / 1000} s; stopping`);
    process.exit(1);
  }, BUDGET_MS);
  watchdog.unref();
  log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )}; ${fmt(size)} invoices; ${only === undefined ? 'PouchDB first, then this project with the time left' : `${only} only`}`,
  );
  const pouch =
    only === 'caja'
      ? undefined
      : await pouchGrowth(size, Math.min(began + pouchShare * BUDGET_MS, deadline), log);
  const caja = only === 'PouchDB' ? undefined : await cajaGrowth(size, deadline, log, measures);
  const points = [caja, pouch].filter((p): p is GrowthPoint => p !== undefined);
  const notes = points.flatMap((p) => p.notes);
  for (const note of notes) log(`note: ${note}`);
  log(`whole run ${((performance.now() - began) / 1000).toFixed(0)} s`);
  report(
    bench,
    points.flatMap((p) => growthFigures(p)),
    notes,
  );
  writeGrowthPlot();
  clearTimeout(watchdog);
}
