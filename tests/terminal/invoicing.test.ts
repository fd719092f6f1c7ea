import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreditNote, Invoice } from '../../src/domain/invoice.js';
import type { JournalSummary } from '../../src/invoice/journal-summary.js';
import type { ShiftReport } from '../../src/invoice/shift-report.js';
import {
  commandId,
  eventually,
  PIN,
  startStore,
  type TestStore,
  type TestTerminal,
} from '../support/store.js';
import { TerminalApi } from '../support/api-client.js';

let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;
let c3: TestTerminal;

beforeAll(async () => {
  store = await startStore();
  [c1, c2, c3] = store.terminals as [TestTerminal, TestTerminal, TestTerminal];
  await c1.api.login(PIN.ana);
  await c2.api.login(PIN.luis);
  await c3.api.login(PIN.marta);
}, 180_000);

afterAll(async () => {
  await store.stop();
});

const sale = (t: TestTerminal, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.api.call<{ invoice: Invoice; error?: string }>(
    'POST',
    '/api/sales',
    { commandId: commandId(t.id), ...body },
    headers,
  );

async function journalOf(t: TestTerminal, terminalId: string): Promise<JournalSummary | undefined> {
  const res = await t.api.call<{ journals: JournalSummary[] }>('GET', '/api/journals');
  return res.body.journals.find((j) => j.terminalId === terminalId);
}

describe('selling on three terminals', () => {
  it('[SAL3] a sale needs an open shift', async () => {
    const res = await sale(c1, {
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 5000 }],
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('no-open-shift');
    for (const t of [c1, c2, c3])
      expect(
        (
          await t.api.call('POST', '/api/shifts/open', {
            openingCash: 100_000,
            commandId: commandId('turno'),
          })
        ).status,
      ).toBe(201);
    expect(
      (await c1.api.call('POST', '/api/shifts/open', { openingCash: 1, commandId: commandId('turno') })).body,
    ).toMatchObject({
      error: 'shift-already-open',
    });
  });

  it('[SAL4] [NUM5] bad input answers a reason and reserves nothing, writes nothing', async () => {
    const before = await journalOf(c1, 'caja-1');
    const bad: [Record<string, unknown>, number, string][] = [
      [
        { lines: [{ sku: 'NOPE-1', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] },
        422,
        'unknown-sku',
      ],
      [
        { lines: [{ sku: 'BEB-001', quantity: 0 }], payments: [{ method: 'cash', amount: 5000 }] },
        422,
        'invalid-quantity',
      ],
      [
        { lines: [{ sku: 'BEB-001', quantity: -1 }], payments: [{ method: 'cash', amount: 5000 }] },
        422,
        'invalid-quantity',
      ],
      [
        { lines: [{ sku: 'BEB-001', quantity: 1.5 }], payments: [{ method: 'cash', amount: 5000 }] },
        422,
        'fractional-quantity',
      ],
      [
        { lines: [{ sku: 'BEB-001', quantity: 1 }], payments: [{ method: 'cash', amount: 100 }] },
        422,
        'payment-insufficient',
      ],
      [
        { lines: [{ sku: 'BEB-001', quantity: 1 }], payments: [{ method: 'debit-card', amount: 9000 }] },
        422,
        'non-cash-overpayment',
      ],
      [
        { lines: [{ sku: 'BEB-001', quantity: 1 }], payments: [{ method: 'bitcoin', amount: 3200 }] },
        422,
        'unknown-payment-method',
      ],
      [
        { lines: [{ sku: 'BEB-001', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }], tip: 1000 },
        422,
        'invalid-tip',
      ],
      [
        {
          lines: [{ sku: 'BEB-001', quantity: 1, discountPercent: 50 }],
          payments: [{ method: 'cash', amount: 5000 }],
        },
        403,
        'manager-required',
      ],
      [{ lines: [], payments: [] }, 400, 'invalid-body'],
      [{ lines: [{ sku: 'BEB-001', quantity: '1' }], payments: [] }, 400, 'invalid-body'],
      [
        {
          lines: [{ sku: 'BEB-001', quantity: 1 }],
          payments: [{ method: 'cash', amount: 5000 }],
          customer: { idType: 'NIT', idNumber: '800197268', checkDigit: 5, name: 'DIAN' },
        },
        422,
        'invalid-customer',
      ],
    ];
    for (const [body, status, error] of bad) {
      const res = await sale(c1, body);
      expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
    }
    // The limit above which a discount needs a manager is published for the screen to ask first.
    const health = await c1.api.call<{ discountLimitPercent: number }>('GET', '/api/health');
    expect(health.body.discountLimitPercent).toBe(10);
    const malformed = await fetch(`${c1.api.url}/api/sales`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c1.api.token ?? ''}`, 'content-type': 'application/json' },
      body: '{"commandId": ',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toBe('malformed-json');
    expect((await c1.api.call('POST', '/api/sales', { commandId: 'x' })).status).toBe(400);
    const unauth = await fetch(`${c1.api.url}/api/sales`, { method: 'POST' });
    expect(unauth.status).toBe(401);
    expect(await journalOf(c1, 'caja-1')).toEqual(before);
  });

  it('[SAL1] [SAL5] [NUM1] a retried command returns the same invoice and uses no second number', async () => {
    const id = commandId('retry');
    const body = {
      commandId: id,
      lines: [
        { sku: 'LAC-001', quantity: 2 },
        { sku: 'FRU-003', quantity: 1.25 },
      ],
      payments: [
        { method: 'debit-card', amount: 5000 },
        { method: 'cash', amount: 20_000 },
      ],
      customer: { idType: 'CC', idNumber: '1020304050', name: 'Camila Rojas' },
    };
    const first = await c1.api.call<{ invoice: Invoice }>('POST', '/api/sales', body);
    const again = await c1.api.call<{ invoice: Invoice }>('POST', '/api/sales', body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    expect(again.body.invoice).toEqual(first.body.invoice);
    const inv = first.body.invoice;
    expect(inv.number).toBe(`${inv.prefix}${inv.consecutive}`);
    expect(inv).toMatchObject({
      prefix: 'C1',
      contingencyType: '03',
      terminalId: 'caja-1',
      cashier: { name: 'Ana' },
    });
    expect(inv.issuedAt).toMatch(/-05:00$/);
    expect(inv.change).toBe(inv.paid - inv.total);
    expect(inv.payments.map((p) => p.code)).toEqual(['49', '10']);
    expect(inv.resolution).toMatchObject({ resolutionNumber: '18764000001231', validUntil: '2028-01-15' });
  });

  it('[SAL1] a reused commandId with another body answers 409 command-id-reused, on every command', async () => {
    const before = await journalOf(c1, 'caja-1');
    const id = commandId('reused');
    const first = await sale(c1, {
      commandId: id,
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 10_000 }],
    });
    expect(first.status).toBe(201);
    const other = await sale(c1, {
      commandId: id,
      lines: [{ sku: 'BEB-001', quantity: 5 }],
      payments: [{ method: 'cash', amount: 50_000 }],
    });
    expect({ status: other.status, error: other.body.error }).toEqual({
      status: 409,
      error: 'command-id-reused',
    });
    const movementId = commandId('movement');
    const movement = (amount: number) =>
      c1.api.call<{ error?: string }>('POST', '/api/shifts/current/movements', {
        commandId: movementId,
        type: 'in',
        amount,
        reason: 'Base adicional',
      });
    expect((await movement(1000)).status).toBe(201);
    expect((await movement(1000)).status).toBe(201);
    expect((await movement(9000)).body.error).toBe('command-id-reused');
    const voidId = commandId('void');
    const manager = new TerminalApi(c1.api.url);
    await manager.login(PIN.marta);
    const voidIt = (reason: string) =>
      manager.call<{ error?: string }>('POST', `/api/invoices/${first.body.invoice.id}/void`, {
        commandId: voidId,
        reason,
      });
    expect((await voidIt('Cliente devolvió')).status).toBe(200);
    expect((await voidIt('Otro motivo distinto')).body.error).toBe('command-id-reused');
    const after = await journalOf(c1, 'caja-1');
    // One sale, one movement and one void: the refused retries wrote nothing.
    expect((after?.entries ?? 0) - (before?.entries ?? 0)).toBe(3);
  });

  it('[SAL1] [RET1] a partial return: the same commandId again returns the same credit note; with another body, 409 command-id-reused', async () => {
    const manager = new TerminalApi(c1.api.url);
    await manager.login(PIN.marta);
    const sold = await sale(c1, {
      lines: [{ sku: 'BEB-001', quantity: 3 }],
      payments: [{ method: 'cash', amount: 20_000 }],
    });
    const other = await sale(c1, {
      lines: [{ sku: 'BEB-001', quantity: 3 }],
      payments: [{ method: 'cash', amount: 20_000 }],
    });
    expect([sold.status, other.status]).toEqual([201, 201]);
    const before = await journalOf(c1, 'caja-1');
    const id = commandId('return');
    const body = {
      commandId: id,
      reason: 'Cliente devolvió una botella',
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      refund: { method: 'cash' },
    };
    const returnOf = (invoiceId: string, b: Record<string, unknown>) =>
      manager.call<{ creditNote: CreditNote; error?: string }>(
        'POST',
        `/api/invoices/${invoiceId}/returns`,
        b,
      );
    const first = await returnOf(sold.body.invoice.id, body);
    expect(first.status).toBe(201);
    expect(first.body.creditNote).toMatchObject({ concept: '1', invoiceId: sold.body.invoice.id });
    const again = await returnOf(sold.body.invoice.id, body);
    expect(again.status).toBe(201);
    expect(again.body.creditNote).toEqual(first.body.creditNote);
    const reused: [string, Record<string, unknown>][] = [
      ['another quantity', { ...body, lines: [{ sku: 'BEB-001', quantity: 2 }] }],
      ['another reason', { ...body, reason: 'Otra botella distinta' }],
      ['another refund means', { ...body, refund: { method: 'debit-card' } }],
    ];
    for (const [what, b] of reused) {
      const res = await returnOf(sold.body.invoice.id, b);
      expect({ what, status: res.status, error: res.body.error }).toEqual({
        what,
        status: 409,
        error: 'command-id-reused',
      });
    }
    // The same body on another invoice is another command.
    const elsewhere = await returnOf(other.body.invoice.id, body);
    expect({ status: elsewhere.status, error: elsewhere.body.error }).toEqual({
      status: 409,
      error: 'command-id-reused',
    });
    // A sale's commandId is not a return's either.
    const saleId = commandId('sale-then-return');
    expect(
      (
        await sale(c1, {
          commandId: saleId,
          lines: [{ sku: 'BEB-001', quantity: 1 }],
          payments: [{ method: 'cash', amount: 10_000 }],
        })
      ).status,
    ).toBe(201);
    expect((await returnOf(other.body.invoice.id, { ...body, commandId: saleId })).body.error).toBe(
      'command-id-reused',
    );
    const view = await c1.api.call<{ returns: unknown[] }>('GET', `/api/invoices/${sold.body.invoice.id}`);
    expect(view.body.returns).toHaveLength(1);
    expect(
      (await c1.api.call<{ returns: unknown[] }>('GET', `/api/invoices/${other.body.invoice.id}`)).body
        .returns,
    ).toHaveLength(0);
    // One return and one sale: the refused commands wrote nothing.
    expect(((await journalOf(c1, 'caja-1'))?.entries ?? 0) - (before?.entries ?? 0)).toBe(2);
  });

  it('[SAL1] [SHF1] shift open and close: the same commandId again replays; with another body, 409 command-id-reused', async () => {
    const t = c3;
    const before = await journalOf(t, 'caja-3');
    const report = (await t.api.call<{ report: ShiftReport }>('GET', '/api/shifts/current/report')).body
      .report;
    const closeId = commandId('close');
    const close = (countedCash: number) =>
      t.api.call<{ report: ShiftReport; error?: string }>('POST', '/api/shifts/current/close', {
        commandId: closeId,
        countedCash,
      });
    const closed = await close(report.expectedCash);
    expect(closed.status).toBe(200);
    const closedAgain = await close(report.expectedCash);
    expect(closedAgain.status).toBe(200);
    expect(closedAgain.body.report).toEqual(closed.body.report);
    const closedOther = await close(report.expectedCash + 1_000);
    expect({ status: closedOther.status, error: closedOther.body.error }).toEqual({
      status: 409,
      error: 'command-id-reused',
    });
    const openId = commandId('open');
    const open = (openingCash: number, id = openId) =>
      t.api.call<{ shift: { shiftId: string }; error?: string }>('POST', '/api/shifts/open', {
        commandId: id,
        openingCash,
      });
    // The close's commandId does not open a shift.
    expect((await open(100_000, closeId)).body.error).toBe('command-id-reused');
    const opened = await open(100_000);
    expect(opened.status).toBe(201);
    const openedAgain = await open(100_000);
    expect(openedAgain.status).toBe(201);
    expect(openedAgain.body.shift).toEqual(opened.body.shift);
    // Another opening cash under the same commandId: refused as reused (not "shift-already-open").
    const openedOther = await open(5_000);
    expect({ status: openedOther.status, error: openedOther.body.error }).toEqual({
      status: 409,
      error: 'command-id-reused',
    });
    expect(
      (await t.api.call<{ shift: { shiftId: string } }>('GET', '/api/shifts/current')).body.shift,
    ).toEqual(opened.body.shift);
    // One close and one open: the refused commands wrote nothing.
    expect(((await journalOf(t, 'caja-3'))?.entries ?? 0) - (before?.entries ?? 0)).toBe(2);
  });

  it('[TXT1] [TXT2] control characters in typed text are refused, and never printed', async () => {
    const drawerKick = 'Ana\u001bp\u0000\u0019\u00fa';
    const refused = await sale(c1, {
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 10_000 }],
      customer: { idType: 'CC', idNumber: '1020304050', name: drawerKick },
    });
    expect({ status: refused.status, error: refused.body.error }).toEqual({
      status: 400,
      error: 'invalid-text',
    });
    for (const name of ['Camila\u0007', 'Camila \u202eazoR', 'Camila\nRojas']) {
      const res = await sale(c1, {
        lines: [{ sku: 'BEB-001', quantity: 1 }],
        payments: [{ method: 'cash', amount: 10_000 }],
        customer: { idType: 'CC', idNumber: '1020304050', name },
      });
      expect({ name, error: res.body.error }).toEqual({ name, error: 'invalid-text' });
    }
    const movement = await c1.api.call<{ error?: string }>('POST', '/api/shifts/current/movements', {
      commandId: commandId('mov'),
      type: 'out',
      amount: 1000,
      reason: 'Pago\u0000domicilio',
    });
    expect(movement.body.error).toBe('invalid-text');
    const ok = await sale(c1, {
      lines: [{ sku: 'BEB-001', quantity: 1 }],
      payments: [{ method: 'cash', amount: 10_000 }],
      customer: { idType: 'CC', idNumber: '1020304050', name: 'José Núñez' },
    });
    expect(ok.status).toBe(201);
    const text = await c1.api.call<string>('GET', `/api/invoices/${ok.body.invoice.id}/receipt?format=text`);
    expect(text.body).toContain('José Núñez');
    // Nothing but newlines below the space character in what goes to the printer.
    expect(/\p{Cc}/u.test(text.body.replaceAll('\n', ''))).toBe(false);
  });

  it('[NUM3] three terminals selling at once: every number unique store-wide, the same merged list everywhere', async () => {
    await Promise.all(
      [c1, c2, c3].map(async (t) => {
        for (let i = 0; i < 10; i += 1) {
          const res = await sale(t, {
            lines: [{ sku: 'SNK-001', quantity: 1 }],
            payments: [{ method: 'cash', amount: 10_000 }],
          });
          expect(res.status).toBe(201);
        }
      }),
    );
    const lists = await eventually(async () => {
      const all = await Promise.all(
        [c1, c2, c3].map((t) =>
          t.api.call<{ total: number; items: { invoice: Invoice }[] }>('GET', '/api/invoices?limit=500'),
        ),
      );
      // Equal totals are not enough: two terminals may each still miss a different sale.
      for (const l of all)
        expect(l.body.items.map((i) => i.invoice.id)).toEqual(all[0]?.body.items.map((i) => i.invoice.id));
      return all;
    }, 30_000);
    const numbers = lists[0]?.body.items.map((i) => i.invoice.number) ?? [];
    expect(numbers.length).toBeGreaterThanOrEqual(31);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('[VOID1] [VOID2] [VOID3] a void shows everywhere; voiding twice from two terminals ends in one effective void', async () => {
    const sold = await sale(c1, {
      lines: [{ sku: 'ASE-002', quantity: 1 }],
      payments: [{ method: 'cash', amount: 50_000 }],
    });
    const id = sold.body.invoice.id;
    // caja-2 and caja-3 void it below: once the LAN has brought it there.
    await eventually(async () => {
      expect((await c2.api.call('GET', `/api/invoices/${id}`)).status).toBe(200);
      expect((await c3.api.call('GET', `/api/invoices/${id}`)).status).toBe(200);
    });
    // A cashier cannot void; with a manager's PIN for this one action she can.
    expect(
      (
        await c1.api.call('POST', `/api/invoices/${id}/void`, {
          commandId: commandId('anula'),
          reason: 'error de digitación',
        })
      ).body,
    ).toMatchObject({
      error: 'manager-required',
    });
    expect(
      (
        await c1.api.call(
          'POST',
          `/api/invoices/${id}/void`,
          { commandId: commandId('anula'), reason: 'error' },
          { 'x-manager-pin': PIN.luis },
        )
      ).body,
    ).toMatchObject({ error: 'not-a-manager' });
    const [a, b] = await Promise.all([
      c1.api.call<{ creditNote: CreditNote }>(
        'POST',
        `/api/invoices/${id}/void`,
        { commandId: commandId('anula'), reason: 'cliente desistió' },
        { 'x-manager-pin': PIN.marta },
      ),
      c3.api.call<{ creditNote: CreditNote }>('POST', `/api/invoices/${id}/void`, {
        commandId: commandId('anula'),
        reason: 'producto defectuoso',
      }),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const effective = await eventually(async () => {
      const views = await Promise.all(
        [c1, c2, c3].map((t) =>
          t.api.call<{ voided: boolean; voidedBy: CreditNote; voidRequests: CreditNote[] }>(
            'GET',
            `/api/invoices/${id}`,
          ),
        ),
      );
      for (const v of views) {
        expect(v.body.voided).toBe(true);
        expect(v.body.voidRequests).toHaveLength(2);
        expect(v.body.voidedBy.id).toBe(views[0]?.body.voidedBy.id);
      }
      return views[0]?.body.voidedBy;
    }, 15_000);
    expect([a.body.creditNote.id, b.body.creditNote.id]).toContain(effective?.id);
    const third = await c2.api.call<{ alreadyVoided: boolean }>(
      'POST',
      `/api/invoices/${id}/void`,
      { commandId: commandId('anula'), reason: 'otra vez' },
      { 'x-manager-pin': PIN.marta },
    );
    expect(third.body.alreadyVoided).toBe(true);
  });

  it('[RCP1] [RCP2] prints the receipt as text (42 and 48 columns) and HTML, naming the terminal', async () => {
    const list = await c2.api.call<{ items: { invoice: Invoice }[] }>(
      'GET',
      '/api/invoices?terminal=caja-1&limit=1',
    );
    const id = list.body.items[0]?.invoice.id ?? '';
    const text42 = await c2.api.call<string>('GET', `/api/invoices/${id}/receipt?format=text&width=42`);
    expect(text42.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text42.body.split('\n').every((l) => l.length <= 42)).toBe(true);
    expect(text42.body).toContain('FACTURA DE VENTA — CONTINGENCIA');
    expect(text42.body).toContain('Resolución DIAN No. 18764000001231');
    // Printed on caja-2, the receipt of caja-1's sale names caja-1 as people know it.
    expect(text42.body).toMatch(/^Caja +Caja 1 · \S/m);
    expect(text42.body).not.toContain('caja-1');
    const text48 = await c2.api.call<string>('GET', `/api/invoices/${id}/receipt?format=text&width=48`);
    expect(text48.body.split('\n').some((l) => l.length > 42)).toBe(true);
    const html = await c2.api.call<string>('GET', `/api/invoices/${id}/receipt`);
    expect(html.body).toContain('80mm');
    expect((await c2.api.call('GET', `/api/invoices/${id}/receipt?width=40`)).status).toBe(400);
  });

  it('[SHF1] [SHF2] [SHF3] the Z report agrees with the sales made', async () => {
    const t = c2;
    const report0 = (await t.api.call<{ report: ShiftReport }>('GET', '/api/shifts/current/report')).body
      .report;
    const a = await sale(t, {
      lines: [{ sku: 'PLA-001', quantity: 2 }],
      payments: [{ method: 'cash', amount: 80_000 }],
      // TIP2: 64.000 with INC 8 % is 59.259 before tax; 10 % of it is 5.925.
      tip: 5_925,
      channel: 'llevar',
    });
    const b = await sale(t, {
      lines: [{ sku: 'LAC-005', quantity: 1 }],
      payments: [{ method: 'credit-card', amount: 9_900 }],
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(
      (
        await t.api.call('POST', '/api/shifts/current/movements', {
          commandId: commandId('mov'),
          type: 'out',
          amount: 20_000,
          reason: 'pago a proveedor',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await t.api.call('POST', '/api/shifts/current/movements', {
          commandId: commandId('mov'),
          type: 'in',
          amount: 5_000,
          reason: 'base',
        })
      ).status,
    ).toBe(201);
    const cashier = await t.api.call('POST', '/api/shifts/current/close', {
      countedCash: 1,
      commandId: commandId('cierre'),
    });
    expect(cashier.body).toMatchObject({ error: 'manager-required' });
    const expectedCash = report0.expectedCash + a.body.invoice.total - 20_000 + 5_000;
    const closed = await t.api.call<{ report: ShiftReport }>(
      'POST',
      '/api/shifts/current/close',
      { commandId: commandId('cierre'), countedCash: expectedCash - 500 },
      { 'x-manager-pin': PIN.marta },
    );
    expect(closed.status).toBe(200);
    const z = closed.body.report;
    expect(z.salesCount).toBe(report0.salesCount + 2);
    expect(z.salesTotal).toBe(report0.salesTotal + a.body.invoice.total + b.body.invoice.total);
    expect(z.byPaymentMethod['credit-card']).toBe(report0.byPaymentMethod['credit-card'] + 9_900);
    expect(z.tips).toBe(report0.tips + 5_925);
    expect(z.taxes.find((r) => r.code === 'INC8')?.tax).toBe(
      a.body.invoice.taxes.find((r) => r.code === 'INC8')?.tax,
    );
    expect(z.expectedCash).toBe(expectedCash);
    expect(z.countedCash).toBe(expectedCash - 500);
    expect(z.difference).toBe(-500);
    expect(z.lastNumber).toBe(b.body.invoice.number);
    expect((await t.api.call('GET', '/api/shifts/current')).body).toMatchObject({ error: 'no-open-shift' });
  });
});
