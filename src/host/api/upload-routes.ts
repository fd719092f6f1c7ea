import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError, parseOr400 } from '../../http/errors.js';
import type { Uploader } from '../../upload/uploader.js';
import { currentPreflight, uploadReportOf } from '../upload-service.js';
import { fail, requireActor, type TerminalContext } from './context.js';

const idParams = z.strictObject({ id: z.uuid() });

/** "Subir venta offline" (manager): preflight, start, watch, cancel, report. */
export function registerUploadRoutes(app: FastifyInstance, ctx: TerminalContext, uploader: Uploader): void {
  const { docs, config } = ctx;

  app.get('/api/uploads/preflight', (request) => {
    requireActor(ctx, request, { manager: true });
    const others = docs.uploadRunsView.filter(
      (r) => r.state === 'running' && r.terminalId !== config.provisioning.terminal.id,
    );
    return { ...currentPreflight(ctx), otherUploads: others };
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

  app.get('/api/uploads/:id/report', (request) => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const status = uploader.status(id);
    if (!status) throw new ApiError(404, 'unknown-upload', `no upload ${id} on this terminal`);
    return uploadReportOf(ctx, status);
  });
}
