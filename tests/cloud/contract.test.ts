import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_ITEMS, provisioningSchema } from '../../src/contract/cloud.js';
import { DEMO_USERS } from '../../src/cloud/seed/demo.js';
import type { FiscalDocument, Invoice } from '../../src/domain/invoice.js';
import { TAX_CODES } from '../../src/domain/tax.js';
import { verifyPin } from '../../src/security/pin.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import { makeCreditNote, makeInvoice, product } from '../support/invoices.js';
import { startCloud, tempDir, type CloudProcess } from '../support/processes.js';
import { certifiedSigners, sealAll, TestSigner } from '../support/signing.js';
import { generateSigningKey } from '../../src/security/signing.js';
import { checkCertificate } from '../../src/security/terminal-trust.js';
import { cufeOf, DEMO_ENVIRONMENT, DEMO_TECHNICAL_KEY } from '../../src/cloud/dian.js';
import { eventually } from '../support/store.js';

let dir: ReturnType<typeof tempDir>;
let cloud: CloudProcess;
let client: CloudClient;
let signers: Map<string, TestSigner>;
// Consecutives are unique per test so that tests never collide on (prefix, number).
let nextConsecutive = 100;
const consecutive = () => (nextConsecutive += 1);

beforeAll(async () => {
  dir = tempDir();
  cloud = await startCloud(`${dir.path}/cloud.db`);
  client = new CloudClient({ baseUrl: cloud.url, token: cloud.token });
  signers = await certifiedSigners(client, 'demo', ['caja-1', 'caja-2', 'caja-3']);
});

afterAll(async () => {
  await cloud.process.stop();
  dir.remove();
});

async function raw(method: string, path: string, body?: string, token: string | null = cloud.token) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(cloud.url + path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

/** Documents go up sealed by their terminal's certified key, as a terminal sends them. */
const upload = (items: readonly FiscalDocument[]) =>
  raw('POST', '/v1/stores/demo/offline-sales', JSON.stringify({ items: sealAll(signers, items) }));
const uploadSealed = (items: readonly FiscalDocument[], via: CloudClient = client) =>
  via.uploadOfflineSales('demo', sealAll(signers, items));

async function stockOf(...skus: string[]): Promise<Record<string, number>> {
  const inv = await client.inventory('demo');
  if (!inv.ok) throw new Error(inv.message);
  return Object.fromEntries(
    skus.map((sku) => [sku, inv.value.find((i) => i.sku === sku)?.onHand ?? Number.NaN]),
  );
}

async function storedCount(): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await client.offlineSales('demo', cursor === undefined ? {} : { cursor });
    if (!page.ok) throw new Error(page.message);
    count += page.value.items.length;
    if (page.value.nextCursor === null) return count;
    cursor = page.value.nextCursor;
  }
}

