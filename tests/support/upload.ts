import { expect } from 'vitest';
import { demoCatalog } from '../../src/cloud/seed/demo-catalog.js';
import type { Invoice } from '../../src/domain/invoice.js';
import type { UploadStatus } from '../../src/upload/uploader.js';
import type { UploadAck } from '../../src/crdt/documents/uploads-doc.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import { commandId, eventually, PIN, type TestStore, type TestTerminal } from './store.js';

/** Selling, uploading and checking the cloud's copy: shared by the upload tests. */
const SEED_STOCK = new Map(demoCatalog().map((p) => [p.product.sku, p.stockMilli / 1000]));
export const SKUS = ['BEB-001', 'SNK-002', 'LAC-003', 'ASE-004'];
export async function sellMany(t: TestTerminal, n: number): Promise<Invoice[]> {
  const sold: Invoice[] = [];
  for (let i = 0; i < n; i += 1) {
    const res = await t.api.call<{ invoice: Invoice }>('POST', '/api/sales', {
      commandId: commandId(t.id),
      lines: [{ sku: SKUS[i % SKUS.length] ?? 'BEB-001', quantity: 1 + (i % 2) }],
      payments: [{ method: 'cash', amount: 50_000 }],
    });
    expect(res.status).toBe(201);
    sold.push(res.body.invoice);
  }
  return sold;
}

/** One cash sale on `t` (an open shift and a session are the caller's). */
export async function sellOne(t: TestTerminal): Promise<Invoice> {
  const [invoice] = await sellMany(t, 1);
  if (!invoice) throw new Error('no invoice');
  return invoice;
}

export async function setUp(s: TestStore): Promise<void> {
  const pins = [PIN.marta, PIN.marta, PIN.marta];
  for (const [i, t] of s.terminals.entries()) {
    await t.api.login(pins[i] ?? PIN.marta);
    expect(
      (await t.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
        .status,
    ).toBe(201);
  }
}

export async function waitForUpload(t: TestTerminal, id: string, timeoutMs = 90_000): Promise<UploadStatus> {
  return eventually(
    async () => {
      const res = await t.api.call<UploadStatus>('GET', `/api/uploads/${id}`);
      expect(['done', 'failed', 'cancelled']).toContain(res.body.state);
      return res.body;
    },
    timeoutMs,
    200,
  );
}

/** The cloud holds exactly the given invoices and voids, once each, and stock agrees. */
export async function expectCloudHolds(
  s: TestStore,
  invoices: readonly Invoice[],
  voidedIds: ReadonlySet<string>,
): Promise<void> {
  const cloud = new CloudClient({ baseUrl: s.cloud.url, token: s.cloud.token });
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await cloud.offlineSales('demo', { limit: 1000, ...(cursor ? { cursor } : {}) });
    if (!page.ok) throw new Error(page.message);
    ids.push(...page.value.items.map((i) => i.document.id));
    const notes = page.value.items.filter((i) => i.document.kind === 'credit-note');
    for (const n of notes)
      if (n.document.kind === 'credit-note') expect(voidedIds.has(n.document.invoiceId)).toBe(true);
    if (!page.value.nextCursor) break;
    cursor = page.value.nextCursor;
  }
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(invoices.length + voidedIds.size);
  for (const invoice of invoices) expect(ids).toContain(invoice.id);
  const expected = new Map(SEED_STOCK);
  for (const invoice of invoices) {
    if (voidedIds.has(invoice.id)) continue;
    for (const line of invoice.lines) expected.set(line.sku, (expected.get(line.sku) ?? 0) - line.quantity);
  }
  const inventory = await cloud.inventory('demo');
  if (!inventory.ok) throw new Error(inventory.message);
  for (const sku of SKUS)
    expect({ sku, onHand: inventory.value.find((i) => i.sku === sku)?.onHand }).toEqual({
      sku,
      onHand: expected.get(sku),
    });
}

export async function expectAllUploaded(s: TestStore): Promise<void> {
  await eventually(async () => {
    for (const t of s.terminals) {
      const health = await t.api.call<{ invoices: { pendingUpload: number; voidsPendingUpload: number } }>(
        'GET',
        '/api/health',
      );
      expect(health.body.invoices).toMatchObject({ pendingUpload: 0, voidsPendingUpload: 0 });
    }
  }, 20_000);
}

/** An acknowledgement of `invoice` as an upload writes it — but that no cloud ever gave (UPL8). */
export function forgedAck(invoice: Invoice, terminalId: string): UploadAck {
  return {
    id: invoice.id,
    kind: 'invoice',
    status: 'created',
    at: invoice.issuedAt,
    by: { id: 'marta', name: 'Marta' },
    terminalId,
  };
}
