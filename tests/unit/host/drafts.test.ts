import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FINAL_CONSUMER } from '../../../src/domain/customer.js';
import { MAX_PARKED_SALES, type SaleDraft } from '../../../src/domain/sale-draft.js';
import { DraftStore } from '../../../src/host/drafts.js';

const ana = { id: 'ana', name: 'Ana' };
const luis = { id: 'luis', name: 'Luis' };
const draft = (commandId: string, skus: string[] = ['LAC-001']): SaleDraft => ({
  commandId,
  lines: skus.map((sku) => ({ sku, quantity: 1, discountPercent: 0 })),
  customer: FINAL_CONSUMER,
  channel: 'mostrador',
});

let dir: string;
let ids: number;
const open = (notes: string[] = []) =>
  new DraftStore(
    dir,
    () => '2026-12-03T09:00:00-05:00',
    () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    (n) => {
      notes.push(n);
    },
  );

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'caja-drafts-'));
  ids = 0;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the sale in progress on disk', () => {
  it('[DRF1] a cart saved is there after the store is opened again, with its owner', () => {
    open().saveCart(draft('venta-00000001', ['LAC-001', 'BEB-001']), ana);
    const again = open();
    expect(again.cart()).toMatchObject({ owner: ana, draft: { commandId: 'venta-00000001' } });
    expect(again.cart()?.draft.lines).toHaveLength(2);
  });

  it('[DRF1] an empty draft or null clears it', () => {
    const store = open();
    store.saveCart(draft('venta-00000001'), ana);
    store.saveCart(draft('venta-00000001', []), ana);
    expect(open().cart()).toBeNull();
  });

  it('[DRF3] issuing the cart’s command clears it; another command leaves it', () => {
    const store = open();
    store.saveCart(draft('venta-00000001'), ana);
    store.issued('venta-99999999');
    expect(open().cart()).not.toBeNull();
    store.issued('venta-00000001');
    expect(open().cart()).toBeNull();
  });

  it('[DRF4] an unreadable file is set aside and said; the terminal starts with no drafts', () => {
    writeFileSync(join(dir, 'drafts.json'), '{"version":1,"cart":{"torn');
    const notes: string[] = [];
    const store = open(notes);
    expect(store.cart()).toBeNull();
    expect(notes[0]).toMatch(/set aside/);
    expect(readdirSync(dir).some((f) => f.startsWith('drafts.json.unreadable-'))).toBe(true);
  });

  it('[DRF4] a file with a draft that does not parse (a negative quantity) is not loaded', () => {
    const bad = { version: 1, cart: null, parked: [] as unknown[] };
    bad.parked.push({
      id: '00000000-0000-4000-8000-000000000001',
      draft: { ...draft('venta-00000001'), lines: [{ sku: 'LAC-001', quantity: -1, discountPercent: 0 }] },
      owner: ana,
      parkedAt: '2026-12-03T09:00:00-05:00',
    });
    writeFileSync(join(dir, 'drafts.json'), JSON.stringify(bad));
    expect(open().parked()).toHaveLength(0);
  });
});

describe('parked sales', () => {
  it('[DRF2] park the stored cart under its owner, then restore it as the sale in progress', () => {
    const store = open();
    store.saveCart(draft('venta-00000001'), ana);
    const parked = store.park(undefined, luis);
    expect(parked).toMatchObject({ ok: true, value: { owner: ana } });
    expect(store.cart()).toBeNull();
    if (!parked.ok) return;
    const restored = store.restore(parked.value.id, luis);
    expect(restored.ok).toBe(true);
    const again = open();
    expect(again.parked()).toHaveLength(0);
    expect(again.cart()).toMatchObject({ owner: luis, draft: { commandId: 'venta-00000001' } });
  });

  it('[DRF2] a retried park parks once; restoring over a cart puts that cart aside', () => {
    const store = open();
    const first = store.park(draft('venta-00000001'), ana);
    const retry = store.park(draft('venta-00000001'), ana);
    expect(first.ok && retry.ok && first.value.id === retry.value.id).toBe(true);
    store.saveCart(draft('venta-00000002'), ana);
    if (!first.ok) return;
    const restored = store.restore(first.value.id, ana);
    expect(restored.ok && restored.value.parkedInstead?.draft.commandId).toBe('venta-00000002');
    expect(JSON.parse(readFileSync(join(dir, 'drafts.json'), 'utf8'))).toMatchObject({
      cart: { draft: { commandId: 'venta-00000001' } },
      parked: [{ draft: { commandId: 'venta-00000002' } }],
    });
  });

  it('[DRF2] nothing to park, too many, and a sale already taken are refused and change nothing', () => {
    const store = open();
    expect(store.park(undefined, ana)).toMatchObject({ ok: false, reason: 'nothing-to-park' });
    for (let i = 0; i < MAX_PARKED_SALES; i += 1)
      expect(store.park(draft(`venta-${String(i).padStart(8, '0')}`), ana).ok).toBe(true);
    const before = readFileSync(join(dir, 'drafts.json'), 'utf8');
    expect(store.park(draft('venta-toomany1'), ana)).toMatchObject({
      ok: false,
      reason: 'too-many-parked-sales',
    });
    expect(store.restore('00000000-0000-4000-8000-999999999999', ana)).toMatchObject({
      ok: false,
      reason: 'unknown-parked-sale',
    });
    expect(store.discard('00000000-0000-4000-8000-999999999999').ok).toBe(false);
    expect(readFileSync(join(dir, 'drafts.json'), 'utf8')).toBe(before);
  });
});
