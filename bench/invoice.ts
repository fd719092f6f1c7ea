/**
 * bench:invoice — issue latency of a sale at steady state, measured from the cashier's side (the
 * JSON API of a real terminal process on loopback) with 10,000 invoices already in its journal;
 * and in the same run, on the same disk, the physical floor: a bare write + fsync of the same
 * bytes as an invoice record.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Invoice } from '../src/domain/invoice.js';
import { commandId, PIN, startStore, type TestTerminal } from '../tests/support/store.js';
import { percentile, progress, report } from './lib/report.js';

const PRELOAD = Number(process.env.CAJA_BENCH_PRELOAD ?? 10_000);
const MEASURED = 1_000;

function sale(t: TestTerminal, i: number) {
  return t.api.call<{ invoice: Invoice }>('POST', '/api/sales', {
    commandId: commandId('bench'),
    lines: [
      { sku: 'BEB-001', quantity: 1 + (i % 3) },
      { sku: 'FRU-002', quantity: 0.5 },
      { sku: 'PLA-004', quantity: 1 },
    ],
    payments: [{ method: 'cash', amount: 200_000 }],
  });
}

function fsyncFloor(dir: string, bytes: number, count: number): number[] {
  mkdirSync(dir, { recursive: true });
  const fd = openSync(join(dir, 'floor.bin'), 'a');
  const buffer = Buffer.alloc(bytes, 'x');
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    writeSync(fd, buffer);
    fsyncSync(fd);
    times.push(performance.now() - t0);
  }
  closeSync(fd);
  rmSync(join(dir, 'floor.bin'));
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  // One position of the range holds the preload and the measured sales (RNG5: 5,000 by default).
  const store = await startStore(['caja-1'], {
    cloudArgs: ['--position-size', String(PRELOAD + 2 * MEASURED)],
  });
  try {
    const t = store.terminals[0];
    if (!t) throw new Error('no terminal');
    await t.api.login(PIN.ana);
    await t.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') });
    const started = performance.now();
    let invoiceBytes = 0;
    for (let i = 0; i < PRELOAD; i += 1) {
      const res = await sale(t, i);
      if (res.status !== 201)
        throw new Error(`preload sale answered ${res.status} ${JSON.stringify(res.body)}`);
      if (i === 0) invoiceBytes = Buffer.byteLength(JSON.stringify(res.body.invoice));
      if ((i + 1) % 1000 === 0) progress('invoice', `preloaded ${i + 1} / ${PRELOAD} invoices`);
    }
    const preloadSeconds = (performance.now() - started) / 1000;
    const latencies: number[] = [];
    for (let i = 0; i < MEASURED; i += 1) {
      const t0 = performance.now();
      const res = await sale(t, i);
      latencies.push(performance.now() - t0);
      if (res.status !== 201) throw new Error(`sale answered ${res.status}`);
    }
    latencies.sort((a, b) => a - b);
    // What any answer of the API costs: a round trip to the same process through the same client,
    // on a route that only checks the session.
    const trips: number[] = [];
    for (let i = 0; i < MEASURED; i += 1) {
      const t0 = performance.now();
      const res = await t.api.call('GET', '/api/session');
      trips.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`session answered ${res.status}`);
    }
    trips.sort((a, b) => a - b);
    progress('invoice', `measured ${MEASURED} sales; now the fsync floor on the same disk`);
    const floor = fsyncFloor(join(store.dir.path, 'floor'), invoiceBytes, MEASURED);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const floorP50 = percentile(floor, 50);
    report('invoice', [
      { name: 'issue latency p50 (10,000 in journal, via API)', value: p50, unit: 'ms' },
      { name: 'issue latency p99 (10,000 in journal, via API)', value: p99, unit: 'ms', target: '<= 10' },
      { name: `floor: write+fsync of ${invoiceBytes} B, p50`, value: floorP50, unit: 'ms' },
      { name: 'floor: write+fsync p99', value: percentile(floor, 99), unit: 'ms' },
      { name: 'floor: API round trip (GET /api/session) p50', value: percentile(trips, 50), unit: 'ms' },
      { name: 'ratio issue p50 / floor p50', value: p50 / floorP50, unit: '×', target: '<= 3' },
      {
        name: 'ratio issue p50 / (floor p50 + round trip p50)',
        value: p50 / (floorP50 + percentile(trips, 50)),
        unit: '×',
      },
      { name: 'preload: sales per second via API', value: PRELOAD / preloadSeconds, unit: 'sales/s' },
    ]);
  } finally {
    await store.stop();
  }
}

await main();
