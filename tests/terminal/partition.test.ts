import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../src/domain/invoice.js';
import {
  commandId,
  documentsOf,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';

let store: TestStore;

beforeAll(async () => {
  store = await startStore();
  const pins = [PIN.ana, PIN.luis, PIN.marta];
  for (const [i, t] of store.terminals.entries()) {
    await t.api.login(pins[i] ?? PIN.ana);
    expect(
      (await t.api.call('POST', '/api/shifts/open', { openingCash: 0, commandId: commandId('turno') }))
        .status,
    ).toBe(201);
  }
}, 180_000);

afterAll(async () => {
  await store.stop();
});

async function sell(t: TestTerminal, n: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const res = await t.api.call<{ invoice: Invoice }>('POST', '/api/sales', {
      commandId: commandId(t.id),
      lines: [{ sku: 'DES-001', quantity: 1 }],
      payments: [{ method: 'transfer', amount: 13_900 }],
    });
    expect(res.status).toBe(201);
    numbers.push(res.body.invoice.number);
  }
  return numbers;
}

async function invoiceNumbers(t: TestTerminal): Promise<string[]> {
  const res = await t.api.call<{ items: { invoice: Invoice }[] }>('GET', '/api/invoices?limit=500');
  return res.body.items.map((i) => i.invoice.number).sort();
}

describe('a LAN split', () => {
  it('both sides keep selling while cut off; after healing every terminal holds identical documents, nothing lost', async () => {
    const [c1, c2, c3] = store.terminals as [TestTerminal, TestTerminal, TestTerminal];
    const before = await sell(c1, 2);
    await eventually(async () => {
      expect(await invoiceNumbers(c3)).toEqual(before.sort());
    });
    // caja-1 alone on one side, caja-2 and caja-3 on the other.
    store.link('caja-1', 'caja-2').cut();
    store.link('caja-1', 'caja-3').cut();
    await eventually(async () => {
      const health = await c1.api.call<{ peersConnected: number }>('GET', '/api/health');
      expect(health.body.peersConnected).toBe(0);
    });
    const left = await sell(c1, 8);
    const right = [...(await sell(c2, 5)), ...(await sell(c3, 5))];
    // The far side does not see caja-1's new sales while split.
    expect(await invoiceNumbers(c2)).not.toContain(left[0]);
    // A void during the split, on the side without the invoice's terminal.
    const voided = await c3.api.call('POST', `/api/invoices/${await idOf(c3, before[0] ?? '')}/void`, {
      commandId: commandId('anula'),
      reason: 'devolución',
    });
    expect(voided.status).toBe(200);

    store.link('caja-1', 'caja-2').heal();
    store.link('caja-1', 'caja-3').heal();
    const all = [...before, ...left, ...right].sort();
    await eventually(async () => {
      const docs = await Promise.all(store.terminals.map((t) => documentsOf(t)));
      for (const d of docs.slice(1)) expect(d).toEqual(docs[0]);
      for (const t of store.terminals) expect(await invoiceNumbers(t)).toEqual(all);
    }, 30_000);
    const seen = await c1.api.call<{ voided: boolean }>(
      'GET',
      `/api/invoices/${await idOf(c1, before[0] ?? '')}`,
    );
    expect(seen.body.voided).toBe(true);
  }, 90_000);
});

async function idOf(t: TestTerminal, number: string): Promise<string> {
  const res = await t.api.call<{ items: { invoice: Invoice }[] }>('GET', '/api/invoices?limit=500');
  const found = res.body.items.find((i) => i.invoice.number === number);
  if (!found) throw new Error(`no ${number} on ${t.id}`);
  return found.invoice.id;
}
