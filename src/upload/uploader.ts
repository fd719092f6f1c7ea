import { randomUUID } from 'node:crypto';
import type { StoreDocuments } from '../crdt/store-documents.js';
import {
  markUnconfirmed,
  writeAcks,
  writeRun,
  type UploadAck,
  type UploadRun,
} from '../crdt/documents/uploads-doc.js';
import { err, ok, type Result } from '../domain/result.js';
import type { InvoiceIndex } from '../invoice/invoice-index.js';
import type { SalesCloud } from './cloud-port.js';
import { batches, pendingItems, type UploadItem } from './plan.js';
import { readBack } from './read-back.js';

export type UploadState = 'running' | 'done' | 'failed' | 'cancelled';

export interface UploadStatus {
  readonly id: string;
  readonly state: UploadState;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly by: { id: string; name: string };
  readonly total: number;
  readonly sent: number;
  readonly created: number;
  readonly duplicate: number;
  readonly rejected: readonly {
    id: string;
    number: string;
    terminalId: string;
    kind: string;
    status: string;
    reason: string;
    message: string;
  }[];
  readonly perTerminal: Readonly<Record<string, { total: number; sent: number }>>;
  /** Items per second so far, and the seconds left at that rate. */
  readonly rate: number;
  readonly secondsLeft: number | null;
  readonly attempts: number;
  readonly lastError: string | null;
  /**
   * UPL8: acknowledgements the cloud's read-back did not hold — before the run (found and sent
   * again) and after it (pending again: the run fails).
   */
  readonly unconfirmed: { readonly before: number; readonly after: number };
  /** The ids this run handled (for the report). */
  readonly itemIds: readonly string[];
}

export interface UploaderOptions {
  readonly docs: StoreDocuments;
  readonly index: InvoiceIndex;
  readonly cloud: SalesCloud;
  readonly storeId: string;
  readonly terminalId: string;
  readonly timestamp: () => string;
  readonly now?: () => number;
  readonly batchSize?: number;
  /** Attempts per batch for network errors and 5xx before the run fails (resumable). */
  readonly maxAttempts?: number;
  readonly backoff?: { initialMs: number; maxMs: number };
  readonly random?: () => number;
  /** Told when a run ends `done` (EPI1: an upload ends the contingency episode). */
  readonly onDone?: () => Promise<void>;
}

const RETRYABLE = new Set(['cloud-unreachable', 'cloud-timeout', 'cloud-error', 'internal-error']);

/**
 * "Subir venta offline" (src/upload/SPEC.md): turns the merged store into cloud calls, in
 * batches, exactly once thanks to the cloud's idempotency, resumable because every acknowledgement
 * goes into the shared uploads document before the next batch is sent. Never runs by itself.
 */
export class Uploader {
  private readonly runs = new Map<
    string,
    { status: UploadStatus; cancelled: boolean; done: Promise<void> }
  >();
  private current: string | undefined;

  constructor(private readonly options: UploaderOptions) {}

  start(by: { id: string; name: string }): Result<{ id: string }, 'upload-running'> {
    if (this.current !== undefined)
      return err('upload-running', `upload ${this.current} is still running on this terminal`);
    const id = randomUUID();
    const items = pendingItems(
      this.options.index.all(),
      this.options.docs.acks,
      this.options.index.unusedNumbers(),
    );
    const perTerminal: Record<string, { total: number; sent: number }> = {};
    for (const item of items) {
      const t = (perTerminal[item.terminalId] ??= { total: 0, sent: 0 });
      t.total += 1;
    }
    const status: UploadStatus = {
      id,
      state: 'running',
      startedAt: this.options.timestamp(),
      finishedAt: null,
      by,
      total: items.length,
      sent: 0,
      created: 0,
      duplicate: 0,
      rejected: [],
      perTerminal,
      rate: 0,
      secondsLeft: null,
      attempts: 0,
      lastError: null,
      unconfirmed: { before: 0, after: 0 },
      itemIds: items.map((i) => i.document.id),
    };
    const entry = { status, cancelled: false, done: Promise.resolve() };
    this.runs.set(id, entry);
    this.current = id;
    entry.done = this.run(id, items)
      .catch((error: unknown) => {
        // A local failure (the disk, say) ends the run as failed; the next run resumes from the acks.
        const message = error instanceof Error ? error.message : String(error);
        void this.publish(
          this.update(id, {
            state: 'failed',
            finishedAt: this.options.timestamp(),
            lastError: `upload-stopped: ${message}`,
          }),
          [],
        ).catch(() => undefined);
      })
      .finally(() => {
        this.current = undefined;
      });
    return ok({ id });
  }

