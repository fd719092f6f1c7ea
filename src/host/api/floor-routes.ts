import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { customerSchema, nameSchema, skuSchema, slugSchema, textSchema } from '../../domain/schemas.js';
import { ApiError, parseOr400 } from '../../http/errors.js';
import { FloorPlanEditor } from '../../restaurant/floor-plan.js';
import type { Restaurant } from '../../restaurant/service.js';
import { kitchenTicket, preBill } from '../../restaurant/tickets.js';
import { actorWithOptionalElevation, fail, requireActor, type TerminalContext } from './context.js';
import { commandIdSchema } from './schemas.js';

const tableParams = z.strictObject({ tableId: slugSchema });
const areaParams = z.strictObject({ areaId: slugSchema });
const lineParams = z.strictObject({ tableId: slugSchema, lineId: z.string().min(1).max(64) });
const payment = z.strictObject({ method: z.string().max(30), amount: z.number() });

const bodies = {
  open: z.strictObject({ diners: z.int().min(0).max(200) }),
  line: z.strictObject({
    commandId: commandIdSchema,
    sku: skuSchema,
    quantity: z.number(),
    note: textSchema(0, 200).optional(),
    orderId: z.string().max(64).optional(),
  }),
  change: z.strictObject({
    commandId: commandIdSchema,
    delta: z.number().optional(),
    note: textSchema(0, 200).optional(),
  }),
  /** CMD3: a DELETE names its command in a JSON body too (fetch and the screen's client send one). */
  remove: z.strictObject({ commandId: commandIdSchema }),
  cancel: z.strictObject({
    commandId: commandIdSchema,
    quantity: z.number(),
    reason: textSchema(3, 200),
  }),
  move: z.strictObject({ to: slugSchema }),
  addTable: z.strictObject({ name: nameSchema.max(40), seats: z.int().min(1).max(50) }),
  updateTable: z
    .strictObject({ name: nameSchema.max(40).optional(), seats: z.int().min(1).max(50).optional() })
    .refine((b) => b.name !== undefined || b.seats !== undefined, 'name or seats'),
  merge: z.strictObject({ from: slugSchema }),
  bill: z.strictObject({ tip: z.int().min(0).optional() }),
  close: z.strictObject({
    commandId: commandIdSchema,
    payments: z.union([z.array(payment).max(10), z.array(z.array(payment).max(10)).max(20)]),
    tip: z.number().optional(),
    customer: customerSchema.optional(),
    split: z
      .discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('lines'),
          parts: z
            .array(
              z
                .array(
                  z.union([
                    z.string().max(64),
                    z.strictObject({ lineId: z.string().min(1).max(64), quantity: z.number() }),
                  ]),
                )
                .max(200),
            )
            .min(1)
            .max(20),
        }),
        z.strictObject({ kind: z.literal('equal'), parts: z.int() }),
      ])
      .optional(),
  }),
};

/** The restaurant floor API (comedores): for the UI, waiters' handhelds and kitchen displays. */
export function registerFloorRoutes(
  app: FastifyInstance,
  ctx: TerminalContext,
  restaurant: Restaurant,
): void {
  const floorPlan = new FloorPlanEditor(ctx.docs);
  const tableName = (id: string) => ctx.docs.floor.tables.find((t) => t.id === id)?.name ?? id;

  app.get('/api/floor', (request) => {
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
    return reply.status(201).send({ table: result.value });
  });

  app.patch('/api/tables/:tableId', async (request) => {
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
    return reply.status(201).send({ order: result.value });
  });

  app.post('/api/tables/:tableId/lines', async (request, reply) => {
    const actor = requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const body = parseOr400(bodies.line, request.body);
    const result = await restaurant.addLine(tableId, body, actor);
    if (!result.ok) fail(result);
    return reply.status(201).send({ order: result.value });
  });

  app.patch('/api/tables/:tableId/lines/:lineId', async (request) => {
    const actor = requireActor(ctx, request);
    const { tableId, lineId } = parseOr400(lineParams, request.params, 'invalid-path');
    const body = parseOr400(bodies.change, request.body);
    const result = await restaurant.changeLine(tableId, lineId, body, actor);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.delete('/api/tables/:tableId/lines/:lineId', async (request) => {
    const actor = requireActor(ctx, request);
    const { tableId, lineId } = parseOr400(lineParams, request.params, 'invalid-path');
    const { commandId } = parseOr400(bodies.remove, request.body ?? {});
    const result = await restaurant.changeLine(tableId, lineId, { commandId, remove: true }, actor);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.post('/api/tables/:tableId/lines/:lineId/cancel', async (request) => {
    const actor = requireActor(ctx, request, { manager: true });
    const { tableId, lineId } = parseOr400(lineParams, request.params, 'invalid-path');
    const body = parseOr400(bodies.cancel, request.body);
    const result = await restaurant.cancelLine(tableId, lineId, body, actor);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.post('/api/tables/:tableId/send', async (request) => {
    const actor = requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const result = await restaurant.send(tableId, actor);
    if (!result.ok) fail(result);
    return {
      order: result.value.order,
      ticket: kitchenTicket(result.value.order, result.value.sendId, tableName(tableId)),
    };
  });

  app.post('/api/tables/:tableId/move', async (request) => {
    requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const result = await restaurant.move(tableId, parseOr400(bodies.move, request.body).to);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.post('/api/tables/:tableId/merge', async (request) => {
    requireActor(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const result = await restaurant.merge(tableId, parseOr400(bodies.merge, request.body).from);
    if (!result.ok) fail(result);
    return { order: result.value };
  });

  app.post('/api/tables/:tableId/bill', async (request) => {
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

  app.post('/api/tables/:tableId/close', async (request) => {
    const actor = actorWithOptionalElevation(ctx, request);
    const { tableId } = parseOr400(tableParams, request.params, 'invalid-path');
    const body = parseOr400(bodies.close, request.body);
    const result = await restaurant.close(tableId, body, actor);
    if (!result.ok) fail(result);
    if (result.value.invoices.length === 0)
      throw new ApiError(500, 'internal-error', 'no invoice was issued');
    return { invoices: result.value.invoices, order: result.value.order };
  });
}
