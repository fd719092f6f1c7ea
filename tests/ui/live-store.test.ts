// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocSource } from '../../src/ui/live/doc-source.js';
import { buildLedgerViews } from '../../src/ui/live/views.js';
import type { HealthAnswer } from '../../src/contract/host-api.js';
import { useHealthStore } from '../../src/ui/stores/health.js';
import { setDocSourceFactory, useLiveStore } from '../../src/ui/stores/live.js';
import { journalDoc, makeInvoice, makeVoid, PRODUCTS, SCREEN_SEAL, storeDoc } from './fixtures.js';
import { fakeHost, settle } from './helpers.js';

/** An in-memory stand-in for the browser's automerge Repo: documents by id, change events. */
class FakeSource implements DocSource {
  readonly docs = new Map<string, unknown>();
  readonly listeners = new Map<string, Set<() => void>>();
  readonly opened: string[] = [];
  options: { url: string; peerId: string } | undefined;
  closed = false;

  set(id: string, doc: unknown): void {
    this.docs.set(id, doc);
    for (const listener of this.listeners.get(id) ?? []) listener();
  }
  open(id: string) {
    this.opened.push(id);
    return Promise.resolve({
      current: () => this.docs.get(id),
      onChange: (listener: () => void) => {
        const set = this.listeners.get(id) ?? new Set();
        set.add(listener);
        this.listeners.set(id, set);
        return () => set.delete(listener);
      },
    });
  }
  connected = () => true;
  onConnectionChange = () => () => undefined;
  close(): void {
    this.closed = true;
  }
}

const DOCS = { store: 'doc-store', catalog: 'doc-catalog', floor: 'doc-floor', uploads: 'doc-uploads' };
let source: FakeSource;

function syncInfo(journals: Record<string, string>) {
  return { body: { storeId: 'demo', terminalId: 'caja-1', documents: DOCS, journals } };
}

const META = { version: '7', readAt: '2026-11-28T08:00:00-05:00', readBy: 'Marta' };
/** GET /api/catalog: the host's view of the catalog document. */
const CATALOG = { 'GET /api/catalog': { body: { meta: META, products: PRODUCTS } } };

