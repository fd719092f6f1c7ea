import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CloudStore, type StoreSeed } from '../../src/cloud/cloud-store.js';
import { openDb } from '../../src/cloud/db.js';
import { DEMO_STORE_ID, demoStoreSeed } from '../../src/cloud/seed/demo.js';
import { buildCloudServer } from '../../src/cloud/server.js';
import { provision } from '../../src/host/provision.js';
import { spawnCaja, tempDir, type Spawned } from '../../tests/support/processes.js';
import { freePort } from '../../tests/support/proxy.js';
import { KeepAliveClient } from './keep-alive-client.js';

/** Terminals caja-1…caja-N with prefixes C1…CN and ranges large enough for a benchmark. */
export function benchStoreSeed(token: string, terminals: number): StoreSeed {
  const demo = demoStoreSeed(token, (n) => randomBytes(n));
  return {
    ...demo,
    terminals: Array.from({ length: terminals }, (_, i) => ({
      id: `caja-${i + 1}`,
      name: `Caja ${i + 1}`,
      numbering: {
        prefix: `C${i + 1}`,
        from: 1,
        to: 200_000,
        resolutionNumber: String(18_764_000_001_231 + i),
        resolutionDate: '2026-01-15',
        validFrom: '2026-01-15',
        validUntil: '2028-01-15',
      },
    })),
  };
}

export interface BenchTerminal {
  readonly id: string;
  readonly data: string;
  readonly port: number;
  readonly lanPort: number;
  /** The terminals this one dials (those after it in the store's order: one link per pair). */
  readonly dials: BenchTerminal[];
  /** A new client (and session) per run of the process. */
  api: KeepAliveClient;
  process: Spawned | undefined;
}

export interface StartTimes {
  /** performance.now() just before the spawn, when its "serving" line arrived, and its "LAN" line. */
  readonly spawnedAt: number;
  readonly servingAt: number;
  readonly lanAt: number;
}

const children = new Set<Spawned>();
const directories = new Set<string>();
let exitHookInstalled = false;

