/**
 * bench:print — from "Confirmar venta" to the first byte at the printer: a real `caja terminal`
 * (with its reference cloud) and network printers on 127.0.0.1 that record when each job's first
 * byte arrives (tests/support/fake-printer.ts, raw TCP as port 9100 is). Also what a printer that
 * is off costs a sale (nothing should wait for paper), and "Enviar a cocina" → the comanda's first
 * byte at the kitchen printer.
 */
import { performance } from 'node:perf_hooks';
import { FakePrinter } from '../tests/support/fake-printer.js';
import { commandId, PIN, startStore, type TestTerminal } from '../tests/support/store.js';
import { percentile, progress, report, type Figure } from './lib/report.js';
import type { Product } from '../src/domain/catalog.js';

const SALES = 150;
const SALES_PRINTER_OFF = 50;
const SENDS = 40;

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench:print: ${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function main(): Promise<void> {
  const receipt = await new FakePrinter().start();
  const kitchen = await new FakePrinter().start();
  const store = await startStore(['caja-1']);
  const watchdog = setTimeout(() => {
    console.error('bench:print: watchdog (8 min)');
    process.exit(2);
  }, 8 * 60_000);
  try {
    const [c1] = store.terminals as [TestTerminal];
    await c1.api.login(PIN.marta);
    await c1.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') });
    const products = (await c1.api.call<{ products: Product[] }>('GET', '/api/catalog')).body.products;
    const item = products.find((p) => p.barcode !== undefined && p.unit === 'unit');
    const dish = products.find((p) => p.category === 'Platos fuertes');
    if (!item || !dish) throw new Error('the demo catalog changed');
    await c1.api.call('POST', '/api/printers', {
      name: 'Recibos',
      role: 'receipt',
      connection: { type: 'tcp', host: '127.0.0.1', port: receipt.port },
      columns: 42,
    });
    const kitchenId = (
      await c1.api.call<{ printer: { id: string } }>('POST', '/api/printers', {
        name: 'Cocina',
        role: 'station',
        connection: { type: 'tcp', host: '127.0.0.1', port: kitchen.port },
        columns: 42,
      })
    ).body.printer.id;
    await c1.api.call('PUT', '/api/stations/cocina', {
      name: 'Cocina',
      printerId: kitchenId,
      categories: ['Platos fuertes'],
      skus: [],
    });
    const sell = () =>
      c1.api.call('POST', '/api/sales', {
        commandId: commandId('venta'),
        lines: [{ sku: item.sku, quantity: 1 }],
        payments: [{ method: 'cash', amount: 100_000 }],
      });

    progress('print', `${SALES} cash sales, each receipt on the network printer`);
    const toFirstByte: number[] = [];
    const toAnswer: number[] = [];
    const toLastByte: number[] = [];
    for (let i = 0; i < SALES; i += 1) {
      const had = receipt.jobs.length;
      const wallStart = Date.now();
      const start = performance.now();
      const sale = await sell();
      if (sale.status !== 201) throw new Error(`sale ${sale.status}`);
      toAnswer.push(performance.now() - start);
      await until(() => receipt.jobs.length > had, 30_000, 'the receipt');
      const job = receipt.jobs[had];
      if (job) {
        toFirstByte.push(job.firstByteAt - wallStart);
        toLastByte.push(job.at - wallStart);
      }
    }

    progress('print', `${SALES_PRINTER_OFF} sales with the receipt printer off`);
    await receipt.stop();
    const offAnswer: number[] = [];
    for (let i = 0; i < SALES_PRINTER_OFF; i += 1) {
      const start = performance.now();
      const sale = await sell();
      if (sale.status !== 201) throw new Error(`sale ${sale.status}`);
      offAnswer.push(performance.now() - start);
    }
    const health = await c1.api.call<{ printing: { queued: number } }>('GET', '/api/health');
    const queuedWhileOff = health.body.printing.queued;
    const backStart = Date.now();
    const had = receipt.jobs.length;
    await receipt.start();
    // Jobs waiting are sent when the backoff next tries (≤ 30 s), in order, each exactly once.
    await until(() => receipt.jobs.length >= had + SALES_PRINTER_OFF, 120_000, 'the queued receipts');
    const drained = Date.now() - backStart;
    await new Promise((r) => setTimeout(r, 1_000));
    const duplicates = receipt.jobs.length - had - SALES_PRINTER_OFF;

    progress('print', `${SENDS} "Enviar a cocina", each comanda on the kitchen printer`);
    await c1.api.call('POST', '/api/tables/mesa-1/open', { diners: 2 });
    const toComanda: number[] = [];
    for (let i = 0; i < SENDS; i += 1) {
      await c1.api.call('POST', '/api/tables/mesa-1/lines', {
        commandId: commandId('line'),
        sku: dish.sku,
        quantity: 1,
      });
      const before = kitchen.jobs.length;
      const wallStart = Date.now();
      const sent = await c1.api.call('POST', '/api/tables/mesa-1/send');
      if (sent.status !== 200) throw new Error(`send ${sent.status}`);
      await until(() => kitchen.jobs.length > before, 30_000, 'the comanda');
      const job = kitchen.jobs[before];
      if (job) toComanda.push(job.firstByteAt - wallStart);
    }

    const r = sorted(toFirstByte);
    const a = sorted(toAnswer);
    const l = sorted(toLastByte);
    const off = sorted(offAnswer);
    const c = sorted(toComanda);
    const figures: Figure[] = [
      { name: 'Confirmar venta → receipt first byte p50', value: percentile(r, 50), unit: 'ms' },
      { name: 'Confirmar venta → receipt first byte p95', value: percentile(r, 95), unit: 'ms' },
      { name: 'Confirmar venta → receipt first byte p99', value: percentile(r, 99), unit: 'ms' },
      { name: 'Confirmar venta → receipt last byte p50', value: percentile(l, 50), unit: 'ms' },
      { name: 'sale answered, printer on, p50', value: percentile(a, 50), unit: 'ms' },
      { name: 'sale answered, printer off, p50', value: percentile(off, 50), unit: 'ms' },
      { name: 'sale answered, printer off, p99', value: percentile(off, 99), unit: 'ms' },
      { name: 'receipts queued while the printer was off', value: queuedWhileOff, unit: 'jobs' },
      { name: 'printer back → every queued receipt printed', value: drained, unit: 'ms' },
      { name: 'receipts printed twice', value: duplicates, unit: 'jobs', target: '<= 0' },
      { name: 'Enviar a cocina → comanda first byte p50', value: percentile(c, 50), unit: 'ms' },
      { name: 'Enviar a cocina → comanda first byte p95', value: percentile(c, 95), unit: 'ms' },
    ];
    report('print', figures, [
      `${SALES} sales and ${SENDS} sends on one terminal, one at a time; times from before the HTTP request to the first byte the printer's socket received`,
    ]);
  } finally {
    clearTimeout(watchdog);
    await store.stop();
    await Promise.all([receipt.stop(), kitchen.stop()]);
  }
}

await main();
