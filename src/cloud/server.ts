import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ApiError, parseOr400, toErrorResponse } from '../contract/errors.js';
import { CloudStore } from './cloud-store.js';
import {
  API_PREFIX,
  keyRequestSchema,
  MAX_BATCH_ITEMS,
  offlineSalesBatchSchema,
  dianRejectNextSchema,
  offlineSalesQuerySchema,
  pathParams,
  productUpsertSchema,
  customerUpsertSchema,
  resolutionRequestSchema,
} from '../contract/cloud.js';
import type { Db } from './db.js';
import { SalesLedger } from './ingest.js';
import { SalesReadBack } from './sales-read-back.js';
import { NumberingAccounts } from './numbering-account.js';
import { DianSimulator } from './dian.js';
import { completeCustomer, validateCustomer } from '../domain/customer.js';

export const CLOUD_VERSION = '0.1.0';

/** Faults the reference cloud can inject on uploads, for the fault tests (never in production). */
export interface CloudFaults {
  /** Share of upload requests answered 500 before anything is stored. */
  readonly failRate: number;
  /** Share of upload requests whose connection is dropped after the batch was committed. */
  readonly dropRate: number;
  /** Share of items answered `created` without being stored (a lying cloud, UPL8). */
  readonly lieRate?: number;
  /** Share of batch answers that leave the last item out. */
  readonly omitRate?: number;
  readonly random: () => number;
}

export interface CloudServerOptions {
  readonly db: Db;
  readonly now?: () => number;
  readonly logger?: boolean;
  readonly faults?: CloudFaults | undefined;
  /** DIAN1: how long after an upload the simulated transmission to the DIAN runs (2 s default). */
  readonly dianDelayMs?: number | undefined;
  /** RNG5: how many numbers of a range each new key of a terminal gets (5,000 default). */
  readonly positionSize?: number | undefined;
}

/** Set the ETag of a versioned answer; true when the client's If-None-Match already names it. */
function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  void reply.header('etag', etag).header('cache-control', 'no-cache');
  const ifNoneMatch = request.headers['if-none-match'];
  return ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim() === etag);
}

