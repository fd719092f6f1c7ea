import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { err, type Err } from '../domain/result.js';

/**
 * Whether this terminal can write to its disk (WRT2, WRT3 in SPEC.md). A failed write — a full
 * disk above all — puts the terminal in a "cannot write" state: the banner says so and nothing is
 * issued (no number is even reserved) until a probe write succeeds and what could not be written
 * is caught up; then it sells normally again.
 */
export type WriteFailureReason = 'disk-full' | 'journal-write-failed';

export interface WriteFailure {
  readonly reason: WriteFailureReason;
  readonly message: string;
  /** Wall-clock time of the first failure of this episode (ISO), for the banner and support. */
  readonly since: string;
}

export interface WriteHealthOptions {
  readonly dir: string;
  readonly retryMs: number;
  /** Write what could not be written; throws if it still cannot. */
  readonly repair: () => Promise<void>;
}

const PROBE_BYTES = 16 * 1024;

export function writeFailureReason(error: unknown): WriteFailureReason {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? 'disk-full' : 'journal-write-failed';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class WriteHealth {
  private current: WriteFailure | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Bumped by every failed write: a probe whose repair saw another failure does not clear it. */
  private generation = 0;
  /** How many times writes failed, and came back, since the start (health). */
  failures = 0;
  recoveries = 0;

  constructor(private readonly options: WriteHealthOptions) {}

  get failure(): WriteFailure | undefined {
    return this.current;
  }

  /** Record a failed write; answers the reason the command fails with. */
  failed(error: unknown): Err<WriteFailureReason> {
    const reason = writeFailureReason(error);
    const message =
      reason === 'disk-full'
        ? `the disk is full (${describe(error)})`
        : `a write failed (${describe(error)})`;
    if (!this.current) this.failures += 1;
    this.generation += 1;
    this.current = { reason, message, since: this.current?.since ?? new Date().toISOString() };
    this.schedule();
    return err(reason, message);
  }

  private schedule(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.probe();
    }, this.options.retryMs);
    this.timer.unref();
  }

  /** A real write of a few kilobytes, fsynced, then what is owed; both must work. */
  private async probe(): Promise<void> {
    if (!this.current || this.stopped) return;
    const path = join(this.options.dir, '.write-probe');
    const generation = this.generation;
    try {
      const fd = openSync(path, 'w', 0o600);
      try {
        writeSync(fd, Buffer.alloc(PROBE_BYTES));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
        unlinkSync(path);
      }
      await this.options.repair();
      if (generation !== this.generation) return;
      this.current = undefined;
      this.recoveries += 1;
    } catch (error) {
      try {
        unlinkSync(path);
      } catch {
        // Not there: the open itself failed.
      }
      this.failed(error);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
