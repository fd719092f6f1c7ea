import { createRequire, syncBuiltinESMExports } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Repo, type DocumentId } from '@automerge/automerge-repo';
import { chunkOfSeq, journalDocName } from '../../src/crdt/documents/journal-doc.js';
import { terminalPeerId } from '../../src/crdt/lan/lan-network.js';
import { openStorage } from '../../src/crdt/storage/open-storage.js';
import { Cashbox, type Actor } from '../../src/invoice/cashbox.js';
import { InvoiceIndex } from '../../src/invoice/invoice-index.js';
import { FiscalLedger } from '../../src/invoice/ledger.js';
import { terminalEntry } from '../../src/host/provision.js';
import { storeDocuments } from '../../src/host/repo-setup.js';
import { dataPaths, readTerminalConfig } from '../../src/host/terminal-config.js';
import { loadTerminalKey } from '../../src/host/terminal-key.js';
import { prng } from '../../tests/support/prng.js';
import { randomSale } from './sales.js';

const CASHIER: Actor = { id: 'ana', name: 'Ana', role: 'cashier' };

/**
 * A Repo whose `flush` does nothing until `flushing` is set: StoreDocuments.appendOwn flushes
 * after every entry, which is the durability a till needs and ~2 ms a fixture does not. Documents
 * are still saved by the repo's own throttled save (every 100 ms), with the same storage
 * subsystem (incremental saves, compaction) as a terminal's: the same changes, one per entry, in
 * fewer incremental files.
 */
class BulkLoadRepo extends Repo {
  flushing = false;

  override flush(documents?: DocumentId[]): Promise<void> {
    return this.flushing ? super.flush(documents) : Promise.resolve();
  }
}

/**
 * The fiscal log fdatasyncs every reserve (0.5–0.7 ms here). A fixture does not need to survive a
 * power cut: while `fn` runs, fdatasync is a no-op for the fiscal log's synchronous calls (node's
 * ES module bindings of `node:fs` follow its CommonJS exports through syncBuiltinESMExports).
 */
async function withoutFdatasync<T>(fn: () => Promise<T>): Promise<T> {
  const fs = createRequire(import.meta.url)('node:fs') as { fdatasyncSync: (fd: number) => void };
  const original = fs.fdatasyncSync;
  fs.fdatasyncSync = () => undefined;
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    fs.fdatasyncSync = original;
    syncBuiltinESMExports();
  }
}

/**
 * Give a provisioned terminal `count` invoices of its own, in this process, through the classes
 * `caja terminal` composes (StoreDocuments, FiscalLedger, Cashbox) on its real storage (the
 * crash-safe adapter): every sale reserves its number in the fiscal log, becomes one journal
 * entry (one automerge change) and is copied to the log, as through the API — only without the
 * per-entry flush and fsync (see BulkLoadRepo, withoutFdatasync). Stops at `deadline`
 * (performance.now()) and answers how many it wrote.
 */
export async function fillJournal(
  dataDir: string,
  count: number,
  deadline: number,
  onProgress: (written: number, seconds: number) => void,
): Promise<{ written: number; seconds: number }> {
  const { config } = readTerminalConfig(dataDir);
  const p = config.provisioning;
  const paths = dataPaths(dataDir);
  const repo = new BulkLoadRepo({
    storage: await openStorage(paths.automerge),
    network: [],
    peerId: terminalPeerId(p.store.id, p.terminal.id),
  });
  const started = performance.now();
  let written = 0;
  try {
    const docs = storeDocuments(config, repo, dataDir);
    await docs.open();
    docs.registerTerminal(terminalEntry(p, config.provisionedAt));
    const { ledger } = await FiscalLedger.open({
      docs,
      fiscalDir: paths.fiscal,
      terminalId: p.terminal.id,
      numbering: p.terminal.numbering,
      timeZone: p.store.timeZone,
      now: Date.now,
      key: loadTerminalKey(dataDir),
    });
    try {
      const cashbox = new Cashbox({
        terminalId: p.terminal.id,
        storeId: p.store.id,
        numbering: p.terminal.numbering,
        docs,
        ledger,
        index: new InvoiceIndex(docs),
        discountLimitPercent: 10,
      });
      const shift = await cashbox.shifts.openShift('fill-shift-open', 0, CASHIER);
      if (!shift.ok) throw new Error(`opening the shift: ${shift.message}`);
      const random = prng(7);
      // Each closed chunk is saved and dropped from memory: with every chunk loaded, a sale costs
      // 5–7 times more past ~60 chunks (see the report of bench:sync) and 50,000 would not fit
      // in the benchmark's time. The files on disk are the same either way.
      let openChunk = 0;
      const unloadClosedChunks = async () => {
        const chunk = chunkOfSeq(docs.journalEntries(p.terminal.id).size);
        for (; openChunk < chunk; openChunk += 1) {
          const id = docs.documentId(journalDocName(p.terminal.id, openChunk));
          repo.flushing = true;
          await repo.flush([id]);
          repo.flushing = false;
          await repo.removeFromCache(id);
          docs.handles.delete(id);
        }
      };
      await withoutFdatasync(async () => {
        while (written < count && performance.now() < deadline) {
          const sale = randomSale(random, `fill-${String(written).padStart(8, '0')}`);
          const result = await cashbox.sell(sale, CASHIER);
          if (!result.ok) throw new Error(`sale ${written}: ${result.reason}: ${result.message}`);
          written += 1;
          if (written % 5000 === 0) onProgress(written, (performance.now() - started) / 1000);
          await unloadClosedChunks();
        }
      });
    } finally {
      ledger.close();
    }
    repo.flushing = true;
    await repo.flush();
    // A throttled save may still be pending: let it run, then make sure everything is on disk.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await repo.flush();
  } finally {
    await repo.shutdown();
  }
  return { written, seconds: (performance.now() - started) / 1000 };
}
