import type { StoreDocuments } from '../crdt/store-documents.js';
import { diffCatalog, writeCatalog, type CatalogDiff } from '../crdt/documents/catalog-doc.js';
import { writeCustomers, type CustomersDiff } from '../crdt/documents/customers-doc.js';
import { err, ok, type Result } from '../domain/result.js';
import type { TerminalCloud } from './cloud-port.js';

/** CUS5: what reading the customer directory changed. */
export interface CustomersReadResult extends CustomersDiff {
  readonly version: string;
  readonly notModified: boolean;
  /** Buyers in the directory after the read. */
  readonly count: number;
}

export interface CatalogReadResult extends CatalogDiff {
  readonly version: string;
  readonly notModified: boolean;
  /** The customer directory read with it; null when the cloud offers none (404). */
  readonly customers: CustomersReadResult | null;
}

/**
 * "Leer catálogo": fetch the cloud's catalog and customer directory and write what changed into
 * the shared documents, which every terminal then sees. Both are fetched before anything is
 * written: if the cloud cannot be reached or answers nonsense, both stay exactly as they were.
 */
export async function readCatalogFromCloud(
  docs: StoreDocuments,
  cloud: Pick<TerminalCloud, 'catalog' | 'customers'>,
  storeId: string,
  readBy: string,
  readAt: string,
): Promise<Result<CatalogReadResult, string>> {
  const current = docs.catalog;
  const fetched = await cloud.catalog(storeId, current.meta?.etag);
  if (!fetched.ok) return err(fetched.reason, fetched.message);
  const directory = docs.customers;
  const people = await cloud.customers(storeId, directory.meta?.etag);
  // A cloud without a directory (404) still gives its catalog.
  if (!people.ok && people.status !== 404) return err(people.reason, people.message);

  let customers: CustomersReadResult | null = null;
  if (people.ok && people.value.notModified) {
    customers = {
      version: directory.meta?.version ?? '',
      notModified: true,
      added: 0,
      changed: 0,
      removed: 0,
      count: directory.customers.length,
    };
  } else if (people.ok && !people.value.notModified) {
    const { directory: next, etag } = people.value;
    let diff: CustomersDiff = { added: 0, changed: 0, removed: 0 };
    await docs.changeShared('customers', (d) => {
      diff = writeCustomers(d, directory.customers, next.customers, {
        version: next.version,
        etag,
        readAt,
        readBy,
      });
    });
    customers = { version: next.version, notModified: false, count: next.customers.length, ...diff };
  }

  if (fetched.value.notModified) {
    return ok({
      version: current.meta?.version ?? '',
      notModified: true,
      added: [],
      removed: [],
      priceChanges: [],
      changed: [],
      customers,
    });
  }
  const { catalog, etag } = fetched.value;
  const diff = diffCatalog(current.products, catalog.products);
  await docs.changeShared('catalog', (d) => {
    writeCatalog(d, current.products, catalog.products, { version: catalog.version, etag, readAt, readBy });
  });
  return ok({ version: catalog.version, notModified: false, ...diff, customers });
}
