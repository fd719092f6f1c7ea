import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { readCatalog, type CatalogMeta } from '../../crdt/documents/catalog-doc.js';
import { readFloor, type FloorView } from '../../crdt/documents/floor-doc.js';
import type { JournalEntry } from '../../crdt/documents/journal-doc.js';
import { readStore, type TerminalEntry } from '../../crdt/documents/store-doc.js';
import { readUploads, type UploadAck } from '../../crdt/documents/uploads-doc.js';
import type { Product } from '../../domain/catalog.js';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import type { DocSource, DocSourceFactory } from '../live/doc-source.js';
import { JournalChunkReader } from '../live/journal-reader.js';
import { createRepoSource } from '../live/repo-source.js';
import { buildLedgerViews, pendingUploads, type LedgerViews } from '../live/views.js';

let sourceFactory: DocSourceFactory = createRepoSource;

/** Tests replace the automerge-repo source with an in-memory fake. */
export function setDocSourceFactory(factory: DocSourceFactory): void {
  sourceFactory = factory;
}

const JOURNAL_KEY = /^([a-z0-9][a-z0-9-]{0,39})\/(\d{1,6})$/;
const REBUILD_DELAY_MS = 20;
const START_RETRY_MS = 3_000;

function randomSuffix(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/**
 * The store's shared documents, live: one in-memory automerge Repo synced with the host, the
 * store, catalog and uploads documents and every journal chunk the store document lists. Each
 * document is parsed with its reader (invalid entries skipped) into shallow views rebuilt when
 * its handle changes: a sale on another terminal shows here with no refresh.
 */
export const useLiveStore = defineStore('live', () => {
  const status = ref<'idle' | 'connecting' | 'live' | 'offline'>('idle');
  const error = ref<string | null>(null);
  const terminalId = ref<string | null>(null);
  const products = shallowRef<readonly Product[]>([]);
  const catalogMeta = shallowRef<CatalogMeta | undefined>(undefined);
  const terminals = shallowRef<ReadonlyMap<string, TerminalEntry>>(new Map());
  const ledger = shallowRef<LedgerViews>({ invoices: [], creditNotes: [] });
  const entriesByTerminal = shallowRef<ReadonlyMap<string, readonly JournalEntry[]>>(new Map());
  const acks = shallowRef<ReadonlyMap<string, UploadAck>>(new Map());
  /** Tables and open orders, for Comedores (to come). */
  const floor = shallowRef<FloorView>({ areas: [], tables: [], orders: [] });
  const invalidEntries = ref(0);
  /** Every document listed at start has been read once: the views are complete. */
  const ready = ref(false);

  let source: DocSource | undefined;
  let generation = 0;
  let cleanups: (() => void)[] = [];
  let chunks = new Map<string, JournalChunkReader>();
  let openedJournals = new Map<string, string>();
  let rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  let syncInfoInFlight = false;
  let listedJournals: readonly string[] = [];

  const hasMissingJournal = () => listedJournals.some((key) => !openedJournals.has(key));

  function rebuildLedger(): void {
    rebuildTimer = undefined;
    const readers = [...chunks.values()];
    ledger.value = buildLedgerViews(readers.map((r) => r.current));
    const byTerminal = new Map<string, JournalEntry[]>();
    let invalid = 0;
    for (const reader of readers) {
      invalid += reader.invalidCount;
      const list = byTerminal.get(reader.owner);
      if (list) list.push(...reader.current);
      else byTerminal.set(reader.owner, [...reader.current]);
    }
    for (const list of byTerminal.values()) list.sort((a, b) => a.seq - b.seq);
    entriesByTerminal.value = byTerminal;
    invalidEntries.value = invalid;
  }

  function scheduleRebuild(): void {
    rebuildTimer ??= setTimeout(rebuildLedger, REBUILD_DELAY_MS);
  }

  let waitingFirstRead = new Set<string>();

  function watch(gen: number, documentId: string, onDoc: (doc: unknown) => void): void {
    if (!source) return;
    source
      .open(documentId)
      .then((watched) => {
        if (gen !== generation) return;
        const read = () => {
          const doc = watched.current();
          if (doc === undefined) return;
          onDoc(doc);
          if (waitingFirstRead.delete(documentId) && waitingFirstRead.size === 0) {
            if (rebuildTimer !== undefined) clearTimeout(rebuildTimer);
            rebuildLedger();
            ready.value = true;
          }
        };
        cleanups.push(watched.onChange(read));
        read();
      })
      .catch(() => undefined);
  }

  function openJournal(gen: number, key: string, documentId: string): void {
    if (openedJournals.has(key)) return;
    const owner = JOURNAL_KEY.exec(key)?.[1];
    if (owner === undefined) return;
    openedJournals.set(key, documentId);
    const reader = new JournalChunkReader(owner);
    chunks.set(key, reader);
    watch(gen, documentId, (doc) => {
      if (reader.read(doc)) scheduleRebuild();
    });
  }

  /** The store document lists a chunk we have no id for: ask the host again. */
  async function refreshSyncInfo(gen: number): Promise<void> {
    if (syncInfoInFlight) return;
    syncInfoInFlight = true;
    try {
      const info = await api.syncInfo();
      if (gen !== generation) return;
      for (const [key, id] of Object.entries(info.journals)) openJournal(gen, key, id);
    } catch (failure) {
      error.value = reasonOf(failure);
    } finally {
      syncInfoInFlight = false;
    }
    // The host may not have seen the new chunk yet: ask once more a little later.
    if (gen === generation && hasMissingJournal()) {
      const retry = setTimeout(() => void refreshSyncInfo(gen), 2_000);
      cleanups.push(() => {
        clearTimeout(retry);
      });
    }
  }

  async function start(token: string): Promise<void> {
    stop();
    const gen = ++generation;
    status.value = 'connecting';
    error.value = null;
    let info;
    // The host may be restarting: keep asking while this session lasts.
    for (;;) {
      try {
        info = await api.syncInfo();
        break;
      } catch (failure) {
        if (gen !== generation) return;
        status.value = 'offline';
        error.value = reasonOf(failure);
        await new Promise((resolve) => setTimeout(resolve, START_RETRY_MS));
        if (gen !== generation) return;
      }
    }
    error.value = null;
    terminalId.value = info.terminalId;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    source = sourceFactory({
      url: `${scheme}://${location.host}/sync?token=${encodeURIComponent(token)}`,
      peerId: `ui-${info.terminalId}-${randomSuffix()}`,
    });
    cleanups.push(
      source.onConnectionChange((connected) => {
        if (gen === generation) status.value = connected ? 'live' : 'offline';
      }),
    );
    if (source.connected()) status.value = 'live';
    waitingFirstRead = new Set([
      info.documents.store,
      info.documents.catalog,
      info.documents.uploads,
      ...Object.values(info.journals),
    ]);
    watch(gen, info.documents.store, (doc) => {
      const view = readStore(doc).view;
      terminals.value = view.terminals;
      listedJournals = [...view.journals].flatMap(([owner, list]) =>
        list.map((chunk) => `${owner}/${chunk}`),
      );
      if (hasMissingJournal()) void refreshSyncInfo(gen);
    });
    watch(gen, info.documents.catalog, (doc) => {
      const { view } = readCatalog(doc);
      products.value = view.products;
      catalogMeta.value = view.meta;
    });
    watch(gen, info.documents.uploads, (doc) => {
      acks.value = readUploads(doc).acks;
    });
    watch(gen, info.documents.floor, (doc) => {
      floor.value = readFloor(doc).view;
    });
    for (const [key, id] of Object.entries(info.journals)) openJournal(gen, key, id);
  }

  function stop(): void {
    generation += 1;
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
    source?.close();
    source = undefined;
    if (rebuildTimer !== undefined) clearTimeout(rebuildTimer);
    rebuildTimer = undefined;
    chunks = new Map();
    openedJournals = new Map();
    listedJournals = [];
    waitingFirstRead = new Set();
    ready.value = false;
    status.value = 'idle';
    products.value = [];
    catalogMeta.value = undefined;
    terminals.value = new Map();
    ledger.value = { invoices: [], creditNotes: [] };
    entriesByTerminal.value = new Map();
    acks.value = new Map();
    floor.value = { areas: [], tables: [], orders: [] };
    invalidEntries.value = 0;
  }

  const pending = computed(() => pendingUploads(ledger.value, acks.value, terminals.value.keys()));
  const pendingTotal = computed(() => pending.value.reduce((sum, p) => sum + p.invoices + p.voids, 0));

  return {
    status,
    error,
    terminalId,
    products,
    catalogMeta,
    terminals,
    ledger,
    entriesByTerminal,
    acks,
    floor,
    invalidEntries,
    ready,
    pending,
    pendingTotal,
    start,
    stop,
    /** For tests and for the screens that want the views now rather than after the debounce. */
    flush: () => {
      if (rebuildTimer !== undefined) {
        clearTimeout(rebuildTimer);
        rebuildLedger();
      }
    },
  };
});