/** The reference cloud's HTTP API (docs/cloud-api.yaml). */
export function buildCloudServer(options: CloudServerOptions): FastifyInstance {
  const now = options.now ?? Date.now;
  const store = new CloudStore(options.db, options.positionSize);
  const ledger = new SalesLedger(options.db, store);
  const readBack = new SalesReadBack(options.db);
  const numbering = new NumberingAccounts(options.db);
  const dian = new DianSimulator(options.db, store);
  // 500 invoices of a few kilobytes each fit well under 16 MiB.
  // Prototype-poisoning scans are skipped: bodies go through strict schemas that refuse unknown
  // keys, and nothing merges them into other objects.
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024 * 1024,
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) request.log.error(error);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: 'not-found', message: `no route ${request.method} ${request.url}` });
  });

  // DIAN1: the simulated transmission runs a moment after each upload (and at start, for what was
  // left pending), a batch at a time, off the request path.
  let dianTimer: NodeJS.Timeout | undefined;
  const scheduleDian = () => {
    if (dianTimer !== undefined) return;
    dianTimer = setTimeout(() => {
      dianTimer = undefined;
      try {
        if (dian.transmit(now()) === 500) scheduleDian();
      } catch (error) {
        app.log.error(error, 'the simulated DIAN transmission failed');
      }
    }, options.dianDelayMs ?? 2_000);
    dianTimer.unref();
  };
  app.addHook('onReady', (done) => {
    scheduleDian();
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    clearTimeout(dianTimer);
    dianTimer = undefined;
    done();
  });

  /** Authenticate the bearer token of the store in the path. */
  function authorize(request: FastifyRequest): string {
    const { storeId } = parseOr400(pathParams.store.loose(), request.params, 'invalid-path');
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const outcome = store.authenticate(storeId, token);
    if (outcome === 'unknown-store') throw new ApiError(404, 'unknown-store', `no store "${storeId}"`);
    if (outcome === 'unauthorized') {
      throw new ApiError(401, 'unauthorized', token ? 'wrong token for this store' : 'missing bearer token');
    }
    return storeId;
  }

  app.get(`${API_PREFIX}/health`, () => ({
    status: 'ok',
    service: 'caja-cloud',
    version: CLOUD_VERSION,
    time: new Date(now()).toISOString(),
  }));

  app.get(`${API_PREFIX}/stores/:storeId/terminals/:terminalId/provisioning`, (request) => {
    const storeId = authorize(request);
    const { terminalId } = parseOr400(pathParams.terminal, request.params, 'invalid-path');
    const provisioning = store.provisioning(storeId, terminalId, now());
    if (!provisioning)
      throw new ApiError(404, 'unknown-terminal', `store ${storeId} has no terminal "${terminalId}"`);
    return provisioning;
  });

  app.post(`${API_PREFIX}/stores/:storeId/terminals/:terminalId/keys`, (request, reply) => {
    const storeId = authorize(request);
    const { terminalId } = parseOr400(pathParams.terminal, request.params, 'invalid-path');
    const { publicKey, range } = parseOr400(keyRequestSchema, request.body);
    const certified = store.certifyKey(storeId, terminalId, publicKey, now(), range);
    if (!certified)
      throw new ApiError(404, 'unknown-terminal', `store ${storeId} has no terminal "${terminalId}"`);
    if ('refused' in certified)
      throw new ApiError(
        certified.refused === 'unknown-range' ? 404 : 409,
        certified.refused,
        certified.message,
      );
    return reply.status(certified.created ? 201 : 200).send({ certificate: certified.certificate });
  });

  // RNG1: the ranges (DIAN resolutions) of a terminal, and a new one assigned by a store admin.
  app.get(`${API_PREFIX}/stores/:storeId/terminals/:terminalId/resolutions`, (request) => {
    const storeId = authorize(request);
    const { terminalId } = parseOr400(pathParams.terminal, request.params, 'invalid-path');
    if (!store.terminal(storeId, terminalId))
      throw new ApiError(404, 'unknown-terminal', `store ${storeId} has no terminal "${terminalId}"`);
    return { resolutions: store.ranges.of(storeId, terminalId) };
  });

  app.post(`${API_PREFIX}/stores/:storeId/terminals/:terminalId/resolutions`, (request, reply) => {
    const storeId = authorize(request);
    const { terminalId } = parseOr400(pathParams.terminal, request.params, 'invalid-path');
    const numbering = parseOr400(resolutionRequestSchema, request.body);
    const assigned = store.ranges.assign(storeId, terminalId, numbering, now(), store.today(storeId, now()));
    if (!assigned.ok)
      throw new ApiError(
        assigned.reason === 'unknown-terminal' ? 404 : 409,
        assigned.reason,
        assigned.message,
      );
    return reply.status(201).send({ resolutions: assigned.resolutions });
  });

  app.get(`${API_PREFIX}/stores/:storeId/catalog`, (request, reply) => {
    const storeId = authorize(request);
    const version = store.catalogVersion(storeId) ?? '0';
    if (notModified(request, reply, `"${storeId}-${version}"`)) return reply.status(304).send();
    return { version, products: store.products(storeId) };
  });

  app.put(`${API_PREFIX}/stores/:storeId/catalog/products/:sku`, (request) => {
    const storeId = authorize(request);
    const { sku } = parseOr400(pathParams.product, request.params, 'invalid-path');
    const product = parseOr400(productUpsertSchema, request.body);
    if (product.sku !== sku)
      throw new ApiError(400, 'sku-mismatch', `the body's sku ${product.sku} is not ${sku}`);
    return { version: store.upsertProduct(storeId, product, now()) };
  });

  app.delete(`${API_PREFIX}/stores/:storeId/catalog/products/:sku`, (request) => {
    const storeId = authorize(request);
    const { sku } = parseOr400(pathParams.product, request.params, 'invalid-path');
    if (!store.deleteProduct(storeId, sku, now()))
      throw new ApiError(404, 'unknown-product', `no product ${sku}`);
    return { version: store.catalogVersion(storeId) ?? '' };
  });

  // CUS5: the customer directory, with an ETag like the catalog's.
  app.get(`${API_PREFIX}/stores/:storeId/customers`, (request, reply) => {
    const storeId = authorize(request);
    const version = store.directory.version(storeId) ?? '0';
    if (notModified(request, reply, `"${storeId}-customers-${version}"`)) return reply.status(304).send();
    return { version, customers: store.directory.all(storeId) };
  });

  app.put(`${API_PREFIX}/stores/:storeId/customers/:idType/:idNumber`, (request) => {
    const storeId = authorize(request);
    const { idType, idNumber } = parseOr400(pathParams.customer, request.params, 'invalid-path');
    const customer = parseOr400(customerUpsertSchema, request.body);
    if (customer.idType !== idType || customer.idNumber !== idNumber)
      throw new ApiError(
        400,
        'id-mismatch',
        `the body's ${customer.idType} ${customer.idNumber} is not ${idType} ${idNumber}`,
      );
    const valid = validateCustomer(completeCustomer(customer));
    if (!valid.ok) throw new ApiError(422, valid.reason, valid.message);
    return { version: store.directory.put(storeId, valid.value, now()) };
  });

  app.post(`${API_PREFIX}/stores/:storeId/offline-sales`, (request, reply) => {
    const storeId = authorize(request);
    const body = request.body as { items?: unknown } | null;
    if (
      body !== null &&
      typeof body === 'object' &&
      Array.isArray(body.items) &&
      body.items.length > MAX_BATCH_ITEMS
    ) {
      throw new ApiError(
        413,
        'batch-too-large',
        `at most ${MAX_BATCH_ITEMS} items per batch, got ${body.items.length}`,
      );
    }
    const batch = parseOr400(offlineSalesBatchSchema, request.body);
    const ids = new Set(batch.items.map((item) => item.id));
    if (ids.size !== batch.items.length) {
      throw new ApiError(400, 'duplicate-ids', 'the same id appears twice in one batch');
    }
    const faults = options.faults;
    if (faults && faults.random() < faults.failRate) {
      throw new ApiError(500, 'injected-fault', 'injected failure (the batch was not stored)');
    }
    const lied = new Set(
      faults?.lieRate
        ? batch.items.filter(() => faults.random() < (faults.lieRate ?? 0)).map((i) => i.id)
        : [],
    );
    const stored = lied.size === 0 ? batch.items : batch.items.filter((i) => !lied.has(i.id));
    let result = ledger.ingest(storeId, stored, now());
    if (lied.size > 0) {
      const real = new Map(result.results.map((r) => [r.id, r]));
      const results = batch.items.map(
        (i) => real.get(i.id) ?? { id: i.id, kind: i.kind, status: 'created' as const },
      );
      result = { results, summary: { ...result.summary, created: result.summary.created + lied.size } };
    }
    if (faults?.omitRate && faults.random() < faults.omitRate)
      result = { ...result, results: result.results.slice(0, -1) };
    if (faults && faults.random() < faults.dropRate) {
      // The batch is committed; the answer is lost on the way back.
      void reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (result.summary.created > 0) scheduleDian();
    if (result.summary.rejected === batch.items.length) {
      return reply.status(422).send({
        error: 'items-rejected',
        message: 'no item of the batch could be stored; see results for each reason',
        ...result,
      });
    }
    return result;
  });

  app.get(`${API_PREFIX}/stores/:storeId/offline-sales`, (request) => {
    const storeId = authorize(request);
    const query = parseOr400(offlineSalesQuerySchema, request.query, 'invalid-query');
    return readBack.page(storeId, query);
  });

  // DIAN3, reference cloud only: a demo switch so that the rejection path can be tried.
  app.post(`${API_PREFIX}/stores/:storeId/dian/reject-next`, (request, reply) => {
    const storeId = authorize(request);
    const { reason } = parseOr400(dianRejectNextSchema, request.body);
    dian.rejectNext(storeId, reason);
    return reply.status(202).send({ armed: true, reason });
  });

  // RNG3: every range of the store, per terminal: issued, voided, unused and missing numbers.
  app.get(`${API_PREFIX}/stores/:storeId/offline-sales/numbering`, (request) => {
    const storeId = authorize(request);
    return numbering.account(storeId, new Date(now()).toISOString(), store.certificates(storeId));
  });

  app.get(`${API_PREFIX}/stores/:storeId/inventory`, (request) => {
    const storeId = authorize(request);
    return store.inventory(storeId);
  });

  return app;
}
