import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { parseOr400 } from '../../contract/errors.js';
import {
  idParamsSchema,
  openDrawerBodySchema,
  printerBodySchema,
  printerParamsSchema,
  printerPatchSchema,
  printJobParamsSchema,
  printTextBodySchema,
  redirectJobBodySchema,
  stationBodySchema,
  stationParamsSchema,
  type DrawerAnswer,
  type PrintJobAnswer,
  type PrintJobsAnswer,
  type PrinterAnswer,
  type PrintersAnswer,
  type StationAnswer,
  type StationsAnswer,
} from '../../contract/host-api.js';
import { removeDevice, writePrinter, writeStation } from '../../crdt/documents/devices-doc.js';
import { slugFromName } from '../../domain/ids.js';
import { printerSchema, type Printer } from '../../domain/printer.js';
import type { PrintJob } from '../../printing/print-queue.js';
import { fail, refuse, requireActor, type TerminalContext } from './context.js';

/** The jobs list shows what a job is, not the bytes it prints. */
export function jobSummary(job: PrintJob): Omit<PrintJob, 'document'> {
  const { document: _d, ...rest } = job;
  return rest;
}

function slugOf(name: string): string {
  return slugFromName(name, 'impresora', randomBytes(2).toString('hex'));
}

/**
 * PRN1, PRN5, PRN7: printers and stations (store-wide, in the devices document), this terminal's
 * print jobs, a receipt printed again, "Abrir cajón". Managers configure; anyone logged in may
 * print a receipt again.
 */