describe('health and provisioning', () => {
  it('answers health without a token', async () => {
    const health = await client.health();
    expect(health).toMatchObject({ ok: true, value: { status: 'ok', service: 'caja-cloud' } });
  });

  it('provisions a terminal: store profile, its own range, users with hashed PINs, LAN key, floor', async () => {
    const res = await raw('GET', '/v1/stores/demo/terminals/caja-2/provisioning');
    expect(res.status).toBe(200);
    const p = provisioningSchema.parse(res.json);
    expect(p.store).toMatchObject({ id: 'demo', timeZone: 'America/Bogota', currency: 'COP' });
    expect(p.terminal).toMatchObject({ id: 'caja-2', numbering: { prefix: 'C2', from: 1, to: 20000 } });
    expect(p.terminals.map((t) => t.prefix)).toEqual(['C1', 'C2', 'C3']);
    expect(p.floor.areas.map((a) => a.name)).toEqual(['Salón', 'Terraza']);
    expect(p.floor.areas.flatMap((a) => a.tables)).toHaveLength(12);
    // PINs never leave the cloud, only salted hashes that verify.
    const body = JSON.stringify(res.json);
    for (const user of DEMO_USERS) {
      expect(body).not.toContain(`"${user.pin}"`);
      const provisioned = p.users.find((u) => u.id === user.id);
      expect(provisioned?.role).toBe(user.role);
      expect(provisioned && verifyPin(user.pin, provisioned.pin)).toBe(true);
      expect(provisioned && verifyPin('0000', provisioned.pin)).toBe(false);
    }
    expect(new Set(p.users.map((u) => u.pin.salt)).size).toBe(p.users.length);
    // The LAN key is the same for every terminal of the store.
    const other = await client.provisioning('demo', 'caja-1');
    expect(other.ok && other.value.lanKey).toBe(p.lanKey);
  });

  it('[SIG1] certifies a terminal key with the store key and the terminal range; the same key again is the same certificate', async () => {
    const { key } = generateSigningKey();
    const body = JSON.stringify({ publicKey: key.publicKey });
    const first = await raw('POST', '/v1/stores/demo/terminals/caja-3/keys', body);
    expect(first.status).toBe(201);
    const again = await raw('POST', '/v1/stores/demo/terminals/caja-3/keys', body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const p = provisioningSchema.parse(
      (await raw('GET', '/v1/stores/demo/terminals/caja-3/provisioning')).json,
    );
    const cert = p.certificates.find((c) => c.publicKey === key.publicKey);
    expect(cert).toMatchObject({ terminalId: 'caja-3', numbering: { prefix: 'C3' } });
    expect(checkCertificate(cert, 'demo', p.storePublicKey).ok).toBe(true);
    // A certificate does not verify under another store key, nor once altered.
    expect(checkCertificate(cert, 'demo', generateSigningKey().key.publicKey).ok).toBe(false);
    expect(checkCertificate({ ...cert, terminalId: 'caja-1' }, 'demo', p.storePublicKey).ok).toBe(false);
    expect(await raw('POST', '/v1/stores/demo/terminals/caja-9/keys', body)).toMatchObject({
      status: 404,
      json: { error: 'unknown-terminal' },
    });
    expect(
      await raw('POST', '/v1/stores/demo/terminals/caja-3/keys', JSON.stringify({ publicKey: 'short' })),
    ).toMatchObject({ status: 400, json: { error: 'invalid-body' } });
  });

  it('refuses a wrong or missing token, an unknown store and an unknown terminal', async () => {
    expect(
      await raw('GET', '/v1/stores/demo/terminals/caja-1/provisioning', undefined, 'wrong-token-wrong-token'),
    ).toMatchObject({
      status: 401,
      json: { error: 'unauthorized' },
    });
    expect(await raw('GET', '/v1/stores/demo/terminals/caja-1/provisioning', undefined, null)).toMatchObject({
      status: 401,
      json: { error: 'unauthorized' },
    });
    expect(await raw('GET', '/v1/stores/nope/terminals/caja-1/provisioning')).toMatchObject({
      status: 404,
      json: { error: 'unknown-store' },
    });
    expect(await raw('GET', '/v1/stores/demo/terminals/caja-9/provisioning')).toMatchObject({
      status: 404,
      json: { error: 'unknown-terminal' },
    });
    expect(await raw('GET', '/v1/stores/BAD%20ID/catalog')).toMatchObject({
      status: 400,
      json: { error: 'invalid-path' },
    });
    expect(await raw('GET', '/v1/nothing-here')).toMatchObject({ status: 404, json: { error: 'not-found' } });
  });
});

describe('catalog', () => {
  it('serves at least 200 products across every tax category, with an ETag', async () => {
    const first = await client.catalog('demo');
    expect(first.ok).toBe(true);
    if (!first.ok || first.value.notModified) return;
    const { products } = first.value.catalog;
    expect(products.length).toBeGreaterThanOrEqual(200);
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
    expect(new Set(products.map((p) => p.tax))).toEqual(new Set(TAX_CODES));
    expect(products.some((p) => p.unit === 'kg')).toBe(true);
    expect(first.value.etag).toMatch(/^"demo-\d+"$/);

    const again = await client.catalog('demo', first.value.etag);
    expect(again).toMatchObject({ ok: true, value: { notModified: true } });
  });

  it('changes version when the back office changes a product, and 304 no longer applies', async () => {
    const before = await client.catalog('demo');
    if (!before.ok || before.value.notModified) throw new Error('no catalog');
    const etag = before.value.etag;
    const changed = { ...product('SNK-001'), price: 2700 };
    expect((await client.putProduct('demo', changed)).ok).toBe(true);
    const after = await client.catalog('demo', etag);
    expect(after.ok && !after.value.notModified).toBe(true);
    if (after.ok && !after.value.notModified) {
      expect(after.value.catalog.version).not.toBe(before.value.catalog.version);
      expect(after.value.catalog.products.find((p) => p.sku === 'SNK-001')?.price).toBe(2700);
    }
    // Back to the seed price so that other tests see the demo catalog.
    expect((await client.putProduct('demo', product('SNK-001'))).ok).toBe(true);
    const mismatch = await raw(
      'PUT',
      '/v1/stores/demo/catalog/products/SNK-002',
      JSON.stringify(product('SNK-001')),
    );
    expect(mismatch).toMatchObject({ status: 400, json: { error: 'sku-mismatch' } });
  });
});

describe('offline-sales upload', () => {
  it('creates invoices, decrements stock, and a retry is a duplicate that changes nothing', async () => {
    const stock0 = await stockOf('BEB-001', 'FRU-001');
    const items = [makeInvoice({ consecutive: consecutive() }), makeInvoice({ consecutive: consecutive() })];
    const first = await uploadSealed(items);
    expect(first).toMatchObject({
      ok: true,
      value: { summary: { created: 2, duplicate: 0, conflict: 0, rejected: 0 } },
    });
    const stock1 = await stockOf('BEB-001', 'FRU-001');
    expect(stock1['BEB-001']).toBe((stock0['BEB-001'] ?? 0) - 4);
    expect(stock1['FRU-001']).toBeCloseTo((stock0['FRU-001'] ?? 0) - 2.5, 6);

    const retry = await uploadSealed(items);
    expect(retry).toMatchObject({ ok: true, value: { summary: { created: 0, duplicate: 2 } } });
    expect(await stockOf('BEB-001', 'FRU-001')).toEqual(stock1);
  });

  it('two clients uploading the same batch at once store each sale once and move stock once', async () => {
    const items = Array.from({ length: 50 }, () =>
      makeInvoice({
        consecutive: consecutive(),
        terminal: 'caja-2',
        lines: [{ product: product('ASE-001'), quantity: 1 }],
      }),
    );
    const count0 = await storedCount();
    const stock0 = await stockOf('ASE-001');
    const other = new CloudClient({ baseUrl: cloud.url, token: cloud.token });
    const [a, b] = await Promise.all([uploadSealed(items), uploadSealed(items, other)]);
    if (!a.ok || !b.ok) throw new Error('upload failed');
    expect(a.value.summary.created + b.value.summary.created).toBe(50);
    expect(a.value.summary.duplicate + b.value.summary.duplicate).toBe(50);
    expect(await storedCount()).toBe(count0 + 50);
    expect((await stockOf('ASE-001'))['ASE-001']).toBe((stock0['ASE-001'] ?? 0) - 50);
  });

  it('detects conflicts: the same id with other content, the same number under another id', async () => {
    const original = makeInvoice({ consecutive: consecutive() });
    expect((await upload([original])).status).toBe(200);
    const count0 = await storedCount();
    const sameIdOtherContent = makeInvoice({ consecutive: consecutive(), id: original.id });
    const sameNumberOtherId = makeInvoice({
      consecutive: original.consecutive,
      lines: [{ product: product('LAC-001'), quantity: 1 }],
    });
    const res = await upload([sameIdOtherContent, sameNumberOtherId]);
    expect(res.status).toBe(200);
    expect(res.json?.results).toMatchObject([
      { id: original.id, status: 'conflict', reason: 'id-conflict' },
      { id: sameNumberOtherId.id, status: 'conflict', reason: 'number-taken' },
    ]);
    expect(await storedCount()).toBe(count0);
  });

  it('a credit note restores stock; a second void of the same invoice is a conflict', async () => {
    const invoice = makeInvoice({
      consecutive: consecutive(),
      lines: [{ product: product('CUI-001'), quantity: 3 }],
    });
    const stock0 = await stockOf('CUI-001');
    await uploadSealed([invoice]);
    expect((await stockOf('CUI-001'))['CUI-001']).toBe((stock0['CUI-001'] ?? 0) - 3);
    const note = makeCreditNote(invoice);
    expect(await uploadSealed([note])).toMatchObject({
      ok: true,
      value: { summary: { created: 1 } },
    });
    expect(await stockOf('CUI-001')).toEqual(stock0);
    expect(await uploadSealed([note])).toMatchObject({
      ok: true,
      value: { summary: { duplicate: 1 } },
    });
    const secondVoid = makeCreditNote(invoice);
    expect(await uploadSealed([secondVoid])).toMatchObject({
      ok: true,
      value: { results: [{ status: 'conflict', reason: 'already-voided' }] },
    });
    expect(await stockOf('CUI-001')).toEqual(stock0);
    const page = await client.offlineSales('demo', { terminal: 'caja-1', limit: 1000 });
    const stored = page.ok ? page.value.items.find((i) => i.document.id === invoice.id) : undefined;
    expect(stored?.voidedBy).toBe(note.id);
  });

  it('a credit note for an invoice the cloud has not seen is rejected and stores nothing', async () => {
    const invoice = makeInvoice({ consecutive: consecutive() });
    const res = await upload([makeCreditNote(invoice)]);
    expect(res).toMatchObject({
      status: 422,
      json: { error: 'items-rejected', results: [{ reason: 'unknown-invoice' }] },
    });
  });

  it('a mixed batch stores the valid items and rejects the others without blocking them', async () => {
    const good = makeInvoice({ consecutive: consecutive() });
    const outOfRange = makeInvoice({ consecutive: 20_001 });
    const res = await upload([outOfRange, good]);
    expect(res.status).toBe(200);
    expect(res.json?.results).toMatchObject([
      { id: outOfRange.id, status: 'rejected', reason: 'number-out-of-range' },
      { id: good.id, status: 'created' },
    ]);
  });

  it('reads back page by page and by terminal', async () => {
    const items = Array.from({ length: 7 }, () =>
      makeInvoice({ consecutive: consecutive(), terminal: 'caja-3' }),
    );
    await uploadSealed(items);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i += 1) {
      const page = await client.offlineSales('demo', {
        terminal: 'caja-3',
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      if (!page.ok) throw new Error(page.message);
      expect(page.value.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.value.items.map((s) => s.document.id));
      if (page.value.nextCursor === null) break;
      cursor = page.value.nextCursor;
    }
    expect(seen).toEqual(items.map((i) => i.id));
    expect(await raw('GET', '/v1/stores/demo/offline-sales?cursor=abc')).toMatchObject({
      status: 400,
      json: { error: 'invalid-query' },
    });
  });
});

describe('bad input stores nothing', () => {
  const valid = () => makeInvoice({ consecutive: consecutive() });
  const tamper = (
    invoice: Invoice,
    change: (copy: Record<string, unknown>) => void,
  ): Record<string, unknown> => {
    const copy = structuredClone(invoice) as unknown as Record<string, unknown>;
    change(copy);
    return copy;
  };
  const lineOf = (copy: Record<string, unknown>) => (copy.lines as Record<string, unknown>[])[0] ?? {};

  const cases: {
    name: string;
    send: () => Promise<{ status: number; json: Record<string, unknown> | null }>;
    status: number;
    error: string;
    reason?: string;
  }[] = [
    {
      name: 'malformed JSON',
      send: () => raw('POST', '/v1/stores/demo/offline-sales', '{"items": [}'),
      status: 400,
      error: 'malformed-json',
    },
    {
      name: 'empty body',
      send: () => raw('POST', '/v1/stores/demo/offline-sales', ''),
      status: 400,
      error: 'malformed-json',
    },
    {
      name: 'unknown store',
      send: () => raw('POST', '/v1/stores/otra/offline-sales', JSON.stringify({ items: [valid()] })),
      status: 404,
      error: 'unknown-store',
    },
    {
      name: 'wrong token',
      send: () =>
        raw(
          'POST',
          '/v1/stores/demo/offline-sales',
          JSON.stringify({ items: [valid()] }),
          'not-the-token-at-all',
        ),
      status: 401,
      error: 'unauthorized',
    },
    {
      name: 'oversized batch',
      send: () => upload(Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => valid())),
      status: 413,
      error: 'batch-too-large',
    },
    { name: 'no items', send: () => upload([]), status: 400, error: 'invalid-body' },
    {
      name: 'not an object',
      send: () => raw('POST', '/v1/stores/demo/offline-sales', '[1,2]'),
      status: 400,
      error: 'invalid-body',
    },
    {
      name: 'wrong types',
      send: () =>
        raw(
          'POST',
          '/v1/stores/demo/offline-sales',
          JSON.stringify({ items: [tamper(valid(), (c) => (c.total = '1000'))] }),
        ),
      status: 400,
      error: 'invalid-body',
    },
    {
      name: 'zero quantity',
      send: () =>
        raw(
          'POST',
          '/v1/stores/demo/offline-sales',
          JSON.stringify({ items: [tamper(valid(), (c) => (lineOf(c).quantity = 0))] }),
        ),
      status: 400,
      error: 'invalid-body',
    },
    {
      name: 'negative quantity',
      send: () =>
        raw(
          'POST',
          '/v1/stores/demo/offline-sales',
          JSON.stringify({ items: [tamper(valid(), (c) => (lineOf(c).quantity = -2))] }),
        ),
      status: 400,
      error: 'invalid-body',
    },
    {
      name: 'unknown field',
      send: () =>
        raw(
          'POST',
          '/v1/stores/demo/offline-sales',
          JSON.stringify({ items: [tamper(valid(), (c) => (c.hacked = true))] }),
        ),
      status: 400,
      error: 'invalid-body',
    },
    {
      name: 'the same id twice in a batch',
      send: () => {
        const v = valid();
        return upload([v, v]);
      },
      status: 400,
      error: 'duplicate-ids',
    },
    {
      name: 'number outside the range',
      send: () => upload([makeInvoice({ consecutive: 20_001 })]),
      status: 422,
      error: 'items-rejected',
      reason: 'number-out-of-range',
    },
    {
      name: 'number zero',
      send: () => upload([makeInvoice({ consecutive: 0 })]),
      status: 422,
      error: 'items-rejected',
      reason: 'number-out-of-range',
    },
    {
      name: 'totals that do not add up',
      send: () =>
        upload([tamper(valid(), (c) => (c.total = (c.total as number) + 1)) as unknown as FiscalDocument]),
      status: 422,
      error: 'items-rejected',
      reason: 'totals-mismatch',
    },
    {
      name: 'a line whose tax split is off by a peso',
      send: () =>
        upload([
          tamper(valid(), (c) => {
            const line = lineOf(c);
            line.base = (line.base as number) + 1;
            line.taxAmount = (line.taxAmount as number) - 1;
          }) as unknown as FiscalDocument,
        ]),
      status: 422,
      error: 'items-rejected',
      reason: 'totals-mismatch',
    },
    {
      name: 'fractional quantity of a unit product',
      send: () => upload([tamper(valid(), (c) => (lineOf(c).quantity = 1.5)) as unknown as FiscalDocument]),
      status: 422,
      error: 'items-rejected',
      reason: 'invalid-quantity',
    },
    {
      name: 'another store’s document',
      send: () => upload([tamper(valid(), (c) => (c.storeId = 'otra')) as unknown as FiscalDocument]),
      status: 422,
      error: 'items-rejected',
      reason: 'wrong-store',
    },
    {
      name: 'a prefix that is not the terminal’s',
      send: () => upload([tamper(valid(), (c) => (c.terminalId = 'caja-2')) as unknown as FiscalDocument]),
      status: 422,
      error: 'items-rejected',
      reason: 'prefix-mismatch',
    },
    {
      name: 'issued before the range’s validity',
      send: () =>
        upload([makeInvoice({ consecutive: consecutive(), at: Date.parse('2026-01-10T15:00:00Z') })]),
      status: 422,
      error: 'items-rejected',
      reason: 'range-not-valid',
    },
    {
      name: '[UPL9] dated in the cloud’s future (a terminal clock set ahead)',
      send: () => upload([makeInvoice({ consecutive: consecutive(), at: Date.now() + 3 * 86_400_000 })]),
      status: 422,
      error: 'items-rejected',
      reason: 'issued-in-future',
    },
    {
      name: '[UPL9] a sealed invoice altered afterwards (a cheaper total)',
      send: () => {
        const sealed = sealAll(signers, [valid()])[0] as unknown as Record<string, unknown>;
        const line = (sealed.lines as Record<string, unknown>[])[0] ?? {};
        line.quantity = 1;
        return raw('POST', '/v1/stores/demo/offline-sales', JSON.stringify({ items: [sealed] }));
      },
      status: 422,
      error: 'items-rejected',
      reason: 'bad-signature',
    },
    {
      name: '[UPL9] signed with a key the store never certified',
      send: () => {
        const rogue = new TestSigner('caja-1', generateSigningKey().key);
        return raw('POST', '/v1/stores/demo/offline-sales', JSON.stringify({ items: [rogue.seal(valid())] }));
      },
      status: 422,
      error: 'items-rejected',
      reason: 'unknown-key',
    },
    {
      name: '[UPL9] a seal of another terminal',
      send: () => {
        const signed = signers.get('caja-2')?.seal(valid());
        return raw('POST', '/v1/stores/demo/offline-sales', JSON.stringify({ items: [signed] }));
      },
      status: 422,
      error: 'items-rejected',
      reason: 'seal-mismatch',
    },
    {
      name: 'no seal',
      send: () => raw('POST', '/v1/stores/demo/offline-sales', JSON.stringify({ items: [valid()] })),
      status: 400,
      error: 'invalid-body',
    },
  ];

  it.each(cases)(
    '$name → $status $error, nothing stored, stock unchanged',
    async ({ send, status, error, reason }) => {
      const count0 = await storedCount();
      const inv0 = await client.inventory('demo');
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.json).toMatchObject({ error });
      expect(typeof res.json?.message).toBe('string');
      if (reason !== undefined) expect(res.json?.results).toMatchObject([{ status: 'rejected', reason }]);
      expect(await storedCount()).toBe(count0);
      expect(await client.inventory('demo')).toEqual(inv0);
    },
  );
});

