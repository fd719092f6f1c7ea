import { describe, expect, it } from 'vitest';
import { type JournalEntry } from '../../../src/domain/journal-entry.js';
import { TerminalJournal } from '../../../src/crdt/journal-view.js';
import { CHAIN_START } from '../../../src/domain/seal.js';
import { generateSigningKey } from '../../../src/security/signing.js';
import {
  certify,
  checkCertificate,
  entryHash,
  sealEntry,
  TerminalTrust,
} from '../../../src/security/terminal-trust.js';
import { makeInvoice } from '../../support/invoices.js';
import { demoNumbering, localTrust, signedInvoices } from '../../support/signing.js';

/** caja-1's journal, `n` invoices C11…C1n signed and chained as its ledger writes them. */
const journal = (n: number, key = localTrust('demo', 'caja-1', demoNumbering('C1')).key): JournalEntry[] =>
  signedInvoices(key, n);

describe('certificates and signed entries (SIG1, SIG3)', () => {
  it('[SIG1] a certificate verifies under its store key only, and not once altered', () => {
    const { certificate, storeKey } = localTrust('demo', 'caja-1', demoNumbering('C1'));
    expect(checkCertificate(certificate, 'demo', storeKey.publicKey).ok).toBe(true);
    expect(checkCertificate(certificate, 'otra', storeKey.publicKey)).toMatchObject({
      reason: 'foreign-certificate',
    });
    expect(checkCertificate(certificate, 'demo', generateSigningKey().key.publicKey)).toMatchObject({
      reason: 'bad-certificate-signature',
    });
    const widened = { ...certificate, numbering: { ...certificate.numbering, to: 999_999 } };
    expect(checkCertificate(widened, 'demo', storeKey.publicKey).ok).toBe(false);
    expect(checkCertificate({ nope: 1 }, 'demo', storeKey.publicKey)).toMatchObject({
      reason: 'invalid-certificate',
    });
  });

  it('[SIG3] trusts an entry signed by its terminal’s certified key; an uncertified key, a forged signature and a number outside the certified range are not', () => {
    const { trust, key, storeKey } = localTrust('demo', 'caja-1', { ...demoNumbering('C1'), to: 5 });
    const [good] = journal(1, key);
    if (!good) throw new Error('no entry');
    expect(trust.checkEntry(good)).toBeUndefined();
    const rogue = generateSigningKey().key;
    expect(trust.checkEntry(journal(1, rogue)[0] as JournalEntry)).toBe('unknown-key');
    if (good.kind !== 'invoice') throw new Error('not an invoice');
    const cheaper = { ...good, invoice: { ...good.invoice, total: 1 } };
    expect(trust.checkEntry(cheaper)).toBe('bad-signature');
    // The terminal's own key signing a number its certificate does not cover.
    const beyond = sealEntry<JournalEntry>(
      {
        ...good,
        invoice: makeInvoice({ consecutive: 6 }),
      },
      key,
    );
    expect(trust.checkEntry(beyond)).toBe('number-out-of-range');
    // Another terminal's certified key cannot sign for caja-1.
    const other = generateSigningKey().key;
    trust.add(
      certify(
        {
          storeId: 'demo',
          terminalId: 'caja-2',
          publicKey: other.publicKey,
          numbering: demoNumbering('C2'),
          issuedAt: '2026-01-15T08:00:00-05:00',
        },
        storeKey,
      ),
    );
    const asCaja2 = sealEntry<JournalEntry>(good, other);
    expect(trust.checkEntry(asCaja2)).toBe('unknown-key');
    expect(new TerminalTrust('demo', storeKey.publicKey).isCertified('caja-1')).toBe(false);
  });
});

describe('a terminal journal’s neighbours (SIG2, SIG3)', () => {
  it('[SIG2] entries that do not link to the one before are left out, in whichever order they arrive', () => {
    const entries = journal(3);
    const [one, two, three] = entries as [JournalEntry, JournalEntry, JournalEntry];
    expect(one.prev).toBe(CHAIN_START);
    expect(two.prev).toBe(entryHash(one));
    const view = new TerminalJournal('caja-1');
    for (const e of [three, one, two]) expect(view.accept(e)).toEqual([]);
    expect([...view.entries.keys()].sort()).toEqual([1, 2, 3]);
    // A second seq 2, validly signed by the same key but not the history: the next one no longer
    // links to it, so whichever comes out of line is left out.
    const { key } = localTrust('demo', 'caja-1', demoNumbering('C1'));
    const forked = sealEntry<JournalEntry>({ ...two, prev: entryHash(three) }, key);
    const fresh = new TerminalJournal('caja-1');
    fresh.accept(one);
    expect(fresh.accept(forked)).toEqual([{ seq: 2, reason: 'chain-broken' }]);
  });

  it('[SIG3] a number held by a lower seq is not taken by a higher one, whichever arrives first', () => {
    const { key } = localTrust('demo', 'caja-1', demoNumbering('C1'));
    const [one, two] = journal(2, key) as [JournalEntry, JournalEntry];
    if (one.kind !== 'invoice') throw new Error('not an invoice');
    const again = sealEntry<JournalEntry>(
      { ...one, seq: 7, prev: CHAIN_START, commandId: 'cmd-again-x' },
      key,
    );
    const view = new TerminalJournal('caja-1');
    view.accept(one);
    view.accept(two);
    expect(view.accept(again)).toEqual([{ seq: 7, reason: 'number-taken' }]);
    const reversed = new TerminalJournal('caja-1');
    reversed.accept(again);
    expect(reversed.accept(one)).toEqual([{ seq: 7, reason: 'number-taken' }]);
    expect([...reversed.entries.keys()]).toEqual([1]);
  });
});
