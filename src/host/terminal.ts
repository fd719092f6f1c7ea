import { randomUUID } from 'node:crypto';
import { formatInTimeZone } from '../domain/time.js';
import { fiscalSettingsOf } from '../domain/channel.js';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Repo } from '@automerge/automerge-repo';
import { LanNetworkAdapter, type LanEvent } from '../crdt/lan/lan-network.js';
import { LanDiscovery, type DiscoveryEvent } from '../crdt/lan/lan-discovery.js';
import { openStorage } from '../crdt/storage/open-storage.js';
import type { StoreDocuments } from '../crdt/store-documents.js';
import { toErrorResponse } from '../contract/errors.js';
import { REASON_STATUS, type Reason } from '../contract/reasons.js';
import { Cashbox } from '../invoice/cashbox.js';
import { InvoiceIndex } from '../invoice/invoice-index.js';
import { FiscalLedger } from '../invoice/ledger.js';
import { decodeLanKey } from '../security/lan-key.js';
import { CloudClient } from '../upload/cloud-client.js';
import type { TerminalContext } from './api/context.js';
import { registerFloorRoutes } from './api/floor-routes.js';
import { registerPrintingRoutes } from './api/printing-routes.js';
import { registerDraftRoutes } from './api/draft-routes.js';
import { DraftStore } from './drafts.js';
import { registerUploadRoutes } from './api/upload-routes.js';
import { Uploader } from '../upload/uploader.js';
import { CloudProbe } from '../upload/cloud-probe.js';
import { registerRoutes } from './api/routes.js';
import { Restaurant } from '../restaurant/service.js';
import { terminalEntry } from './provision.js';
import { createRepo, storeDocuments } from './repo-setup.js';
import { Sessions } from './sessions.js';
import { registerStaticUi } from './static-ui.js';
import { createUiSync, isUiPeer } from './ui-sync.js';
import { dataPaths, readTerminalConfig, type CloudConfig, type TerminalConfig } from './terminal-config.js';
import { lockDataDir, type DataDirLock } from './data-lock.js';
import { loopbackGuard, registerLoopbackGuard } from './api/loopback-guard.js';
import { loadTerminalKey } from './terminal-key.js';
import { documentStorageOf, flushDurably } from '../crdt/storage/document-storage.js';
import { BatchedSync } from '../crdt/storage/batched-sync.js';
import { ContingencyWatch } from './contingency-watch.js';
import { DianStatusReader } from './dian-status.js';
import { promoteHeldKey, RangeKeeper } from './next-range.js';
import type { SigningKey } from '../security/signing.js';
import type { CloudReachability } from '../upload/cloud-probe.js';
import { PrintQueue } from '../printing/print-queue.js';
import { Printing } from './printing.js';

/** STO4: how often the deferred saves of the automerge documents are synced, in one batch. */
const STORAGE_SYNC_MS = 500;
export interface TerminalOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly lanPort: number;
  readonly lanHost: string;
  readonly peers: readonly string[];
  /**
   * DSC1–DSC4: announce this terminal on the LAN by mDNS and dial the store's terminals heard
   * there. Off unless asked (`caja terminal` asks unless `--no-mdns`).
   */
  readonly mdns?: boolean;
  readonly now?: () => number;
  readonly log?: (event: LanEvent) => void;
  readonly discountLimitPercent?: number;
  readonly uploadBatchSize?: number;
  /** How often the cloud's health is checked (EPI1: an episode ends when it answers again). */
  readonly cloudCheckMs?: number;
  /** EPI5: while the cloud answers, `ask` (default) refuses sales until a manager authorizes selling offline. */
  readonly whenCloudAnswers?: 'ask' | 'sell';
  /** Who holds the data directory's lock, as other commands are told (default `caja terminal`). */
  readonly lockedBy?: string;
}

