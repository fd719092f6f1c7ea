import { positionsOf } from '../../domain/certificate.js';
import type { FastifyInstance } from 'fastify';
import { parseOr400 } from '../../contract/errors.js';
import { CATALOG_DOC_NAME } from '../../crdt/documents/catalog-doc.js';
import { FLOOR_DOC_NAME } from '../../crdt/documents/floor-doc.js';
import { journalDocName } from '../../crdt/documents/journal-doc.js';
import { STORE_DOC_NAME } from '../../crdt/documents/store-doc.js';
import { UPLOADS_DOC_NAME } from '../../crdt/documents/uploads-doc.js';
import { summarizeJournal } from '../../invoice/journal-summary.js';
import {
  renderCreditNoteHtml,
  renderCreditNoteText,
  renderReceiptHtml,
  renderReceiptText,
} from '../../invoice/receipt.js';
import { readCatalogFromCloud } from '../../upload/catalog-read.js';
import { mergeDirectory, searchDirectory } from '../../domain/customer-directory.js';
import {
  actorWithOptionalElevation,
  fail,
  failFromCloud,
  pinRefused,
  refuse,
  requireActor,
  type TerminalContext,
} from './context.js';
import { healthOf } from './health.js';
import { jobSummary } from './printing-routes.js';
import {
  closeShiftBodySchema,
  customerQuerySchema,
  idParamsSchema as idParams,
  invoiceQuerySchema,
  movementBodySchema,
  openShiftBodySchema,
  receiptQuerySchema,
  reportQuerySchema,
  returnBodySchema,
  saleBodySchema,
  sessionBodySchema,
  elevateBodySchema,
  shiftParamsSchema as shiftParams,
  voidBodySchema,
  type CatalogAnswer,
  type CatalogReadAnswer,
  type ClosePreview,
  type CurrentSessionAnswer,
  type ElevateAnswer,
  type CustomerSearchAnswer,
  type HealthAnswer,
  type InvoiceDetailAnswer,
  type InvoicesAnswer,
  type MovementAnswer,
  type ReturnAnswer,
  type SaleAnswer,
  type SessionAnswer,
  type ShiftAnswer,
  type ShiftReportAnswer,
  type SyncInfoAnswer,
  type UsersAnswer,
  type VoidAnswer,
  scanBodySchema,
  type ScanAnswer,
} from '../../contract/host-api.js';
import { DEFAULT_SCALE_LABEL_FORMAT, scaleLabelLayout } from '../../domain/scale-label.js';
import { scanCode } from '../../domain/scan.js';

