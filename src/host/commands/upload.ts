import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { formatCop, type Money } from '../../domain/money.js';
import type { Preflight } from '../../upload/preflight.js';
import type { UploadStatus } from '../../upload/uploader.js';
import { parseFlags, UsageError } from '../cli-args.js';
import { DataDirBusyError } from '../data-lock.js';
import { ConfigError } from '../terminal-config.js';
import { startTerminal, type RunningTerminal } from '../terminal.js';
import { currentPreflight, uploadReportOf } from '../upload-service.js';

const uploadFlags = z.object({
  data: z.string({ error: 'required: the data directory of a stopped terminal' }).min(1),
  peer: z
    .array(z.url({ protocol: /^wss?$/, error: 'a peer is a ws:// URL, e.g. ws://192.168.1.12:6301' }))
    .default([]),
  'wait-peers': z.coerce.number().min(0).max(300).default(15),
  'batch-size': z.coerce.number().int().min(1).max(500).default(500),
  anyway: z.boolean().default(false),
  'dry-run': z.boolean().default(false),
  report: z.string().min(1).optional(),
});

/** What the support technician sees: who uploads, in the uploads document of every terminal. */
const SUPPORT_ACTOR = { id: 'soporte', name: 'Soporte (caja upload)' };

const cop = (n: number) => formatCop(n as Money);

/**
 * `caja upload --data <dir>`: "Subir venta offline" for support staff, from the data directory of
 * a terminal that is not running (its lock says so otherwise). With `--peer`, the running
 * terminals of the store are joined first, so that their latest sales are in the merge.
 */
