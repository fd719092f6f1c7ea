import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '../../src/domain/catalog.js';
import type { Invoice } from '../../src/domain/invoice.js';
import type { HealthAnswer, PrintJobSummary } from '../../src/contract/host-answers.js';
import { escPosCommands, escPosText, FakePrinter } from '../support/fake-printer.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';

/**
 * PRN1–PRN7 with real terminals and printers on sockets: caja-1 has a receipt printer; Cocina and
 * Barra are stations with their own printers, configured on caja-1 and reached from caja-2.
 */
let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;
const receipt = new FakePrinter();
const cocina = new FakePrinter();
const barra = new FakePrinter();
let food: Product;
let drink: Product;

const WAIT = 30_000;

beforeAll(async () => {
  await Promise.all([receipt.start(), cocina.start(), barra.start()]);
  store = await startStore(['caja-1', 'caja-2']);
  [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
  await c1.api.login(PIN.marta);
  await c2.api.login(PIN.ana);
  for (const t of [c1, c2])
    expect(
      (await t.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
        .status,
    ).toBe(201);
  const products = (await c1.api.call<{ products: Product[] }>('GET', '/api/catalog')).body.products;
  const pick = (category: string) => {
    const found = products.find((p) => p.category === category);
    if (!found) throw new Error(`no ${category} in the demo catalog`);
    return found;
  };
  food = pick('Platos fuertes');
  drink = pick('Bebidas de la casa');
}, 180_000);

afterAll(async () => {
  await store.stop();
  await Promise.all([receipt.stop(), cocina.stop(), barra.stop()]);
});

const tcp = (p: FakePrinter) => ({ type: 'tcp', host: '127.0.0.1', port: p.port });

describe('printing to real sockets', () => {
  it('[PRN1] [PRN2] [PRN3] [PRN7] a cash sale prints its receipt (ESC @, the number, the total, the cut) and opens the drawer; a reprint says COPIA', async () => {
    // A cashier may not configure printers.
    const refused = await c2.api.call('POST', '/api/printers', {
      name: 'Caja 2',
      role: 'receipt',
      connection: tcp(receipt),
      columns: 42,
    });
    expect(refused).toMatchObject({ status: 403 });
    const bad = await c1.api.call('POST', '/api/printers', {
      name: 'Mala',
      role: 'receipt',
      connection: { type: 'tcp', host: 'bad host!', port: 9100 },
      columns: 40,
    });
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid-body' } });

    const created = await c1.api.call<{ printer: { id: string; terminalId: string } }>(
      'POST',
      '/api/printers',
      {
        name: 'Recibos caja 1',
        role: 'receipt',
        connection: tcp(receipt),
        columns: 42,
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.printer.terminalId).toBe('caja-1');
    const second = await c1.api.call('POST', '/api/printers', {
      name: 'Otra',
      role: 'receipt',
      connection: tcp(receipt),
      columns: 42,
    });
    expect(second).toMatchObject({ status: 409, body: { error: 'receipt-printer-taken' } });

    const before = receipt.jobs.length;
    const saleId = commandId('venta');
    const started = Date.now();
    const sale = await c1.api.call<{ invoice: Invoice; print: { via: string; jobs: PrintJobSummary[] } }>(
      'POST',
      '/api/sales',
      {
        commandId: saleId,
        lines: [{ sku: food.sku, quantity: 1 }],
        payments: [{ method: 'cash', amount: 100_000 }],
      },
    );
    expect(sale.status).toBe(201);
    expect(sale.body.print.via).toBe('printer');
    await eventually(() => {
      expect(receipt.jobs.length).toBe(before + 1);
      return Promise.resolve();
    }, WAIT);
    const job = receipt.jobs[before];
    if (!job) throw new Error('no receipt');
    const text = escPosText(job.bytes);
    expect(escPosCommands(job.bytes)).toMatchObject({ init: true, cut: true, pulse: true, codepage: 19 });
    expect(text).toContain('FACTURA DE VENTA - CONTINGENCIA');
    expect(text).toContain(sale.body.invoice.number);
    expect(text).toMatch(/TOTAL +\$ [\d.]+/);
    expect(text).not.toContain('COPIA');
    console.log(`receipt, Confirmar venta → first byte: ${job.firstByteAt - started} ms\n${text}`);

    // A retry of the same sale prints nothing again.
    const retry = await c1.api.call<{ print: { jobs: PrintJobSummary[] } }>('POST', '/api/sales', {
      commandId: saleId,
      lines: [{ sku: food.sku, quantity: 1 }],
      payments: [{ method: 'cash', amount: 100_000 }],
    });
    expect(retry.status).toBe(201);
    expect(retry.body.print.jobs.map((j) => j.id)).toEqual(sale.body.print.jobs.map((j) => j.id));

    const reprint = await c1.api.call('POST', `/api/invoices/${sale.body.invoice.id}/print`);
    expect(reprint.status).toBe(202);
    await eventually(() => {
      expect(receipt.jobs.length).toBe(before + 2);
      return Promise.resolve();
    }, WAIT);
    const copy = receipt.texts()[before + 1] ?? '';
    expect(copy).toContain('*** COPIA ***');
    expect(copy).toContain(sale.body.invoice.number);
    expect(escPosCommands(receipt.jobs[before + 1]?.bytes ?? new Uint8Array()).pulse).toBe(false);
  }, 120_000);

  it('[PRN6] "Enviar a cocina" from another terminal prints one comanda per station with only its lines', async () => {
    const mk = async (name: string, p: FakePrinter) =>
      (
        await c1.api.call<{ printer: { id: string } }>('POST', '/api/printers', {
          name,
          role: 'station',
          connection: tcp(p),
          columns: 42,
        })
      ).body.printer.id;
    const cocinaId = await mk('Cocina', cocina);
    const barraId = await mk('Barra', barra);
    expect(
      (
        await c1.api.call('PUT', '/api/stations/cocina', {
          name: 'Cocina',
          printerId: cocinaId,
          categories: ['Platos fuertes', 'Entradas', 'Desayunos', 'Postres'],
          skus: [],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await c1.api.call('PUT', '/api/stations/barra', {
          name: 'Barra',
          printerId: barraId,
          categories: ['Bebidas de la casa'],
          skus: [],
        })
      ).status,
    ).toBe(200);
    expect(
      await c1.api.call('PUT', '/api/stations/nada', {
        name: 'Nada',
        printerId: 'no-such',
        categories: [],
        skus: [],
      }),
    ).toMatchObject({ status: 404, body: { error: 'unknown-printer' } });
    // The stations reach caja-2 over the LAN.
    await c2.api.login(PIN.marta);
    await eventually(async () => {
      const stations = await c2.api.call<{ stations: { id: string }[] }>('GET', '/api/stations');
      expect(stations.body.stations.map((s) => s.id)).toEqual(['barra', 'cocina']);
    }, WAIT);
    await c2.api.login(PIN.ana);

    expect((await c2.api.call('POST', '/api/tables/mesa-3/open', { diners: 2 })).status).toBe(201);
    for (const [sku, note] of [
      [food.sku, 'sin cebolla'],
      [drink.sku, undefined],
    ] as const)
      expect(
        (
          await c2.api.call('POST', '/api/tables/mesa-3/lines', {
            commandId: commandId('line'),
            sku,
            quantity: 1,
            ...(note ? { note } : {}),
          })
        ).status,
      ).toBe(201);
    const sent = await c2.api.call<{ comandas: { jobs: PrintJobSummary[]; unrouted: string[] } }>(
      'POST',
      '/api/tables/mesa-3/send',
    );
    expect(sent.status).toBe(200);
    expect(sent.body.comandas.jobs.map((j) => j.printerId).sort()).toEqual([barraId, cocinaId].sort());
    await eventually(() => {
      expect(cocina.jobs.length).toBe(1);
      expect(barra.jobs.length).toBe(1);
      return Promise.resolve();
    }, WAIT);
    const kitchen = cocina.texts()[0] ?? '';
    const bar = barra.texts()[0] ?? '';
    console.log(`comanda Cocina:\n${kitchen}\ncomanda Barra:\n${bar}`);
    expect(kitchen).toContain('COCINA - Mesa 3');
    expect(kitchen).toContain(`1 × ${food.name}`);
    expect(kitchen).toContain('sin cebolla');
    expect(kitchen).not.toContain(drink.name);
    expect(bar).toContain('BARRA - Mesa 3');
    expect(bar).toContain(`1 × ${drink.name}`);
    expect(bar).not.toContain(food.name);
    expect(kitchen).toMatch(/Mesero: Ana/);
  }, 120_000);

  it('[PRN5] with the kitchen printer off the comanda waits (banner: queued, failing) and arrives exactly once when it is back, also across a restart of the terminal', async () => {
    await cocina.stop();
    const had = cocina.jobs.length;
    expect(
      (
        await c2.api.call('POST', '/api/tables/mesa-3/lines', {
          commandId: commandId('line'),
          sku: food.sku,
          quantity: 2,
        })
      ).status,
    ).toBe(201);
    expect((await c2.api.call('POST', '/api/tables/mesa-3/send')).status).toBe(200);
    await eventually(async () => {
      const health = (await c2.api.call<HealthAnswer>('GET', '/api/health')).body;
      expect(health.printing.printers).toMatchObject([
        {
          name: 'Cocina',
          queued: 1,
          byKind: { comanda: 1 },
          failing: true,
          lastError: { reason: 'printer-unreachable' },
        },
      ]);
      expect(health.warnings).toContain('printer-not-answering');
    }, WAIT);
    // The terminal restarts while the job waits: it is on disk.
    await store.kill(c2, 'SIGKILL');
    await store.start(c2);
    await c2.api.login(PIN.marta);
    const jobs = await c2.api.call<{ jobs: PrintJobSummary[] }>('GET', '/api/print-jobs');
    const waiting = jobs.body.jobs.find((j) => j.status === 'queued');
    expect(waiting).toMatchObject({ kind: 'comanda', title: 'Comanda Cocina — Mesa 3' });
    await cocina.start();
    // Retried without waiting for the backoff, as a manager would.
    if (waiting) await c2.api.call('POST', `/api/print-jobs/${waiting.id}/retry`);
    await eventually(async () => {
      expect(cocina.jobs.length).toBe(had + 1);
      const health = (await c2.api.call<HealthAnswer>('GET', '/api/health')).body;
      expect(health.printing.queued).toBe(0);
    }, WAIT);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(cocina.jobs.length).toBe(had + 1);
    const text = cocina.texts()[had] ?? '';
    expect(text).toContain(`2 × ${food.name}`);
    expect(text).not.toContain('REIMPRESIÓN');
  }, 120_000);

  it('[PRN5] a receipt cut off in the middle is printed again, marked REIMPRESIÓN', async () => {
    receipt.cutAfter = 40;
    const before = receipt.jobs.length;
    const cash = await c1.api.call<{ invoice: Invoice }>('POST', '/api/sales', {
      commandId: commandId('venta'),
      lines: [{ sku: drink.sku, quantity: 1 }],
      payments: [{ method: 'cash', amount: 50_000 }],
    });
    expect(cash.status).toBe(201);
    await eventually(() => {
      expect(receipt.jobs.length).toBe(before + 2);
      return Promise.resolve();
    }, WAIT);
    expect(receipt.jobs[before]?.bytes.length).toBeLessThanOrEqual(40);
    const again = receipt.texts()[before + 1] ?? '';
    expect(again).toContain('*** REIMPRESIÓN ***');
    expect(again).toContain(cash.body.invoice.number);
  }, 120_000);

  it('[PRN3] [PRN7] "Imprimir prueba" prints Spanish as written; "Abrir cajón" is recorded in the shift with who and when, and pulses the drawer', async () => {
    const printers = await c1.api.call<{ printers: { id: string; role: string }[] }>('GET', '/api/printers');
    const receiptId = printers.body.printers.find((p) => p.role === 'receipt')?.id ?? '';
    const before = receipt.jobs.length;
    expect((await c1.api.call('POST', `/api/printers/${receiptId}/test`)).status).toBe(202);
    await eventually(() => {
      expect(receipt.jobs.length).toBe(before + 1);
      return Promise.resolve();
    }, WAIT);
    const test = receipt.texts()[before] ?? '';
    expect(test).toContain('Señor Peña: ¿añadió el jalapeño? ¡Sí!');
    expect(test).toContain('Café, té, azúcar: $ 12.345');
    expect(test).toContain('ÁÉÍÓÚ áéíóú Ññ Üü ¿? ¡!');

    const id = commandId('cajon');
    const opened = await c1.api.call<{ by: { id: string }; at: string; job: PrintJobSummary | null }>(
      'POST',
      '/api/drawer/open',
      { commandId: id, reason: 'Cambio para otra caja' },
    );
    expect(opened.status).toBe(200);
    expect(opened.body.by.id).toBe('marta');
    expect(opened.body.job?.kind).toBe('drawer');
    await eventually(() => {
      expect(receipt.jobs.length).toBe(before + 2);
      return Promise.resolve();
    }, WAIT);
    expect(escPosCommands(receipt.jobs[before + 1]?.bytes ?? new Uint8Array())).toMatchObject({
      pulse: true,
      cut: false,
    });
    // A retry answers the same opening and does not pulse again.
    const again = await c1.api.call<{ at: string; job: PrintJobSummary | null }>('POST', '/api/drawer/open', {
      commandId: id,
      reason: 'Cambio para otra caja',
    });
    expect(again.body).toMatchObject({ at: opened.body.at, job: null });
    const report = await c1.api.call<{
      report: { drawerOpenings: { by: { id: string }; reason: string }[] };
    }>('GET', '/api/shifts/current/report');
    expect(report.body.report.drawerOpenings).toEqual([
      {
        at: opened.body.at,
        by: { id: 'marta', name: expect.any(String) as string },
        reason: 'Cambio para otra caja',
      },
    ]);
    // Without a receipt printer the drawer cannot open, and nothing is recorded.
    expect(
      await c2.api.call('POST', '/api/drawer/open', { commandId: commandId('cajon'), reason: '' }),
    ).toMatchObject({
      status: 409,
      body: { error: 'no-printer' },
    });
  }, 120_000);
});