export interface RunningTerminal {
  readonly url: string;
  readonly lanUrl: string;
  readonly context: TerminalContext;
  readonly app: FastifyInstance;
  readonly repo: Repo;
  readonly docs: StoreDocuments;
  readonly lan: LanNetworkAdapter;
  readonly uploader: Uploader;
  close(): Promise<void>;
}

/** The terminal host: composition root of one cashier terminal. */
export async function startTerminal(options: TerminalOptions): Promise<RunningTerminal> {
  const now = options.now ?? Date.now;
  const { config, cloud, notes } = readTerminalConfig(options.dataDir);
  const lock = lockDataDir(options.dataDir, options.lockedBy ?? 'caja terminal', now);
  try {
    return await startLocked(options, config, cloud, lock, notes);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startLocked(
  options: TerminalOptions,
  config: TerminalConfig,
  cloud: CloudConfig,
  lock: DataDirLock,
  notes: string[],
): Promise<RunningTerminal> {
  const now = options.now ?? Date.now;
  const p = config.provisioning;
  const paths = dataPaths(options.dataDir);
  const lan = new LanNetworkAdapter({
    storeId: p.store.id,
    terminalId: p.terminal.id,
    lanKey: decodeLanKey(p.lanKey),
    listen: { port: options.lanPort, host: options.lanHost },
    peers: options.peers,
    // A till waits at most a few seconds to find a peer that came back.
    backoff: { initialMs: 200, maxMs: 5_000 },
    now,
    ...(options.log ? { log: options.log } : {}),
  });
  let discovery: LanDiscovery | undefined;
  const sessions = new Sessions(p.users, now);
  let boundPort = options.port;
  const guard = loopbackGuard(options.host, () => boundPort);
  const uiSync = createUiSync((token) => sessions.resolve(token) !== undefined, guard);
  // The network joins only once every known document is open: a peer's announcement racing the
  // opening of a document from its genesis could leave that document stuck.
  const say = (message: string) => {
    console.log(`caja terminal ${p.terminal.id}: ${message}`);
  };

  // STO4: the fiscal log is the sale's only synchronous durable write. The automerge documents
  // are saved in the background (the repo's throttled saves), their incremental chunks synced in
  // batches (`storageSync` below); a command whose record is a shared document flushes it durably.
  const storage = await openStorage(paths.automerge, { deferIncrementalSync: true });
  let saveFailed: (error: unknown) => void = () => undefined;
  const repo = createRepo(config, storage, [], isUiPeer, {
    dataDir: options.dataDir,
    log: say,
    onSaveFailed: (error) => {
      saveFailed(error);
    },
  });
  const docs = storeDocuments(config, repo, options.dataDir, say);
  await docs.open();
  repo.networkSubsystem.addNetworkAdapter(lan);
  repo.networkSubsystem.addNetworkAdapter(uiSync.adapter);
  docs.registerTerminal(terminalEntry(p, config.provisionedAt));
  const cloudClient = new CloudClient({ baseUrl: cloud.url, token: cloud.token, timeoutMs: 15_000 });
  // RNG5: how much of its position the ledger (opened below) has used.
  const positionUse = { percent: (): number => 0 };
  // RNG4: the next range held, and the switch to it when the current one is over.
  const ranges = new RangeKeeper({
    dataDir: options.dataDir,
    config,
    cloudConfig: cloud,
    cloud: cloudClient,
    today: () => formatInTimeZone(now(), p.store.timeZone).slice(0, 10),
    usedPercent: () => positionUse.percent(),
    publish: (updated, certificate) => {
      docs.addOwnCertificate(certificate);
      docs.registerTerminal(terminalEntry(updated.provisioning, updated.provisionedAt));
    },
    say,
  });
  const { ledger, recovery } = await FiscalLedger.open({
    docs,
    fiscalDir: paths.fiscal,
    terminalId: p.terminal.id,
    numbering: p.terminal.numbering,
    position: config.certificate.position,
    timeZone: p.store.timeZone,
    now,
    key: terminalKey(options.dataDir, notes, config.certificate.publicKey),
    nextRange: () => ranges.held(),
    onRangeSwitch: () => {
      ranges.switchNow();
    },
  });
  saveFailed = (error) => ledger.writes.failed(error);
  const storageSync = new BatchedSync(storage, STORAGE_SYNC_MS, (error) => ledger.writes.failed(error));
  // STO2, STO3: what was read from a copy, and what the fiscal log could not read, is said.
  positionUse.percent = () => ledger.rangeStatus().usedPercent;
  for (const note of notes) say(note);
  for (const problem of recovery.logProblems) say(`fiscal log ${paths.fiscal}/fiscal.log: ${problem}`);
  // SIG4: what the journal on disk lost or had altered, and this start wrote back from the log.
  const { restoredInJournal: restored, rebuiltIntoJournal: rebuilt } = recovery;
  if (restored + rebuilt > 0)
    say(
      `its journal differed from its fiscal log: ${restored} altered entries restored and ` +
        `${rebuilt} missing or unreadable entries rebuilt, as the fiscal log holds them`,
    );
  const index = new InvoiceIndex(docs);
  let probeState = (): CloudReachability => ({ reachable: null, checkedAt: null, reason: null });
  const watch = new ContingencyWatch({
    docs,
    terminalId: p.terminal.id,
    now,
    timestamp: () => ledger.timestamp(),
    reachability: () => probeState(),
    whenCloudAnswers: options.whenCloudAnswers ?? 'ask',
    say,
  });
  const cashbox = new Cashbox({
    episode: () => watch.episodeForSale(),
    mayIssue: () => watch.gate(),
    terminalId: p.terminal.id,
    storeId: p.store.id,
    numbering: p.terminal.numbering,
    docs,
    ledger,
    index,
    discountLimitPercent: options.discountLimitPercent ?? 10,
    settings: fiscalSettingsOf(p.store.settings),
    shiftDifferenceLimit: p.store.settings?.shiftDifferenceLimit,
  });
  const probe = new CloudProbe(cloudClient, options.cloudCheckMs ?? 30_000, async (state) => {
    await watch.cloudChecked(state.reachable === true);
    if (state.reachable === true) await ranges.holdWhenDue(now());
  });
  probeState = () => probe.current;
  const printQueue = new PrintQueue({
    dir: paths.printJobs,
    printers: () => docs.devices.printers,
    now,
    random: Math.random,
    log: say,
  });
  const printing = new Printing({
    docs,
    queue: printQueue,
    terminalId: p.terminal.id,
    store: p.store,
    terminals: p.terminals,
  });
  const drafts = new DraftStore(options.dataDir, () => ledger.timestamp(), randomUUID, say);
  const context: TerminalContext = {
    config,
    docs,
    printing,
    printQueue,
    drafts,
    ledger,
    cashbox,
    index,
    sessions,
    cloud: cloudClient,
    cloudReachability: () => probe.current,
    ranges,
    contingency: watch,
    dian: new DianStatusReader({ cloud: cloudClient, storeId: p.store.id, now }),
    recovery: {
      ...recovery,
      filesReadFromCopy: notes,
      unreadableDocuments: documentStorageOf(repo)?.unreadable ?? [],
    },
    peers: () =>
      lan
        .peerStatus()
        .filter((peer) => peer.terminalId !== p.terminal.id)
        .map((peer) => ({
          terminalId: peer.terminalId,
          url: peer.url,
          connected: peer.connected,
          lastSeenAt: peer.lastSeenAt,
          clockSkewMs: peer.clockSkewMs,
          foundBy: peer.foundBy,
        })),
    ...(options.mdns === true
      ? {
          discovery: () =>
            discovery?.status() ?? { state: 'starting', problem: null, instance: '', discovered: 0 },
        }
      : {}),
    network: () => ({ ...lan.stats() }),
    screenWritesRefused: () => uiSync.refusedWrites(),
    now,
    startedAt: now(),
  };
  const { port: lanPort } = await lan.start();

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.setErrorHandler((error, _request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) console.error(error);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const error: Reason = 'not-found';
    void reply
      .status(REASON_STATUS[error])
      .send({ error, message: `no route ${request.method} ${request.url}` });
  });
  registerLoopbackGuard(app, guard);
  registerRoutes(app, context);
  registerFloorRoutes(app, context, new Restaurant(docs, cashbox, ledger, p.terminal.id));
  registerPrintingRoutes(app, context);
  registerDraftRoutes(app, context, drafts);
  const uploader = new Uploader({
    docs,
    index,
    cloud: context.cloud,
    storeId: p.store.id,
    terminalId: p.terminal.id,
    timestamp: () => ledger.timestamp(),
    now,
    batchSize: options.uploadBatchSize ?? 500,
    onDone: () => watch.uploaded(),
  });
  // A run this terminal left "running" when it was killed is over: say so to every terminal.
  await uploader.closeInterrupted();
  registerUploadRoutes(app, context, uploader);
  await registerStaticUi(app);
  app.server.on('upgrade', (request, socket, head) => {
    uiSync.handleUpgrade(request, socket, head);
  });
  await app.listen({ port: options.port, host: options.host });
  probe.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  boundPort = port;
  // Announced once everything serves: a peer that hears us can dial at once.
  if (options.mdns === true) {
    discovery = new LanDiscovery({
      lanKey: decodeLanKey(p.lanKey),
      terminalId: p.terminal.id,
      port: lanPort ?? options.lanPort,
      host: options.lanHost,
      peers: {
        add: (url) => {
          lan.addPeer(url, 'mdns');
        },
        remove: (url) => {
          lan.removePeer(url);
        },
      },
      log: (event) => {
        say(describeDiscovery(event));
      },
    });
    discovery.start();
  }

  let closed = false;
  return {
    url: `http://${options.host}:${port}`,
    lanUrl: `ws://${options.lanHost}:${lanPort ?? options.lanPort}`,
    context,
    app,
    repo,
    docs,
    lan,
    uploader,
    async close() {
      if (closed) return;
      closed = true;
      // The data directory's lock is released however the rest goes: a step that fails must not
      // leave the next `caja upload` or terminal a lock to take over.
      try {
        probe.stop();
        printQueue.close();
        await discovery?.close();
        docs.close();
        await uiSync.close();
        await app.close();
        await lan.close();
        await flushDurably(repo);
        storageSync.stop();
        await repo.shutdown();
      } finally {
        try {
          ledger.close();
        } finally {
          lock.release();
        }
      }
    },
  };
}

/** One line of the terminal's output per discovery event (they are few: DSC4 says each once). */
function describeDiscovery(event: DiscoveryEvent): string {
  switch (event.type) {
    case 'mdns-started':
      return `mDNS: announcing ${event.instance} on ${event.interface === 'all' ? 'every interface' : event.interface}`;
    case 'mdns-peer':
      return `mDNS: found a terminal of this store at ${event.url}`;
    case 'mdns-peer-moved':
      return `mDNS: a terminal of this store moved from ${event.from} to ${event.to}`;
    case 'mdns-too-many':
      return `mDNS: more than ${event.max} terminals announced with this store's tag; the rest are ignored`;
    case 'mdns-failed':
      return `mDNS unavailable (${event.error}); only --peer terminals are dialed`;
    case 'mdns-problem':
      return `mDNS: ${event.error}`;
  }
}

/**
 * The terminal's key; after a range switch that a crash cut short (RNG4), the held key the
 * certificate names is taken.
 */
function terminalKey(dataDir: string, notes: string[], expected: string): SigningKey {
  try {
    return loadTerminalKey(dataDir, notes, expected);
  } catch (error) {
    if (!promoteHeldKey(dataDir, expected)) throw error;
    notes.push('the key of the range switched to was taken from keys/next-key.pem (a switch cut short)');
    return loadTerminalKey(dataDir, notes, expected);
  }
}
