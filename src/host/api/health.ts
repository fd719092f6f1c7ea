import type { DiscoveryHealth, HealthAnswer } from '../../contract/host-api.js';
import { CLOCK_BEHIND_TOLERANCE_MS } from '../../invoice/ledger.js';
import type { TerminalContext } from './context.js';
import { contingencyNow, pendingUploads } from '../upload-service.js';

const CATALOG_STALE_HOURS = 24;
/** A peer whose clock differs from ours by more than this is shown (CLK2). */
export const PEER_SKEW_WARNING_MS = 2 * 60_000;

/** GET /api/health: what the banner, the support technician and the tests look at. */
export function healthOf(ctx: TerminalContext): HealthAnswer {
  const { config, docs, ledger, index } = ctx;
  const now = ctx.now();
  const numbering = ledger.rangeStatus();
  const catalogMeta = docs.catalog.meta;
  const readAtMs = catalogMeta ? Date.parse(catalogMeta.readAt) : Number.NaN;
  const ageHours = Number.isNaN(readAtMs) ? null : Math.floor(((now - readAtMs) / 3_600_000) * 10) / 10;
  const invoices = index.all();
  const pending = pendingUploads(ctx);
  const { invoices: pendingInvoices, voids: pendingVoids, unused: pendingUnused } = pending;
  // EPI2–EPI3: the episode open now, or the countdown to the transmission deadline.
  const contingency = contingencyNow(ctx, pendingInvoices + pendingVoids + pendingUnused);
  const warnings: string[] = [];
  if (contingency.level === 'warning' || contingency.level === 'critical') warnings.push('transmission-due');
  if (contingency.level === 'overdue') warnings.push('transmission-overdue');
  // EPI5: the cloud answers and no episode is open: a sale needs a manager's authorization.
  if (ctx.contingency?.asksAuthorization === true) warnings.push('offline-needs-authorization');
  if (numbering.nearExhaustion) warnings.push('range-near-exhaustion');
  if (numbering.nearExpiry) warnings.push('range-near-expiry');
  if (ageHours === null || ageHours > CATALOG_STALE_HOURS) warnings.push('catalog-stale');
  if (docs.quarantine.size > 0) warnings.push('quarantine-not-empty');
  if (ctx.cloudReachability().reachable === true && pendingInvoices + pendingVoids + pendingUnused > 0)
    warnings.push('cloud-back-upload-pending');
  const writeFailure = ledger.writes.failure;
  if (writeFailure) warnings.push('cannot-write');
  const behindMs = ledger.clockBehindMs();
  if (behindMs > CLOCK_BEHIND_TOLERANCE_MS) warnings.push('clock-behind');
  const peers = ctx.peers().map((p) => ({
    terminalId: p.terminalId,
    url: p.url ?? null,
    connected: p.connected,
    lastSeenAt: p.lastSeenAt === undefined ? null : new Date(p.lastSeenAt).toISOString(),
    clockSkewSeconds: p.clockSkewMs === undefined ? null : Math.round(p.clockSkewMs / 1000),
    foundBy: p.foundBy,
  }));
  // DSC4: a terminal whose mDNS socket fails keeps its --peer list; the technician is told.
  const found = ctx.discovery?.();
  const discovery: DiscoveryHealth = found
    ? { mdns: found.state, problem: found.problem, discovered: found.discovered }
    : { mdns: 'off', problem: null, discovered: 0 };
  if (discovery.mdns === 'failed' || (discovery.mdns === 'running' && discovery.problem !== null))
    warnings.push('mdns-unavailable');
  const skewed = ctx
    .peers()
    .filter((p) => p.clockSkewMs !== undefined && Math.abs(p.clockSkewMs) > PEER_SKEW_WARNING_MS);
  if (skewed.length > 0) warnings.push('peer-clock-skew');
  // PRN5: a printer whose oldest job failed its last attempt does not answer.
  const queues = ctx.printQueue.summary();
  if (queues.some((q) => q.failing)) warnings.push('printer-not-answering');
  const receiptPrinter = ctx.printing.receiptPrinter();
  return {
    status: 'ok',
    storeId: config.provisioning.store.id,
    storeName: config.provisioning.store.name,
    terminalId: config.provisioning.terminal.id,
    terminalName: config.provisioning.terminal.name,
    startedAt: new Date(ctx.startedAt).toISOString(),
    peers,
    peersConnected: peers.filter((p) => p.connected).length,
    discovery,
    terminalsInStore: config.provisioning.terminals.length,
    documents: docs.documentCount(),
    quarantined: {
      count: docs.quarantine.size,
      items: docs.quarantine.list(20),
      /** Journal records left out, "<terminal>/<seq>": the screen hides them too. */
      entries: docs.quarantine.journalEntries(500),
    },
    /** WRT2: whether this terminal can write to its disk; while it cannot, it issues nothing. */
    storage: {
      writable: writeFailure === undefined,
      failure: writeFailure ?? null,
      failures: ledger.writes.failures,
      recoveries: ledger.writes.recoveries,
    },
    /** CLK1, CLK2: this terminal's clock against its own last entry and against its peers'. */
    clock: {
      now: new Date(now).toISOString(),
      behindOwnLastEntrySeconds: Math.round(behindMs / 1000),
      skewedPeers: skewed.map((p) => ({
        terminalId: p.terminalId,
        skewSeconds: Math.round((p.clockSkewMs ?? 0) / 1000),
      })),
    },
    /** SIG4, UI1: own entries written back after a peer altered them; screen writes refused. */
    integrity: {
      restoredEntries: docs.restoredEntries,
      screenWritesRefused: ctx.screenWritesRefused(),
    },
    catalog: {
      version: catalogMeta?.version ?? null,
      readAt: catalogMeta?.readAt ?? null,
      ageHours,
      products: docs.catalog.products.length,
    },
    numbering,
    shift: ctx.cashbox.shift ?? null,
    /** Line discounts above this percentage need a manager's PIN (the screen asks before sending). */
    discountLimitPercent: ctx.cashbox.discountLimitPercent,
    /** The store's restaurant regime and tip base (CHN2, TIP2): the screen prices tables with them. */
    fiscal: ctx.cashbox.settings,
    invoices: {
      total: invoices.length,
      pendingUpload: pendingInvoices,
      voidsPendingUpload: pendingVoids,
      unusedNumbersPendingUpload: pendingUnused,
    },
    recovery: ctx.recovery,
    network: ctx.network(),
    cloud: ctx.cloudReachability(),
    contingency,
    // RNG4: the next range held (null: none), and the last switch to one.
    nextRange: ctx.ranges?.held()?.numbering ?? null,
    /** RNG5: the position in the next range its held key is certified for. */
    nextPosition: ctx.ranges?.held()?.position ?? null,
    rangeSwitch: ledger.rangeSwitch ?? null,
    uploads: docs.uploadRunsView.filter((r) => r.state === 'running'),
    printing: {
      receiptPrinter: receiptPrinter
        ? { id: receiptPrinter.id, name: receiptPrinter.name, columns: receiptPrinter.columns }
        : null,
      queued: queues.reduce((n, q) => n + q.queued, 0),
      printers: queues,
      unreadableJobs: ctx.printQueue.unreadable.length,
    },
    warnings,
  };
}
