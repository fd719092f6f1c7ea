import type { z } from 'zod';
import type {
  BatchResult,
  catalogSchema,
  CustomerDirectory,
  healthSchema,
  OfflineSalesPage,
  Provisioning,
  SealedDocument,
} from '../contract/cloud.js';
import type { Certificate } from '../domain/certificate.js';
import type { Err, Ok } from '../domain/result.js';
import type { Numbering } from '../domain/schemas.js';

export type Catalog = z.infer<typeof catalogSchema>;

/** An answer with an ETag: unchanged since the ETag the client had, or the new content. */
export type Versioned<T> =
  { notModified: true; etag: string } | ({ notModified: false; etag: string | undefined } & T);

/**
 * A failed cloud call: the cloud's own reason (its `error` field) with the HTTP status, or one of
 * ours: `cloud-unreachable`, `cloud-timeout`, `cloud-error` (5xx without a body), or
 * `invalid-cloud-answer`.
 */
export type CloudFailure = Err<string> & { readonly status?: number };
export type CloudResult<T> = Ok<T> | CloudFailure;

export interface OfflineSalesQuery {
  readonly terminal?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

/**
 * UPL3, UPL8, DIAN1 — what the upload, the read-back and the DIAN status need of the cloud: send
 * a batch and hear one answer per item, read back what the cloud holds page by page. CloudClient
 * is the real one; tests/support/memory-cloud.ts the fake; tests/contract/cloud-client.contract.ts
 * states what both do (UPL11).
 */
export interface SalesCloud {
  /** One result per item (a batch where no item could be stored is still an answer, not a failure). */
  uploadOfflineSales(storeId: string, items: readonly SealedDocument[]): Promise<CloudResult<BatchResult>>;
  /** The read-back: what the cloud holds, in arrival order, `nextCursor` null on the last page. */
  offlineSales(storeId: string, query?: OfflineSalesQuery): Promise<CloudResult<OfflineSalesPage>>;
}

/** What the rest of the terminal needs: health (the probe), provisioning, keys, ranges, the catalog. */
export interface TerminalCloud extends SalesCloud {
  health(): Promise<CloudResult<z.infer<typeof healthSchema>>>;
  provisioning(storeId: string, terminalId: string): Promise<CloudResult<Provisioning>>;
  /** SIG1: the store certifies a terminal's public key (RNG4: for a named assigned range). */
  certifyKey(
    storeId: string,
    terminalId: string,
    publicKey: string,
    range?: { prefix: string; from: number },
  ): Promise<CloudResult<Certificate>>;
  /** RNG1: every range the store ever assigned to the terminal, oldest first. */
  resolutions(storeId: string, terminalId: string): Promise<CloudResult<Numbering[]>>;
  catalog(storeId: string, etag?: string): Promise<CloudResult<Versioned<{ catalog: Catalog }>>>;
  customers(
    storeId: string,
    etag?: string,
  ): Promise<CloudResult<Versioned<{ directory: CustomerDirectory }>>>;
}
