import type { FastifyInstance } from 'fastify';
import {
  authorizeBodySchema,
  contingencyReportQuerySchema as reportQuery,
  episodeParamsSchema as episodeParams,
  idParamsSchema as idParams,
  type AuthorizeAnswer,
  type DianStatusAnswer,
  type EpisodesAnswer,
  type PreflightAnswer,
  type UploadCancelAnswer,
  type UploadReportAnswer,
  type UploadStartAnswer,
  type UploadStatusAnswer,
} from '../../contract/host-api.js';
import { parseOr400 } from '../../contract/errors.js';
import type { Uploader } from '../../upload/uploader.js';
import { contingencyReportOf, currentPreflight, episodesOf, uploadReportOf } from '../upload-service.js';
import { renderContingencyHtml, renderContingencyText } from '../../upload/contingency-report.js';
import { fail, failFromCloud, refuse, requireActor, type TerminalContext } from './context.js';

/** "Subir venta offline" (manager): preflight, start, watch, cancel, report. */
export function registerUploadRoutes(app: FastifyInstance, ctx: TerminalContext, uploader: Uploader): void {
  const { docs, config } = ctx;

  app.get('/api/uploads/preflight', (request): PreflightAnswer => {
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
    return reply.status(202).send(started.value satisfies UploadStartAnswer);
  });

  app.get('/api/uploads/:id', (request): UploadStatusAnswer => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const status = uploader.status(id);
    if (!status) refuse('unknown-upload', `no upload ${id} on this terminal`);
    const { itemIds: _ids, ...rest } = status;
    return rest;
  });

  app.post('/api/uploads/:id/cancel', (request): UploadCancelAnswer => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const cancelled = uploader.cancel(id);
    if (!cancelled.ok) fail(cancelled);
    return { id, state: cancelled.value.state, cancelling: true };
  });

  // EPI4: the store's contingency episodes, and the report of one (JSON, HTML or 42/48-column text).
  app.get('/api/contingency/episodes', (request): EpisodesAnswer => {
    requireActor(ctx, request);
    return episodesOf(ctx);
  });

  // DIAN1: each uploaded document's transmission to the DIAN, for Facturas (the cloud's read-back).
  app.get('/api/dian/status', async (request): Promise<DianStatusAnswer> => {
    requireActor(ctx, request);
    if (!ctx.dian) refuse('not-ready', 'the terminal reads no DIAN status');
    const status = await ctx.dian.read();
    if (!status.ok) failFromCloud(status);
    return status.value;
  });

  // EPI5: while the cloud answers, a manager authorizes selling offline, saying why.
  app.post('/api/contingency/authorize', async (request, reply) => {
    const actor = requireActor(ctx, request, { manager: true });
    const { reason } = parseOr400(authorizeBodySchema, request.body);
    const watch = ctx.contingency;
    if (!watch) refuse('not-ready', 'the terminal records no episodes');
    const { episode, opened } = await watch.authorize({ id: actor.id, name: actor.name }, reason);
    return reply.status(opened ? 201 : 200).send({ episode } satisfies AuthorizeAnswer);
  });

  app.get('/api/contingency/episodes/:id/report', async (request, reply) => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(episodeParams, request.params, 'invalid-path');
    const { format, width } = parseOr400(reportQuery, request.query, 'invalid-query');
    const report = await contingencyReportOf(ctx, id);
    if (!report) refuse('unknown-episode', `no contingency episode ${id}`);
    const store = config.provisioning.store;
    if (format === 'text')
      return reply.type('text/plain; charset=utf-8').send(renderContingencyText(report, store, width));
    if (format === 'html')
      return reply.type('text/html; charset=utf-8').send(renderContingencyHtml(report, store));
    return report;
  });

  app.get('/api/uploads/:id/report', (request): Promise<UploadReportAnswer> => {
    requireActor(ctx, request, { manager: true });
    const { id } = parseOr400(idParams, request.params, 'invalid-path');
    const status = uploader.status(id);
    if (!status) refuse('unknown-upload', `no upload ${id} on this terminal`);
    return uploadReportOf(ctx, status);
  });
}
