import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ImmutableString } from '@automerge/automerge';
import { Repo } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { journalDocName } from '../../src/crdt/documents/journal-doc.js';
import { journalEntrySchema, type JournalEntry } from '../../src/domain/journal-entry.js';
import { openStorage } from '../../src/crdt/storage/open-storage.js';
import { StoreDocuments } from '../../src/crdt/store-documents.js';
import { ValidationCache } from '../../src/crdt/storage/validation-cache.js';
import { tempDir } from '../support/processes.js';
import { demoNumbering, localTrust, signedInvoices } from '../support/signing.js';

const lanKey = new Uint8Array(randomBytes(32));
const { trust, key } = localTrust('demo', 'caja-1', demoNumbering('C1'));
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  // A repo's throttled save (100 ms) can still be writing after shutdown() returned.
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const d of dirs.splice(0)) d.remove();
});

/** Entries 1…n of caja-1's journal, signed and chained as its ledger writes them. */
const entries = (n: number): JournalEntry[] => signedInvoices(key, n);

async function openDocs(dir: string, version = '1.0.0') {
  const repo = new Repo({ storage: await openStorage(`${dir}/automerge`), network: [] });
  const docs = new StoreDocuments({
    repo,
    storageDir: `${dir}/automerge`,
    storeId: 'demo',
    terminalId: 'caja-1',
    lanKey,
    trust,
    validationCache: ValidationCache.open(`${dir}/cache/validated.json`, version),
  });
  await docs.open();
  return {
    repo,
    docs,
    async close() {
      docs.close();
      await repo.flush();
      await repo.shutdown();
    },
  };
}

describe('validation cache of journal chunks', () => {
  it('a restart reads a chunk whose heads were validated without validating its entries again', async () => {
    const dir = tempDir('caja-vcache-');
    dirs.push(dir);
    const first = await openDocs(dir.path);
    const written = entries(3);
    for (const e of written) await first.docs.appendOwn(e);
    await first.close();

    const parse = vi.spyOn(journalEntrySchema, 'safeParse');
    const second = await openDocs(dir.path);
    expect([...second.docs.journalEntries('caja-1').values()]).toEqual(written);
    expect(parse).not.toHaveBeenCalled();
    await second.close();

    // Another version of the program validates everything once more.
    const upgraded = await openDocs(dir.path, '2.0.0');
    expect(upgraded.docs.journalEntries('caja-1').size).toBe(3);
    expect(parse).toHaveBeenCalledTimes(3);
    await upgraded.close();
  });

  it('a chunk that changed since it was validated (other heads) is validated: a bad entry is quarantined', async () => {
    const dir = tempDir('caja-vcache-');
    dirs.push(dir);
    const first = await openDocs(dir.path);
    await first.docs.appendOwn(entries(1)[0] as JournalEntry);
    const id = first.docs.documentId(journalDocName('caja-1', 0));
    await first.close();

    // While the terminal was down, the chunk got an entry that does not parse (as from a peer).
    const other = new Repo({ storage: await openStorage(`${dir.path}/automerge`), network: [] });
    const handle = await other.find<{ entries: Record<string, Record<string, unknown>> }>(id);
    handle.change((d) => {
      const bucket = d.entries.b0;
      if (bucket)
        bucket['000000002'] = new ImmutableString('{"kind":"invoice","seq":2,"terminalId":"caja-1"}');
    });
    await other.flush();
    await other.shutdown();

    const second = await openDocs(dir.path);
    expect([...second.docs.journalEntries('caja-1').keys()]).toEqual([1]);
    expect(second.docs.quarantine.list()).toEqual([
      { document: 'journal/caja-1/0', path: 'entries/b0/000000002', reason: 'invalid-entry' },
    ]);
    await second.close();
  });

  it('an unreadable cache file only means validating everything', () => {
    const dir = tempDir('caja-vcache-');
    dirs.push(dir);
    const file = `${dir.path}/validated.json`;
    writeFileSync(file, '{ not json');
    const cache = ValidationCache.open(file, '1.0.0');
    expect(cache.has('doc', ['a'])).toBe(false);
    cache.record('doc', ['b', 'a']);
    cache.save();
    expect(ValidationCache.open(file, '1.0.0').has('doc', ['a', 'b'])).toBe(true);
    expect(ValidationCache.open(file, '1.0.1').has('doc', ['a', 'b'])).toBe(false);
  });
});
