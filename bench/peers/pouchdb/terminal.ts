/**
 * A PouchDB point-of-sale terminal, the baseline of bench:store-day and bench:growth (issue 8): one
 * process, one PouchDB database on disk (LevelDB), the CouchDB replication endpoints on
 * 127.0.0.1 (couch-http.ts), and a live two-way sync with each peer it dials — the classic way to
 * build an offline point of sale. The invoices are the project's own (composeInvoice over the
 * demo catalog), one document each, keyed by prefix and number. Not part of the product.
 *
 *   node terminal.js serve --data <dir> --port <p> --id caja-1 --prefix C1 [--peer http://…/pos …]
 *   node terminal.js fill  --data <dir> --id caja-1 --prefix C1 --count 10000
 *
 * Its bench API: POST /api/sales (the body of the project's POST /api/sales), GET
 * /api/invoices/{id}, GET /api/status, POST /api/upload {target} (one-off replication to a
 * CouchDB-style cloud).
 *
 * What PouchDB does not do that the project's terminals do, stated rather than hidden: a number is
 * taken from a counter in memory (recovered from the last document at start) and the write is not
 * fsynced (LevelDB's default), so a power cut can lose the last invoices or reissue a number; no
 * peer authentication; no validation of what peers send.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Invoice } from '../../../src/domain/invoice.js';
import type { PaymentRequest } from '../../../src/domain/payment.js';
import { formatInTimeZone } from '../../../src/domain/time.js';
import { composeInvoice } from '../../../src/invoice/compose-invoice.js';
import { CATALOG } from '../../../tests/support/invoices.js';
import { prng } from '../../../tests/support/prng.js';
import { randomSale } from '../../lib/sales.js';
import { couchHttp, readJson, sendJson } from './couch-http.js';
import { DB_NAME, loadPouchDB, pouchError, type PouchDatabase, type PouchReplication } from './pouch.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '0' },
    id: { type: 'string', default: 'caja-1' },
    prefix: { type: 'string', default: 'C1' },
    peer: { type: 'string', multiple: true, default: [] },
    count: { type: 'string', default: '0' },
  },
});
const [mode] = positionals;
const data = values.data;
if (data === undefined || (mode !== 'serve' && mode !== 'fill')) {
  console.error(
    'usage: terminal.js serve|fill --data <dir> [--port p] [--id caja-1] [--prefix C1] [--peer url …]',
  );
  process.exit(2);
}
const terminalId = values.id;
const prefix = values.prefix;
const products = new Map(CATALOG.map((p) => [p.sku, p]));

interface SaleBody {
  readonly lines: readonly { sku: string; quantity: number }[];
  readonly payments: readonly PaymentRequest[];
}

function docId(consecutive: number): string {
  return `${prefix}-${String(consecutive).padStart(8, '0')}`;
}

function invoiceDoc(body: SaleBody, consecutive: number): Record<string, unknown> {
  const lines = body.lines.map((l) => {
    const product = products.get(l.sku);
    if (!product) throw new Error(`unknown product ${l.sku}`);
    return { product, quantity: l.quantity };
  });
  const result = composeInvoice({
    id: randomUUID(),
    storeId: 'demo',
    terminalId,
    numbering: {
      prefix,
      from: 1,
      to: 1_000_000,
      resolutionNumber: '18764000001231',
      resolutionDate: '2026-01-15',
      validFrom: '2026-01-15',
      validUntil: '2028-01-15',
    },
    consecutive,
    issuedAt: formatInTimeZone(Date.now()),
    shiftId: `${terminalId}-shift-1`,
    cashier: { id: 'ana', name: 'Ana' },
    lines,
    payments: body.payments,
  });
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  const invoice: Invoice = result.value;
  return { _id: docId(consecutive), ...invoice };
}

/** The last number this terminal issued, from its own documents. */
async function lastConsecutive(db: PouchDatabase): Promise<number> {
  const last = await db.allDocs({
    startkey: `${prefix}-\uffff`,
    endkey: `${prefix}-`,
    descending: true,
    limit: 1,
  });
  const id = last.rows[0]?.id;
  return id === undefined ? 0 : Number(id.slice(prefix.length + 1));
}

async function fill(db: PouchDatabase, count: number): Promise<void> {
  const random = prng(7);
  let next = (await lastConsecutive(db)) + 1;
  const started = performance.now();
  for (let written = 0; written < count;) {
    const docs = [];
    for (let i = 0; i < 1000 && written + i < count; i += 1)
      docs.push(invoiceDoc(randomSale(random, 'fill'), next + i));
    await db.bulkDocs(docs);
    next += docs.length;
    written += docs.length;
    if (written % 10_000 === 0 || written === count)
      console.log(
        `${terminalId}: ${written} filled in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
  }
}

async function serve(db: PouchDatabase, port: number, peers: readonly string[]): Promise<void> {
  let next = (await lastConsecutive(db)) + 1;
  const couch = couchHttp(db, DB_NAME, randomUUID());
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      try {
        if (await couch.handle(req, res, url)) return;
        const path = url.pathname;
        if (path === '/api/sales' && req.method === 'POST') {
          const body = (await readJson(req)) as SaleBody;
          const consecutive = next;
          next += 1;
          const doc = invoiceDoc(body, consecutive);
          await db.put(doc);
          sendJson(res, 201, { invoice: { id: doc._id, number: doc.number } });
        } else if (path.startsWith('/api/invoices/') && req.method === 'GET') {
          const doc = await db.get(decodeURIComponent(path.slice('/api/invoices/'.length)));
          sendJson(res, 200, { id: doc._id });
        } else if (path === '/api/status' && req.method === 'GET') {
          const info = await db.info();
          sendJson(res, 200, {
            terminalId,
            docs: info.doc_count,
            updateSeq: info.update_seq,
            issued: next - 1,
          });
        } else if (path === '/api/upload' && req.method === 'POST') {
          const { target } = (await readJson(req)) as { target: string };
          const t0 = performance.now();
          const result = await db.replicate.to(target);
          sendJson(res, 200, {
            docsWritten: result.docs_written,
            docsRead: result.docs_read,
            seconds: (performance.now() - t0) / 1000,
          });
        } else sendJson(res, 404, { error: 'not_found' });
      } catch (error) {
        const e = pouchError(error);
        if (!res.headersSent) sendJson(res, e.status, { error: e.error, reason: e.reason });
      }
    })();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  console.log(`pouch terminal ${terminalId} serving http://127.0.0.1:${bound}`);
  const syncs: PouchReplication[] = peers.map((peer) => {
    const sync = db.sync(peer, { live: true, retry: true });
    sync.on('error', (error) => {
      console.error(`${terminalId}: sync with ${peer} failed:`, error);
    });
    return sync;
  });
  console.log(`pouch terminal ${terminalId} syncing with ${peers.length} peers`);
  const stop = () => {
    for (const sync of syncs) sync.cancel();
    couch.close();
    server.closeAllConnections();
    server.close();
    void db.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const PouchDB = loadPouchDB();
const db = new PouchDB(data);
if (mode === 'fill') {
  await fill(db, Number(values.count));
  await db.close();
} else await serve(db, Number(values.port), values.peer);