  /**
   * Runs of this terminal that the uploads document still shows as running, left by a crash or a
   * power cut (the data directory's lock says no other process of this terminal is uploading):
   * they are recorded as failed, so no screen keeps showing them; the next run resumes from the
   * acknowledgements. Answers how many were closed.
   */
  async closeInterrupted(): Promise<number> {
    const stale = this.options.docs.uploadRunsView.filter(
      (r) => r.terminalId === this.options.terminalId && r.state === 'running' && !this.runs.has(r.id),
    );
    if (stale.length === 0) return 0;
    const updatedAt = this.options.timestamp();
    await this.options.docs.changeShared('uploads', (d) => {
      for (const run of stale) writeRun(d, { ...run, state: 'failed', updatedAt });
    });
    return stale.length;
  }

  status(id: string): UploadStatus | undefined {
    return this.runs.get(id)?.status;
  }

  /** The run of this terminal that is going on, if any. */
  get running(): string | undefined {
    return this.current;
  }

  cancel(id: string): Result<UploadStatus, 'unknown-upload'> {
    const entry = this.runs.get(id);
    if (!entry) return err('unknown-upload', `no upload ${id}`);
    entry.cancelled = true;
    return ok(entry.status);
  }

  /** Wait for a run to end (tests, the CLI). */
  async finished(id: string): Promise<UploadStatus | undefined> {
    await this.runs.get(id)?.done;
    return this.status(id);
  }

  private update(id: string, patch: Partial<UploadStatus>): UploadStatus {
    const entry = this.runs.get(id);
    if (!entry) throw new Error(`no run ${id}`);
    entry.status = { ...entry.status, ...patch };
    return entry.status;
  }

  private async publish(status: UploadStatus, acks: readonly UploadAck[]): Promise<void> {
    const run: UploadRun = {
      id: status.id,
      terminalId: this.options.terminalId,
      by: status.by,
      startedAt: status.startedAt,
      updatedAt: this.options.timestamp(),
      state: status.state,
      total: status.total,
      sent: status.sent,
    };
    await this.options.docs.changeShared('uploads', (d) => {
      writeAcks(d, acks);
      writeRun(d, run);
    });
  }

  /** End a run that cannot go on, with its reason. */
  private async end(id: string, reason: string, message: string): Promise<void> {
    const state: UploadState = reason === 'cancelled' ? 'cancelled' : 'failed';
    await this.publish(
      this.update(id, { state, finishedAt: this.options.timestamp(), lastError: `${reason}: ${message}` }),
      [],
    );
  }

  /**
   * UPL8: the acknowledgements given (those known when this is called) that the cloud's own
   * read-back does not hold are marked `missing`, so they are pending again. Answers how many.
   */
  private async confirmWithCloud(
    id: string,
    acked: ReadonlyMap<string, UploadAck>,
  ): Promise<Result<number, string>> {
    let held: Set<string> | undefined;
    for (let attempt = 1; held === undefined; attempt += 1) {
      if (this.runs.get(id)?.cancelled) return err('cancelled', 'the upload was cancelled');
      const sales = await readBack(this.options.cloud, this.options.storeId);
      if (sales.ok) held = new Set(sales.value.map((s) => s.document.id));
      else if (attempt >= (this.options.maxAttempts ?? 12)) return sales;
      else await this.pause(attempt);
    }
    const marks = [...acked.values()].filter((ack) => !held.has(ack.id));
    if (marks.length > 0) {
      const at = this.options.timestamp();
      const by = this.status(id)?.by ?? { id: '', name: '' };
      await this.options.docs.changeShared('uploads', (d) => {
        markUnconfirmed(
          d,
          marks.map((m) => ({ ...m, at, by, terminalId: this.options.terminalId })),
        );
      });
    }
    return ok(marks.length);
  }

