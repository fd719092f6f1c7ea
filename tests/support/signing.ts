import type { SealedDocument } from '../../src/contract/cloud.js';
import type { FiscalDocument } from '../../src/domain/invoice.js';
import type { Numbering } from '../../src/domain/schemas.js';
import { CHAIN_START, sealOf, type Seal } from '../../src/domain/seal.js';
import { generateSigningKey, type SigningKey } from '../../src/security/signing.js';
import { certify, entryHash, sealEntry, TerminalTrust } from '../../src/security/terminal-trust.js';
import { type JournalEntry } from '../../src/domain/journal-entry.js';
import { unusedOfEntry, type ReservedEntry } from '../../src/domain/unused-number.js';
import { makeInvoice } from './invoices.js';
import type { TerminalCloud } from '../../src/upload/cloud-port.js';
import type { Certificate } from '../../src/domain/certificate.js';

/**
 * A terminal's signing key for tests that make documents by hand: it seals them as the terminal's
 * ledger would (each a journal entry of its own, chained), so the cloud accepts them.
 */
export class TestSigner {
  private seq = 0;

  constructor(
    readonly terminalId: string,
    readonly key: SigningKey,
  ) {}

  /** Seal a document as the next entry of this terminal's journal. */
  seal<T extends FiscalDocument>(document: T): T & { seal: Seal } {
    this.seq += 1;
    const field = document.kind === 'invoice' ? 'invoice' : 'creditNote';
    const at = document.kind === 'invoice' ? document.issuedAt : document.requestedAt;
    const entry = sealEntry<Seal & { kind: string }>(
      {
        kind: document.kind,
        seq: this.seq,
        terminalId: this.terminalId,
        at,
        commandId: `test-${document.id}`.slice(0, 64),
        prev: CHAIN_START,
        [field]: document,
      },
      this.key,
    );
    return { ...document, seal: sealOf(entry) };
  }

  /** UPL10: a number reserved and never issued, sealed as the next entry of this journal. */
  sealUnused(
    prefix: string,
    consecutive: number,
    at: string,
    reason = 'reservado y no emitido',
  ): SealedDocument {
    this.seq += 1;
    const entry = sealEntry<ReservedEntry>(
      {
        kind: 'reserved-not-issued',
        seq: this.seq,
        terminalId: this.terminalId,
        at,
        prefix,
        consecutive,
        number: `${prefix}${consecutive}`,
        reason,
        prev: CHAIN_START,
      },
      this.key,
    );
    const { document, seal } = unusedOfEntry(entry);
    return { ...document, seal };
  }
}

/** Have the cloud certify a fresh key for each terminal; answers a signer per terminal. */
export async function certifiedSigners(
  client: Pick<TerminalCloud, 'certifyKey'>,
  storeId: string,
  terminalIds: readonly string[],
): Promise<Map<string, TestSigner>> {
  const signers = new Map<string, TestSigner>();
  for (const terminalId of terminalIds) {
    const { key } = generateSigningKey();
    const cert = await client.certifyKey(storeId, terminalId, key.publicKey);
    if (!cert.ok) throw new Error(`certifying ${terminalId}: ${cert.message}`);
    signers.set(terminalId, new TestSigner(terminalId, key));
  }
  return signers;
}

/** Seal documents with the signer of each one's terminal. */
export function sealAll(
  signers: ReadonlyMap<string, TestSigner>,
  documents: readonly FiscalDocument[],
): SealedDocument[] {
  return documents.map((d) => {
    const signer = signers.get(d.terminalId);
    if (!signer) throw new Error(`no signer for ${d.terminalId}`);
    return signer.seal(d);
  });
}

/** A store key and one terminal's certified key, for in-process tests without a cloud. */
export function localTrust(
  storeId: string,
  terminalId: string,
  numbering: Numbering,
): { trust: TerminalTrust; key: SigningKey; certificate: Certificate; storeKey: SigningKey } {
  const storeKey = generateSigningKey().key;
  const { key } = generateSigningKey();
  const certificate = certify(
    { storeId, terminalId, publicKey: key.publicKey, numbering, issuedAt: '2026-01-15T08:00:00-05:00' },
    storeKey,
  );
  const trust = new TerminalTrust(storeId, storeKey.publicKey);
  trust.add(certificate);
  return { trust, key, certificate, storeKey };
}

/** The demo numbering of a terminal (as the demo seed gives it). */
export function demoNumbering(prefix: string, resolutionNumber = '18764000001231'): Numbering {
  return {
    prefix,
    from: 1,
    to: 20_000,
    resolutionNumber,
    resolutionDate: '2026-01-15',
    validFrom: '2026-01-15',
    validUntil: '2028-01-15',
  };
}

/** A journal entry before its chain link and signature. */
export type UnsealedEntry = JournalEntry extends infer E
  ? E extends JournalEntry
    ? Omit<E, 'prev' | 'keyId' | 'sig'>
    : never
  : never;

/**
 * Journal entries as a terminal's ledger writes them: seq from 1, each chained to the one
 * before and signed.
 */
export function chainEntries(key: SigningKey, entries: readonly UnsealedEntry[]): JournalEntry[] {
  let prev: string = CHAIN_START;
  return [...entries]
    .sort((a, b) => a.seq - b.seq)
    .map((e) => {
      const sealed = sealEntry<JournalEntry>({ ...e, prev }, key);
      prev = entryHash(sealed);
      return sealed;
    });
}

/** caja-1's journal entries 1…n: invoices C11…C1n, signed with `key` and chained. */
export function signedInvoices(key: SigningKey, n: number): JournalEntry[] {
  return chainEntries(
    key,
    Array.from({ length: n }, (_, i) => {
      const invoice = makeInvoice({ consecutive: i + 1 });
      return {
        kind: 'invoice' as const,
        seq: i + 1,
        terminalId: 'caja-1',
        at: invoice.issuedAt,
        commandId: `cmd-${i + 1}-abcdef`,
        invoice,
      };
    }),
  );
}
