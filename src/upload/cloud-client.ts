import type { z } from 'zod';
import type { Numbering } from '../domain/schemas.js';
import { err, ok } from '../domain/result.js';
import type {
  Catalog,
  CloudFailure,
  CloudResult,
  OfflineSalesQuery,
  TerminalCloud,
  Versioned,
} from './cloud-port.js';
import type { Product } from '../domain/catalog.js';
import type { Customer } from '../domain/customer.js';
import {
  API_PREFIX,
  batchResultSchema,
  catalogSchema,
  certificateAnswerSchema,
  customerDirectorySchema,
  errorBodySchema,
  healthSchema,
  inventorySchema,
  offlineSalesPageSchema,
  numberingAccountSchema,
  resolutionsAnswerSchema,
  provisioningSchema,
  type BatchResult,
  type CustomerDirectory,
  type Inventory,
  type OfflineSalesPage,
  type NumberingAccount,
  type Provisioning,
  type SealedDocument,
} from '../contract/cloud.js';
import type { Certificate } from '../domain/certificate.js';
import { describeZodError } from '../contract/errors.js';

export type { Catalog, CloudFailure, CloudResult, Versioned } from './cloud-port.js';

export interface CloudClientOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * The terminals' client of the cloud contract. Every answer is untrusted: it is parsed with the
 * contract's schemas, and anything else is `invalid-cloud-answer`.
 */
