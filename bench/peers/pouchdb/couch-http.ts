/**
 * The CouchDB replication endpoints PouchDB's HTTP adapter calls, over one local PouchDB database:
 * the smallest server that lets PouchDB peers replicate with each other (what pouchdb-server or
 * express-pouchdb would do, without their hundreds of other routes). Each route hands the request
 * to the same PouchDB method CouchDB's protocol names.
 *
 *   GET  /                       server info (its uuid names the replication)
 *   GET  /{db}/                  database info
 *   GET  /{db}/_changes          since, limit, style; feed=longpoll waits for the next change
 *   POST /{db}/_revs_diff        which revisions the target lacks
 *   POST /{db}/_bulk_get         the documents with their revision history
 *   POST /{db}/_bulk_docs        write them (new_edits: false keeps their revisions)
 *   GET|PUT /{db}/_local/{id}    replication checkpoints
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pouchError, type PouchChanges, type PouchDatabase } from './pouch.js';

const LONGPOLL_MAX_MS = 10_000;

export interface CouchHttp {
  /** Answers true when it handled the request. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  close(): void;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

export function couchHttp(db: PouchDatabase, dbName: string, uuid: string): CouchHttp {
  // One live feed of this database wakes every long poll waiting for a change.
  let waiters: (() => void)[] = [];
  const feed = db.changes({ since: 'now', live: true, return_docs: false });
  feed.on('change', () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  });
  feed.on('error', (error) => {
    console.error('changes feed failed:', error);
  });

  const changes = async (url: URL): Promise<PouchChanges> => {
    const q = url.searchParams;
    const since = q.get('since') ?? 0;
    const limit = q.has('limit') ? Number(q.get('limit')) : undefined;
    const options = {
      since: /^\d+$/.test(String(since)) ? Number(since) : since,
      style: q.get('style') ?? 'main_only',
      return_docs: true,
      ...(limit === undefined ? {} : { limit }),
    };
    const first = await db.changes(options);
    if (first.results.length > 0 || q.get('feed') !== 'longpoll') return first;
    const wait = Math.min(
      LONGPOLL_MAX_MS,
      Number(q.get('timeout') ?? LONGPOLL_MAX_MS),
      Number(q.get('heartbeat') ?? LONGPOLL_MAX_MS),
    );
    // Register before asking again, so that a change in between is not missed.
    const changed = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    const again = await db.changes(options);
    if (again.results.length > 0) return again;
    await changed;
    return db.changes(options);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/' && method === 'GET') {
      sendJson(res, 200, {
        couchdb: 'Welcome',
        uuid,
        version: '3.3.3',
        vendor: { name: 'caja-bench-pouch' },
      });
      return true;
    }
    const prefix = `/${dbName}`;
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return false;
    const rest = path.slice(prefix.length + 1);
    if (rest === '' && method === 'GET') {
      const info = await db.info();
      sendJson(res, 200, { db_name: dbName, ...info, instance_start_time: '0' });
    } else if (rest === '' && method === 'PUT') {
      sendJson(res, 412, { error: 'file_exists', reason: 'The database could not be created.' });
    } else if (rest === '_changes' && (method === 'GET' || method === 'POST')) {
      sendJson(res, 200, await changes(url));
    } else if (rest === '_revs_diff' && method === 'POST') {
      sendJson(res, 200, await db.revsDiff((await readJson(req)) as Record<string, string[]>));
    } else if (rest === '_bulk_get' && method === 'POST') {
      const body = (await readJson(req)) as { docs: { id: string; rev?: string }[] };
      const q = url.searchParams;
      sendJson(
        res,
        200,
        await db.bulkGet({
          docs: body.docs,
          revs: q.get('revs') === 'true',
          latest: q.get('latest') === 'true',
        }),
      );
    } else if (rest === '_bulk_docs' && method === 'POST') {
      const body = (await readJson(req)) as { docs: Record<string, unknown>[]; new_edits?: boolean };
      sendJson(res, 201, await db.bulkDocs(body.docs, { new_edits: body.new_edits ?? true }));
    } else if (rest.startsWith('_local/') && method === 'GET') {
      sendJson(res, 200, await db.get(`_local/${decodeURIComponent(rest.slice(7))}`));
    } else if (rest.startsWith('_local/') && method === 'PUT') {
      const doc = (await readJson(req)) as Record<string, unknown>;
      const answer = await db.put({ ...doc, _id: `_local/${decodeURIComponent(rest.slice(7))}` });
      sendJson(res, 201, answer);
    } else {
      sendJson(res, 404, { error: 'not_found', reason: `no route ${method} ${path}` });
    }
    return true;
  };

  return {
    async handle(req, res, url) {
      try {
        return await route(req, res, url);
      } catch (error) {
        const e = pouchError(error);
        if (!res.headersSent) sendJson(res, e.status, { error: e.error, reason: e.reason });
        return true;
      }
    },
    close() {
      feed.cancel();
      for (const wake of waiters) wake();
      waiters = [];
    },
  };
}
