/**
 * bench:cloud — upload 10,000 contingency invoices from three terminals to the reference cloud, a
 * real process on loopback with its SQLite database on this disk, in batches of 500, and report
 * invoices per second and the p99 batch latency. Then the same upload again, all duplicates (what a
 * retry after a lost answer costs).
 */
import { performance } from 'node:perf_hooks';
import type { Invoice } from '../src/domain/invoice.js';
import { CATALOG, makeInvoice } from '../tests/support/invoices.js';
import { startCloud, tempDir } from '../tests/support/processes.js';
import { percentile, progress, report } from './lib/report.js';
import { prng } from '../tests/support/prng.js';
import { certifiedSigners, sealAll } from '../tests/support/signing.js';
import { CloudClient } from '../src/upload/cloud-client.js';

const TOTAL = 10_000;
const BATCH = 500;
const TERMINALS = ['caja-1', 'caja-2', 'caja-3'] as const;

function generate(): Invoice[] {
  const random = prng(42);
  const invoices: Invoice[] = [];
  for (let i = 0; i < TOTAL; i += 1) {
    const terminal = TERMINALS[i % TERMINALS.length] ?? 'caja-1';
    const lineCount = 1 + Math.floor(random() * 6);
    const lines = Array.from({ length: lineCount }, () => {
      const product = CATALOG[Math.floor(random() * CATALOG.length)] ?? CATALOG[0];
      if (!product) throw new Error('empty catalog');
      return {
        product,
        quantity:
          product.unit === 'kg' ? Math.round(200 + random() * 2000) / 1000 : 1 + Math.floor(random() * 3),
      };
    });
    invoices.push(
      makeInvoice({
        terminal,
        consecutive: Math.floor(i / TERMINALS.length) + 1,
        lines,
        at: Date.parse('2026-11-28T15:00:00Z') + i * 1000,
      }),
    );
  }
  return invoices;
}

async function uploadAll(url: string, token: string, bodies: readonly string[], label: string) {
  const latencies: number[] = [];
  const counts = { created: 0, duplicate: 0, conflict: 0, rejected: 0 };
  const started = performance.now();
  for (const [index, body] of bodies.entries()) {
    const t0 = performance.now();
    const res = await fetch(`${url}/v1/stores/demo/offline-sales`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const answer = (await res.json()) as { summary?: typeof counts };
    latencies.push(performance.now() - t0);
    if (res.status !== 200 || !answer.summary)
      throw new Error(`batch ${index} answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += answer.summary[key];
    if ((index + 1) % 5 === 0) progress('cloud', `${label}: ${(index + 1) * BATCH} / ${TOTAL}`);
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, latencies: latencies.sort((a, b) => a - b), counts };
}

async function main(): Promise<void> {
  const dir = tempDir('caja-bench-cloud-');
  progress('cloud', `generating ${TOTAL} invoices…`);
  const invoices = generate();
  const cloud = await startCloud(`${dir.path}/cloud.db`);
  try {
    // Every item goes up with the seal of its journal entry, signed by a key the cloud certified
    // for its terminal (UPL9): sealed here, before the clock starts.
    const client = new CloudClient({ baseUrl: cloud.url, token: cloud.token });
    const sealed = sealAll(await certifiedSigners(client, 'demo', TERMINALS), invoices);
    const bodies: string[] = [];
    for (let i = 0; i < sealed.length; i += BATCH)
      bodies.push(JSON.stringify({ items: sealed.slice(i, i + BATCH) }));
    progress('cloud', `cloud at ${cloud.url}; uploading in batches of ${BATCH}`);
    const first = await uploadAll(cloud.url, cloud.token, bodies, 'first upload');
    if (first.counts.created !== TOTAL)
      throw new Error(`expected ${TOTAL} created, got ${JSON.stringify(first.counts)}`);
    const retry = await uploadAll(cloud.url, cloud.token, bodies, 'retry (duplicates)');
    if (retry.counts.duplicate !== TOTAL)
      throw new Error(`expected ${TOTAL} duplicates, got ${JSON.stringify(retry.counts)}`);
    report('cloud', [
      { name: 'upload: invoices per second', value: TOTAL / first.seconds, unit: 'inv/s', target: '>= 2000' },
      { name: 'upload: total time for 10,000 invoices', value: first.seconds, unit: 's' },
      {
        name: 'upload: batch latency p50 (500 invoices)',
        value: percentile(first.latencies, 50),
        unit: 'ms',
      },
      {
        name: 'upload: batch latency p99 (500 invoices)',
        value: percentile(first.latencies, 99),
        unit: 'ms',
      },
      { name: 'retry, all duplicates: invoices per second', value: TOTAL / retry.seconds, unit: 'inv/s' },
      {
        name: 'retry, all duplicates: batch latency p99',
        value: percentile(retry.latencies, 99),
        unit: 'ms',
      },
    ]);
  } finally {
    await cloud.process.stop();
    dir.remove();
  }
}

await main();