export class CloudClient implements TerminalCloud {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: CloudClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '') + API_PREFIX;
    this.fetchImpl = options.fetch ?? fetch;
  }

  health(): Promise<CloudResult<z.infer<typeof healthSchema>>> {
    return this.call('GET', '/health', healthSchema);
  }

  provisioning(storeId: string, terminalId: string): Promise<CloudResult<Provisioning>> {
    return this.call(
      'GET',
      `/stores/${enc(storeId)}/terminals/${enc(terminalId)}/provisioning`,
      provisioningSchema,
    );
  }

  /** Have the store certify this terminal's public key (the private key never leaves the terminal). */
  async certifyKey(
    storeId: string,
    terminalId: string,
    publicKey: string,
    /** RNG4: an assigned resolution to certify the key for (the next one); the one in use by default. */
    range?: { prefix: string; from: number },
  ): Promise<CloudResult<Certificate>> {
    const answer = await this.call(
      'POST',
      `/stores/${enc(storeId)}/terminals/${enc(terminalId)}/keys`,
      certificateAnswerSchema,
      range ? { publicKey, range } : { publicKey },
    );
    return answer.ok ? ok(answer.value.certificate) : answer;
  }

  /** RNG1: every resolution (range) the store ever assigned to a terminal, oldest first. */
  async resolutions(storeId: string, terminalId: string): Promise<CloudResult<Numbering[]>> {
    const answer = await this.call(
      'GET',
      `/stores/${enc(storeId)}/terminals/${enc(terminalId)}/resolutions`,
      resolutionsAnswerSchema,
    );
    return answer.ok ? ok(answer.value.resolutions) : answer;
  }

  /** The catalog, or `notModified` when the cloud's ETag still matches `etag`. */
  async catalog(storeId: string, etag?: string): Promise<CloudResult<Versioned<{ catalog: Catalog }>>> {
    const got = await this.versioned(`/stores/${enc(storeId)}/catalog`, catalogSchema, etag);
    if (!got.ok || got.value.notModified) return got as CloudResult<Versioned<never>>;
    return ok({ notModified: false as const, etag: got.value.etag, catalog: got.value.body });
  }

  /** CUS5: the customer directory, or `notModified` when the cloud's ETag still matches `etag`. */
  async customers(
    storeId: string,
    etag?: string,
  ): Promise<CloudResult<Versioned<{ directory: CustomerDirectory }>>> {
    const got = await this.versioned(`/stores/${enc(storeId)}/customers`, customerDirectorySchema, etag);
    if (!got.ok || got.value.notModified) return got as CloudResult<Versioned<never>>;
    return ok({ notModified: false as const, etag: got.value.etag, directory: got.value.body });
  }

  /** A GET answered with an ETag: 304 when `etag` still matches, else the parsed body. */
  private async versioned<T>(
    path: string,
    schema: z.ZodType<T>,
    etag: string | undefined,
  ): Promise<CloudResult<Versioned<{ body: T }>>> {
    const headers: Record<string, string> = etag ? { 'if-none-match': etag } : {};
    const response = await this.request('GET', path, undefined, headers);
    if (!response.ok) return response;
    const res = response.value;
    const newEtag = res.headers.get('etag') ?? undefined;
    if (res.status === 304) return ok({ notModified: true as const, etag: newEtag ?? etag ?? '' });
    const parsed = await parseBody(res, schema);
    return parsed.ok ? ok({ notModified: false as const, etag: newEtag, body: parsed.value }) : parsed;
  }

  putCustomer(storeId: string, customer: Customer): Promise<CloudResult<unknown>> {
    return this.call(
      'PUT',
      `/stores/${enc(storeId)}/customers/${enc(customer.idType)}/${enc(customer.idNumber)}`,
      undefined,
      customer,
    );
  }

  putProduct(storeId: string, product: Product): Promise<CloudResult<unknown>> {
    return this.call(
      'PUT',
      `/stores/${enc(storeId)}/catalog/products/${enc(product.sku)}`,
      undefined,
      product,
    );
  }

  /**
   * Upload a batch. A 422 (no item could be stored) still carries per-item results, so it is a
   * successful call whose items are all rejected.
   */
  async uploadOfflineSales(
    storeId: string,
    items: readonly SealedDocument[],
  ): Promise<CloudResult<BatchResult>> {
    const response = await this.request('POST', `/stores/${enc(storeId)}/offline-sales`, { items });
    if (!response.ok) return response;
    const res = response.value;
    if (res.status === 422) {
      const text = await res.text();
      const parsed = batchResultSchema.safeParse(stripError(safeJson(text)));
      if (parsed.success) return ok(parsed.data);
      return failureFromBody(res.status, text);
    }
    return parseBody(res, batchResultSchema);
  }

  offlineSales(storeId: string, query: OfflineSalesQuery = {}): Promise<CloudResult<OfflineSalesPage>> {
    const params = new URLSearchParams();
    if (query.terminal !== undefined) params.set('terminal', query.terminal);
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const qs = params.size > 0 ? `?${params.toString()}` : '';
    return this.call('GET', `/stores/${enc(storeId)}/offline-sales${qs}`, offlineSalesPageSchema);
  }

  /** RNG3: every range of the store, per terminal: issued, voided, unused and missing numbers. */
  numbering(storeId: string): Promise<CloudResult<NumberingAccount>> {
    return this.call('GET', `/stores/${enc(storeId)}/offline-sales/numbering`, numberingAccountSchema);
  }

  inventory(storeId: string): Promise<CloudResult<Inventory>> {
    return this.call('GET', `/stores/${enc(storeId)}/inventory`, inventorySchema);
  }

  private async call<T>(
    method: string,
    path: string,
    schema: z.ZodType<T> | undefined,
    body?: unknown,
  ): Promise<CloudResult<T>> {
    const response = await this.request(method, path, body);
    if (!response.ok) return response;
    if (!schema) {
      await response.value.arrayBuffer();
      return ok(undefined as T);
    }
    return parseBody(response.value, schema);
  }

  private async request(
    method: string,
    path: string,
    body: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<CloudResult<Response>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      ...extraHeaders,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError')
        return err('cloud-timeout', `the cloud did not answer ${method} ${path} in time`);
      return err(
        'cloud-unreachable',
        `cannot reach the cloud at ${this.options.baseUrl}: ${describe(error)}`,
      );
    }
    if (res.status >= 400 && res.status !== 422) return failureFromBody(res.status, await res.text());
    return ok(res);
  }
}

function enc(part: string): string {
  return encodeURIComponent(part);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function stripError(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const { error: _e, message: _m, ...rest } = value as Record<string, unknown>;
  return rest;
}

function failureFromBody(status: number, text: string): CloudFailure {
  const parsed = errorBodySchema.safeParse(safeJson(text));
  if (parsed.success) return { ok: false, reason: parsed.data.error, message: parsed.data.message, status };
  return {
    ok: false,
    reason: status >= 500 ? 'cloud-error' : 'invalid-cloud-answer',
    message: `HTTP ${status}`,
    status,
  };
}

async function parseBody<T>(res: Response, schema: z.ZodType<T>): Promise<CloudResult<T>> {
  const text = await res.text();
  const parsed = schema.safeParse(safeJson(text));
  if (!parsed.success) {
    return err(
      'invalid-cloud-answer',
      `the cloud's answer does not follow the contract: ${describeZodError(parsed.error)}`,
    );
  }
  return ok(parsed.data);
}
