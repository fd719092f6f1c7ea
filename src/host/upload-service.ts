import type { EpisodesAnswer } from '../contract/host-api.js';
import { positionsOf } from '../domain/certificate.js';
import { formatInTimeZone } from '../domain/time.js';
import type { StoredSale } from '../contract/cloud.js';
import { readBackIfReachable } from '../upload/read-back.js';
import { pendingTotals, pendingUploads as countPending } from '../upload/pending.js';
import { storePreflight, type Preflight } from '../upload/preflight.js';
import { uploadReport, type UploadReport } from '../upload/report.js';
import type { UploadStatus } from '../upload/uploader.js';
import type { TerminalContext } from './api/context.js';
import { contingencyStatus, DEFAULT_TRANSMISSION_HOURS } from '../domain/episode.js';
import { contingencyReport, type ContingencyReport } from '../upload/contingency-report.js';

/** The preflight of "Subir venta offline" from this terminal's merged documents. */
export function currentPreflight(ctx: TerminalContext): Preflight {
  const { docs, index, config } = ctx;
  return storePreflight({
    terminals: config.provisioning.terminals,
    journal: (terminalId) => ({
      entries: docs.journalEntries(terminalId).values(),
      rangeFrom: docs.store.terminals.get(terminalId)?.numbering.from,
      positions: positionsOf(docs.trust.certificates(terminalId)),
    }),
    invoices: index.all(),
    unusedNumbers: index.unusedNumbers(),
    acks: docs.acks,
    selfId: config.provisioning.terminal.id,
    peers: ctx.peers(),
    now: ctx.now(),
    timeZone: config.provisioning.store.timeZone,
    quarantine: docs.quarantine.list(10_000),
    unconfirmed: docs.unconfirmed.size,
  });
}

/** Every offline sale the cloud holds for the store, or undefined when it cannot be read back. */
function cloudReadBack(ctx: TerminalContext): Promise<StoredSale[] | undefined> {
  return readBackIfReachable(ctx.cloud, ctx.config.provisioning.store.id);
}

/** The report of a run, checked against the cloud's own read-back (or marked as not checked). */
export async function uploadReportOf(
  ctx: TerminalContext,
  status: UploadStatus,
): Promise<{ run: Omit<UploadStatus, 'itemIds'> } & UploadReport> {
  const cloud = await cloudReadBack(ctx);
  const { itemIds: _ids, ...run } = status;
  return { run, ...uploadReport(ctx.index.all(), ctx.docs.acks, cloud, ctx.index.unusedNumbers()) };
}

/** EPI4: every contingency episode of the store, newest first, with what it holds. */
export function episodesOf(ctx: TerminalContext): EpisodesAnswer {
  const { docs, index, config } = ctx;
  const invoices = index.all();
  const episodes = [...docs.episodes].reverse().map((episode) => {
    const own = invoices.filter((i) => i.invoice.episodeId === episode.id);
    return {
      ...episode,
      invoices: own.length,
      pendingUpload: own.filter((i) => !docs.acks.has(i.invoice.id)).length,
      terminals: [...new Set(own.map((i) => i.invoice.terminalId))].sort(),
    };
  });
  const pending = pendingUploads(ctx);
  return {
    current: contingencyNow(ctx, pending.invoices + pending.voids + pending.unused),
    episodes,
    windowHours: windowHoursOf(config),
  };
}

function windowHoursOf(config: TerminalContext['config']): number {
  return config.provisioning.store.settings?.transmissionWindowHours ?? DEFAULT_TRANSMISSION_HOURS;
}

/** What is not in the cloud yet, store-wide, as health and the banner count it (UPL12). */
export function pendingUploads(ctx: TerminalContext): { invoices: number; voids: number; unused: number } {
  const { docs, index } = ctx;
  const { invoices, voids, unused } = pendingTotals(
    countPending(index.rows(), index.unusedNumbers(), docs.acks),
  );
  return { invoices, voids, unused };
}

/** EPI2–EPI3: the episode open now, or the countdown to the deadline, in the store's time. */
export function contingencyNow(ctx: TerminalContext, pending: number) {
  return contingencyStatus(ctx.docs.episodes, pending, ctx.now(), windowHoursOf(ctx.config), (ms) =>
    formatInTimeZone(ms, ctx.config.provisioning.store.timeZone),
  );
}

/** EPI4: the report of one episode, with the DIAN's status when the cloud can be read. */
export async function contingencyReportOf(
  ctx: TerminalContext,
  id: string,
): Promise<ContingencyReport | undefined> {
  const episode = ctx.docs.episodes.find((e) => e.id === id);
  if (!episode) return undefined;
  const { config } = ctx;
  return contingencyReport({
    store: config.provisioning.store,
    episode,
    terminals: config.provisioning.terminals.map((t) => ({ id: t.id, name: t.name })),
    invoices: ctx.index.all(),
    unusedNumbers: ctx.index.unusedNumbers(),
    acks: ctx.docs.acks,
    cloud: await cloudReadBack(ctx),
    windowHours: windowHoursOf(config),
    now: ctx.now(),
    generatedAt: ctx.ledger.timestamp(),
  });
}
