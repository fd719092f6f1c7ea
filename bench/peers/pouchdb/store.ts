import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { tempDir, type Spawned } from '../../../tests/support/processes.js';
import { freePort } from '../../../tests/support/proxy.js';
import { stopProcess, whenLine } from '../../lib/bench-store.js';
import { KeepAliveClient } from '../../lib/keep-alive-client.js';
import { DB_NAME } from './pouch.js';

const TERMINAL_JS = fileURLToPath(new URL('./terminal.js', import.meta.url));

/** Run the PouchDB terminal program (terminal.ts, compiled) as its own process. */
export function spawnPouch(args: readonly string[]): Spawned {
  const child = spawn(process.execPath, [TERMINAL_JS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? -1);
    });
  });
  return {
    child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface PouchTerminal {
  readonly id: string;
  readonly prefix: string;
  readonly data: string;
  readonly port: number;
  /** The terminals this one syncs with (those after it: one live sync per pair). */
  readonly dials: PouchTerminal[];
  api: KeepAliveClient;
  process: Spawned | undefined;
}

const children = new Set<Spawned>();
process.on('exit', () => {
  for (const child of children) child.child.kill('SIGKILL');
});

export function dbUrl(port: number): string {
  return `http://127.0.0.1:${port}/${DB_NAME}`;
}

/** PouchDB terminals caja-1…caja-N (prefixes C1…CN) on loopback, each its own process and database. */
export class PouchStore {
  readonly dir = tempDir('caja-bench-pouch-');
  readonly terminals: PouchTerminal[] = [];

  static async create(count: number): Promise<PouchStore> {
    const store = new PouchStore();
    for (let i = 1; i <= count; i += 1) {
      const port = await freePort();
      store.terminals.push({
        id: `caja-${i}`,
        prefix: `C${i}`,
        data: `${store.dir.path}/caja-${i}`,
        port,
        dials: [],
        api: new KeepAliveClient(port),
        process: undefined,
      });
    }
    for (const [i, t] of store.terminals.entries()) t.dials.push(...store.terminals.slice(i + 1));
    return store;
  }

  path(name: string): string {
    return `${this.dir.path}/${name}`;
  }

  /** Start a terminal's process, syncing with `dials` (its own by default); resolves once it serves. */
  async start(
    t: PouchTerminal,
    dials: readonly { port: number }[] = t.dials,
  ): Promise<{ spawnedAt: number; servingAt: number }> {
    if (t.process) throw new Error(`${t.id} is already running`);
    const args = ['serve', '--data', t.data, '--port', String(t.port), '--id', t.id, '--prefix', t.prefix];
    for (const peer of dials) args.push('--peer', dbUrl(peer.port));
    const spawnedAt = performance.now();
    const p = spawnPouch(args);
    children.add(p);
    void p.exited.then(() => children.delete(p));
    t.process = p;
    const servingAt = await whenLine(p, / serving http/, 60_000);
    t.api.close();
    t.api = new KeepAliveClient(t.port);
    return { spawnedAt, servingAt };
  }

  async stop(t: PouchTerminal): Promise<void> {
    const p = t.process;
    t.process = undefined;
    if (p) await stopProcess(p, 'SIGTERM');
    t.api.close();
  }

  /** Fill a terminal's database with `count` invoices of its own, in its own process. */
  async fill(t: PouchTerminal, count: number, onLine: (line: string) => void): Promise<number> {
    const started = performance.now();
    const p = spawnPouch([
      'fill',
      '--data',
      t.data,
      '--id',
      t.id,
      '--prefix',
      t.prefix,
      '--count',
      String(count),
    ]);
    children.add(p);
    p.child.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') onLine(line.trim());
    });
    const code = await p.exited;
    children.delete(p);
    if (code !== 0) throw new Error(`filling ${t.id} ended ${code}:\n${p.output()}`);
    return (performance.now() - started) / 1000;
  }

  async close(): Promise<void> {
    await Promise.all(this.terminals.map((t) => this.stop(t)));
    rmSync(this.dir.path, { recursive: true, force: true });
  }
}
