import { ImmutableString } from '@automerge/automerge';
import { canonicalJson } from '../../domain/canonical-json.js';
import { customerKey, type Customer } from '../../domain/customer.js';
import { customerSchema } from '../../domain/schemas.js';
import { bucketNames, bucketOf, type DocumentKind } from './document-kind.js';
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * CUS5: the store's customer directory as read from the cloud with "Leer catálogo", shared by the
 * terminals like the catalog: one immutable value per buyer (key `<idType>:<idNumber>`) in 32
 * fixed buckets, and `meta` with the directory's version and ETag, when and by whom it was read.
 * Buyers identified offline are not written here: the invoices already carry them (CUS7).
 */
const BUCKETS = 32;
const BUCKET_NAMES = bucketNames('c', BUCKETS);

export const customersKind: DocumentKind = {
  type: 'customers',
  schemaVersion: 1,
  skeleton: () => ({
    type: 'customers',
    schemaVersion: 1,
    meta: {},
    customers: Object.fromEntries(BUCKET_NAMES.map((name) => [name, {}])),
  }),
  migrations: [],
};

export const CUSTOMERS_DOC_NAME = 'customers/v1';

export interface CustomersMeta {
  readonly version: string;
  readonly etag?: string | undefined;
  readonly readAt: string;
  readonly readBy: string;
}

export interface CustomersView {
  readonly meta: CustomersMeta | undefined;
  readonly customers: readonly Customer[];
}

function customerBucket(key: string): string {
  return BUCKET_NAMES[bucketOf(key, BUCKETS)] ?? 'c00';
}

export function readCustomers(doc: unknown): {
  view: CustomersView;
  quarantined: Omit<QuarantinedItem, 'document'>[];
} {
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const record = isRecord(doc) ? doc : {};
  const meta = isRecord(record.meta) ? record.meta : {};
  const customers: Customer[] = [];
  const buckets = isRecord(record.customers) ? record.customers : {};
  for (const [bucket, entries] of Object.entries(buckets)) {
    if (!isRecord(entries)) continue;
    for (const [key, value] of Object.entries(entries)) {
      const json = immutableJson(value);
      const parsed = json.ok ? customerSchema.safeParse(json.value) : undefined;
      if (!parsed?.success || customerKey(parsed.data) !== key || customerBucket(key) !== bucket) {
        quarantined.push({
          path: `customers/${bucket}/${key}`,
          reason: json.ok ? 'invalid-customer' : json.reason,
        });
        continue;
      }
      customers.push(parsed.data);
    }
  }
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
      customers,
    },
    quarantined,
  };
}

export interface CustomersDiff {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

/** Write a directory read into the document, touching only the entries that differ. */
export function writeCustomers(
  doc: Record<string, unknown>,
  current: readonly Customer[],
  next: readonly Customer[],
  meta: CustomersMeta,
): CustomersDiff {
  const before = new Map(current.map((c) => [customerKey(c), canonicalJson(c)]));
  const after = new Map(next.map((c) => [customerKey(c), canonicalJson(c)]));
  const buckets = doc.customers as Record<string, Record<string, unknown>>;
  let added = 0;
  let changed = 0;
  let removed = 0;
  for (const [key, json] of after) {
    const old = before.get(key);
    if (old === json) continue;
    if (old === undefined) added += 1;
    else changed += 1;
    const bucket = buckets[customerBucket(key)];
    if (bucket) bucket[key] = new ImmutableString(json);
  }
  for (const key of before.keys()) {
    if (after.has(key)) continue;
    removed += 1;
    const bucket = buckets[customerBucket(key)];
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a buyer the cloud no longer lists
    if (bucket) delete bucket[key];
  }
  const m = doc.meta as Record<string, unknown>;
  m.version = meta.version;
  if (meta.etag !== undefined) m.etag = meta.etag;
  m.readAt = meta.readAt;
  m.readBy = meta.readBy;
  return { added, changed, removed };
}