  private async run(id: string, planned: readonly UploadItem[]): Promise<void> {
    const { terminalId, docs, index } = this.options;
    const now = this.options.now ?? Date.now;
    const started = now();
    await this.publish(this.update(id, {}), []);
    // Acknowledgements nobody checked against the cloud (a lost answer, a lying cloud, a forged
    // ack) are confirmed first: what the cloud does not hold is sent in this very run.
    const before = await this.confirmWithCloud(id, docs.acks);
    if (!before.ok) return this.end(id, before.reason, before.message);
    const items = before.value > 0 ? pendingItems(index.all(), docs.acks, index.unusedNumbers()) : planned;
    if (before.value > 0) {
      const perTerminal: Record<string, { total: number; sent: number }> = {};
      for (const item of items) (perTerminal[item.terminalId] ??= { total: 0, sent: 0 }).total += 1;
      this.update(id, {
        total: items.length,
        perTerminal,
        itemIds: items.map((i) => i.document.id),
        unconfirmed: { before: before.value, after: 0 },
      });
    }
    const acknowledged = new Map<string, UploadAck>();
    for (const batch of batches(items, this.options.batchSize ?? 500)) {
      const answer = await this.sendWithRetries(id, batch);
      if (!answer.ok) return this.end(id, answer.reason, answer.message);
      const byId = new Map(batch.map((item) => [item.document.id, item]));
      const answered = new Set(answer.value.results.map((r) => r.id));
      const unanswered = batch.filter((item) => !answered.has(item.document.id));
      const strangers = answer.value.results.filter((r) => !byId.has(r.id));
      const acks: UploadAck[] = [];
      const rejected = [...(this.status(id)?.rejected ?? [])];
      let created = 0;
      let duplicate = 0;
      for (const result of answer.value.results) {
        const item = byId.get(result.id);
        if (!item) continue;
        if (result.status === 'created' || result.status === 'duplicate') {
          if (result.status === 'created') created += 1;
          else duplicate += 1;
          acks.push({
            id: result.id,
            kind: result.kind,
            status: result.status,
            at: this.options.timestamp(),
            by: this.status(id)?.by ?? { id: '', name: '' },
            terminalId,
          });
        } else {
          rejected.push({
            id: result.id,
            number: item.number,
            terminalId: item.terminalId,
            kind: result.kind,
            status: result.status,
            reason: result.reason ?? result.status,
            message: result.message ?? '',
          });
        }
      }
      const before = this.status(id);
      if (!before) return;
      const perTerminal = { ...before.perTerminal };
      for (const item of batch) {
        const t = perTerminal[item.terminalId];
        if (t) perTerminal[item.terminalId] = { ...t, sent: t.sent + 1 };
      }
      const sent = before.sent + batch.length;
      const seconds = Math.max((now() - started) / 1000, 0.001);
      const rate = sent / seconds;
      const status = this.update(id, {
        sent,
        created: before.created + created,
        duplicate: before.duplicate + duplicate,
        rejected,
        perTerminal,
        rate: Math.round(rate * 10) / 10,
        secondsLeft: rate > 0 ? Math.round((before.total - sent) / rate) : null,
      });
      // Acknowledgements are durable (flushed) before the next batch goes out.
      await this.publish(status, acks);
      for (const ack of acks) acknowledged.set(ack.id, ack);
      // UPL8: an answer that leaves items out (or answers for others) is not one to go on with.
      if (unanswered.length > 0 || strangers.length > 0)
        return this.end(
          id,
          'incomplete-answer',
          `the cloud answered ${answer.value.results.length} results for a batch of ${batch.length}` +
            (unanswered.length > 0 ? `; no answer for ${unanswered.map((i) => i.number).join(', ')}` : '') +
            (strangers.length > 0 ? `; answers for ${strangers.length} items not sent` : ''),
        );
    }
    // UPL8: what this run was told is in the cloud must be in its read-back.
    const after = await this.confirmWithCloud(id, acknowledged);
    if (!after.ok) return this.end(id, after.reason, after.message);
    if (after.value > 0) {
      this.update(id, { unconfirmed: { before: before.value, after: after.value } });
      return this.end(
        id,
        'unconfirmed-by-cloud',
        `the cloud answered "created" for ${after.value} items its read-back does not hold: they are pending again`,
      );
    }
    await this.publish(
      this.update(id, { state: 'done', finishedAt: this.options.timestamp(), secondsLeft: 0 }),
      [],
    );
    await this.options.onDone?.().catch(() => undefined);
  }

  private pause(attempt: number): Promise<void> {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 250, maxMs: 5_000 };
    const random = this.options.random ?? Math.random;
    const delay = random() * Math.min(maxMs, initialMs * 2 ** (attempt - 1));
    return new Promise((resolve) => setTimeout(resolve, delay));
  }

  private async sendWithRetries(id: string, batch: readonly UploadItem[]) {
    const maxAttempts = this.options.maxAttempts ?? 12;
    for (let attempt = 1; ; attempt += 1) {
      if (this.runs.get(id)?.cancelled) return err('cancelled', 'the upload was cancelled');
      this.update(id, { attempts: (this.status(id)?.attempts ?? 0) + 1 });
      const answer = await this.options.cloud.uploadOfflineSales(
        this.options.storeId,
        batch.map((item) => item.document),
      );
      if (answer.ok) {
        // An error that a retry got past is history, not the state of the run.
        if (attempt > 1) this.update(id, { lastError: null });
        return answer;
      }
      this.update(id, { lastError: `${answer.reason}: ${answer.message}` });
      // Network trouble and any 5xx are worth another try; a 4xx will not get better by itself.
      const retryable = RETRYABLE.has(answer.reason) || (answer.status ?? 0) >= 500;
      if (!retryable || attempt >= maxAttempts) return answer;
      await this.pause(attempt);
    }
  }
}
