import { ImmutableString } from '@automerge/automerge';
import { canonicalJson } from '../../domain/canonical-json.js';
import { productSchema, type Product } from '../../domain/catalog.js';
import { bucketNames, bucketOf, type DocumentKind } from './document-kind.js';
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * The catalog as read from the cloud with "Leer catálogo": one immutable value per product, in 32
 * fixed buckets (10,000 products stay near 300 keys per map). `meta` holds scalars: the cloud's
 * version and ETag, when and by whom it was read.
 */
const BUCKETS = 32;
const BUCKET_NAMES = bucketNames('p', BUCKETS);

export const catalogKind: DocumentKind = {
  type: 'catalog',
  schemaVersion: 1,
  skeleton: () => ({
    type: 'catalog',
    schemaVersion: 1,
    meta: {},
    products: Object.fromEntries(BUCKET_NAMES.map((name) => [name, {}])),
  }),
  migrations: [],
};

export const CATALOG_DOC_NAME = 'catalog/v1';

export interface CatalogMeta {
  readonly version: string;
  readonly etag?: string | undefined;
  readonly readAt: string;
  readonly readBy: string;
}

export interface CatalogView {
  readonly meta: CatalogMeta | undefined;
  readonly products: readonly Product[];
}

export function productBucket(sku: string): string {
  return BUCKET_NAMES[bucketOf(sku, BUCKETS)] ?? 'p00';
}

export function readCatalog(doc: unknown): {
  view: CatalogView;
  quarantined: Omit<QuarantinedItem, 'document'>[];
} {
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const record = isRecord(doc) ? doc : {};
  const meta = isRecord(record.meta) ? record.meta : {};
  const products: Product[] = [];
  const buckets = isRecord(record.products) ? record.products : {};
  for (const [bucket, skus] of Object.entries(buckets)) {
    if (!isRecord(skus)) continue;
    for (const [sku, value] of Object.entries(skus)) {
      const json = immutableJson(value);
      const parsed = json.ok ? productSchema.safeParse(json.value) : undefined;
      if (!parsed?.success || parsed.data.sku !== sku || productBucket(sku) !== bucket) {
        quarantined.push({
          path: `products/${bucket}/${sku}`,
          reason: json.ok ? 'invalid-product' : json.reason,
        });
        continue;
      }
      products.push(parsed.data);
    }
  }
  products.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const version = typeof meta.version === 'string' ? meta.version : undefined;
  return {
    view: {
      meta:
        version === undefined
          ? undefined
          : {
              version,
              etag: typeof meta.etag === 'string' ? meta.etag : undefined,
              readAt: typeof meta.readAt === 'string' ? meta.readAt : '',
              readBy: typeof meta.readBy === 'string' ? meta.readBy : '',
            },
      products,
    },
    quarantined,
  };
}

export interface CatalogDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly priceChanges: readonly { sku: string; name: string; from: number; to: number }[];
  readonly changed: readonly string[];
}

/** What reading `next` over `current` changes: products added, removed, repriced, otherwise edited. */
export function diffCatalog(current: readonly Product[], next: readonly Product[]): CatalogDiff {
  const before = new Map(current.map((p) => [p.sku, p]));
  const after = new Map(next.map((p) => [p.sku, p]));
  const added: string[] = [];
  const priceChanges: { sku: string; name: string; from: number; to: number }[] = [];
  const changed: string[] = [];
  for (const [sku, product] of after) {
    const old = before.get(sku);
    if (!old) added.push(sku);
    else if (old.price !== product.price)
      priceChanges.push({ sku, name: product.name, from: old.price, to: product.price });
    else if (canonicalJson(old) !== canonicalJson(product)) changed.push(sku);
  }
  const removed = [...before.keys()].filter((sku) => !after.has(sku));
  return { added, removed, priceChanges, changed };
}

/** Write a catalog read into the document, touching only what differs (history stays small). */
export function writeCatalog(
  doc: Record<string, unknown>,
  current: readonly Product[],
  next: readonly Product[],
  meta: CatalogMeta,
): void {
  const diff = diffCatalog(current, next);
  const buckets = doc.products as Record<string, Record<string, unknown>>;
  const bySku = new Map(next.map((p) => [p.sku, p]));
  for (const sku of [...diff.added, ...diff.priceChanges.map((c) => c.sku), ...diff.changed]) {
    const product = bySku.get(sku);
    const bucket = buckets[productBucket(sku)];
    if (product && bucket) bucket[sku] = new ImmutableString(canonicalJson(product));
  }
  for (const sku of diff.removed) {
    const bucket = buckets[productBucket(sku)];
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing a product is deleting its key
    if (bucket) delete bucket[sku];
  }
  const m = doc.meta as Record<string, unknown>;
  m.version = meta.version;
  if (meta.etag !== undefined) m.etag = meta.etag;
  m.readAt = meta.readAt;
  m.readBy = meta.readBy;
}
