import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Printer } from '../domain/printer.js';
import { err, ok, type Result } from '../domain/result.js';
import { personRefSchema, slugSchema } from '../domain/schemas.js';
import { writeFileAtomicSync } from '../crdt/storage/atomic-file.js';
import { sendToPrinter, type SendOptions, type SendOutcome } from './connections.js';
import { encodeEscPos } from './escpos.js';
import { printDocumentSchema, type PrintDocument } from './print-document.js';

/**
 * PRN5: durable print jobs. A job is written to disk (fsync, rename) before its first byte is
 * sent; it is sent again with backoff while its printer does not take it, in order, one job at a
 * time per printer; a manager can retry it now, send it to another printer or cancel it. A send
 * that may have printed (a broken connection after bytes left, or a crash in the middle) marks the
 * job, and its resend says "REIMPRESIÓN". A job is done only when its printer took every byte.
 */
export const PRINT_JOB_KINDS = [
  'receipt',
  'credit-note',
  'comanda',
  'prebill',
  'report',
  'test',
  'drawer',
] as const;
export type PrintJobKind = (typeof PRINT_JOB_KINDS)[number];

export const printJobSchema = z.strictObject({
  id: z.uuid(),
  /** Order of the jobs on this terminal (a printer prints its jobs in this order). */
  seq: z.int().min(1),
  kind: z.enum(PRINT_JOB_KINDS),
  printerId: slugSchema,
  title: z.string().min(1).max(200),
  document: printDocumentSchema,
  /** "COPIA": the receipt was printed before. */
  copy: z.boolean(),
  status: z.enum(['queued', 'sending', 'done', 'cancelled']),
  attempts: z.int().min(0),
  /** A send may have printed it: the next says "REIMPRESIÓN". */
  uncertain: z.boolean(),
  createdAt: z.iso.datetime(),
  doneAt: z.iso.datetime().optional(),
  nextAttemptAt: z.iso.datetime().optional(),
  lastError: z
    .strictObject({ reason: z.string().max(64), message: z.string().max(500), at: z.iso.datetime() })
    .optional(),
  by: personRefSchema.optional(),
  /** What it prints, for the jobs list and for "COPIA": an invoice id, a table, a station. */
  ref: z
    .strictObject({
      invoiceId: z.string().max(64).optional(),
      tableId: z.string().max(64).optional(),
      stationId: z.string().max(64).optional(),
    })
    .optional(),
  redirectedFrom: slugSchema.optional(),
});
export type PrintJob = z.infer<typeof printJobSchema>;

export interface NewPrintJob {
  readonly kind: PrintJobKind;
  readonly printerId: string;
  readonly title: string;
  readonly document: PrintDocument;
  readonly copy?: boolean;
  readonly by?: { readonly id: string; readonly name: string } | undefined;
  readonly ref?: PrintJob['ref'];
}

export interface PrinterQueueState {
  readonly printerId: string;
  readonly name: string;
  /** Jobs waiting (or being sent) for this printer. */
  readonly queued: number;
  /** Of those, by kind (the banner: "2 comandas en cola"). */
  readonly byKind: Partial<Record<PrintJobKind, number>>;
  /** Its oldest job failed its last attempt: the printer does not answer. */
  readonly failing: boolean;
  readonly lastError?: { readonly reason: string; readonly message: string; readonly at: string };
  readonly nextAttemptAt?: string;
}

export type PrintQueueReason =
  'unknown-print-job' | 'print-job-finished' | 'print-job-busy' | 'unknown-printer';

export interface PrintQueueOptions {
  /** The jobs' directory (data dir /print-jobs). */
  readonly dir: string;
  readonly printers: () => readonly Printer[];
  readonly now: () => number;
  readonly random: () => number;
  readonly send?: (
    connection: Printer['connection'],
    bytes: Uint8Array,
    options: SendOptions,
  ) => Promise<SendOutcome>;
  readonly timeoutMs?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Finished jobs kept for the list (the oldest are deleted). */
  readonly keepFinished?: number;
  readonly onChange?: () => void;
  /** When a job's first byte left (figures). */
  readonly onFirstByte?: (job: PrintJob) => void;
  readonly log?: (message: string) => void;
}