/** A crashed, interrupted or timed-out benchmark must not leave terminals running or data behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of children) child.child.kill('SIGKILL');
    for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`interrupted (${signal}): stopping the terminals`);
      process.exit(130);
    });
  }
}

/** Resolve with performance.now() of the moment a line matching `pattern` is printed. */
export function whenLine(p: Spawned, pattern: RegExp, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = p.child.stdout;
    const done = (settle: () => void) => {
      clearTimeout(timer);
      stream?.off('data', onData);
      p.child.off('exit', onExit);
      settle();
    };
    const onData = () => {
      if (pattern.test(p.output())) {
        const at = performance.now();
        done(() => {
          resolve(at);
        });
      }
    };
    const onExit = () => {
      done(() => {
        reject(new Error(`process exited before printing ${pattern}:\n${p.output()}`));
      });
    };
    const timer = setTimeout(() => {
      done(() => {
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}:\n${p.output()}`));
      });
    }, timeoutMs);
    stream?.on('data', onData);
    p.child.on('exit', onExit);
    onData();
  });
}

/** The kernel's view of a process's memory: resident now and its peak, in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

/**
 * A store for benchmarks on loopback: the reference cloud in this process (only while
 * provisioning), `terminals` provisioned from it, each run as a real `caja terminal` process with
 * the full mesh configured (the lower id dials the higher, directly, no proxy).
 */
export class BenchStore {
  readonly dir = tempDir('caja-bench-sync-');
  readonly terminals: BenchTerminal[] = [];
  /**
   * The cloud the terminals were provisioned from (it ran in this process only while
   * provisioning): its database, token and the URL the terminals' cloud.json points to, so that a
   * benchmark can start `caja cloud --db <db> --port <port>` where the terminals expect it.
   */
  cloud = { db: '', token: '', url: '', port: 0 };
  /** Extra flags for every `caja terminal` this store spawns (e.g. --upload-batch-size). */
  terminalArgs: string[] = [];

  private constructor() {
    installExitHook();
    directories.add(this.dir.path);
  }

  /**
   * A copy of a store saved before (its directory with cloud.db and caja-1…caja-`count`), with
   * fresh ports: a benchmark that reuses another one's filled terminals. Its cloud is not running.
   */
  static fromCopy(source: string, count: number): Promise<BenchStore> {
    const store = new BenchStore();
    cpSync(source, store.dir.path, { recursive: true });
    return (async () => {
      for (let i = 1; i <= count; i += 1) {
        const port = await freePort();
        store.terminals.push({
          id: `caja-${i}`,
          data: `${store.dir.path}/caja-${i}`,
          port,
          lanPort: await freePort(),
          dials: [],
          api: new KeepAliveClient(port),
          process: undefined,
        });
      }
      return store;
    })();
  }

  /**
   * Provision `count` terminals, plus `extraDirs` more data directories (terminal id → directory
   * name) that are not part of the mesh (e.g. a terminal to fill in-process).
   */
  static async create(count: number, extraDirs: Record<string, string> = {}): Promise<BenchStore> {
    const store = new BenchStore();
    try {
      const token = randomBytes(18).toString('base64url');
      const db = openDb(`${store.dir.path}/cloud.db`);
      const app = buildCloudServer({ db });
      try {
        new CloudStore(db).createStore(benchStoreSeed(token, count), Date.now());
        await app.listen({ port: 0, host: '127.0.0.1' });
        const address = app.server.address();
        const cloudPort = typeof address === 'object' && address ? address.port : 0;
        const cloudUrl = `http://127.0.0.1:${cloudPort}`;
        store.cloud = { db: `${store.dir.path}/cloud.db`, token, url: cloudUrl, port: cloudPort };
        const install = async (terminalId: string, dataDir: string) => {
          const result = await provision({ cloudUrl, token, storeId: DEMO_STORE_ID, terminalId, dataDir });
          if (!result.ok) throw new Error(`provisioning ${terminalId}: ${result.message}`);
        };
        for (let i = 1; i <= count; i += 1) {
          const id = `caja-${i}`;
          const data = `${store.dir.path}/${id}`;
          await install(id, data);
          const port = await freePort();
          store.terminals.push({
            id,
            data,
            port,
            lanPort: await freePort(),
            dials: [],
            api: new KeepAliveClient(port),
            process: undefined,
          });
        }
        for (const [terminalId, name] of Object.entries(extraDirs))
          await install(terminalId, store.path(name));
      } finally {
        await app.close();
        db.close();
      }
      for (const [i, t] of store.terminals.entries()) t.dials.push(...store.terminals.slice(i + 1));
      return store;
    } catch (error) {
      store.dir.remove();
      directories.delete(store.dir.path);
      throw error;
    }
  }

  path(name: string): string {
    return `${this.dir.path}/${name}`;
  }

  terminal(id: string): BenchTerminal {
    const t = this.terminals.find((x) => x.id === id);
    if (!t) throw new Error(`no terminal ${id}`);
    return t;
  }

  /** Spawn `caja terminal` on a data directory; resolves once it serves its API and its LAN port. */
  async spawn(
    data: string,
    port: number,
    lanPort: number,
    dials: readonly { lanPort: number }[],
  ): Promise<{ process: Spawned; times: StartTimes }> {
    const args = ['terminal', '--data', data, '--port', String(port), '--lan-port', String(lanPort)];
    // Peered by --peer only: measured links must not grow a second path by mDNS.
    args.push('--lan-host', '127.0.0.1', '--no-mdns');
    for (const peer of dials) args.push('--peer', `ws://127.0.0.1:${peer.lanPort}`);
    // EPI5: the benchmark's cloud answers; its terminals sell as in an outage.
    args.push('--when-cloud-answers', 'sell');
    args.push(...this.terminalArgs);
    const spawnedAt = performance.now();
    const p = spawnCaja(args);
    children.add(p);
    void p.exited.then(() => children.delete(p));
    try {
      const servingAt = await whenLine(p, / serving http/, 60_000);
      const lanAt = await whenLine(p, /LAN peers on/, 10_000);
      return { process: p, times: { spawnedAt, servingAt, lanAt } };
    } catch (error) {
      await stopProcess(p, 'SIGKILL');
      throw error;
    }
  }

  async start(t: BenchTerminal): Promise<StartTimes> {
    if (t.process) throw new Error(`${t.id} is already running`);
    const { process: p, times } = await this.spawn(t.data, t.port, t.lanPort, t.dials);
    t.process = p;
    t.api.close();
    t.api = new KeepAliveClient(t.port);
    return times;
  }

  async stop(t: BenchTerminal, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = t.process;
    t.process = undefined;
    if (p) await stopProcess(p, signal);
    t.api.close();
  }

  /** Stop every process this store started and remove its directory. */
  async close(): Promise<void> {
    await Promise.all(this.terminals.map((t) => this.stop(t)));
    await Promise.all([...children].map((p) => stopProcess(p, 'SIGTERM')));
    this.dir.remove();
    directories.delete(this.dir.path);
  }
}

/** Stop a process; one that does not exit within 10 s of the signal is killed. */
export async function stopProcess(p: Spawned, signal: NodeJS.Signals): Promise<void> {
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  try {
    await p.stop(signal);
  } finally {
    clearTimeout(timer);
  }
}