describe('the customer directory (CUS5, CUS6)', () => {
  type Directory = {
    version: string;
    customers: { idType: string; idNumber: string; name: string; email?: string; checkDigit?: number }[];
  };
  const directory = async () => {
    const res = await raw('GET', '/v1/stores/demo/customers');
    expect(res.status).toBe(200);
    return { etag: res.headers.get('etag') ?? '', body: res.json as unknown as Directory };
  };
  const find = (d: Directory, idNumber: string) => d.customers.find((c) => c.idNumber === idNumber);

  it('[CUS5] serves the demo directory with an ETag; the back office adds a buyer (a NIT gets its check digit)', async () => {
    const first = await directory();
    expect(find(first.body, '900123456')).toMatchObject({
      idType: 'NIT',
      checkDigit: 8,
      name: 'Eventos Andinos S.A.S.',
    });
    expect(find(first.body, '52345678')?.name).toBe('María Fernanda Gómez Ríos');
    const same = await fetch(`${cloud.url}/v1/stores/demo/customers`, {
      headers: { authorization: `Bearer ${cloud.token}`, 'if-none-match': first.etag },
    });
    expect(same.status).toBe(304);

    const put = await raw(
      'PUT',
      '/v1/stores/demo/customers/NIT/860002964',
      JSON.stringify({ idType: 'NIT', idNumber: '860002964', name: 'Banco de Prueba S.A.' }),
    );
    expect(put.status).toBe(200);
    const after = await directory();
    expect(after.etag).not.toBe(first.etag);
    // 860002964: DIAN modulo 11 gives 4.
    expect(find(after.body, '860002964')).toMatchObject({ checkDigit: 4, name: 'Banco de Prueba S.A.' });
  });

  it('[CUS5] refuses a body that is not the buyer of the path, a wrong check digit, bad paths and no token', async () => {
    const mismatch = await raw(
      'PUT',
      '/v1/stores/demo/customers/CC/111222333',
      JSON.stringify({ idType: 'CC', idNumber: '999888777', name: 'Otro' }),
    );
    expect(mismatch).toMatchObject({ status: 400, json: { error: 'id-mismatch' } });
    const wrongDigit = await raw(
      'PUT',
      '/v1/stores/demo/customers/NIT/900123456',
      JSON.stringify({ idType: 'NIT', idNumber: '900123456', checkDigit: 3, name: 'Eventos' }),
    );
    expect(wrongDigit).toMatchObject({ status: 422, json: { error: 'invalid-customer' } });
    expect((await raw('PUT', '/v1/stores/demo/customers/XX/1', '{}')).json).toMatchObject({
      error: 'invalid-path',
    });
    expect((await raw('GET', '/v1/stores/demo/customers', undefined, null)).status).toBe(401);
    // Nothing refused is in the directory.
    expect(find((await directory()).body, '999888777')).toBeUndefined();
    expect(find((await directory()).body, '900123456')?.name).toBe('Eventos Andinos S.A.S.');
  });

  it('[CUS6] a buyer identified on an uploaded invoice joins the directory; an older invoice never overwrites newer data', async () => {
    const pedro = {
      idType: 'CC' as const,
      idNumber: '79111222',
      name: 'Pedro Pablo Ruiz',
      email: 'pedro@correo.example',
    };
    const newer = makeInvoice({
      consecutive: consecutive(),
      customer: pedro,
      at: Date.parse('2026-11-28T18:00:00Z'),
    });
    const older = makeInvoice({
      consecutive: consecutive(),
      customer: { ...pedro, email: 'viejo@correo.example' },
      at: Date.parse('2026-11-28T14:00:00Z'),
    });
    // The newer one goes up first, the older one after (another terminal uploaded late).
    expect((await uploadSealed([newer])).ok).toBe(true);
    expect(find((await directory()).body, '79111222')).toMatchObject({
      name: 'Pedro Pablo Ruiz',
      email: 'pedro@correo.example',
    });
    const before = await directory();
    expect((await uploadSealed([older])).ok).toBe(true);
    const after = await directory();
    expect(find(after.body, '79111222')?.email).toBe('pedro@correo.example');
    expect(after.body.version).toBe(before.body.version);
    // Mafe buys again and gives only a new e-mail: the rest of her entry stays.
    const mafe = find((await directory()).body, '52345678');
    expect(
      (
        await uploadSealed([
          makeInvoice({
            consecutive: consecutive(),
            customer: {
              idType: 'CC',
              idNumber: '52345678',
              name: 'María Fernanda Gómez Ríos',
              email: 'mafe@nuevo.example',
            },
            // After the demo directory was seeded (this test run): newer data.
            at: Date.now(),
          }),
        ])
      ).ok,
    ).toBe(true);
    expect(find((await directory()).body, '52345678')).toEqual({ ...mafe, email: 'mafe@nuevo.example' });
    // A consumidor final never enters the directory.
    expect((await uploadSealed([makeInvoice({ consecutive: consecutive() })])).ok).toBe(true);
    expect(find((await directory()).body, '222222222222')).toBeUndefined();
  });
});

