import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError, parseOr400 } from '../../http/errors.js';
import { summarizeJournal } from '../../invoice/journal-summary.js';
import type { StoredSale } from '../../cloud/contract.js';
import { preflight } from '../../upload/preflight.js';
import { uploadReport } from '../../upload/report.js';
import type { Uploader } from '../../upload/uploader.js';
import { fail, requireActor, type TerminalContext } from './context.js';

const idParams = z.strictObject({ id: z.uuid() });

/** "Subir venta offline" (manager): preflight, start, watch, cancel, report. */
export function registerUploadRoutes(app: FastifyInstance, ctx: TerminalContext, uploader: Uploader): void {
  const { docs, index, config } = ctx;
  const storeId = config.provisioning.store.id;

  const currentPreflight = () =>
    preflight({
      terminals: config.provisioning.terminals,
      journals: config.provisioning.terminals.map((t) =>
        summarizeJournal(
          t.id,
          docs.journalEntries(t.id).values(),
          docs.store.terminals.get(t.id)?.numbering.from,
        ),
      ),
      invoices: index.all(),
      acks: docs.acks,
      selfId: config.provisioning.terminal.id,
      peers: ctx.peers(),
      now: ctx.now(),
    });

  app.get('/api/uploads/preflight', (request) => {
    requireActor(ctx, request, { manager: true });
    const others = docs.uploadRunsView.filter(
      (r) => r.state === 'running' && r.terminalId !== config.provisioning.terminal.id,
    );
    return { ...currentPreflight(), otherUploads: others };
  });

  app.post('/api/uploads', (request, reply) => {
    const actor = requireActor(ctx, request, { manager: true });
    const started = uploader.start({ id: actor.id, name: actor.name });
    if (!started.ok) fail(started);
    return reply.status(202).send(started.value);
  });

  app.get('/api/uploads/:id', (request) => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const status = uploader.status(id);
    if (!status) throw new ApiError(404, 'unknown-upload', `no upload ${id} on this terminal`);
    const { itemIds: _ids, ...rest } = status;
    return rest;
  });

  app.post('/api/uploads/:id/cancel', (request) => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const cancelled = uploader.cancel(id);
    if (!cancelled.ok) fail(cancelled);
    return { id, state: cancelled.value.state, cancelling: true };
  });

  app.get('/api/uploads/:id/report', async (request) => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const status = uploader.status(id);
    if (!status) throw new ApiError(404, 'unknown-upload', `no upload ${id} on this terminal`);
    // The cloud's own read-back; if it cannot be reached the report says it was not checked.
    const cloud: StoredSale[] = [];
    let cursor: string | undefined;
    let checked = true;
    for (let page = 0; page < 1000; page += 1) {
      const answer = await ctx.cloud.offlineSales(storeId, {
        limit: 1000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      if (!answer.ok) {
        checked = false;
        break;
      }
      cloud.push(...answer.value.items);
      if (answer.value.nextCursor === null) break;
      cursor = answer.value.nextCursor;
    }
    const { itemIds: _ids, ...run } = status;
    return { run, ...uploadReport(index.all(), docs.acks, checked ? cloud : undefined) };
  });
}
