import type { FastifyInstance } from 'fastify';
import { parseOr400 } from '../../contract/errors.js';
import {
  cartBodySchema,
  idParamsSchema,
  parkBodySchema,
  type CartAnswer,
  type ParkedSaleAnswer,
  type ParkedSalesAnswer,
  type RestoreParkedAnswer,
} from '../../contract/host-api.js';
import type { DraftOwner } from '../../domain/sale-draft.js';
import type { DraftStore } from '../drafts.js';
import { fail, refuse, requireActor, type TerminalContext } from './context.js';

/**
 * DRF1–DRF2: the screen's sale in progress and its parked sales ("Guardar venta", "Ventas en
 * espera"), kept on this terminal. Anyone logged in on the terminal may see and take them: the
 * till is shared by its cashiers, and a sale left by one is finished by another.
 */
export function registerDraftRoutes(app: FastifyInstance, ctx: TerminalContext, drafts: DraftStore): void {
  const users = ctx.config.provisioning.users;
  const ownerOf = (actor: { id: string; name: string }): DraftOwner => ({ id: actor.id, name: actor.name });

  app.get('/api/cart', (request): CartAnswer => {
    requireActor(ctx, request);
    return { cart: drafts.cart() };
  });

  app.put('/api/cart', (request): CartAnswer => {
    const actor = requireActor(ctx, request);
    const { draft } = parseOr400(cartBodySchema, request.body);
    return { cart: drafts.saveCart(draft, ownerOf(actor)) };
  });

  app.get('/api/parked-sales', (request): ParkedSalesAnswer => {
    requireActor(ctx, request);
    return { sales: drafts.parked() };
  });

  app.post('/api/parked-sales', (request, reply) => {
    const actor = requireActor(ctx, request);
    const body = parseOr400(parkBodySchema, request.body);
    let owner = ownerOf(actor);
    if (body.ownerId !== undefined) {
      const named = users.find((u) => u.id === body.ownerId);
      if (!named) refuse('unknown-user', `no user ${body.ownerId} on this terminal`);
      owner = ownerOf(named);
    }
    const parked = drafts.park(body.draft, owner);
    if (!parked.ok) fail(parked);
    return reply.status(201).send({ sale: parked.value } satisfies ParkedSaleAnswer);
  });

  app.post('/api/parked-sales/:id/restore', (request): RestoreParkedAnswer => {
    const actor = requireActor(ctx, request);
    const { id } = parseOr400(idParamsSchema, request.params, 'invalid-path');
    const restored = drafts.restore(id, ownerOf(actor));
    if (!restored.ok) fail(restored);
    const cart = drafts.cart();
    if (!cart) throw new Error('a restored sale left no cart');
    return { cart, parkedInstead: restored.value.parkedInstead ?? null };
  });

  app.delete('/api/parked-sales/:id', (request): ParkedSaleAnswer => {
    requireActor(ctx, request);
    const { id } = parseOr400(idParamsSchema, request.params, 'invalid-path');
    const discarded = drafts.discard(id);
    if (!discarded.ok) fail(discarded);
    return { sale: discarded.value };
  });
}