describe('ranges and resolutions (RNG1)', () => {
  const next = {
    prefix: 'C3',
    from: 20_001,
    to: 40_000,
    resolutionNumber: '18764000009999',
    resolutionDate: '2026-11-30',
    validFrom: '2026-11-30',
    validUntil: '2028-11-30',
  };
  const assign = (terminal: string, body: unknown) =>
    raw('POST', `/v1/stores/demo/terminals/${terminal}/resolutions`, JSON.stringify(body));

  it('[RNG1] a terminal given a new range still uploads the invoices of its older one', async () => {
    // Printed on paper on caja-3's first range, not uploaded when the new range is assigned.
    const old = makeInvoice({ terminal: 'caja-3', consecutive: consecutive() });
    const assigned = await assign('caja-3', next);
    expect(assigned.status).toBe(201);
    const ranges = (
      assigned.json as { resolutions: { from: number; to: number; resolutionNumber: string }[] }
    ).resolutions;
    expect(ranges.map((r) => [r.from, r.to])).toEqual([
      [1, 20_000],
      [20_001, 40_000],
    ]);
    // The next provisioning (and key certificate) numbers from the new range.
    const provisioning = await client.provisioning('demo', 'caja-3');
    expect(provisioning.ok && provisioning.value.terminal.numbering).toMatchObject({
      from: 20_001,
      to: 40_000,
    });
    const listed = await raw('GET', '/v1/stores/demo/terminals/caja-3/resolutions');
    expect(listed.json).toEqual(assigned.json);
    // The older invoice is checked against the resolution printed on it: accepted.
    const uploaded = await uploadSealed([old]);
    expect(uploaded.ok && uploaded.value.results).toEqual([
      { id: old.id, kind: 'invoice', status: 'created' },
    ]);
  });

  it('[RNG1] refuses overlapping ranges, another terminal’s prefix, unknown terminals and bad bodies, storing nothing', async () => {
    expect(await assign('caja-3', { ...next, from: 39_000, to: 50_000 })).toMatchObject({
      status: 409,
      json: { error: 'range-overlap' },
    });
    expect(await assign('caja-3', { ...next, from: 1, to: 10 })).toMatchObject({
      status: 409,
      json: { error: 'range-overlap' },
    });
    expect(await assign('caja-3', { ...next, prefix: 'C1', from: 50_000, to: 60_000 })).toMatchObject({
      status: 409,
      json: { error: 'prefix-taken' },
    });
    expect(await assign('caja-9', { ...next, from: 50_000, to: 60_000 })).toMatchObject({
      status: 404,
      json: { error: 'unknown-terminal' },
    });
    expect(await assign('caja-3', { ...next, from: 60_000, to: 50_000 })).toMatchObject({
      status: 400,
      json: { error: 'invalid-body' },
    });
    expect((await raw('POST', '/v1/stores/demo/terminals/caja-3/resolutions', '{"prefix":')).status).toBe(
      400,
    );
    const listed = await raw('GET', '/v1/stores/demo/terminals/caja-3/resolutions');
    expect((listed.json as { resolutions: unknown[] }).resolutions).toHaveLength(2);
  });

  it('[UPL10] [RNG3] unused numbers are stored and read back, and every range is accounted for: issued, voided, unused, missing', async () => {
    // caja-3 numbers from its second range (assigned above) with a key certified for it.
    const signer = (await certifiedSigners(client, 'demo', ['caja-3'])).get('caja-3');
    if (!signer) throw new Error('no signer');
    const sale = (n: number) =>
      makeInvoice({
        terminal: 'caja-3',
        consecutive: n,
        numbering: next,
        at: Date.parse('2026-12-01T15:00:00Z'),
      });
    const [a, b, c, d] = [20_002, 20_003, 20_005, 20_008].map(sale) as [Invoice, Invoice, Invoice, Invoice];
    const at = '2026-11-28T10:15:00-05:00';
    const unused = signer.sealUnused('C3', 20_004, at);
    const first = await client.uploadOfflineSales('demo', [
      ...[a, b, c, d].map((i) => signer.seal(i)),
      unused,
    ]);
    expect(first.ok && first.value.results.map((r) => [r.kind, r.status])).toEqual([
      ...[a, b, c, d].map(() => ['invoice', 'created']),
      ['unused-number', 'created'],
    ]);
    expect(unused).toMatchObject({ kind: 'unused-number', id: 'unused-C3-20004', number: 'C320004' });
    const voided = await client.uploadOfflineSales('demo', [signer.seal(makeCreditNote(b))]);
    expect(voided.ok && voided.value.summary.created).toBe(1);

    const answer = async (item: unknown) => {
      const res = await raw('POST', '/v1/stores/demo/offline-sales', JSON.stringify({ items: [item] }));
      return (res.json as { results: { status: string; reason?: string }[] }).results[0];
    };
    // Idempotent; altered or inconsistent reports are refused; a number is issued or unused, never both.
    expect(await answer(unused)).toMatchObject({ status: 'duplicate' });
    expect(await answer({ ...unused, id: 'unused-C3-20009' })).toMatchObject({
      status: 'rejected',
      reason: 'unused-number-mismatch',
    });
    expect(await answer(signer.sealUnused('C3', 20_010, at))).toMatchObject({ status: 'created' });
    const altered = signer.sealUnused('C3', 20_011, at);
    expect(await answer({ ...altered, reason: 'cambiado después' })).toMatchObject({
      status: 'rejected',
      reason: 'bad-signature',
    });
    expect(await answer(signer.sealUnused('C3', 20_002, at))).toMatchObject({
      status: 'conflict',
      reason: 'number-taken',
    });
    expect(await answer(signer.seal(sale(20_004)))).toMatchObject({
      status: 'conflict',
      reason: 'number-unused',
    });
    expect(await answer(signer.sealUnused('C3', 45_000, at))).toMatchObject({
      status: 'rejected',
      reason: 'number-out-of-range',
    });
    expect(await answer(signer.sealUnused('C1', 20_012, at))).toMatchObject({
      status: 'rejected',
      reason: 'prefix-mismatch',
    });

    // The read-back lists the unused numbers with their seal.
    const page = await client.offlineSales('demo', { terminal: 'caja-3', limit: 1000 });
    if (!page.ok) throw new Error(page.message);
    const reported = page.value.items.filter((s) => s.document.kind === 'unused-number');
    expect(reported.map((s) => s.document.id)).toEqual(['unused-C3-20004', 'unused-C3-20010']);
    expect(reported[0]?.seal).toEqual(unused.seal);

    const account = await client.numbering('demo');
    if (!account.ok) throw new Error(account.message);
    const second = account.value.ranges.find((r) => r.terminalId === 'caja-3' && r.from === 20_001);
    expect(second).toEqual({
      terminalId: 'caja-3',
      prefix: 'C3',
      from: 20_001,
      to: 40_000,
      resolutionNumber: next.resolutionNumber,
      validFrom: next.validFrom,
      validUntil: next.validUntil,
      issued: 4,
      voided: 1,
      unused: 2,
      last: 20_010,
      // 20001, 20006–20007, 20009.
      missingCount: 4,
      missing: [
        { from: 20_001, to: 20_001 },
        { from: 20_006, to: 20_007 },
        { from: 20_009, to: 20_009 },
      ],
      // RNG5: one key, one position (5,000 numbers by default).
      positions: [
        { keyId: expect.any(String) as unknown, from: 20_001, to: 25_000, last: 20_010, missingCount: 4 },
      ],
    });
    // Every range of every terminal has its row, the first one of caja-3 included.
    expect(account.value.ranges.map((r) => `${r.terminalId} ${r.prefix}${r.from}`)).toEqual(
      expect.arrayContaining(['caja-1 C11', 'caja-2 C21', 'caja-3 C31', 'caja-3 C320001']),
    );
    const firstRange = account.value.ranges.find((r) => r.terminalId === 'caja-3' && r.from === 1);
    expect(firstRange?.missingCount).toBe(
      (firstRange?.last ?? 0) - (firstRange?.issued ?? 0) - (firstRange?.unused ?? 0),
    );
    expect((await raw('GET', '/v1/stores/demo/offline-sales/numbering', undefined, null)).status).toBe(401);
  });
});

