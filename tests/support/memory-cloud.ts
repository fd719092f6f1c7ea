import { createHash } from 'node:crypto';
import {
  MAX_BATCH_ITEMS,
  offlineSalesBatchSchema,
  offlineSalesQuerySchema,
  pathParams,
  type BatchResult,
  type DianState,
  type ItemResult,
  type OfflineSalesPage,
  type SealedDocument,
  type StoredDocument,
  storedSaleSchema,
  type StoredSale,
} from '../../src/contract/cloud.js';
import { FUTURE_TOLERANCE_MS } from '../../src/cloud/ingest.js';
import {
  checkInvoiceAgainst,
  checkNumber,
  checkSeal,
  result,
  unpack,
  type RangeBook,
  type SealBook,
} from '../../src/cloud/ingest-checks.js';
import {
  cudeOf,
  cufeOf,
  DEMO_ENVIRONMENT,
  DEMO_SOFTWARE_PIN,
  DEMO_TECHNICAL_KEY,
} from '../../src/cloud/dian.js';
import { DEMO_STORE_ID, DEMO_TERMINALS } from '../../src/cloud/seed/demo.js';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import type { Certificate } from '../../src/domain/certificate.js';
import { invoiceNumber } from '../../src/domain/ids.js';
import type { CreditNote, Invoice } from '../../src/domain/invoice.js';
import { ok } from '../../src/domain/result.js';
import { remainingAfterReturns } from '../../src/domain/returns.js';
import type { Numbering } from '../../src/domain/schemas.js';
import { formatInTimeZone } from '../../src/domain/time.js';
import { unusedNumberId } from '../../src/domain/unused-number.js';
import { generateSigningKey, keyIdOf, type SigningKey } from '../../src/security/signing.js';
import { certify } from '../../src/security/terminal-trust.js';
import type {
  CloudFailure,
  CloudResult,
  OfflineSalesQuery,
  SalesCloud,
  TerminalCloud,
} from '../../src/upload/cloud-port.js';
import { TEST_TOKEN } from './processes.js';
import { demoNumbering } from './signing.js';

/** What the contract suite (tests/contract/cloud-client.contract.ts) holds both clouds to. */
export type ContractCloud = SalesCloud & Pick<TerminalCloud, 'health' | 'certifyKey' | 'resolutions'>;

export interface MemoryCloudOptions {
  readonly storeId?: string;
  readonly token?: string;
  /** The store's terminals and every range each was assigned (RNG1); the demo store's by default. */
  readonly terminals?: ReadonlyMap<string, readonly Numbering[]>;
  readonly nit?: string;
  readonly now?: () => number;
  /** Told before every upload call is answered (tests hold a batch, or cancel, in there). */
  readonly beforeUpload?: (call: number) => Promise<void> | void;
}

interface Held {
  readonly seq: number;
  readonly receivedAt: string;
  readonly document: StoredDocument;
  readonly seal: SealedDocument['seal'];
  readonly hash: string;
  dian: DianState | null;
}

const fail = (reason: string, message: string, status?: number): CloudFailure => ({
  ok: false,
  reason,
  message,
  ...(status === undefined ? {} : { status }),
});

/**
 * An in-memory stand-in for the reference cloud, for unit tests of the upload: the answers of the
 * contract (src/contract/cloud.ts) with the semantics the terminal relies on — UPL3's idempotency
 * by document id (`duplicate`; `conflict id-conflict` for other content under the same id), UPL9's
 * seal and number checks, UPL10's numbers issued or unused, the read-back with its cursor, DIAN1's
 * states. tests/contract/cloud-client.contract.ts holds it and the reference cloud to the same
 * behaviour. Where it is simpler than the reference cloud it says so (UPL11 in src/upload/SPEC.md):
 * no stock, no customer directory, no positions (a key is certified for its whole range), a
 * credit-note request checked for its invoice and its amount only.
 */
export class MemoryCloud {
  readonly storeId: string;
  readonly token: string;
  private readonly terminals: ReadonlyMap<string, readonly Numbering[]>;
  private readonly storeKey: SigningKey = generateSigningKey().key;
  private readonly certificates = new Map<string, Certificate>();
  /** The lookups of the reference cloud's own checks (src/cloud/ingest-checks.ts). */
  private readonly book: SealBook & RangeBook = {
    certificate: (_storeId, terminalId, keyId) => {
      const cert = this.certificates.get(keyId);
      return cert?.terminalId === terminalId ? cert : undefined;
    },
    ranges: {
      of: (_storeId, terminalId) => [...(this.terminals.get(terminalId) ?? [])],
      holding: (_storeId, terminalId, prefix, consecutive) =>
        this.terminals
          .get(terminalId)
          ?.find((r) => r.prefix === prefix && r.from <= consecutive && consecutive <= r.to),
    },
  };
  private readonly held: Held[] = [];
  private readonly byId = new Map<string, Held>();
  private readonly byNumber = new Map<string, Held>();
  private readonly failures: { upload: CloudFailure[]; readBack: CloudFailure[] } = {
    upload: [],
    readBack: [],
  };
  private omitNext = 0;
  private rejectNextReason: string | undefined;
  private uploadCalls = 0;
  private reachable = true;