const FILE = /^[0-9a-f-]{36}\.json$/;

export class PrintQueue {
  readonly #jobs = new Map<string, PrintJob>();
  readonly #busy = new Set<string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #unreadable: string[] = [];
  #seq = 0;
  #closed = false;

  constructor(private readonly options: PrintQueueOptions) {
    let names: string[] = [];
    try {
      names = readdirSync(options.dir).filter((n) => FILE.test(n));
    } catch {
      names = [];
    }
    for (const name of names) {
      const path = join(options.dir, name);
      let parsed: PrintJob | undefined;
      try {
        const result = printJobSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
        if (result.success && `${result.data.id}.json` === name) parsed = result.data;
      } catch {
        parsed = undefined;
      }
      if (!parsed) {
        // Kept aside for support, never silently dropped: health counts it.
        this.#unreadable.push(name);
        try {
          renameSync(path, `${path}.unreadable`);
        } catch {
          // Reported either way.
        }
        continue;
      }
      // A crash while sending: the printer may have printed it.
      const job: PrintJob =
        parsed.status === 'sending' ? { ...parsed, status: 'queued', uncertain: true } : parsed;
      if (job !== parsed) this.#write(job);
      this.#jobs.set(job.id, job);
      this.#seq = Math.max(this.#seq, job.seq);
    }
    for (const printerId of new Set(this.#pending().map((j) => j.printerId))) this.#pump(printerId);
  }

  /** Job files that could not be read at start (renamed `*.unreadable`). */
  get unreadable(): readonly string[] {
    return this.#unreadable;
  }

  /** Write the job to disk, then send it (now if its printer is idle). */
  enqueue(input: NewPrintJob): PrintJob {
    this.#seq += 1;
    const job: PrintJob = {
      id: randomUUID(),
      seq: this.#seq,
      kind: input.kind,
      printerId: input.printerId,
      title: input.title.slice(0, 200),
      document: input.document,
      copy: input.copy ?? false,
      status: 'queued',
      attempts: 0,
      uncertain: false,
      createdAt: this.#iso(),
      ...(input.by ? { by: { id: input.by.id, name: input.by.name } } : {}),
      ...(input.ref ? { ref: input.ref } : {}),
    };
    const idle =
      !this.#busy.has(job.printerId) &&
      !this.#timers.has(job.printerId) &&
      !this.#pending().some((j) => j.printerId === job.printerId);
    if (idle) {
      // One write, not two: the job goes to disk already marked as being sent.
      const sending: PrintJob = { ...job, status: 'sending', attempts: 1 };
      this.#write(sending);
      this.#jobs.set(job.id, sending);
      this.#changed();
      // After the command's answer has gone: a sale never waits for its receipt's encoding. The
      // printer is busy from now on, so nothing else is sent to it in between.
      this.#busy.add(job.printerId);
      setImmediate(() => {
        void this.#send(sending);
      });
      return sending;
    }
    this.#write(job);
    this.#jobs.set(job.id, job);
    this.#changed();
    this.#pump(job.printerId);
    return job;
  }

  get(id: string): PrintJob | undefined {
    return this.#jobs.get(id);
  }

  /** Every job kept here, newest first. */
  list(): PrintJob[] {
    return [...this.#jobs.values()].sort((a, b) => b.seq - a.seq);
  }

  /** Jobs of an invoice that were printed or are on their way (a later print says "COPIA"). */
  printedBefore(invoiceId: string): boolean {
    return [...this.#jobs.values()].some(
      (j) => j.kind === 'receipt' && j.ref?.invoiceId === invoiceId && j.status !== 'cancelled',
    );
  }

  /** Send it again now, without waiting for the backoff. */
  retry(id: string): Result<PrintJob, PrintQueueReason> {
    const job = this.#jobs.get(id);
    if (!job) return err('unknown-print-job', `no print job ${id}`);
    if (job.status === 'done' || job.status === 'cancelled')
      return err('print-job-finished', `print job ${id} is ${job.status}`);
    this.#cancelTimer(job.printerId);
    this.#pump(job.printerId);
    return ok(this.#jobs.get(id) ?? job);
  }

  /** Send it to another printer instead (its own queue, its width). */
  redirect(id: string, printerId: string): Result<PrintJob, PrintQueueReason> {
    const job = this.#jobs.get(id);
    if (!job) return err('unknown-print-job', `no print job ${id}`);
    if (job.status === 'done' || job.status === 'cancelled')
      return err('print-job-finished', `print job ${id} is ${job.status}`);
    if (job.status === 'sending') return err('print-job-busy', `print job ${id} is being sent; try again`);
    if (!this.options.printers().some((p) => p.id === printerId))
      return err('unknown-printer', `no printer ${printerId}`);
    const { nextAttemptAt: _n, ...rest } = job;
    const moved: PrintJob = { ...rest, printerId, redirectedFrom: job.printerId };
    this.#write(moved);
    this.#jobs.set(id, moved);
    this.#changed();
    this.#pump(job.printerId);
    this.#pump(printerId);
    return ok(moved);
  }

  cancel(id: string): Result<PrintJob, PrintQueueReason> {
    const job = this.#jobs.get(id);
    if (!job) return err('unknown-print-job', `no print job ${id}`);
    if (job.status === 'done' || job.status === 'cancelled')
      return err('print-job-finished', `print job ${id} is ${job.status}`);
    if (job.status === 'sending') return err('print-job-busy', `print job ${id} is being sent; try again`);
    const { nextAttemptAt: _n, ...rest } = job;
    const cancelled: PrintJob = { ...rest, status: 'cancelled', doneAt: this.#iso() };
    this.#write(cancelled);
    this.#jobs.set(id, cancelled);
    this.#prune();
    this.#changed();
    this.#pump(job.printerId);
    return ok(cancelled);
  }

  /** Each printer with jobs waiting: the banner and health. */
  summary(): PrinterQueueState[] {
    const names = new Map(this.options.printers().map((p) => [p.id, p.name]));
    const byPrinter = new Map<string, PrintJob[]>();
    for (const job of this.#pending()) {
      const list = byPrinter.get(job.printerId) ?? [];
      list.push(job);
      byPrinter.set(job.printerId, list);
    }
    return [...byPrinter.entries()].map(([printerId, jobs]) => {
      const head = jobs[0];
      const byKind: Partial<Record<PrintJobKind, number>> = {};
      for (const j of jobs) byKind[j.kind] = (byKind[j.kind] ?? 0) + 1;
      return {
        printerId,
        name: names.get(printerId) ?? printerId,
        queued: jobs.length,
        byKind,
        failing: head?.lastError !== undefined,
        ...(head?.lastError ? { lastError: head.lastError } : {}),
        ...(head?.nextAttemptAt ? { nextAttemptAt: head.nextAttemptAt } : {}),
      };
    });
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Jobs not finished, in order. */
  #pending(): PrintJob[] {
    return [...this.#jobs.values()]
      .filter((j) => j.status === 'queued' || j.status === 'sending')
      .sort((a, b) => a.seq - b.seq);
  }

  #pump(printerId: string): void {
    if (this.#closed || this.#busy.has(printerId) || this.#timers.has(printerId)) return;
    const head = this.#pending().find((j) => j.printerId === printerId);
    if (!head) return;
    const waitMs = head.nextAttemptAt ? Date.parse(head.nextAttemptAt) - this.options.now() : 0;
    if (waitMs > 0) {
      this.#arm(printerId, waitMs);
      return;
    }
    const sending: PrintJob = { ...head, status: 'sending', attempts: head.attempts + 1 };
    this.#write(sending);
    this.#jobs.set(sending.id, sending);
    void this.#send(sending);
  }

  async #send(job: PrintJob): Promise<void> {
    this.#busy.add(job.printerId);
    let outcome: SendOutcome;
    const printer = this.options.printers().find((p) => p.id === job.printerId);
    if (!printer) {
      outcome = {
        ok: false,
        reason: 'printer-unreachable',
        message: `the printer ${job.printerId} is not configured any more: send the job to another`,
        uncertain: false,
      };
    } else {
      const bytes = encodeEscPos(job.document, printer, { copy: job.copy, reprint: job.uncertain });
      const send = this.options.send ?? sendToPrinter;
      try {
        outcome = await send(printer.connection, bytes, {
          timeoutMs: this.options.timeoutMs ?? 5_000,
          title: job.title,
          onFirstByte: () => this.options.onFirstByte?.(job),
        });
      } catch (error) {
        outcome = {
          ok: false,
          reason: 'printer-send-failed',
          message: error instanceof Error ? error.message : String(error),
          uncertain: true,
        };
      }
    }
    this.#busy.delete(job.printerId);
    if (this.#closed) return;
    const current = this.#jobs.get(job.id) ?? job;
    const { nextAttemptAt: _n, lastError: _e, ...rest } = current;
    if (outcome.ok) {
      this.#write({ ...rest, status: 'done', doneAt: this.#iso() });
      this.#jobs.set(job.id, { ...rest, status: 'done', doneAt: this.#iso() });
      this.#prune();
      this.#changed();
      this.#pump(job.printerId);
      return;
    }
    const delayMs = this.#delay(current.attempts);
    const failed: PrintJob = {
      ...rest,
      status: 'queued',
      uncertain: current.uncertain || outcome.uncertain,
      lastError: { reason: outcome.reason, message: outcome.message.slice(0, 500), at: this.#iso() },
      nextAttemptAt: new Date(this.options.now() + delayMs).toISOString(),
    };
    this.#write(failed);
    this.#jobs.set(job.id, failed);
    this.options.log?.(`print job ${job.id} (${job.title}) to ${job.printerId}: ${outcome.message}`);
    this.#changed();
    this.#arm(job.printerId, delayMs);
  }

  /** Exponential backoff with jitter in [½, 1] of the step, capped. */
  #delay(attempts: number): number {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
    const step = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempts - 1, 0), 20));
    return Math.round(step * (0.5 + this.options.random() / 2));
  }

  #arm(printerId: string, ms: number): void {
    this.#cancelTimer(printerId);
    this.#timers.set(
      printerId,
      setTimeout(() => {
        this.#timers.delete(printerId);
        this.#pump(printerId);
      }, ms),
    );
  }

  #cancelTimer(printerId: string): void {
    const timer = this.#timers.get(printerId);
    if (timer) clearTimeout(timer);
    this.#timers.delete(printerId);
    const head = this.#pending().find((j) => j.printerId === printerId && j.nextAttemptAt);
    if (head) {
      const { nextAttemptAt: _n, ...rest } = head;
      this.#jobs.set(head.id, rest);
    }
  }

  /** Finished jobs beyond the kept number go, oldest first: the list's cost stays bounded. */
  #prune(): void {
    const finished = [...this.#jobs.values()]
      .filter((j) => j.status === 'done' || j.status === 'cancelled')
      .sort((a, b) => a.seq - b.seq);
    const extra = finished.length - (this.options.keepFinished ?? 200);
    for (const job of finished.slice(0, Math.max(0, extra))) {
      this.#jobs.delete(job.id);
      try {
        unlinkSync(join(this.options.dir, `${job.id}.json`));
      } catch {
        // Already gone.
      }
    }
  }

  #write(job: PrintJob): void {
    writeFileAtomicSync(join(this.options.dir, `${job.id}.json`), JSON.stringify(job));
  }

  #iso(): string {
    return new Date(this.options.now()).toISOString();
  }

  #changed(): void {
    this.options.onChange?.();
  }
}
