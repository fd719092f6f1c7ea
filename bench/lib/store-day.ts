/**
 * A store's day (issue 8 §2), played by one system (this project or the PouchDB baseline) with N
 * terminals, each its own process on loopback:
 *   1. paced: every terminal sells at a cashier's pace, sped up (one sale every 0.6–1.2 s per
 *      terminal, round-robin; a real till sells about once a minute), `pacedMeasured` sales per
 *      terminal measured for issue latency and propagation after a short warm-up;
 *   2. caja-1 goes offline (restarted without its peers) and every terminal, caja-1 too, sells flat
 *      out (one request at a time per terminal, all terminals at once) up to HALF sales each;
 *   3. caja-1 rejoins (restarted with its peers): the catch-up, no sales meanwhile, until every
 *      terminal holds every sale;
 *   4. every terminal sells flat out up to PER_TERMINAL sales each; convergence is timed from the
 *      last answer until every terminal holds every sale;
 *   5. caja-2 uploads everything to the system's cloud.
 * Then disk (data directories), memory (RSS of the terminal processes) and CPU seconds (of every
 * terminal process, the stopped ones included).
 */
import { performance } from 'node:perf_hooks';
import { prng } from '../../tests/support/prng.js';
import type { DaySystem, DayTerminal } from './day-system.js';
import { diskUsage } from './disk-usage.js';
import { cpuSeconds, residentBytes } from './proc-stats.js';
import { measurePropagation, type PropagationResult } from './propagation.js';
import { percentile } from './report.js';
import { randomSale } from './sales.js';
import { sleep } from './store-state.js';

export interface DayOptions {
  readonly perTerminal: number;
  readonly pacedMeasured: number;
  readonly log: (message: string) => void;
  /** Give up on a convergence or catch-up after this long (and report what was missing). */
  readonly waitLimitMs: number;
}

export interface DayResult {
  readonly system: string;
  readonly terminals: number;
  readonly invoices: number;
  readonly paced: PropagationResult;
  /** Flat-out sales per second for the whole store, each half. */
  readonly flatOutRate: [number, number];
  readonly catchUpSeconds: number;
  /** From the moment the rejoining terminal serves its API again (its cold start left out). */
  readonly catchUpFromServingSeconds: number;
  readonly catchUpMissing: number;
  readonly convergenceSeconds: number;
  readonly convergenceMissing: number;
  readonly uploadSeconds: number;
  readonly uploadMissing: number;
  readonly diskBytes: number;
  readonly rssBytes: number;
  readonly peakRssBytes: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
}

/** Sell flat out on every terminal until each has issued `target`; answers sales per second. */
async function flatOut(
  system: DaySystem,
  issued: number[],
  target: number,
  label: string,
  log: (m: string) => void,
): Promise<number> {
  const started = performance.now();
  let sold = 0;
  let nextLog = started + 5_000;
  await Promise.all(
    system.terminals.map(async (t, i) => {
      const random = prng(1000 + i);
      while ((issued[i] ?? 0) < target) {
        const res = await t.api.call(
          'POST',
          '/api/sales',
          randomSale(random, `day-${t.id}-${issued[i] ?? 0}`),
        );
        if (res.status !== 201)
          throw new Error(`${t.id}: sale answered ${res.status}: ${JSON.stringify(res.body)}`);
        issued[i] = (issued[i] ?? 0) + 1;
        sold += 1;
        if (performance.now() > nextLog) {
          nextLog += 5_000;
          log(`${label}: ${sold} sold, ${(sold / ((performance.now() - started) / 1000)).toFixed(0)}/s`);
        }
      }
    }),
  );
  return sold / ((performance.now() - started) / 1000);
}

/** Poll every terminal until each holds `expected` invoices; answers the missing ones at the limit. */
async function waitForAll(
  system: DaySystem,
  expected: number,
  limitMs: number,
): Promise<{ at: number; missing: number }> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const held = await Promise.all(system.terminals.map((_, i) => system.held(i)));
    const missing = held.reduce((sum, h) => sum + Math.max(0, expected - h), 0);
    if (missing === 0) return { at: performance.now(), missing };
    if (performance.now() > deadline) return { at: Number.NaN, missing };
    // Not faster: asking a terminal how many invoices it holds is not free (see its /api/health).
    await sleep(50);
  }
}