export function registerRoutes(app: FastifyInstance, ctx: TerminalContext): void {
  const { cashbox, ledger, index, docs, config } = ctx;
  const storeId = config.provisioning.store.id;

  app.get('/api/health', (): HealthAnswer => healthOf(ctx));

  // For support staff and tests: what this terminal holds, document by document and journal by journal.
  app.get('/api/documents', (request) => {
    requireActor(ctx, request);
    return {
      documents: docs.documentSummaries(),
      pending: docs.pendingDocuments(),
      quarantined: docs.quarantine.list(200),
    };
  });
  app.get('/api/journals', (request) => {
    requireActor(ctx, request);
    const ranges = new Map(config.provisioning.terminals.map((t) => [t.id, t]));
    const terminals = new Set([...docs.terminalsWithJournals(), ...ranges.keys()]);
    return {
      journals: [...terminals]
        .sort()
        .map((terminalId) =>
          summarizeJournal(
            terminalId,
            docs.journalEntries(terminalId).values(),
            docs.store.terminals.get(terminalId)?.numbering.from,
            positionsOf(docs.trust.certificates(terminalId)),
          ),
        ),
    };
  });

  // What the UI's in-memory repo needs to find the store's documents (their ids derive from the
  // LAN key, which never leaves the host).
  app.get('/api/sync-info', (request): SyncInfoAnswer => {
    requireActor(ctx, request);
    const journals: Record<string, string> = {};
    for (const [terminalId, chunks] of docs.store.journals) {
      for (const chunk of chunks)
        journals[`${terminalId}/${chunk}`] = docs.documentId(journalDocName(terminalId, chunk));
    }
    return {
      storeId,
      terminalId: config.provisioning.terminal.id,
      documents: {
        store: docs.documentId(STORE_DOC_NAME),
        catalog: docs.documentId(CATALOG_DOC_NAME),
        floor: docs.documentId(FLOOR_DOC_NAME),
        uploads: docs.documentId(UPLOADS_DOC_NAME),
      },
      journals,
    };
  });

  // The login screen shows who can log in on this terminal (never their PIN hashes).
  app.get('/api/users', (): UsersAnswer => ({
    users: config.provisioning.users.map((u) => ({ id: u.id, name: u.name, role: u.role })),
  }));

  app.post('/api/session', (request): SessionAnswer => {
    const { pin, userId } = parseOr400(sessionBodySchema, request.body);
    const session = ctx.sessions.login(pin, { userId, client: request.ip });
    if (!session.ok) pinRefused(session);
    return session.value;
  });
  // PIN4: the manager-PIN dialog checks the PIN as it is typed, before the action it authorizes.
  app.post('/api/session/elevate', (request): ElevateAnswer => {
    requireActor(ctx, request);
    const { pin, userId } = parseOr400(elevateBodySchema, request.body);
    const manager = ctx.sessions.elevate(pin, { userId, client: request.ip });
    if (!manager.ok) pinRefused(manager);
    return { user: manager.value };
  });
  app.get('/api/session', (request): CurrentSessionAnswer => ({ user: requireActor(ctx, request) }));
  app.delete('/api/session', (request, reply) => {
    requireActor(ctx, request);
    ctx.sessions.logout(request.headers.authorization?.slice(7).trim() ?? '');
    return reply.status(204).send();
  });

  app.get('/api/catalog', (request): CatalogAnswer => {
    requireActor(ctx, request);
    return { meta: docs.catalog.meta ?? null, products: docs.catalog.products };
  });
  // SCL1–SCL3: what a scanned code adds (barcode, SKU, or a scale label with its weight or price).
  app.post('/api/catalog/scan', (request): ScanAnswer => {
    requireActor(ctx, request);
    const { code } = parseOr400(scanBodySchema, request.body);
    const format = ctx.config.provisioning.store.settings?.scaleLabelFormat ?? DEFAULT_SCALE_LABEL_FORMAT;
    const layout = scaleLabelLayout(format);
    if (!layout.ok) throw new Error(layout.message);
    const scanned = scanCode(code, docs.catalog.products, layout.value);
    if (!scanned.ok) fail(scanned);
    return scanned.value;
  });
  app.post('/api/catalog/read', async (request): Promise<CatalogReadAnswer> => {
    const actor = requireActor(ctx, request, { manager: true });
    const result = await readCatalogFromCloud(docs, ctx.cloud, storeId, actor.name, ledger.timestamp());
    if (!result.ok) failFromCloud(result);
    // RNG4: the next range the cloud assigned to this terminal is held (and its key certified).
    const held = await ctx.ranges?.hold();
    return {
      ...result.value,
      nextRange: held?.ok && held.value.held ? held.value.held : (ctx.ranges?.held()?.numbering ?? null),
      nextPosition: ctx.ranges?.held()?.position ?? null,
      ...(held && !held.ok ? { nextRangeProblem: `${held.reason}: ${held.message}` } : {}),
    };
  });

  // CUS5–CUS7: the customer directory (read from the cloud, plus the buyers of the store's
  // invoices the cloud has not given back yet), searched by identification or name.
  app.get('/api/customers', (request): CustomerSearchAnswer => {
    requireActor(ctx, request);
    const q = parseOr400(customerQuerySchema, request.query, 'invalid-query');
    const directory = docs.customers;
    const entries = mergeDirectory(directory.customers, index.buyers(), directory.meta?.readAt);
    return {
      customers: searchDirectory(entries, q.q, q.limit),
      directory: {
        version: directory.meta?.version ?? null,
        readAt: directory.meta?.readAt ?? null,
        count: entries.length,
      },
    };
  });

  app.post('/api/sales', async (request, reply) => {
    const actor = actorWithOptionalElevation(ctx, request);
    const body = parseOr400(saleBodySchema, request.body);
    const result = await cashbox.sell(body, actor);
    if (!result.ok) fail(result);
    const { invoice, replayed } = result.value;
    if (replayed) void reply.header('idempotent-replay', 'true');
    // DRF3: the sale is issued; a restart must not bring its cart back.
    ctx.drafts?.issued(body.commandId);
    // PRN2: the receipt prints (and a cash sale opens the drawer) once, not again on a retry.
    const print = ctx.printing.afterSale(invoice, actor);
    return reply.status(201).send({
      invoice,
      print: { via: print.via, jobs: print.jobs.map(jobSummary) },
    } satisfies SaleAnswer);
  });

  app.get('/api/invoices', (request): InvoicesAnswer => {
    requireActor(ctx, request);
    const q = parseOr400(invoiceQuerySchema, request.query, 'invalid-query');
    const all = index
      .all()
      .filter(
        (i) =>
          (q.terminal === undefined || i.invoice.terminalId === q.terminal) &&
          (q.shift === undefined || i.invoice.shiftId === q.shift) &&
          (q.from === undefined || i.invoice.issuedAt >= q.from) &&
          (q.to === undefined || i.invoice.issuedAt <= q.to),
      );
    const start = q.cursor === undefined ? 0 : Number(q.cursor);
    const limit = q.limit ?? 100;
    const page = all.slice(start, start + limit);
    return {
      items: page.map((i) => ({
        invoice: i.invoice,
        voided: i.voidedBy !== undefined,
        voidedBy: i.voidedBy ?? null,
        // RET1: its partial returns (credit-note requests with lines, concept 1), oldest first.
        returns: i.returns.map((r) => r.creditNote),
      })),
      total: all.length,
      nextCursor: start + limit < all.length ? String(start + limit) : null,
    };
  });

  app.get('/api/invoices/:id', (request): InvoiceDetailAnswer => {
    requireActor(ctx, request);
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const found = index.get(id);
    if (!found) refuse('unknown-invoice', `no invoice ${id}`);
    return {
      invoice: found.invoice,
      voided: found.voidedBy !== undefined,
      voidedBy: found.voidedBy ?? null,
      voidRequests: found.voidRequests,
      returns: found.returns.map((r) => r.creditNote),
    };
  });

  app.get('/api/invoices/:id/receipt', (request, reply) => {
    requireActor(ctx, request);
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const { format, width } = parseOr400(receiptQuerySchema, request.query, 'invalid-query');
    const found = index.get(id);
    if (!found) refuse('unknown-invoice', `no invoice ${id}`);
    const store = config.provisioning.store;
    const terminalName = ctx.printing.terminalName(found.invoice.terminalId);
    // CRN3: a reprint of a voided invoice says whether the cloud has its credit note yet.
    const voided = found.voidedBy
      ? { creditNote: found.voidedBy, acknowledged: ctx.docs.acks.has(found.voidedBy.id) }
      : undefined;
    if (format === 'text') {
      return reply
        .type('text/plain; charset=utf-8')
        .send(renderReceiptText(found.invoice, store, { width, voided, terminalName }));
    }
    return reply
      .type('text/html; charset=utf-8')
      .send(renderReceiptHtml(found.invoice, store, { voided, terminalName }));
  });

  // CRN3: the credit-note request slip of a voided invoice, for the customer.
  app.get('/api/invoices/:id/credit-note', (request, reply) => {
    requireActor(ctx, request);
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const { format, width } = parseOr400(receiptQuerySchema, request.query, 'invalid-query');
    const found = index.get(id);
    if (!found) refuse('unknown-invoice', `no invoice ${id}`);
    // The void's slip, or else the latest partial return's (RET1).
    const note = found.voidedBy ?? found.returns.at(-1)?.creditNote;
    if (!note) refuse('not-voided', `invoice ${found.invoice.number} has no credit-note request`);
    const store = config.provisioning.store;
    const terminalName = ctx.printing.terminalName(note.terminalId);
    if (format === 'text')
      return reply
        .type('text/plain; charset=utf-8')
        .send(renderCreditNoteText(note, found.invoice, store, width, terminalName));
    return reply
      .type('text/html; charset=utf-8')
      .send(renderCreditNoteHtml(note, found.invoice, store, terminalName));
  });

  app.post('/api/invoices/:id/void', async (request): Promise<VoidAnswer> => {
    const actor = requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const body = parseOr400(voidBodySchema, request.body);
    const result = await cashbox.voidInvoice(
      id,
      { reason: body.reason, concept: body.concept, refundMethod: body.refund?.method },
      body.commandId,
      actor,
    );
    if (!result.ok) fail(result);
    return result.value;
  });

  app.post('/api/invoices/:id/returns', async (request, reply) => {
    const actor = requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const body = parseOr400(returnBodySchema, request.body);
    const result = await cashbox.returnLines(
      id,
      { reason: body.reason, lines: body.lines, refundMethod: body.refund.method },
      body.commandId,
      actor,
    );
    if (!result.ok) fail(result);
    return reply.status(201).send(result.value satisfies ReturnAnswer);
  });

  app.post('/api/shifts/open', async (request, reply) => {
    const actor = requireActor(ctx, request);
    const body = parseOr400(openShiftBodySchema, request.body);
    const result = await cashbox.shifts.openShift(body.commandId, body.openingCash, actor);
    if (!result.ok) fail(result);
    return reply.status(201).send({ shift: result.value } satisfies ShiftAnswer);
  });
  app.get('/api/shifts/current', (request): ShiftAnswer => {
    requireActor(ctx, request);
    const shift = cashbox.shift;
    if (!shift) refuse('no-open-shift', 'no shift is open on this terminal');
    return { shift };
  });
  app.post('/api/shifts/current/movements', async (request, reply) => {
    const actor = requireActor(ctx, request);
    const { commandId, ...movement } = parseOr400(movementBodySchema, request.body);
    const result = await cashbox.shifts.cashMovement(commandId, movement, actor);
    if (!result.ok) fail(result);
    return reply.status(201).send(result.value satisfies MovementAnswer);
  });
  app.get('/api/shifts/current/report', (request): ShiftReportAnswer | ClosePreview => {
    requireActor(ctx, request);
    // SHF6: with ?countedCash= the report is the Z the close would give (the preview).
    const { countedCash } = parseOr400(reportQuerySchema, request.query, 'invalid-query');
    const report = cashbox.shifts.report();
    if (!report) refuse('no-open-shift', 'no shift is open on this terminal');
    if (countedCash === undefined) return { report };
    const preview = cashbox.shifts.previewClose(countedCash);
    return preview ? { ...preview } : { report };
  });
  // A past (or the open) shift of this terminal: its Z report, recomputed from the journal.
  app.get('/api/shifts/:shiftId/report', (request): ShiftReportAnswer => {
    requireActor(ctx, request);
    const { shiftId } = parseOr400(shiftParams, request.params, 'invalid-path');
    const report = cashbox.shifts.report(shiftId);
    if (!report) refuse('unknown-shift', `no shift ${shiftId} on this terminal`);
    return { report };
  });
  app.post('/api/shifts/current/close', async (request): Promise<ShiftReportAnswer> => {
    const actor = actorWithOptionalElevation(ctx, request);
    const body = parseOr400(closeShiftBodySchema, request.body);
    const result = await cashbox.shifts.closeShift(body.commandId, body.countedCash, actor, body.note);
    if (!result.ok) fail(result);
    return { report: result.value };
  });
}