describe('the simulated transmission to the DIAN (DIAN1–DIAN3)', () => {
  const dianOf = async (id: string) => {
    const page = await client.offlineSales('demo', { limit: 1000 });
    if (!page.ok) throw new Error(page.message);
    return page.value.items.find((s) => s.document.id === id)?.dian;
  };

  it('[DIAN1] [DIAN2] [DIAN3] uploaded invoices go from pending to transmitted with their CUFE; the demo switch rejects the next one, and its void with it', async () => {
    const provisioning = await client.provisioning('demo', 'caja-1');
    if (!provisioning.ok) throw new Error(provisioning.message);
    const nit = provisioning.value.store.nit;
    const [a, b, c] = [consecutive(), consecutive(), consecutive()].map((n) =>
      makeInvoice({ terminal: 'caja-1', consecutive: n }),
    ) as [Invoice, Invoice, Invoice];
    expect((await uploadSealed([a])).ok).toBe(true);
    expect(['pending', 'transmitted']).toContain((await dianOf(a.id))?.status);
    await eventually(async () => {
      expect(await dianOf(a.id)).toEqual({
        status: 'transmitted',
        cufe: cufeOf(a, nit, DEMO_TECHNICAL_KEY, DEMO_ENVIRONMENT),
        transmittedAt: expect.any(String) as string,
      });
    }, 30_000);

    const reason = 'FAD06: el número no corresponde a la resolución';
    const armed = await raw('POST', '/v1/stores/demo/dian/reject-next', JSON.stringify({ reason }));
    expect(armed).toMatchObject({ status: 202, json: { armed: true, reason } });
    expect((await uploadSealed([b])).ok).toBe(true);
    await eventually(async () => {
      expect(await dianOf(b.id)).toEqual({
        status: 'rejected',
        transmittedAt: expect.any(String) as string,
        reason,
      });
    }, 30_000);
    // The switch rejects one document only; a credit note of a rejected invoice is rejected too.
    const voidB = makeCreditNote(b);
    expect((await uploadSealed([c, voidB])).ok).toBe(true);
    await eventually(async () => {
      expect((await dianOf(c.id))?.status).toBe('transmitted');
      expect(await dianOf(voidB.id)).toMatchObject({ status: 'rejected', reason: 'invoice-rejected' });
    }, 30_000);
    expect(
      (await raw('POST', '/v1/stores/demo/dian/reject-next', JSON.stringify({ reason: 'x' }))).json,
    ).toMatchObject({ error: 'invalid-body' });
    expect(
      (await raw('POST', '/v1/stores/demo/dian/reject-next', JSON.stringify({ reason }), null)).status,
    ).toBe(401);
  });
});
