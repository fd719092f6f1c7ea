import type { UploadRun } from '../crdt/documents/uploads-doc.js';
import type { Preflight } from './preflight.js';

/**
 * What a screen shows about an upload, pure, shared by the host and the UI: the store's totals of
 * a preflight, which run of this terminal is going on (to find it again after a reload), which
 * other terminals are uploading (the "two managers" hint), and the reason behind a run's last
 * error.
 */

/**
 * A run that another terminal still reports as running but has not updated for this long has
 * probably stopped (a crash, a closed lid): a run updates its record after every batch.
 */
export const STALE_RUN_MS = 2 * 60_000;

export interface RunningUpload extends UploadRun {
  /** No news for STALE_RUN_MS: the terminal probably stopped mid-upload. */
  readonly stale: boolean;
}

export interface RunningUploads {
  /** This terminal's running run (the newest, if the document holds several). */
  readonly own: RunningUpload | undefined;
  readonly others: readonly RunningUpload[];
}

/**
 * The runs the uploads document says are going on. A terminal killed mid-upload leaves its run
 * "running" in the document; `stale` lets a screen tell such a run from a live one.
 */
export function runningUploads(runs: readonly UploadRun[], selfId: string, now: number): RunningUploads {
  const running = runs
    .filter((r) => r.state === 'running')
    .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0))
    .map((r): RunningUpload => {
      const updated = Date.parse(r.updatedAt);
      return { ...r, stale: Number.isFinite(updated) && now - updated > STALE_RUN_MS };
    });
  return {
    own: running.find((r) => r.terminalId === selfId),
    others: running.filter((r) => r.terminalId !== selfId),
  };
}

/** The upload to mention on every screen: this terminal's, else another live one. */
export function uploadToMention(uploads: RunningUploads): RunningUpload | undefined {
  if (uploads.own && !uploads.own.stale) return uploads.own;
  return uploads.others.find((r) => !r.stale);
}

/** Share of the run already sent, 0–100 (a run with nothing to send is complete). */
export function percentSent(progress: { readonly sent: number; readonly total: number }): number {
  if (progress.total <= 0) return 100;
  return Math.min(100, Math.floor((progress.sent / progress.total) * 100));
}

const REASON = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*): /;

/**
 * The uploader records a failed attempt as "<reason>: <message>" (a cloud failure) or as the
 * text of a local error; the screen maps the reason to a message and shows the rest as detail.
 */
export function lastErrorReason(lastError: string | null): { reason: string; detail: string } | null {
  if (lastError === null || lastError === '') return null;
  const match = REASON.exec(lastError);
  if (match?.[1]) return { reason: match[1], detail: lastError.slice(match[0].length) };
  return { reason: 'upload-stopped', detail: lastError };
}

export interface PreflightTotals {
  readonly invoices: number;
  readonly voids: number;
  readonly uploaded: number;
  readonly pending: number;
  readonly total: number;
  readonly pendingTotal: number;
  /** Consecutives missing over every terminal, and reserved-but-not-issued numbers. */
  readonly missingNumbers: number;
  readonly reservedNotIssued: number;
}

/** How many numbers the missing ranges of a terminal's journal hold. */
export function missingCount(missing: readonly { readonly from: number; readonly to: number }[]): number {
  return missing.reduce((sum, m) => sum + (m.to - m.from + 1), 0);
}

/** The store's row of the preflight table: the sum over terminals. */
export function preflightTotals(preflight: Preflight): PreflightTotals {
  const sum = (pick: (t: Preflight['terminals'][number]) => number) =>
    preflight.terminals.reduce((s, t) => s + pick(t), 0);
  return {
    invoices: sum((t) => t.invoices),
    voids: sum((t) => t.voids),
    uploaded: sum((t) => t.uploaded),
    pending: preflight.pending,
    total: sum((t) => t.total),
    pendingTotal: sum((t) => t.pendingTotal),
    missingNumbers: sum((t) => missingCount(t.missing)),
    reservedNotIssued: sum((t) => t.reservedNotIssued),
  };
}