beforeEach(() => {
  setActivePinia(createPinia());
  source = new FakeSource();
  setDocSourceFactory((options) => {
    source.options = options;
    return source;
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('live store (the documents, read with their readers)', () => {
  it('connects as a ui- peer with the session token and reads catalog, store and journals', async () => {
    const c1 = makeInvoice({ consecutive: 1, minute: 1 });
    const c2 = makeInvoice({ consecutive: 2, minute: 5, customerName: 'Pedro Pérez' });
    source.docs.set(DOCS.store, storeDoc(['caja-1/0']));
    source.docs.set(DOCS.uploads, { type: 'uploads', schemaVersion: 1, acks: {} });
    source.docs.set(
      'doc-j1',
      journalDoc('caja-1', [
        { kind: 'invoice', invoice: c1 },
        { kind: 'invoice', invoice: c2 },
      ]),
    );
    fakeHost({ ...CATALOG, 'GET /api/sync-info': syncInfo({ 'caja-1/0': 'doc-j1' }) });
    const live = useLiveStore();
    await live.start('tok en');
    await settle();
    expect(source.options?.peerId).toMatch(/^ui-[A-Za-z0-9-]{1,64}$/);
    expect(source.options?.peerId.startsWith('ui-caja-1-')).toBe(true);
    expect(source.options?.url).toMatch(/\/sync\?token=tok%20en$/);
    expect(live.ready).toBe(true);
    expect(live.products.map((p) => p.sku)).toContain('BEB-001');
    expect(live.catalogMeta?.version).toBe('7');
    // The catalog comes over HTTP, not as a synced document.
    expect(source.opened).not.toContain(DOCS.catalog);
    expect([...live.terminals.keys()]).toEqual(['caja-1', 'caja-2']);
    expect(live.ledger.invoices.map((r) => r.invoice.number)).toEqual(['C12', 'C11']);
    expect(live.pendingTotal).toBe(2);
  });

  it('shows a sale from another terminal as soon as its journal changes, and a void made anywhere', async () => {
    const mine = makeInvoice({ consecutive: 1, minute: 1 });
    source.docs.set(DOCS.store, storeDoc(['caja-1/0']));
    source.docs.set(DOCS.uploads, { type: 'uploads', schemaVersion: 1, acks: {} });
    source.docs.set('doc-j1', journalDoc('caja-1', [{ kind: 'invoice', invoice: mine }]));
    const host = fakeHost({
      ...CATALOG,
      'GET /api/sync-info': [
        syncInfo({ 'caja-1/0': 'doc-j1' }),
        syncInfo({ 'caja-1/0': 'doc-j1', 'caja-2/0': 'doc-j2' }),
      ],
    });
    const live = useLiveStore();
    await live.start('t');
    await settle();
    // caja-2 opens its first chunk: the store document lists it, the UI asks the host for its id.
    const theirs = makeInvoice({ terminal: 'caja-2', consecutive: 1, minute: 9 });
    source.docs.set('doc-j2', journalDoc('caja-2', [{ kind: 'invoice', invoice: theirs }]));
    source.set(DOCS.store, storeDoc(['caja-1/0', 'caja-2/0']));
    await settle();
    live.flush();
    expect(host.calls.filter((c) => c.path === '/api/sync-info')).toHaveLength(2);
    expect(source.opened).toContain('doc-j2');
    expect(live.ledger.invoices.map((r) => r.invoice.number)).toEqual(['C21', 'C11']);
    // caja-2 voids caja-1's invoice: caja-2's journal changes, caja-1's invoice shows voided.
    const note = makeVoid(mine, 'caja-2');
    source.set(
      'doc-j2',
      journalDoc('caja-2', [
        { kind: 'invoice', invoice: theirs },
        { kind: 'credit-note', creditNote: note },
      ]),
    );
    await settle();
    live.flush();
    const row = live.ledger.invoices.find((r) => r.invoice.id === mine.id);
    expect(row?.voidedBy?.id).toBe(note.id);
    // UPL12: the void of caja-1's invoice is pending under caja-1, whoever requested it.
    expect(live.pending).toEqual([
      { terminalId: 'caja-1', invoices: 1, voids: 1, unused: 0 },
      { terminalId: 'caja-2', invoices: 1, voids: 0, unused: 0 },
    ]);
  });

  it('fetches the catalog again when the health poll shows another reading of it', async () => {
    source.docs.set(DOCS.store, storeDoc([]));
    source.docs.set(DOCS.uploads, { type: 'uploads', schemaVersion: 1, acks: {} });
    const reread = { ...META, version: '8', readAt: '2026-11-28T10:00:00-05:00' };
    const host = fakeHost({
      'GET /api/sync-info': syncInfo({}),
      'GET /api/catalog': [
        { body: { meta: META, products: PRODUCTS } },
        { body: { meta: reread, products: PRODUCTS.slice(0, 2) } },
      ],
    });
    const live = useLiveStore();
    const health = useHealthStore();
    await live.start('t');
    await settle();
    const catalogCalls = () => host.calls.filter((c) => c.path === '/api/catalog').length;
    expect(catalogCalls()).toBe(1);
    // The same reading (only its age changed): nothing to fetch.
    health.health = {
      catalog: { version: '7', readAt: META.readAt, ageHours: 2.1, products: 10 },
      quarantined: { count: 0, entries: [] },
    } as unknown as HealthAnswer;
    await settle();
    expect(catalogCalls()).toBe(1);
    health.health = {
      catalog: { version: '8', readAt: reread.readAt, ageHours: 0, products: 2 },
      quarantined: { count: 0, entries: [] },
    } as unknown as HealthAnswer;
    await settle();
    expect(catalogCalls()).toBe(2);
    expect(live.catalogMeta?.version).toBe('8');
    expect(live.products).toHaveLength(2);
    live.stop();
  });

  it('skips invalid journal entries and counts them, keeping the valid ones', async () => {
    const good = makeInvoice({ consecutive: 1 });
    const forged = { ...makeInvoice({ consecutive: 2 }), total: 1 };
    const doc = journalDoc('caja-1', [
      { kind: 'invoice', invoice: good },
      { kind: 'invoice', invoice: forged },
    ]);
    (doc.entries.b0 as Record<string, unknown>)['000000003'] = 'not json';
    source.docs.set(DOCS.store, storeDoc(['caja-1/0']));
    source.docs.set(DOCS.uploads, { type: 'uploads', schemaVersion: 1, acks: {} });
    source.docs.set('doc-j1', doc);
    fakeHost({ ...CATALOG, 'GET /api/sync-info': syncInfo({ 'caja-1/0': 'doc-j1' }) });
    const live = useLiveStore();
    await live.start('t');
    await settle();
    expect(live.ledger.invoices.map((r) => r.invoice.number)).toEqual(['C11']);
    expect(live.invalidEntries).toBe(2);
  });

  it('[SIG3] hides the records the host quarantined (the screen cannot check signatures itself)', async () => {
    const real = makeInvoice({ consecutive: 1 });
    // Well formed, but its signature is not caja-1's: only the host can tell.
    const forged = makeInvoice({ consecutive: 2 });
    source.docs.set(DOCS.store, storeDoc(['caja-1/0']));
    source.docs.set(DOCS.uploads, { type: 'uploads', schemaVersion: 1, acks: {} });
    source.docs.set(
      'doc-j1',
      journalDoc('caja-1', [
        { kind: 'invoice', invoice: real },
        { kind: 'invoice', invoice: forged },
      ]),
    );
    fakeHost({ ...CATALOG, 'GET /api/sync-info': syncInfo({ 'caja-1/0': 'doc-j1' }) });
    const live = useLiveStore();
    const health = useHealthStore();
    await live.start('t');
    await settle();
    expect(live.ledger.invoices.map((r) => r.invoice.number)).toEqual(['C12', 'C11']);
    health.health = {
      catalog: { version: '7', readAt: META.readAt, ageHours: 2.1, products: 10 },
      quarantined: { count: 1, entries: ['caja-1/2'] },
    } as unknown as HealthAnswer;
    await settle();
    live.flush();
    expect(live.ledger.invoices.map((r) => r.invoice.number)).toEqual(['C11']);
    expect(live.invalidEntries).toBe(1);
  });

  it('counts what the uploads document acknowledged as uploaded', async () => {
    const a = makeInvoice({ consecutive: 1 });
    const b = makeInvoice({ consecutive: 2 });
    source.docs.set(DOCS.store, storeDoc(['caja-1/0']));
    source.docs.set(DOCS.uploads, {
      type: 'uploads',
      schemaVersion: 1,
      acks: {
        x: {
          [a.id]: JSON.stringify({
            id: a.id,
            kind: 'invoice',
            status: 'created',
            at: '2026-11-29T08:00:00-05:00',
            by: { id: 'marta', name: 'Marta' },
            terminalId: 'caja-1',
          }),
        },
      },
    });
    source.docs.set(
      'doc-j1',
      journalDoc('caja-1', [
        { kind: 'invoice', invoice: a },
        { kind: 'invoice', invoice: b },
      ]),
    );
    fakeHost({ ...CATALOG, 'GET /api/sync-info': syncInfo({ 'caja-1/0': 'doc-j1' }) });
    const live = useLiveStore();
    await live.start('t');
    await settle();
    expect(live.acks.has(a.id)).toBe(true);
    expect(live.pendingTotal).toBe(1);
  });

  it('stops cleanly on log-out', async () => {
    source.docs.set(DOCS.store, storeDoc([]));
    fakeHost({ ...CATALOG, 'GET /api/sync-info': syncInfo({}) });
    const live = useLiveStore();
    await live.start('t');
    await settle();
    live.stop();
    expect(source.closed).toBe(true);
    expect(live.status).toBe('idle');
    expect(live.ledger.invoices).toEqual([]);
  });
});

describe('ledger views', () => {
  it('rebuilds 10,000 invoices from 20 chunks, newest first (its speed is measured by bench:ui)', () => {
    const invoices = Array.from({ length: 500 }, (_, i) =>
      makeInvoice({ consecutive: i + 1, minute: i % 60 }),
    );
    // 20 chunks of 500 entries, reusing invoice objects (as the readers' caches do).
    const chunks = Array.from({ length: 20 }, (_, c) =>
      invoices.map((invoice, i) => ({
        kind: 'invoice' as const,
        seq: c * 500 + i + 1,
        terminalId: 'caja-1',
        at: invoice.issuedAt,
        commandId: `cmd-${c}-${i}`,
        ...SCREEN_SEAL,
        invoice: { ...invoice, id: `${invoice.id.slice(0, 30)}${String(c).padStart(6, '0')}` },
      })),
    );
    const views = buildLedgerViews(chunks);
    expect(views.invoices).toHaveLength(10_000);
    const first = views.invoices[0]?.invoice.issuedAt ?? '';
    expect(first >= (views.invoices.at(-1)?.invoice.issuedAt ?? '')).toBe(true);
  });
});
