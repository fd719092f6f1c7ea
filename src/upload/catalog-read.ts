import type { StoreDocuments } from '../crdt/store-documents.js';
import { diffCatalog, writeCatalog, type CatalogDiff } from '../crdt/documents/catalog-doc.js';
import { err, ok, type Result } from '../domain/result.js';
import type { CloudClient } from './cloud-client.js';

export interface CatalogReadResult extends CatalogDiff {
  readonly version: string;
  readonly notModified: boolean;
}

/**
 * "Leer catálogo": fetch the cloud's catalog and write what changed into the shared catalog
 * document, which every terminal then sees. If the cloud cannot be reached or answers nonsense,
 * the catalog stays exactly as it was.
 */
export async function readCatalogFromCloud(
  docs: StoreDocuments,
  cloud: CloudClient,
  storeId: string,
  readBy: string,
  readAt: string,
): Promise<Result<CatalogReadResult, string>> {
  const current = docs.catalog;
  const fetched = await cloud.catalog(storeId, current.meta?.etag);
  if (!fetched.ok) return err(fetched.reason, fetched.message);
  if (fetched.value.notModified) {
    return ok({
      version: current.meta?.version ?? '',
      notModified: true,
      added: [],
      removed: [],
      priceChanges: [],
      changed: [],
    });
  }
  const { catalog, etag } = fetched.value;
  const diff = diffCatalog(current.products, catalog.products);
  await docs.changeShared('catalog', (d) => {
    writeCatalog(d, current.products, catalog.products, { version: catalog.version, etag, readAt, readBy });
  });
  return ok({ version: catalog.version, notModified: false, ...diff });
}