  constructor(private readonly options: MemoryCloudOptions = {}) {
    this.storeId = options.storeId ?? DEMO_STORE_ID;
    this.token = options.token ?? TEST_TOKEN;
    this.terminals =
      options.terminals ??
      new Map(DEMO_TERMINALS.map((t) => [t.id, [demoNumbering(t.prefix, t.resolutionNumber)]]));
  }

  /** A client of this cloud holding `token` (the store's by default). */
  client(token: string = this.token): ContractCloud {
    const call = async <T>(storeId: string | undefined, answer: () => CloudResult<T>) => {
      await Promise.resolve();
      if (!this.reachable) return fail('cloud-unreachable', 'the memory cloud is down');
      if (storeId !== undefined) {
        if (!pathParams.store.safeParse({ storeId }).success)
          return fail('invalid-path', `bad store id ${storeId}`, 400);
        if (storeId !== this.storeId) return fail('unknown-store', `no store "${storeId}"`, 404);
        if (token !== this.token) return fail('unauthorized', 'wrong token for this store', 401);
      }
      return answer();
    };
    return {
      health: () =>
        call(undefined, () =>
          ok({
            status: 'ok' as const,
            service: 'caja-cloud' as const,
            version: 'memory',
            time: new Date(this.now()).toISOString(),
          }),
        ),
      certifyKey: (storeId, terminalId, publicKey, range) =>
        call(storeId, () => this.certifyKey(terminalId, publicKey, range)),
      resolutions: (storeId, terminalId) =>
        call(storeId, () => {
          const ranges = this.terminals.get(terminalId);
          if (!ranges) return fail('unknown-terminal', `no terminal "${terminalId}"`, 404);
          return ok(ranges.map((r) => ({ ...r })));
        }),
      uploadOfflineSales: async (storeId, items) => {
        this.uploadCalls += 1;
        await this.options.beforeUpload?.(this.uploadCalls);
        return call(storeId, () => this.upload(items));
      },
      offlineSales: (storeId, query = {}) => call(storeId, () => this.readBack(query)),
    };
  }

  /** The next `times` upload calls fail before anything is stored (network trouble, a 5xx, a 4xx). */
  failUploads(times: number, reason = 'cloud-unreachable', status?: number): void {
    for (let i = 0; i < times; i += 1) this.failures.upload.push(fail(reason, `injected ${reason}`, status));
  }

  /** The next `times` read-back calls fail. */
  failReadBacks(times: number, reason = 'cloud-unreachable', status?: number): void {
    for (let i = 0; i < times; i += 1)
      this.failures.readBack.push(fail(reason, `injected ${reason}`, status));
  }

  /** The next `times` batch answers leave their last item out (it is stored all the same). */
  omitFromAnswers(times = 1): void {
    this.omitNext += times;
  }

  /** Every call answers `cloud-unreachable` until `up()`. */
  down(): void {
    this.reachable = false;
  }

  up(): void {
    this.reachable = true;
  }

  /** DIAN3: the next document transmitted is rejected with this reason. */
  rejectNext(reason: string): void {
    this.rejectNextReason = reason;
  }

  /** DIAN1: transmit every pending document now (the reference cloud does it a moment after). */
  transmitDian(): void {
    const at = new Date(this.now()).toISOString();
    for (const h of this.held) {
      if (h.dian?.status !== 'pending') continue;
      if (this.rejectNextReason !== undefined) {
        h.dian = { status: 'rejected', transmittedAt: at, reason: this.rejectNextReason };
        this.rejectNextReason = undefined;
        continue;
      }
      const doc = h.document;
      if (doc.kind === 'invoice') {
        h.dian = {
          status: 'transmitted',
          cufe: cufeOf(doc, this.nit, DEMO_TECHNICAL_KEY, DEMO_ENVIRONMENT),
          transmittedAt: at,
        };
      } else if (doc.kind === 'credit-note') {
        const invoice = this.byId.get(doc.invoiceId);
        if (invoice?.document.kind !== 'invoice') continue;
        h.dian =
          invoice.dian?.status === 'rejected'
            ? { status: 'rejected', transmittedAt: at, reason: 'invoice-rejected' }
            : {
                status: 'transmitted',
                cufe: cudeOf(
                  doc,
                  `NC${h.seq}`,
                  invoice.document,
                  this.nit,
                  DEMO_SOFTWARE_PIN,
                  DEMO_ENVIRONMENT,
                ),
                transmittedAt: at,
              };
      }
    }
  }

