import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  areaParamsSchema as areaParams,
  floorBodySchemas as bodies,
  lineParamsSchema as lineParams,
  tableParamsSchema as tableParams,
  type BillAnswer,
  type CloseTableAnswer,
  type FloorAnswer,
  type OrderAnswer,
  type SendAnswer,
  type TableAnswer,
} from '../../contract/host-api.js';
import { parseOr400 } from '../../contract/errors.js';
import { FloorPlanEditor } from '../../restaurant/floor-plan.js';
import type { Restaurant } from '../../restaurant/service.js';
import { kitchenTicket, preBill } from '../../restaurant/tickets.js';
import { jobSummary } from './printing-routes.js';
import { actorWithOptionalElevation, fail, refuse, requireActor, type TerminalContext } from './context.js';

/** The restaurant floor API (comedores): for the UI, waiters' handhelds and kitchen displays. */
export function registerFloorRoutes(
  app: FastifyInstance,
  ctx: TerminalContext,
  restaurant: Restaurant,
): void {
  const floorPlan = new FloorPlanEditor(ctx.docs);
  const tableName = (id: string) => ctx.docs.floor.tables.find((t) => t.id === id)?.name ?? id;

  app.get('/api/floor', (request): FloorAnswer => {
    requireActor(ctx, request);
    return restaurant.view();
  });

  // FLR8: a manager adds or renames tables on this store's floor (every terminal sees it).
  app.post('/api/areas/:areaId/tables', async (request, reply) => {
    requireActor(ctx, request, { manager: true });
    const { areaId } = parseOr400(areaParams, request.params, 'invalid-path');
    const body = parseOr400(bodies.addTable, request.body);
    const result = await floorPlan.addTable(areaId, body, randomUUID().slice(0, 6));
    if (!result.ok) fail(result);
    return reply.status(201).send({ table: result.value } satisfies TableAnswer);
  });

  app.patch('/api/tables/:tableId', async (request): Promise<TableAnswer> => {
    requireActor(ctx, request, { manager: true });
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const result = await floorPlan.updateTable(tableId, parseOr400(bodies.updateTable, request.body));
    if (!result.ok) fail(result);
    return { table: result.value };
  });

  app.post('/api/tables/:tableId/open', async (request, reply) => {
    const actor = requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const { diners } = parseOr400(bodies.open, request.body);
    const result = await restaurant.open(tableId, diners, actor);
    if (!result.ok) fail(result);
    return reply.status(201).send({ order: result.value } satisfies OrderAnswer);
  });

  app.post('/api/tables/:tableId/lines', async (request, reply) => {
    const actor = requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const body = parseOr400(bodies.line, request.body);
    const result = await restaurant.addLine(tableId, body, actor);
    if (!result.ok) fail(result);
    return reply.status(201).send({ order: result.value } satisfies OrderAnswer);
  });

  app.patch('/api/tables/:tableId/lines/:lineId', async (request): Promise<OrderAnswer> => {
    const actor = requireActor(ctx, request);
    const { tableId, lineId } = parseOr400(lineParams, request.params, 'invalid-path');
    const body = parseOr400(bodies.change, request.body);
    const result = await restaurant.changeLine(tableId, lineId, body, actor);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.delete('/api/tables/:tableId/lines/:lineId', async (request): Promise<OrderAnswer> => {
    const actor = requireActor(ctx, request);
    const { tableId, lineId } = parseOr400(lineParams, request.params, 'invalid-path');
    const { commandId } = parseOr400(bodies.remove, request.body ?? {});
    const result = await restaurant.changeLine(tableId, lineId, { commandId, remove: true }, actor);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.post('/api/tables/:tableId/lines/:lineId/cancel', async (request): Promise<OrderAnswer> => {
    const actor = requireActor(ctx, request, { manager: true });
    const { tableId, lineId } = parseOr400(lineParams, request.params, 'invalid-path');
    const body = parseOr400(bodies.cancel, request.body);
    const result = await restaurant.cancelLine(tableId, lineId, body, actor);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.post('/api/tables/:tableId/send', async (request): Promise<SendAnswer> => {
    const actor = requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const result = await restaurant.send(tableId, actor);
    if (!result.ok) fail(result);
    const { order, sendId } = result.value;
    // PRN6: one comanda per station, on its printer, with only its lines.
    const comandas = ctx.printing.sendComandas(order, sendId, tableName(tableId), actor);
    return {
      order,
      ticket: kitchenTicket(order, sendId, tableName(tableId), (id) => ctx.printing.terminalName(id)),
      comandas: { jobs: comandas.jobs.map(jobSummary), unrouted: comandas.unrouted },
    };
  });

  app.post('/api/tables/:tableId/move', async (request): Promise<OrderAnswer> => {
    requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const result = await restaurant.move(tableId, parseOr400(bodies.move, request.body).to);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.post('/api/tables/:tableId/merge', async (request): Promise<OrderAnswer> => {
    requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const result = await restaurant.merge(tableId, parseOr400(bodies.merge, request.body).from);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.post('/api/tables/:tableId/bill', async (request): Promise<BillAnswer> => {
    requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    // FLR7: the tip the customers chose (asked before the bill is printed), if any; TIP2 limits it.
    const { tip } = parseOr400(bodies.bill, request.body ?? {});
    const result = await restaurant.requestBill(tableId, tip);
    if (!result.ok) fail(result);
    const bill = restaurant.bill(tableId);
    if (!bill.ok) fail(bill);
    return {
      order: result.value,
      preBill: preBill(result.value, tableName(tableId), ctx.ledger.timestamp(), bill.value, tip),
    };
  });

  app.post('/api/tables/:tableId/close', async (request): Promise<CloseTableAnswer> => {
    const actor = actorWithOptionalElevation(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const body = parseOr400(bodies.close, request.body);
    const result = await restaurant.close(tableId, body, actor);
    if (!result.ok) fail(result);
    if (result.value.invoices.length === 0) refuse('internal-error', 'no invoice was issued');
    // PRN2: each part's receipt, as after a sale at the till (a retry prints nothing again).
    const printed = result.value.invoices.map((invoice) => ctx.printing.afterSale(invoice, actor));
    return {
      invoices: result.value.invoices,
      order: result.value.order,
      print: {
        via: printed[0]?.via ?? 'none',
        jobs: printed.flatMap((p) => p.jobs.map(jobSummary)),
      },
    };
  });
}
