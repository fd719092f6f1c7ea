/** The PouchDB baseline in bench:store-day: PouchDB terminals and a CouchDB-style cloud. */
import { performance } from 'node:perf_hooks';
import { freePort } from '../../../tests/support/proxy.js';
import type { DaySystem, DayTerminal, UploadOutcome } from '../../lib/day-system.js';
import { KeepAliveClient } from '../../lib/keep-alive-client.js';
import { dbUrl, PouchStore, type PouchTerminal } from './store.js';

interface Status {
  readonly docs: number;
}

export class PouchDay implements DaySystem {
  readonly name = 'PouchDB';
  private cloud: PouchTerminal | undefined;

  private constructor(private readonly store: PouchStore) {}

  static async create(count: number): Promise<PouchDay> {
    return new PouchDay(await PouchStore.create(count));
  }

  get terminals(): DayTerminal[] {
    return this.store.terminals.map((t) => ({ id: t.id, api: t.api, pid: () => t.process?.child.pid }));
  }

  private terminal(index: number): PouchTerminal {
    const t = this.store.terminals[index];
    if (!t) throw new Error(`no terminal ${index}`);
    return t;
  }

  async startAll(): Promise<void> {
    // The dialed ones first, so that the first syncs do not start in backoff.
    for (const t of [...this.store.terminals].reverse()) await this.store.start(t);
  }

  async restart(index: number, withPeers: boolean): Promise<{ spawnedAt: number; servingAt: number }> {
    const t = this.terminal(index);
    await this.store.stop(t);
    return this.store.start(t, withPeers ? t.dials : []);
  }

  async held(index: number): Promise<number> {
    const res = await this.terminal(index).api.call<Status>('GET', '/api/status');
    if (res.status !== 200) throw new Error(`status answered ${res.status}`);
    return res.body.docs;
  }

  async upload(index: number): Promise<UploadOutcome> {
    if (!this.cloud) {
      const port = await freePort();
      this.cloud = {
        id: 'cloud',
        prefix: 'NUBE',
        data: this.store.path('cloud'),
        port,
        dials: [],
        api: new KeepAliveClient(port),
        process: undefined,
      };
      await this.store.start(this.cloud, []);
    }
    const t0 = performance.now();
    const res = await this.terminal(index).api.call<{ docsWritten?: number }>(
      'POST',
      '/api/upload',
      { target: dbUrl(this.cloud.port) },
      300_000,
    );
    const seconds = (performance.now() - t0) / 1000;
    if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
    const status = await this.cloud.api.call<Status>('GET', '/api/status');
    return { seconds, cloudHolds: status.body.docs };
  }

  dataDirs(): string[] {
    return this.store.terminals.map((t) => t.data);
  }

  async close(): Promise<void> {
    if (this.cloud) await this.store.stop(this.cloud);
    await this.store.close();
  }
}