export async function storeDay(system: DaySystem, options: DayOptions): Promise<DayResult> {
  const { log } = options;
  const n = system.terminals.length;
  const began = performance.now();
  const half = Math.floor(options.perTerminal / 2);
  let retiredCpu = 0;
  const retire = (t: DayTerminal | undefined) => {
    const cpu = cpuSeconds(t?.pid());
    if (Number.isFinite(cpu)) retiredCpu += cpu;
  };

  await system.startAll();
  log(`${system.name}: ${n} terminals started; paced sales, ${options.pacedMeasured} per terminal measured`);
  const paced = await measurePropagation(system.terminals, {
    minWarmup: 2 * n,
    settleMs: Number.POSITIVE_INFINITY,
    maxWarmupMs: 20_000,
    measured: options.pacedMeasured * n,
    // One sale every 0.6–1.2 s per terminal (a real till: about one a minute).
    minGapMs: 600 / n,
    maxGapMs: 1200 / n,
    pollMs: 5,
    timeoutMs: 5_000,
    deadline: performance.now() + 90_000,
    random: prng(n),
    onProgress: (done) => {
      if (done % 100 === 0) log(`${system.name}: ${done} paced sales visible everywhere`);
    },
  });
  const pacedTotal = paced.warmup.length + paced.everywhere.length;
  const issued = system.terminals.map((_, i) => Math.floor(pacedTotal / n) + (i < pacedTotal % n ? 1 : 0));
  const f = (xs: number[], p: number) => percentile(xs, p).toFixed(1);
  log(
    `${system.name}: paced: ${pacedTotal} sales; issue p50 ${f(paced.issue, 50)} ms p99 ${f(paced.issue, 99)} ms; on a peer p50 ${f(paced.perPeer, 50)} ms p99 ${f(paced.perPeer, 99)} ms; everywhere p99 ${f(paced.everywhere, 99)} ms; ${paced.timeouts} timeouts`,
  );

  retire(system.terminals[0]);
  await system.restart(0, false);
  log(`${system.name}: caja-1 offline; flat out to ${half} sales each`);
  const firstRate = await flatOut(system, issued, half, `${system.name} first half`, log);
  const halfTotal = n * half;
  log(`${system.name}: first half sold at ${firstRate.toFixed(0)}/s; caja-1 rejoins`);

  retire(system.terminals[0]);
  const { spawnedAt, servingAt } = await system.restart(0, true);
  const caughtUp = await waitForAll(system, halfTotal, options.waitLimitMs);
  const catchUpSeconds = (caughtUp.at - spawnedAt) / 1000;
  log(
    `${system.name}: catch-up ${Number.isNaN(caughtUp.at) ? `NOT done: ${caughtUp.missing} missing` : `${catchUpSeconds.toFixed(2)} s from the restart`}`,
  );

  const secondRate = await flatOut(system, issued, options.perTerminal, `${system.name} second half`, log);
  const lastSale = performance.now();
  const total = n * options.perTerminal;
  const converged = await waitForAll(system, total, options.waitLimitMs);
  const convergenceSeconds = (converged.at - lastSale) / 1000;
  log(
    `${system.name}: second half sold at ${secondRate.toFixed(0)}/s; convergence ${Number.isNaN(converged.at) ? `NOT reached: ${converged.missing} missing` : `${convergenceSeconds.toFixed(2)} s after the last sale`}`,
  );

  const uploaded = await system.upload(1);
  log(
    `${system.name}: upload of ${total} in ${uploaded.seconds.toFixed(2)} s; the cloud holds ${uploaded.cloudHolds}`,
  );

  let rss = 0;
  let peak = 0;
  let cpu = retiredCpu;
  for (const t of system.terminals) {
    const memory = residentBytes(t.pid());
    rss += memory.rss;
    peak = Math.max(peak, memory.peak);
    cpu += cpuSeconds(t.pid());
  }
  const disk = system.dataDirs().reduce((sum, dir) => sum + diskUsage(dir).bytes, 0);
  return {
    system: system.name,
    terminals: n,
    invoices: total,
    paced,
    flatOutRate: [firstRate, secondRate],
    catchUpSeconds,
    catchUpFromServingSeconds: (caughtUp.at - servingAt) / 1000,
    catchUpMissing: caughtUp.missing,
    convergenceSeconds,
    convergenceMissing: converged.missing,
    uploadSeconds: uploaded.seconds,
    uploadMissing: total - uploaded.cloudHolds,
    diskBytes: disk,
    rssBytes: rss,
    peakRssBytes: peak,
    cpuSeconds: cpu,
    wallSeconds: (performance.now() - began) / 1000,
  };
}
