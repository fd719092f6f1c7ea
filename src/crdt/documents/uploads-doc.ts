import { z } from 'zod';
import { offsetDateTimeSchema, personRefSchema } from '../../domain/schemas.js';
import { bucketNames, bucketOf, type DocumentKind } from './document-kind.js';
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * The uploads ledger: for every invoice or credit note the cloud acknowledged, its outcome, so
 * that every terminal shows what is already in the cloud. Acknowledgements are immutable values
 * keyed by the document id in 32 buckets; two managers acknowledging the same item write the same
 * key, which is harmless.
 */
const BUCKETS = 32;
const BUCKET_NAMES = bucketNames('a', BUCKETS);

export const uploadsKind: DocumentKind = {
  type: 'uploads',
  schemaVersion: 1,
  skeleton: () => ({
    type: 'uploads',
    schemaVersion: 1,
    acks: Object.fromEntries(BUCKET_NAMES.map((name) => [name, {}])),
    runs: {},
  }),
  migrations: [],
};

export const UPLOADS_DOC_NAME = 'uploads/v1';

export const ackSchema = z.strictObject({
  id: z.uuid(),
  kind: z.enum(['invoice', 'credit-note']),
  status: z.enum(['created', 'duplicate']),
  at: offsetDateTimeSchema,
  by: personRefSchema,
  terminalId: z.string().max(40),
});
export type UploadAck = z.infer<typeof ackSchema>;

export function ackBucket(id: string): string {
  return BUCKET_NAMES[bucketOf(id, BUCKETS)] ?? 'a00';
}

export function readUploads(doc: unknown): {
  acks: ReadonlyMap<string, UploadAck>;
  quarantined: Omit<QuarantinedItem, 'document'>[];
} {
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const acks = new Map<string, UploadAck>();
  const buckets = isRecord(doc) && isRecord(doc.acks) ? doc.acks : {};
  for (const [bucket, ids] of Object.entries(buckets)) {
    if (!isRecord(ids)) continue;
    for (const [id, value] of Object.entries(ids)) {
      const json = immutableJson(value);
      const parsed = json.ok ? ackSchema.safeParse(json.value) : undefined;
      if (parsed?.success && parsed.data.id === id) acks.set(id, parsed.data);
      else quarantined.push({ path: `acks/${bucket}/${id}`, reason: json.ok ? 'invalid-ack' : json.reason });
    }
  }
  return { acks, quarantined };
}