  /** How many documents the cloud holds (each once). */
  get size(): number {
    return this.held.length;
  }

  /** How many upload calls it was asked (answered or not). */
  get uploads(): number {
    return this.uploadCalls;
  }

  /** The ids it holds, in arrival order. */
  ids(): string[] {
    return this.held.map((h) => h.document.id);
  }

  private get nit(): string {
    return this.options.nit ?? '901234567';
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private today(): string {
    return formatInTimeZone(this.now()).slice(0, 10);
  }

  private certifyKey(
    terminalId: string,
    publicKey: string,
    range: { prefix: string; from: number } | undefined,
  ): CloudResult<Certificate> {
    const ranges = this.terminals.get(terminalId);
    if (!ranges)
      return fail('unknown-terminal', `store ${this.storeId} has no terminal "${terminalId}"`, 404);
    const existing = this.certificates.get(keyIdOf(publicKey));
    if (existing && existing.terminalId === terminalId) return ok(existing);
    const today = this.today();
    // The one in use: the last whose validity has begun (RNG4), or the one named.
    const numbering = range
      ? ranges.find((r) => r.prefix === range.prefix && r.from === range.from)
      : ranges.filter((r) => r.validFrom <= today).at(-1);
    if (!numbering || numbering.validUntil < today)
      return fail('unknown-range', `no resolution in force or to come for ${terminalId}`, 404);
    const certificate = certify(
      { storeId: this.storeId, terminalId, publicKey, numbering, issuedAt: formatInTimeZone(this.now()) },
      this.storeKey,
    );
    this.certificates.set(certificate.keyId, certificate);
    return ok(certificate);
  }

  private upload(items: readonly SealedDocument[]): CloudResult<BatchResult> {
    if (items.length > MAX_BATCH_ITEMS)
      return fail('batch-too-large', `at most ${MAX_BATCH_ITEMS} items per batch, got ${items.length}`, 413);
    // What goes over the wire: a copy, parsed with the contract's schema as the cloud parses it.
    const parsed = offlineSalesBatchSchema.safeParse(JSON.parse(JSON.stringify({ items })));
    if (!parsed.success) return fail('invalid-body', parsed.error.message, 400);
    const batch = parsed.data.items;
    if (new Set(batch.map((i) => i.id)).size !== batch.length)
      return fail('duplicate-ids', 'the same id appears twice in one batch', 400);
    const injected = this.failures.upload.shift();
    if (injected) return injected;
    const receivedAt = new Date(this.now()).toISOString();
    const results = batch.map((item) => this.ingest(item, receivedAt));
    const summary = { created: 0, duplicate: 0, conflict: 0, rejected: 0 };
    for (const r of results) summary[r.status] += 1;
    if (this.omitNext > 0) {
      this.omitNext -= 1;
      return ok({ results: results.slice(0, -1), summary });
    }
    return ok({ results, summary });
  }

  /** One item, as src/cloud/ingest.ts takes it: stored whole, or not at all. */
  private ingest(sealed: SealedDocument, receivedAt: string): ItemResult {
    const unpacked = unpack(sealed);
    const { item, seal, entry } = unpacked;
    const body = canonicalJson(item);
    const hash = createHash('sha256').update(body).digest('hex');
    const existing = this.byId.get(item.id);
    if (existing)
      return existing.hash === hash && existing.document.kind === item.kind
        ? result(item, 'duplicate')
        : result(
            item,
            'conflict',
            'id-conflict',
            `a different document with id ${item.id} is already stored`,
          );
    if (item.kind !== 'unused-number' && item.storeId !== this.storeId)
      return result(item, 'rejected', 'wrong-store', `the document belongs to store ${item.storeId}`);
    if (!this.terminals.has(item.terminalId))
      return result(item, 'rejected', 'unknown-terminal', `terminal ${item.terminalId} is not in this store`);
    const signed = checkSeal(
      this.book,
      this.storeId,
      item,
      seal,
      entry,
      unpacked.unused ? undefined : item,
      body,
    );
    if (!signed.ok) return signed.refusal;
    const dated =
      item.kind === 'invoice' ? item.issuedAt : item.kind === 'credit-note' ? item.requestedAt : item.at;
    if (Date.parse(dated) > this.now() + FUTURE_TOLERANCE_MS)
      return result(item, 'rejected', 'issued-in-future', `dated ${dated}, after the moment it was received`);
    if (item.kind === 'credit-note') {
      const refused = this.checkCreditNote(item);
      if (refused) return refused;
    } else {
      const refused = item.kind === 'invoice' ? this.checkInvoice(item, signed.cert) : undefined;
      if (refused) return refused;
      if (item.kind === 'unused-number') {
        if (
          item.number !== invoiceNumber(item.prefix, item.consecutive) ||
          item.id !== unusedNumberId(item.prefix, item.consecutive) ||
          unpacked.seal.at !== item.at
        )
          return result(
            item,
            'rejected',
            'unused-number-mismatch',
            `the unused number's id, number and seal do not agree`,
          );
        const numbered = checkNumber(
          this.book,
          this.storeId,
          item,
          item.terminalId,
          item.prefix,
          item.consecutive,
          signed.cert,
        );
        if (!numbered.ok) return numbered.refusal;
      }
      const taken = this.byNumber.get(`${item.prefix}|${item.consecutive}`);
      if (taken)
        return taken.document.kind === 'unused-number' && item.kind === 'invoice'
          ? result(item, 'conflict', 'number-unused', `${item.number} was reported as never issued`)
          : result(
              item,
              'conflict',
              'number-taken',
              `${item.number} is already stored as sale ${taken.document.id}`,
            );
    }
    const held: Held = {
      seq: this.held.length + 1,
      receivedAt,
      document: item,
      seal,
      hash,
      dian: item.kind === 'unused-number' ? null : { status: 'pending' },
    };
    this.held.push(held);
    this.byId.set(item.id, held);
    if (item.kind !== 'credit-note') this.byNumber.set(`${item.prefix}|${item.consecutive}`, held);
    return result(item, 'created');
  }

  private checkInvoice(invoice: Invoice, cert: Certificate): ItemResult | undefined {
    const numbered = checkNumber(
      this.book,
      this.storeId,
      invoice,
      invoice.terminalId,
      invoice.prefix,
      invoice.consecutive,
      cert,
    );
    if (!numbered.ok) return numbered.refusal;
    return checkInvoiceAgainst(invoice, numbered.assigned);
  }

  /** Simplified: the invoice must be held, not voided whole, and a void must credit what is left. */
  private checkCreditNote(note: CreditNote): ItemResult | undefined {
    const stored = this.byId.get(note.invoiceId)?.document;
    if (stored?.kind !== 'invoice')
      return result(
        note,
        'rejected',
        'unknown-invoice',
        `invoice ${note.invoiceNumber} has not been uploaded yet`,
      );
    if (stored.number !== note.invoiceNumber)
      return result(
        note,
        'rejected',
        'credit-note-mismatch',
        `the credit note does not match invoice ${note.invoiceNumber}`,
      );
    const earlier = this.notesOf(note.invoiceId);
    const voidedBy = earlier.find((n) => n.lines === undefined);
    if (voidedBy)
      return result(
        note,
        'conflict',
        'already-voided',
        `invoice ${note.invoiceNumber} was already voided by ${voidedBy.id}`,
      );
    if (note.lines === undefined && note.amount !== remainingAfterReturns(stored, earlier))
      return result(
        note,
        'rejected',
        'credit-note-mismatch',
        `the credit note does not credit what is left of invoice ${note.invoiceNumber}`,
      );
    return undefined;
  }

  private notesOf(invoiceId: string): CreditNote[] {
    return this.held.flatMap((h) =>
      h.document.kind === 'credit-note' && h.document.invoiceId === invoiceId ? [h.document] : [],
    );
  }

  private readBack(query: OfflineSalesQuery): CloudResult<OfflineSalesPage> {
    const injected = this.failures.readBack.shift();
    if (injected) return injected;
    const parsed = offlineSalesQuerySchema.safeParse({
      ...(query.terminal === undefined ? {} : { terminal: query.terminal }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
    });
    if (!parsed.success) return fail('invalid-query', parsed.error.message, 400);
    const limit = parsed.data.limit ?? 500;
    const after = parsed.data.cursor === undefined ? 0 : Number(parsed.data.cursor);
    const rows = this.held.filter(
      (h) =>
        h.seq > after &&
        (parsed.data.terminal === undefined || h.document.terminalId === parsed.data.terminal),
    );
    const items = rows.slice(0, limit).map((h) => this.stored(h));
    const last = items.at(-1);
    return ok({ items, nextCursor: rows.length > limit && last ? String(last.seq) : null });
  }

  private stored(h: Held): StoredSale {
    const voidedBy =
      h.document.kind === 'invoice'
        ? (this.notesOf(h.document.id).find((n) => n.lines === undefined)?.id ?? null)
        : null;
    // A copy: what a caller does with its answer never changes what the cloud holds.
    const { seq, receivedAt, document, seal, dian } = h;
    return storedSaleSchema.parse(
      JSON.parse(JSON.stringify({ seq, receivedAt, document, seal, voidedBy, dian })),
    );
  }
}