export async function uploadCommand(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(
    argv,
    {
      data: { type: 'string' },
      peer: { type: 'string', multiple: true },
      'wait-peers': { type: 'string' },
      'batch-size': { type: 'string' },
      anyway: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      report: { type: 'string' },
    },
    uploadFlags,
  );
  let terminal: RunningTerminal;
  try {
    terminal = await startTerminal({
      dataDir: flags.data,
      port: 0,
      host: '127.0.0.1',
      lanPort: 0,
      lanHost: '127.0.0.1',
      peers: flags.peer,
      uploadBatchSize: flags['batch-size'],
      lockedBy: 'caja upload',
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirBusyError)
      throw new UsageError(error.reason, error.message);
    throw error;
  }
  let cancelRequested = false;
  const onSignal = () => {
    cancelRequested = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await run(terminal, flags, () => cancelRequested);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await terminal.close();
  }
}

async function run(
  terminal: RunningTerminal,
  flags: z.infer<typeof uploadFlags>,
  cancelRequested: () => boolean,
): Promise<void> {
  const self = terminal.context.config.provisioning.terminal.id;
  if (flags.peer.length > 0) await joinPeers(terminal, flags.peer.length, flags['wait-peers'] * 1000);

  const pre = currentPreflight(terminal.context);
  printPreflight(pre);
  const others = terminal.docs.uploadRunsView.filter((r) => r.state === 'running' && r.terminalId !== self);
  for (const other of others)
    console.log(
      `aviso: ${other.by.name} está subiendo desde ${other.terminalId} (${other.sent} de ${other.total})`,
    );
  if (flags['dry-run']) {
    console.log('--dry-run: no se envió nada.');
    return;
  }
  if (pre.warnings.length > 0 && !flags.anyway)
    throw new UsageError(
      'preflight-warnings',
      'the preflight has warnings (above); run again with --anyway to upload what is here — what is missing stays pending for the next upload',
    );
  if (pre.pending === 0) {
    console.log('Nada pendiente: todas las ventas ya están en la nube.');
  }

  const started = terminal.uploader.start(SUPPORT_ACTOR);
  if (!started.ok) throw new UsageError(started.reason, started.message);
  const { id } = started.value;
  let cancelled = false;
  const ticker = setInterval(() => {
    if (cancelRequested() && !cancelled) {
      cancelled = true;
      terminal.uploader.cancel(id);
      console.log('cancelando: el lote en curso termina y se guarda su acuse…');
    }
    const status = terminal.uploader.status(id);
    if (status) console.log(progressLine(status));
  }, 1000);
  let status: UploadStatus | undefined;
  try {
    status = await terminal.uploader.finished(id);
  } finally {
    clearInterval(ticker);
  }
  if (!status) throw new Error(`upload ${id} vanished`);
  console.log(progressLine(status));
  const report = await uploadReportOf(terminal.context, status);
  console.log(
    `\nReporte (${status.state}): ${report.store.invoices} facturas en la nube, total ${cop(report.store.total)}`,
  );
  for (const [terminalId, block] of Object.entries(report.terminals)) {
    console.log(
      `  ${terminalId}: ${block.invoices} facturas (${block.numbers.first ?? '—'}–${block.numbers.last ?? '—'}), total ${cop(block.total)}, propinas ${cop(block.tips)}, anuladas ${block.voids.count}`,
    );
  }
  for (const r of status.rejected)
    console.log(`  rechazada ${r.number} (${r.terminalId}): ${r.reason} ${r.message}`);
  if (!report.checkedAgainstCloud)
    console.log('  No se pudo verificar contra la nube (lectura no disponible).');
  const { missingInCloud, unknownHere } = report.differences;
  if (missingInCloud.length > 0)
    console.log(`  diferencia: ${missingInCloud.length} acusadas que la nube no devuelve`);
  if (unknownHere.length > 0)
    console.log(`  diferencia: ${unknownHere.length} en la nube que esta caja no conoce`);
  if (flags.report !== undefined) {
    writeFileSync(flags.report, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Reporte escrito en ${flags.report}`);
  }
  if (status.state !== 'done')
    throw new Error(`the upload ended ${status.state}: ${status.lastError ?? ''} (run it again: it resumes)`);
  if (status.rejected.length > 0)
    throw new Error(`${status.rejected.length} items were rejected by the cloud (listed above)`);
}

/** Wait until every configured peer is connected and the documents settle, at most `waitMs`. */
async function joinPeers(terminal: RunningTerminal, expected: number, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  const connected = () => terminal.lan.peerStatus().filter((p) => p.connected).length;
  while (connected() < expected && Date.now() < deadline) await sleep(200);
  console.log(`pares conectados: ${connected()} de ${expected}`);
  // Settled: no document changed for a second (bounded by the same deadline).
  let lastChange = Date.now();
  const onChange = () => {
    lastChange = Date.now();
  };
  terminal.docs.on('changed', onChange);
  try {
    while (Date.now() - lastChange < 1000 && Date.now() < deadline) await sleep(100);
  } finally {
    terminal.docs.off('changed', onChange);
  }
}

function printPreflight(pre: Preflight): void {
  console.log(`Pendientes de subir: ${pre.pending} · ya en la nube: ${pre.uploaded}`);
  for (const t of pre.terminals) {
    console.log(
      `  ${t.terminalId} (${t.prefix}): ${t.invoices} facturas, ${t.voids} anulaciones, ${t.uploaded} subidas, ${t.pending} pendientes por ${cop(t.pendingTotal)}; ${t.firstNumber === null ? 'sin números usados' : `números ${t.firstNumber}–${t.lastNumber ?? t.firstNumber}`}`,
    );
  }
  for (const w of pre.warnings) console.log(`  aviso: ${w.message}`);
}

function progressLine(s: UploadStatus): string {
  const per = Object.entries(s.perTerminal)
    .map(([id, t]) => `${id} ${t.sent}/${t.total}`)
    .join(' · ');
  const left = s.secondsLeft === null ? '' : `, ~${s.secondsLeft} s`;
  return `subiendo ${s.sent} de ${s.total} (${s.rate}/s${left}) ${per} · nuevas ${s.created}, repetidas ${s.duplicate}, rechazadas ${s.rejected.length}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