export function registerPrintingRoutes(app: FastifyInstance, ctx: TerminalContext): void {
  const { docs, printing, printQueue } = ctx;
  const terminalId = ctx.config.provisioning.terminal.id;

  const printerOf = (id: string): Printer => {
    const printer = printing.printers.find((p) => p.id === id);
    if (!printer) refuse('unknown-printer', `no printer ${id}`);
    return printer;
  };
  /** A terminal has one receipt printer: another one of its own is refused. */
  const checkReceipt = (printer: Printer) => {
    if (printer.role !== 'receipt') return;
    const other = printing.printers.find(
      (p) => p.role === 'receipt' && p.terminalId === printer.terminalId && p.id !== printer.id,
    );
    if (other)
      refuse(
        'receipt-printer-taken',
        `${printer.terminalId ?? terminalId} already prints receipts on "${other.name}" (${other.id}): change that one`,
      );
  };
  const validPrinter = (value: unknown): Printer => {
    const parsed = printerSchema.safeParse(value);
    if (!parsed.success) refuse('invalid-body', parsed.error.issues.map((i) => i.message).join('; '));
    return parsed.data;
  };

  app.get('/api/printers', (request): PrintersAnswer => {
    requireActor(ctx, request, { manager: true });
    return { printers: printing.printers };
  });

  app.post('/api/printers', async (request, reply) => {
    requireActor(ctx, request, { manager: true });
    const body = parseOr400(printerBodySchema, request.body);
    const printer = validPrinter({
      ...body,
      id: slugOf(body.name),
      ...(body.role === 'receipt' ? { terminalId } : {}),
    });
    checkReceipt(printer);
    await docs.changeShared('devices', (d) => {
      writePrinter(d, printer);
    });
    return reply.status(201).send({ printer } satisfies PrinterAnswer);
  });

  app.patch('/api/printers/:id', async (request): Promise<PrinterAnswer> => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(printerParamsSchema, request.params, 'invalid-path');
    const patch = parseOr400(printerPatchSchema, request.body);
    const current = printerOf(id);
    const role = patch.role ?? current.role;
    const { terminalId: owner, ...rest } = current;
    const printer = validPrinter({
      ...rest,
      ...patch,
      id,
      ...(role === 'receipt' ? { terminalId: owner ?? terminalId } : {}),
    });
    checkReceipt(printer);
    await docs.changeShared('devices', (d) => {
      writePrinter(d, printer);
    });
    return { printer };
  });

  app.delete('/api/printers/:id', async (request) => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(printerParamsSchema, request.params, 'invalid-path');
    const printer = printerOf(id);
    const station = printing.stations.find((s) => s.printerId === id);
    if (station)
      refuse('printer-in-use', `the station "${station.name}" prints on it: give it another printer first`);
    await docs.changeShared('devices', (d) => {
      removeDevice(d, 'printers', id);
    });
    return { printer };
  });

  // "Imprimir prueba": width, accents and the cut, as the technician checks them.
  app.post('/api/printers/:id/test', (request, reply) => {
    const actor = requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(printerParamsSchema, request.params, 'invalid-path');
    const job = printing.testPage(
      printerOf(id),
      actor,
      ctx.ledger.timestamp().slice(0, 16).replace('T', ' '),
    );
    return reply.status(202).send({ job: jobSummary(job) } satisfies PrintJobAnswer);
  });

  app.get('/api/stations', (request): StationsAnswer => {
    requireActor(ctx, request, { manager: true });
    return { stations: printing.stations };
  });

  app.put('/api/stations/:stationId', async (request): Promise<StationAnswer> => {
    requireActor(ctx, request, { manager: true });
    const { stationId } = parseOr400(stationParamsSchema, request.params, 'invalid-path');
    const body = parseOr400(stationBodySchema, request.body);
    printerOf(body.printerId);
    const station = { id: stationId, ...body };
    await docs.changeShared('devices', (d) => {
      writeStation(d, station);
    });
    return { station };
  });

  app.delete('/api/stations/:stationId', async (request): Promise<StationAnswer> => {
    requireActor(ctx, request, { manager: true });
    const { stationId } = parseOr400(stationParamsSchema, request.params, 'invalid-path');
    const station = printing.stations.find((s) => s.id === stationId);
    if (!station) refuse('unknown-station', `no station ${stationId}`);
    await docs.changeShared('devices', (d) => {
      removeDevice(d, 'stations', stationId);
    });
    return { station };
  });

  app.get('/api/print-jobs', (request): PrintJobsAnswer => {
    requireActor(ctx, request, { manager: true });
    return { jobs: printQueue.list().map(jobSummary), printers: printQueue.summary() };
  });

  app.post('/api/print-jobs/:id/retry', (request): PrintJobAnswer => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(printJobParamsSchema, request.params, 'invalid-path');
    const result = printQueue.retry(id);
    if (!result.ok) fail(result);
    return { job: jobSummary(result.value) };
  });

  app.post('/api/print-jobs/:id/redirect', (request): PrintJobAnswer => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(printJobParamsSchema, request.params, 'invalid-path');
    const { printerId } = parseOr400(redirectJobBodySchema, request.body);
    const result = printQueue.redirect(id, printerId);
    if (!result.ok) fail(result);
    return { job: jobSummary(result.value) };
  });

  app.post('/api/print-jobs/:id/cancel', (request): PrintJobAnswer => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(printJobParamsSchema, request.params, 'invalid-path');
    const result = printQueue.cancel(id);
    if (!result.ok) fail(result);
    return { job: jobSummary(result.value) };
  });

  // A receipt printed again: "COPIA" when it was printed before (PRN2).
  app.post('/api/invoices/:id/print', (request, reply) => {
    const actor = requireActor(ctx, request);
    const { id } = parseOr400(idParamsSchema, request.params, 'invalid-path');
    const found = ctx.index.get(id);
    if (!found) refuse('unknown-invoice', `no invoice ${id}`);
    const voided = found.voidedBy
      ? { creditNote: found.voidedBy, acknowledged: docs.acks.has(found.voidedBy.id) }
      : undefined;
    const job = printing.printInvoice(found.invoice, voided, actor);
    if (!job) refuse('no-printer', 'this terminal has no receipt printer: print from the screen');
    return reply.status(202).send({ job: jobSummary(job) } satisfies PrintJobAnswer);
  });

  // A pre-bill or a report the screen laid out as text at the printer's width.
  app.post('/api/print', (request, reply) => {
    const actor = requireActor(ctx, request);
    const body = parseOr400(printTextBodySchema, request.body);
    const job = printing.printText(body.kind, body.title, () => body.text, actor);
    if (!job) refuse('no-printer', 'this terminal has no receipt printer: print from the screen');
    return reply.status(202).send({ job: jobSummary(job) } satisfies PrintJobAnswer);
  });

  // PRN7: "Abrir cajón" — recorded in the open shift (who, when, why), then the drawer opens.
  app.post('/api/drawer/open', async (request): Promise<DrawerAnswer> => {
    const actor = requireActor(ctx, request, { manager: true });
    const body = parseOr400(openDrawerBodySchema, request.body);
    if (!printing.receiptPrinter())
      refuse('no-printer', 'the drawer opens through the receipt printer: configure one first');
    const result = await ctx.cashbox.shifts.openDrawer(body.commandId, body.reason, actor);
    if (!result.ok) fail(result);
    const { replayed, ...opening } = result.value;
    const job = replayed ? undefined : printing.openDrawer(actor);
    return { ...opening, job: job ? jobSummary(job) : null };
  });
}
