import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { CloudStore } from './cloud-store.js';
import { openDb, type Db } from './db.js';
import { DEMO_STORE_ID, demoStoreSeed } from './seed/demo.js';
import { buildCloudServer, type CloudFaults } from './server.js';

export interface RunCloudOptions {
  readonly port: number;
  readonly host: string;
  readonly dbPath: string;
  readonly seed?: 'demo' | undefined;
  readonly token?: string | undefined;
  readonly faults?: CloudFaults | undefined;
  readonly dianDelayMs?: number | undefined;
  readonly positionSize?: number | undefined;
}

export interface RunningCloud {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly db: Db;
  /** The demo store's token when the demo seed was asked for. */
  readonly demoToken: string | undefined;
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Seed the demo store if asked and settle its token: `--token` when given; otherwise the token
 * kept in `<db>.token`; otherwise a new one, written there (mode 0600).
 */
function seedDemo(db: Db, dbPath: string, token: string | undefined, now: number): string {
  const store = new CloudStore(db);
  const tokenFile = `${dbPath}.token`;
  const inMemory = dbPath === ':memory:';
  const saved = !inMemory && existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined;
  const chosen = token ?? (store.hasStore(DEMO_STORE_ID) ? saved : undefined) ?? newToken();
  const created = store.createStore(
    demoStoreSeed(chosen, (n) => randomBytes(n)),
    now,
  );
  if (!created && chosen !== saved) store.setToken(DEMO_STORE_ID, chosen);
  if (token === undefined && !inMemory && chosen !== saved)
    writeFileSync(tokenFile, `${chosen}\n`, { mode: 0o600 });
  return chosen;
}

export async function runCloud(options: RunCloudOptions): Promise<RunningCloud> {
  const db = openDb(options.dbPath);
  try {
    const demoToken =
      options.seed === 'demo' ? seedDemo(db, options.dbPath, options.token, Date.now()) : undefined;
    const app = buildCloudServer({
      db,
      faults: options.faults,
      dianDelayMs: options.dianDelayMs,
      positionSize: options.positionSize,
    });
    await app.listen({ port: options.port, host: options.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    return {
      url: `http://${options.host}:${port}`,
      app,
      db,
      demoToken,
      async close() {
        await app.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
