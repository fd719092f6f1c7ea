import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch as watchValue } from 'vue';
import type { CatalogMeta } from '../../crdt/documents/catalog-doc.js';
import { readFloor, type FloorView } from '../../crdt/documents/floor-doc.js';
import { type JournalEntry } from '../../domain/journal-entry.js';
import { readStore, type TerminalEntry } from '../../crdt/documents/store-doc.js';
import { readUploads, type AckCache, type UploadAck } from '../../crdt/documents/uploads-doc.js';
import type { Product } from '../../domain/catalog.js';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import type { DocSource, DocSourceFactory } from '../live/doc-source.js';
import { JournalChunkReader } from '../live/journal-reader.js';
import { buildLedgerViews, pendingUploads, type LedgerViews } from '../live/views.js';
import { pendingTotals } from '../../upload/pending.js';
import { numberLabel as splitNumber } from '../format.js';
import { useHealthStore } from './health.js';

/**
 * Unset, the automerge-repo source (live/repo-source.ts) is imported when the live views start:
 * automerge-repo and its dependencies are a chunk of their own, so the login screen does not wait
 * for them. Tests replace it with an in-memory fake.
 */
let sourceFactory: DocSourceFactory | undefined;

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

/** What identifies a reading of the catalog: a new "Leer catálogo" changes it. */
const catalogStamp = (meta: { version: string | null; readAt: string | null } | undefined | null) =>
  meta ? `${meta.version ?? ''}|${meta.readAt ?? ''}` : '';

/**
 * The store's shared documents, live: one in-memory automerge Repo synced with the host, the
 * store, uploads and floor documents and every journal chunk the store document lists. Each
 * document is parsed with its reader (invalid entries skipped) into shallow views rebuilt when
 * its handle changes: a sale on another terminal shows here with no refresh.
 *
 * The catalog is the exception: it comes as JSON from GET /api/catalog (the host's view of the
 * catalog document, already validated there), fetched again when the health poll shows another
 * version or reading time. It is read-only here and changes only with "Leer catálogo", and as a
 * synced document 10,000 products cost the browser about a second of patches and validation at
 * every log-in, before the sale screen could be used (bench:ui).
 */
export const useLiveStore = defineStore('live', () => {
  const status = ref<'idle' | 'connecting' | 'live' | 'offline'>('idle');
  const error = ref<string | null>(null);
  const terminalId = ref<string | null>(null);
  const products = shallowRef<readonly Product[]>([]);
  const catalogMeta = shallowRef<CatalogMeta | undefined>(undefined);
  const terminals = shallowRef<ReadonlyMap<string, TerminalEntry>>(new Map());
  const ledger = shallowRef<LedgerViews>({ invoices: [], creditNotes: [], unused: [] });
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
  let shownCatalog = '';
  let catalogInFlight = false;

  const hasMissingJournal = () => listedJournals.some((key) => !openedJournals.has(key));

  /**
   * The screen holds no keys and cannot check signatures: the host does, and what its checks left
   * out (a forged or altered record) is hidden here too, as the health answer lists it.
   */
  let hidden: ReadonlySet<string> = new Set();
  const shown = (entries: readonly JournalEntry[]) =>
    hidden.size === 0 ? entries : entries.filter((e) => !hidden.has(`${e.terminalId}/${e.seq}`));

  function rebuildLedger(): void {
    rebuildTimer = undefined;
    const readers = [...chunks.values()];
    const current = readers.map((r) => shown(r.current));
    ledger.value = buildLedgerViews(current);
    const byTerminal = new Map<string, JournalEntry[]>();
    let invalid = 0;
    readers.forEach((reader, i) => {
      invalid += reader.invalidCount + (reader.current.length - (current[i]?.length ?? 0));
      const entries = current[i] ?? [];
      const list = byTerminal.get(reader.owner);
      if (list) list.push(...entries);
      else byTerminal.set(reader.owner, [...entries]);
    });
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

  async function loadCatalog(gen: number): Promise<void> {
    if (catalogInFlight) return;
    catalogInFlight = true;
    try {
      const answer = await api.catalog();
      if (gen !== generation) return;
      products.value = answer.products;
      catalogMeta.value = answer.meta ?? undefined;
      shownCatalog = catalogStamp(answer.meta);
    } catch (failure) {
      if (gen !== generation) return;
      error.value = reasonOf(failure);
      // The next health answer that differs from what is shown asks again; until the first
      // catalog is in, keep asking.
      if (products.value.length === 0 && status.value !== 'idle') {
        const retry = setTimeout(() => void loadCatalog(gen), START_RETRY_MS);
        cleanups.push(() => {
          clearTimeout(retry);
        });
      }
    } finally {
      catalogInFlight = false;
    }
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
    const catalogAnswered = loadCatalog(gen);
    const health = useHealthStore();
    cleanups.push(
      watchValue(
        () => health.health?.quarantined.entries.join(',') ?? '',
        (entries) => {
          hidden = new Set(entries === '' ? [] : entries.split(','));
          scheduleRebuild();
        },
        { immediate: true },
      ),
    );
    cleanups.push(
      watchValue(
        () => health.health?.catalog,
        (catalog) => {
          if (catalog && gen === generation && catalogStamp(catalog) !== shownCatalog) void loadCatalog(gen);
        },
      ),
    );
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
    // The sale screen needs the catalog, not the documents: their sync (automerge's wasm at work
    // on the main thread) starts once the catalog's first answer is in, so it does not delay the
    // sale screen at log-in (bench:ui).
    await catalogAnswered;
    if (gen !== generation) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const factory = sourceFactory ?? (await import('../live/repo-source.js')).createRepoSource;
    if (gen !== generation) return;
    source = factory({
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
    const ackCache: AckCache = new Map();
    watch(gen, info.documents.uploads, (doc) => {
      acks.value = readUploads(doc, ackCache).acks;
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
    shownCatalog = '';
    catalogInFlight = false;
    ready.value = false;
    status.value = 'idle';
    products.value = [];
    catalogMeta.value = undefined;
    terminals.value = new Map();
    ledger.value = { invoices: [], creditNotes: [], unused: [] };
    entriesByTerminal.value = new Map();
    acks.value = new Map();
    floor.value = { areas: [], tables: [], orders: [] };
    invalidEntries.value = 0;
  }

  const pending = computed(() => pendingUploads(ledger.value, acks.value, terminals.value.keys()));
  const pendingTotal = computed(() => pendingTotals(pending.value).all);

  // Getters that return functions rather than actions: a testing pinia stubs actions.
  /** A terminal as a person reads it (issue 16 §8): its name, its id only while it is unknown. */
  const terminalName = computed(() => {
    const known = terminals.value;
    return (id: string): string => known.get(id)?.name ?? id;
  });
  /** A fiscal number known only as text, prefix and consecutive apart ("C1-1045"). */
  const numberLabel = computed(() => {
    const prefixes = [...terminals.value.values()].map((t) => t.prefix);
    return (number: string): string => splitNumber(number, prefixes);
  });

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
    terminalName,
    numberLabel,
    start,
    stop,
    /** Fetch the catalog again (after "Leer catálogo" on this screen). */
    refreshCatalog: () => loadCatalog(generation),
    /** For tests and for the screens that want the views now rather than after the debounce. */
    flush: () => {
      if (rebuildTimer !== undefined) {
        clearTimeout(rebuildTimer);
        rebuildLedger();
      }
    },
  };
});
