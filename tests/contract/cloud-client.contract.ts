import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealedDocument, StoredSale } from '../../src/contract/cloud.js';
import { cufeOf, DEMO_ENVIRONMENT, DEMO_TECHNICAL_KEY } from '../../src/cloud/dian.js';
import type { FiscalDocument, Invoice } from '../../src/domain/invoice.js';
import { generateSigningKey } from '../../src/security/signing.js';
import { readBack } from '../../src/upload/read-back.js';
import { makeCreditNote, makeInvoice } from '../support/invoices.js';
import type { ContractCloud } from '../support/memory-cloud.js';
import { certifiedSigners, sealAll, TestSigner } from '../support/signing.js';
import { eventually } from '../support/store.js';

/** One implementation of the cloud as the contract suite sees it. */
export interface ContractSubject {
  /** A client holding the store's token. */
  readonly cloud: ContractCloud;
  /** The store's token. */
  readonly token: string;
  /** A client of the same cloud holding another token. */
  readonly withToken: (token: string) => ContractCloud;
  /** A client of a cloud that does not answer. */
  readonly unreachable: () => ContractCloud;
  /** The demo store's NIT, which its CUFEs carry. */
  readonly nit: string;
  /** DIAN1: have the cloud transmit what is pending (the reference cloud does it by itself). */
  readonly transmit: () => void;
  readonly close: () => Promise<void>;
}

const STORE = 'demo';

/**
 * UPL11 (src/upload/SPEC.md): what the terminal relies on from the cloud, written once and run
 * against every implementation — the reference cloud as a process (tests/cloud/client-contract.test.ts)
 * and the in-memory cloud of the unit tests (tests/unit/upload/memory-cloud-contract.test.ts), as
 * automerge-repo runs one suite against every storage adapter.
 */
