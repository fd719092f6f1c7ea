import { DEMO_USERS } from '../../src/cloud/seed/demo.js';
import { provision } from '../../src/host/provision.js';
import { TerminalApi } from './api-client.js';
import { freePort, LinkProxy } from './proxy.js';
import { spawnCaja, startCloud, tempDir, waitForLine, type CloudProcess, type Spawned } from './processes.js';

export const PIN = Object.fromEntries(DEMO_USERS.map((u) => [u.id, u.pin])) as Record<
  'ana' | 'luis' | 'marta',
  string
>;

export interface TestTerminal {
  readonly id: string;
  readonly data: string;
  readonly port: number;
  readonly lanPort: number;
  /** ws:// URLs (through proxies) this terminal dials. */
  readonly peers: string[];
  process: Spawned | undefined;
  api: TerminalApi;
}

export interface TestStore {
  readonly dir: { path: string; remove(): void };
  readonly cloud: CloudProcess;
  readonly terminals: TestTerminal[];
  /** The link between two terminals, by "caja-1|caja-2" (lower id first). */
  readonly links: Map<string, LinkProxy>;
  start(t: TestTerminal): Promise<void>;
  kill(t: TestTerminal, signal?: NodeJS.Signals): Promise<void>;
  link(a: string, b: string): LinkProxy;
  stop(): Promise<void>;
}

/**
 * A store on loopback, all real: the reference cloud as a process, terminals provisioned from it
 * and started as `caja terminal` processes. Each pair of terminals is joined by a LinkProxy (the
 * lower id dials the higher through it), so tests can cut and heal the LAN between two terminals.
 */
export interface StoreOptions {
  /** Extra flags for `caja cloud` (fault injection). */
  readonly cloudArgs?: readonly string[];
  /** Extra flags for every `caja terminal`. */
  readonly terminalArgs?: readonly string[];
  /** Called with each terminal's data directory before it is provisioned (to mount a small disk). */
  readonly prepare?: (terminalId: string, dataDir: string) => void;
  /**
   * EPI5: the terminals sell while the test's cloud answers (`sell`, the default here), or keep the
   * product's rule (`ask`: a manager authorizes selling offline).
   */
  readonly whenCloudAnswers?: 'ask' | 'sell';
  /** Extra environment of a terminal's process, by terminal id. */
  readonly env?: Readonly<Record<string, NodeJS.ProcessEnv>>;
}

export async function startStore(
  ids: readonly string[] = ['caja-1', 'caja-2', 'caja-3'],
  options: StoreOptions = {},
): Promise<TestStore> {
  const dir = tempDir('caja-store-');
  const cloud = await startCloud(`${dir.path}/cloud.db`, undefined, 0, options.cloudArgs ?? []);
  const terminals: TestTerminal[] = [];
  for (const id of ids) {
    const data = `${dir.path}/${id}`;
    options.prepare?.(id, data);
    const result = await provision({
      cloudUrl: cloud.url,
      token: cloud.token,
      storeId: 'demo',
      terminalId: id,
      dataDir: data,
    });
    if (!result.ok) throw new Error(result.message);
    const port = await freePort();
    terminals.push({
      id,
      data,
      port,
      lanPort: await freePort(),
      peers: [],
      process: undefined,
      api: new TerminalApi(`http://127.0.0.1:${port}`),
    });
  }
  const links = new Map<string, LinkProxy>();
  for (const [i, a] of terminals.entries()) {
    for (const b of terminals.slice(i + 1)) {
      const proxy = new LinkProxy(b.lanPort);
      await proxy.start();
      links.set(`${a.id}|${b.id}`, proxy);
      a.peers.push(`ws://127.0.0.1:${proxy.port}`);
    }
  }
  const store: TestStore = {
    dir,
    cloud,
    terminals,
    links,
    async start(t) {
      const args = [
        'terminal',
        '--data',
        t.data,
        '--port',
        String(t.port),
        '--lan-port',
        String(t.lanPort),
        '--lan-host',
        '127.0.0.1',
      ];
      for (const peer of t.peers) args.push('--peer', peer);
      // No mDNS (DSC1): the tests join terminals through LinkProxies to cut the LAN between two
      // of them, and a direct path found by mDNS would heal the cut.
      args.push('--no-mdns');
      args.push('--when-cloud-answers', options.whenCloudAnswers ?? 'sell');
      args.push(...(options.terminalArgs ?? []));
      const env = options.env?.[t.id];
      const p = spawnCaja(args, env ? { env: { ...process.env, ...env } } : {});
      t.process = p;
      await waitForLine(p, /LAN peers on/, 30_000);
    },
    async kill(t, signal = 'SIGKILL') {
      await t.process?.stop(signal);
      t.process = undefined;
    },
    link(a, b) {
      const key = a < b ? `${a}|${b}` : `${b}|${a}`;
      const proxy = links.get(key);
      if (!proxy) throw new Error(`no link ${key}`);
      return proxy;
    },
    async stop() {
      await Promise.all(
        terminals.map(async (t) => {
          await t.process?.stop('SIGTERM');
        }),
      );
      await Promise.all([...links.values()].map((l) => l.close()));
      await cloud.process.stop();
      dir.remove();
    },
  };
  for (const t of terminals) await store.start(t);
  return store;
}

/** Poll until `check` passes or the time is up (then throw the last failure). */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError instanceof Error ? lastError : new Error(String(lastError));
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

let commandCounter = 0;
export function commandId(prefix = 'cmd'): string {
  commandCounter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${commandCounter}`;
}

/** Documents and their heads as a terminal reports them. */
export async function documentsOf(t: TestTerminal): Promise<Record<string, string>> {
  const res = await t.api.call<{ documents: { name: string; heads: string[] }[] }>('GET', '/api/documents');
  if (res.status !== 200) throw new Error(`documents: ${res.status}`);
  return Object.fromEntries(res.body.documents.map((d) => [d.name, d.heads.join(',')]));
}
