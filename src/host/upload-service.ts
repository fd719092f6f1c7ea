import type { StoredSale } from '../cloud/contract.js';
import { summarizeJournal } from '../invoice/journal-summary.js';
import { readBack } from '../upload/read-back.js';
import { preflight, type Preflight } from '../upload/preflight.js';
import { uploadReport, type UploadReport } from '../upload/report.js';
import type { UploadStatus } from '../upload/uploader.js';
import type { TerminalContext } from './api/context.js';

/** The preflight of "Subir venta offline" from this terminal's merged documents. */
export function currentPreflight(ctx: TerminalContext): Preflight {
  const { docs, index, config } = ctx;
  return preflight({
    terminals: config.provisioning.terminals,
    journals: config.provisioning.terminals.map((t) =>
      summarizeJournal(
        t.id,
        docs.journalEntries(t.id).values(),
        docs.store.terminals.get(t.id)?.numbering.from,
      ),
    ),
    invoices: index.all(),
    unusedNumbers: index.unusedNumbers(),
    acks: docs.acks,
    selfId: config.provisioning.terminal.id,
    peers: ctx.peers(),
    now: ctx.now(),
    timeZone: config.provisioning.store.timeZone,
    quarantined: quarantinedRecords(ctx),
    unconfirmed: docs.unconfirmed.size,
  });
}

/** Every journal record the checks left out, by the terminal whose journal it sits in. */
function quarantinedRecords(ctx: TerminalContext): { terminalId: string; reason: string }[] {
  return ctx.docs.quarantine.list(10_000).flatMap((item) => {
    const match = /^journal\/([a-z0-9-]+)\/\d+$/.exec(item.document);
    return match?.[1] && item.path !== '' ? [{ terminalId: match[1], reason: item.reason }] : [];
  });
}

/** Every offline sale the cloud holds for the store, or undefined when it cannot be read back. */
async function cloudReadBack(ctx: TerminalContext): Promise<StoredSale[] | undefined> {
  const sales = await readBack(ctx.cloud, ctx.config.provisioning.store.id);
  return sales.ok ? sales.value : undefined;
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