export function cloudClientContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`[UPL11] the cloud contract: ${name}`, () => {
    let subject: ContractSubject;
    let cloud: ContractCloud;
    let signers: Map<string, TestSigner>;
    // Each test numbers from its own consecutives, so that none collides on (prefix, number).
    let next = 100;
    const consecutive = () => (next += 1);
    const sealed = (documents: readonly FiscalDocument[]) => sealAll(signers, documents);
    const upload = async (items: readonly SealedDocument[], via: ContractCloud = cloud) => {
      const answer = await via.uploadOfflineSales(STORE, items);
      if (!answer.ok) throw new Error(`${answer.reason}: ${answer.message}`);
      return answer.value;
    };
    const everything = async (): Promise<StoredSale[]> => {
      const sales = await readBack(cloud, STORE);
      if (!sales.ok) throw new Error(sales.message);
      return sales.value;
    };

    beforeAll(async () => {
      subject = await setup();
      cloud = subject.cloud;
      signers = await certifiedSigners(cloud, STORE, ['caja-1', 'caja-2', 'caja-3']);
    }, 60_000);

    afterAll(async () => {
      await subject.close();
    }, 30_000);

    it('[UPL1] answers its health without a token', async () => {
      expect(await subject.withToken('').health()).toMatchObject({
        ok: true,
        value: { status: 'ok', service: 'caja-cloud' },
      });
    });

    it('[SIG1] [RNG1] certifies a key once (the same key again is the same certificate) and lists the ranges', async () => {
      const { key } = generateSigningKey();
      const first = await cloud.certifyKey(STORE, 'caja-2', key.publicKey);
      expect(first).toMatchObject({
        ok: true,
        value: { terminalId: 'caja-2', publicKey: key.publicKey, numbering: { prefix: 'C2', from: 1 } },
      });
      expect(await cloud.certifyKey(STORE, 'caja-2', key.publicKey)).toEqual(first);
      expect(await cloud.certifyKey(STORE, 'caja-9', key.publicKey)).toMatchObject({
        ok: false,
        reason: 'unknown-terminal',
        status: 404,
      });
      const ranges = await cloud.resolutions(STORE, 'caja-1');
      expect(ranges.ok && ranges.value.map((r) => `${r.prefix}${r.from}-${r.to}`)).toEqual(['C11-20000']);
      expect(await cloud.resolutions(STORE, 'caja-9')).toMatchObject({
        ok: false,
        reason: 'unknown-terminal',
      });
    });

    it('[UPL3] a batch answers once per item, in order, with its kind and status', async () => {
      const invoices = [
        makeInvoice({ consecutive: consecutive() }),
        makeInvoice({ consecutive: consecutive(), terminal: 'caja-2' }),
      ];
      const note = makeCreditNote(invoices[0] as Invoice);
      const answer = await upload(sealed([...invoices, note]));
      expect(answer.results).toEqual([
        { id: invoices[0]?.id, kind: 'invoice', status: 'created' },
        { id: invoices[1]?.id, kind: 'invoice', status: 'created' },
        { id: note.id, kind: 'credit-note', status: 'created' },
      ]);
      expect(answer.summary).toEqual({ created: 3, duplicate: 0, conflict: 0, rejected: 0 });
    });

    it('[UPL3] [UPL5] the same batch again is a duplicate for every item and stores nothing more', async () => {
      const items = sealed(
        Array.from({ length: 5 }, () => makeInvoice({ consecutive: consecutive(), terminal: 'caja-3' })),
      );
      expect((await upload(items)).summary.created).toBe(5);
      // What is held, not where its transmission to the DIAN is (that moves on by itself).
      const holdings = async () => (await everything()).map(({ dian: _dian, ...sale }) => sale);
      const before = await holdings();
      const again = await upload(items);
      expect(again.results.map((r) => r.status)).toEqual(Array(5).fill('duplicate'));
      expect(again.summary).toEqual({ created: 0, duplicate: 5, conflict: 0, rejected: 0 });
      // Sealed again (another journal entry of the same document): still the same document.
      const resealed = await upload(sealed(items.map(({ seal: _seal, ...d }) => d as Invoice)));
      expect(resealed.summary.duplicate).toBe(5);
      expect(await holdings()).toEqual(before);
    });

    it('[UPL5] two clients sending the same batch at once store each item once', async () => {
      const items = sealed(Array.from({ length: 20 }, () => makeInvoice({ consecutive: consecutive() })));
      const count = (await everything()).length;
      const other = subject.withToken(subject.token);
      const [a, b] = await Promise.all([upload(items), upload(items, other)]);
      expect(a.summary.created + b.summary.created).toBe(20);
      expect(a.summary.duplicate + b.summary.duplicate).toBe(20);
      expect((await everything()).length).toBe(count + 20);
    });

    it('[UPL3] the same id with other content is a conflict (id-conflict), and so is a number already stored (number-taken)', async () => {
      const original = makeInvoice({ consecutive: consecutive() });
      await upload(sealed([original]));
      const count = (await everything()).length;
      const sameIdOtherContent = makeInvoice({ consecutive: consecutive(), id: original.id });
      const sameNumberOtherId = makeInvoice({ consecutive: original.consecutive });
      const answer = await upload(sealed([sameIdOtherContent, sameNumberOtherId]));
      expect(answer.results).toMatchObject([
        { id: original.id, status: 'conflict', reason: 'id-conflict' },
        { id: sameNumberOtherId.id, status: 'conflict', reason: 'number-taken' },
      ]);
      expect(answer.summary).toEqual({ created: 0, duplicate: 0, conflict: 2, rejected: 0 });
      const held = await everything();
      expect(held.length).toBe(count);
      expect(held.find((s) => s.document.id === original.id)?.document).toEqual(original);
    });

    it('[UPL6] a refused item never blocks the others, and a batch where none could be stored is still an answer', async () => {
      const good = makeInvoice({ consecutive: consecutive() });
      const outOfRange = makeInvoice({ consecutive: 20_001 });
      const mixed = await upload(sealed([outOfRange, good]));
      expect(mixed.results).toMatchObject([
        { id: outOfRange.id, kind: 'invoice', status: 'rejected', reason: 'number-out-of-range' },
        { id: good.id, kind: 'invoice', status: 'created' },
      ]);
      expect(mixed.results[0]?.message).toEqual(expect.any(String));
      // The reference cloud answers 422 items-rejected; the client hands over its results all the same.
      const orphan = makeCreditNote(makeInvoice({ consecutive: consecutive() }));
      const none = await upload(sealed([orphan]));
      expect(none).toMatchObject({
        results: [{ id: orphan.id, kind: 'credit-note', status: 'rejected', reason: 'unknown-invoice' }],
        summary: { created: 0, rejected: 1 },
      });
      expect((await everything()).some((s) => s.document.id === orphan.id)).toBe(false);
    });

    it('[UPL9] refuses an altered document, a key it never certified, another terminal’s seal, a date in the future', async () => {
      const caja1 = signers.get('caja-1') as TestSigner;
      const altered = caja1.seal(makeInvoice({ consecutive: consecutive() }));
      const stranger = new TestSigner('caja-1', generateSigningKey().key).seal(
        makeInvoice({ consecutive: consecutive() }),
      );
      const othersSeal = (signers.get('caja-2') as TestSigner).seal(
        makeInvoice({ consecutive: consecutive() }),
      );
      const future = caja1.seal(makeInvoice({ consecutive: consecutive(), at: Date.now() + 86_400_000 }));
      const answer = await upload([
        { ...altered, cashier: { id: 'luis', name: 'Luis' } },
        stranger,
        othersSeal,
        future,
      ]);
      expect(answer.results.map((r) => [r.status, r.reason])).toEqual([
        ['rejected', 'bad-signature'],
        ['rejected', 'unknown-key'],
        ['rejected', 'seal-mismatch'],
        ['rejected', 'issued-in-future'],
      ]);
    });

    it('[UPL10] a number is issued or reported unused, never both', async () => {
      const caja3 = signers.get('caja-3') as TestSigner;
      const [n1, n2] = [consecutive(), consecutive()];
      const at = '2026-11-28T10:15:00-05:00';
      const unused = caja3.sealUnused('C3', n1, at);
      const issued = caja3.seal(makeInvoice({ terminal: 'caja-3', consecutive: n2 }));
      expect((await upload([unused, issued])).results).toEqual([
        { id: `unused-C3-${n1}`, kind: 'unused-number', status: 'created' },
        { id: issued.id, kind: 'invoice', status: 'created' },
      ]);
      const answer = await upload([
        unused,
        caja3.seal(makeInvoice({ terminal: 'caja-3', consecutive: n1 })),
        caja3.sealUnused('C3', n2, at),
      ]);
      expect(answer.results.map((r) => [r.status, r.reason])).toEqual([
        ['duplicate', undefined],
        ['conflict', 'number-unused'],
        ['conflict', 'number-taken'],
      ]);
      const held = (await everything()).find((s) => s.document.id === unused.id);
      expect(held).toMatchObject({ document: { kind: 'unused-number', number: `C3${n1}` }, dian: null });
      expect(held?.seal).toEqual(unused.seal);
    });

    it('[UPL8] the read-back pages with its cursor: every item once, in arrival order, by terminal too', async () => {
      const items = sealed(
        Array.from({ length: 7 }, (_, i) =>
          makeInvoice({ consecutive: consecutive(), terminal: i % 2 === 0 ? 'caja-2' : 'caja-1' }),
        ),
      );
      await upload(items);
      const all = await everything();
      const ids = all.map((s) => s.document.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(all.map((s) => s.seq)).toEqual([...all.map((s) => s.seq)].sort((a, b) => a - b));
      expect(ids.slice(-7)).toEqual(items.map((i) => i.id));

      const paged: string[] = [];
      let cursor: string | undefined;
      for (let pages = 1; pages <= 100; pages += 1) {
        const page = await cloud.offlineSales(STORE, {
          terminal: 'caja-2',
          limit: 3,
          ...(cursor === undefined ? {} : { cursor }),
        });
        if (!page.ok) throw new Error(page.message);
        expect(page.value.items.length).toBeLessThanOrEqual(3);
        paged.push(...page.value.items.map((s) => s.document.id));
        if (page.value.nextCursor === null) break;
        cursor = page.value.nextCursor;
      }
      expect(paged).toEqual(all.filter((s) => s.document.terminalId === 'caja-2').map((s) => s.document.id));
      expect(paged).toEqual(
        expect.arrayContaining(items.filter((i) => i.terminalId === 'caja-2').map((i) => i.id)),
      );
      // The last page says so even when it is full.
      const exact = await cloud.offlineSales(STORE, { limit: all.length });
      expect(exact.ok && exact.value.nextCursor).toBe(null);
      for (const limit of [0, 1001])
        expect(await cloud.offlineSales(STORE, { limit })).toMatchObject({
          ok: false,
          reason: 'invalid-query',
          status: 400,
        });
    });

    it('[VOID2] a void shows in the read-back as voidedBy; a second void of the invoice is a conflict', async () => {
      const invoice = makeInvoice({ consecutive: consecutive() });
      const note = makeCreditNote(invoice);
      await upload(sealed([invoice, note]));
      const held = (await everything()).find((s) => s.document.id === invoice.id);
      expect(held?.voidedBy).toBe(note.id);
      expect((await upload(sealed([makeCreditNote(invoice)]))).results).toMatchObject([
        { status: 'conflict', reason: 'already-voided' },
      ]);
    });

    it('[DIAN1] invoices and credit notes are pending until transmitted, then carry their CUFE; an unused number has no state', async () => {
      const invoice = makeInvoice({ consecutive: consecutive() });
      await upload(sealed([invoice]));
      const dianOf = async (id: string) => (await everything()).find((s) => s.document.id === id)?.dian;
      expect(['pending', 'transmitted']).toContain((await dianOf(invoice.id))?.status);
      subject.transmit();
      await eventually(async () => {
        expect(await dianOf(invoice.id)).toEqual({
          status: 'transmitted',
          cufe: cufeOf(invoice, subject.nit, DEMO_TECHNICAL_KEY, DEMO_ENVIRONMENT),
          transmittedAt: expect.any(String) as string,
        });
      }, 30_000);
      for (const sale of await everything())
        if (sale.document.kind === 'unused-number') expect(sale.dian).toBe(null);
        else expect(sale.dian?.status).toMatch(/^(pending|transmitted)$/);
    });

    it('[UPL6] a wrong token, an unknown store and a cloud that does not answer are failures with a reason, and store nothing', async () => {
      const items = sealed([makeInvoice({ consecutive: consecutive() })]);
      const count = (await everything()).length;
      const wrong = subject.withToken('wrong-token-wrong-token');
      expect(await wrong.uploadOfflineSales(STORE, items)).toMatchObject({
        ok: false,
        reason: 'unauthorized',
        status: 401,
      });
      expect(await wrong.offlineSales(STORE)).toMatchObject({
        ok: false,
        reason: 'unauthorized',
        status: 401,
      });
      expect(await cloud.uploadOfflineSales('elsewhere', items)).toMatchObject({
        ok: false,
        reason: 'unknown-store',
        status: 404,
      });
      const down = subject.unreachable();
      expect(await down.uploadOfflineSales(STORE, items)).toMatchObject({
        ok: false,
        reason: 'cloud-unreachable',
      });
      expect(await down.offlineSales(STORE)).toMatchObject({ ok: false, reason: 'cloud-unreachable' });
      expect((await everything()).length).toBe(count);
    });

    it('[UPL2] a whole batch it cannot take is a failure with the reason: empty, too large, the same id twice', async () => {
      const [one] = sealed([makeInvoice({ consecutive: consecutive() })]) as [SealedDocument];
      const count = (await everything()).length;
      expect(await cloud.uploadOfflineSales(STORE, [])).toMatchObject({
        ok: false,
        reason: 'invalid-body',
        status: 400,
      });
      expect(await cloud.uploadOfflineSales(STORE, Array(501).fill(one) as SealedDocument[])).toMatchObject({
        ok: false,
        reason: 'batch-too-large',
        status: 413,
      });
      expect(await cloud.uploadOfflineSales(STORE, [one, one])).toMatchObject({
        ok: false,
        reason: 'duplicate-ids',
        status: 400,
      });
      expect((await everything()).length).toBe(count);
    });
  });
}
