/** This project's terminals in bench:store-day: `caja terminal` processes and a `caja cloud`. */
import { performance } from 'node:perf_hooks';
import { CloudClient } from '../../src/upload/cloud-client.js';
import type { UploadStatus } from '../../src/upload/uploader.js';
import { startCloud, type CloudProcess } from '../../tests/support/processes.js';
import { commandId, PIN } from '../../tests/support/store.js';
import { BenchStore, stopProcess, type BenchTerminal } from './bench-store.js';
import type { DaySystem, DayTerminal, UploadOutcome } from './day-system.js';
import { KeepAliveClient } from './keep-alive-client.js';
import { health, sleep, waitForPeers } from './store-state.js';

/** Log a manager in (she sells and uploads) and open a shift. */
async function readyToSell(t: BenchTerminal): Promise<void> {
  await t.api.login(PIN.marta);
  const res = await t.api.call('POST', '/api/shifts/open', {
    openingCash: 100_000,
    commandId: commandId('turno'),
  });
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`${t.id}: opening a shift answered ${res.status}: ${JSON.stringify(res.body)}`);
}

export class CajaDay implements DaySystem {
  readonly name = 'caja';
  private cloud: CloudProcess | undefined;

  private constructor(private readonly store: BenchStore) {}

  static async create(count: number): Promise<CajaDay> {
    return new CajaDay(await BenchStore.create(count));
  }

  get terminals(): DayTerminal[] {
    return this.store.terminals.map((t) => ({ id: t.id, api: t.api, pid: () => t.process?.child.pid }));
  }

  private terminal(index: number): BenchTerminal {
    const t = this.store.terminals[index];
    if (!t) throw new Error(`no terminal ${index}`);
    return t;
  }

  async startAll(): Promise<void> {
    await Promise.all(this.store.terminals.map((t) => this.store.start(t)));
    for (const t of this.store.terminals) await readyToSell(t);
    await waitForPeers(this.store.terminals, this.store.terminals.length - 1, 60_000);
  }

  async restart(index: number, withPeers: boolean): Promise<{ spawnedAt: number; servingAt: number }> {
    const t = this.terminal(index);
    await this.store.stop(t);
    const { process: p, times } = await this.store.spawn(t.data, t.port, t.lanPort, withPeers ? t.dials : []);
    t.process = p;
    t.api.close();
    t.api = new KeepAliveClient(t.port);
    await readyToSell(t);
    return { spawnedAt: times.spawnedAt, servingAt: times.servingAt };
  }

  async held(index: number): Promise<number> {
    return (await health(this.terminal(index).api)).invoices.total;
  }

  async upload(index: number): Promise<UploadOutcome> {
    const { cloud } = this.store;
    this.cloud ??= await startCloud(cloud.db, cloud.token, cloud.port);
    const t = this.terminal(index);
    const t0 = performance.now();
    const started = await t.api.call<{ id?: string }>('POST', '/api/uploads');
    if (started.status !== 202 || started.body.id === undefined)
      throw new Error(`POST /api/uploads answered ${started.status}: ${JSON.stringify(started.body)}`);
    let status: UploadStatus;
    for (;;) {
      status = (await t.api.call<UploadStatus>('GET', `/api/uploads/${started.body.id}`)).body;
      if (status.state !== 'running') break;
      if (performance.now() - t0 > 180_000) throw new Error('the upload is still running after 180 s');
      await sleep(20);
    }
    const seconds = (performance.now() - t0) / 1000;
    if (status.state !== 'done')
      throw new Error(`the upload ended ${status.state}: ${status.lastError ?? ''}`);
    const client = new CloudClient({ baseUrl: this.cloud.url, token: this.cloud.token });
    let cloudHolds = 0;
    let cursor: string | undefined;
    for (let page = 0; page < 1_000; page += 1) {
      const answer = await client.offlineSales('demo', {
        limit: 1000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      if (!answer.ok) throw new Error(`read-back: ${answer.message}`);
      cloudHolds += answer.value.items.length;
      if (answer.value.nextCursor === null) break;
      cursor = answer.value.nextCursor;
    }
    return { seconds, cloudHolds };
  }

  dataDirs(): string[] {
    return this.store.terminals.map((t) => t.data);
  }

  async close(): Promise<void> {
    if (this.cloud) await stopProcess(this.cloud.process, 'SIGTERM');
    await this.store.close();
  }
}
