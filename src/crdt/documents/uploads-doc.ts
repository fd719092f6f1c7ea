import { ImmutableString } from '@automerge/automerge';
import { z } from 'zod';
import { canonicalJson } from '../../domain/canonical-json.js';
import { offsetDateTimeSchema, personRefSchema } from '../../domain/schemas.js';
import { unusedNumberSchema } from '../../domain/unused-number.js';
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

/**
 * `missing` (UPL8): the cloud acknowledged the item, but its own read-back does not hold it (a cloud
 * that answered "created" without storing, or an acknowledgement nobody got from the cloud). The
 * item is pending again, and the next acknowledgement replaces the mark.
 */
export const ackSchema = z.strictObject({
  /** A document's UUID, or an unused number's id (UPL10). */
  id: z.union([z.uuid(), unusedNumberSchema.shape.id]),
  kind: z.enum(['invoice', 'credit-note', 'unused-number']),
  status: z.enum(['created', 'duplicate', 'missing']),
  at: offsetDateTimeSchema,
  by: personRefSchema,
  terminalId: z.string().max(40),
});
export type UploadAck = z.infer<typeof ackSchema>;

export const runSchema = z.strictObject({
  id: z.string().min(1).max(64),
  terminalId: z.string().max(40),
  by: personRefSchema,
  startedAt: offsetDateTimeSchema,
  updatedAt: offsetDateTimeSchema,
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  total: z.int().min(0),
  sent: z.int().min(0),
});
export type UploadRun = z.infer<typeof runSchema>;

function isMissingMark(value: unknown): boolean {
  const json = immutableJson(value);
  return json.ok && isRecord(json.value) && json.value.status === 'missing';
}

/**
 * Record acknowledgements (each its own key: two uploaders writing the same one is harmless). The
 * first one is kept, except over a `missing` mark: the item was sent again and the cloud has it now.
 */
export function writeAcks(doc: Record<string, unknown>, acks: readonly UploadAck[]): void {
  const buckets = doc.acks as Record<string, Record<string, unknown>>;
  for (const ack of acks) {
    const bucket = buckets[ackBucket(ack.id)];
    if (bucket && (!(ack.id in bucket) || isMissingMark(bucket[ack.id])))
      bucket[ack.id] = new ImmutableString(canonicalJson(ack));
  }
}

/** UPL8: acknowledged items the cloud's read-back does not hold are pending again. */
export function markUnconfirmed(doc: Record<string, unknown>, marks: readonly UploadAck[]): void {
  const buckets = doc.acks as Record<string, Record<string, unknown>>;
  for (const mark of marks) {
    const bucket = buckets[ackBucket(mark.id)];
    if (bucket) bucket[mark.id] = new ImmutableString(canonicalJson({ ...mark, status: 'missing' }));
  }
}

/** An upload run's progress, for every terminal to see (only its own terminal writes it). */
export function writeRun(doc: Record<string, unknown>, run: UploadRun): void {
  (doc.runs as Record<string, unknown>)[run.id] = new ImmutableString(canonicalJson(run));
}

export function ackBucket(id: string): string {
  return BUCKET_NAMES[bucketOf(id, BUCKETS)] ?? 'a00';
}

/** Acknowledgements already validated, by id, with the text they were parsed from. */
export type AckCache = Map<string, { readonly text: string; readonly ack: UploadAck }>;

function immutableText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const val = (value as { val?: unknown }).val;
    if (typeof val === 'string') return val;
  }
  return undefined;
}

/**
 * The acknowledgements and runs of an uploads document. `cache` (kept by the caller between
 * reads) spares re-validating the acknowledgements already read: an upload of 10,000 sales changes
 * the document after every batch, and re-parsing every earlier ack each time made it quadratic.
 * A hit needs the same text under the same id, so a value a peer replaced is validated again.
 */
export function readUploads(
  doc: unknown,
  cache?: AckCache,
): {
  acks: ReadonlyMap<string, UploadAck>;
  /** Items marked `missing`: acknowledged once, not in the cloud's read-back, pending again. */
  unconfirmed: ReadonlySet<string>;
  runs: readonly UploadRun[];
  quarantined: Omit<QuarantinedItem, 'document'>[];
} {
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const acks = new Map<string, UploadAck>();
  const unconfirmed = new Set<string>();
  const buckets = isRecord(doc) && isRecord(doc.acks) ? doc.acks : {};
  for (const [bucket, ids] of Object.entries(buckets)) {
    if (!isRecord(ids)) continue;
    for (const [id, value] of Object.entries(ids)) {
      const text = immutableText(value);
      const hit = text === undefined ? undefined : cache?.get(id);
      if (hit && hit.text === text) {
        acks.set(id, hit.ack);
        continue;
      }
      const json = immutableJson(value);
      const parsed = json.ok ? ackSchema.safeParse(json.value) : undefined;
      if (parsed?.success && parsed.data.id === id) {
        acks.set(id, parsed.data);
        if (text !== undefined) cache?.set(id, { text, ack: parsed.data });
      } else
        quarantined.push({ path: `acks/${bucket}/${id}`, reason: json.ok ? 'invalid-ack' : json.reason });
    }
  }
  const runs: UploadRun[] = [];
  const rawRuns = isRecord(doc) && isRecord(doc.runs) ? doc.runs : {};
  for (const [id, value] of Object.entries(rawRuns)) {
    const json = immutableJson(value);
    const parsed = json.ok ? runSchema.safeParse(json.value) : undefined;
    if (parsed?.success && parsed.data.id === id) runs.push(parsed.data);
    else quarantined.push({ path: `runs/${id}`, reason: json.ok ? 'invalid-run' : json.reason });
  }
  runs.sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
  for (const [id, ack] of acks) {
    if (ack.status !== 'missing') continue;
    acks.delete(id);
    unconfirmed.add(id);
  }
  return { acks, unconfirmed, runs, quarantined };
}
