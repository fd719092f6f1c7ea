import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '../../src/host/paths.js';

export const CAJA_BIN = resolve(projectRoot(), 'bin/caja.js');

export function tempDir(prefix = 'caja-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Run `caja <args>` as a real process (with `env` instead of ours); collects stdout and stderr.
 * `prefix` runs it through another command that execs it, e.g. `ip netns exec <ns>`.
 */
export function spawnCaja(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; prefix?: readonly string[] } = {},
): Spawned {
  // CAJA_CHILD_NODE_ARGS="--cpu-prof" profiles the started processes (for benchmarks).
  const nodeArgs = process.env.CAJA_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const [command, ...through]: [string, ...string[]] = options.prefix?.[0]
    ? [options.prefix[0], ...options.prefix.slice(1), process.execPath]
    : [process.execPath];
  const child = spawn(command, [...through, ...nodeArgs, CAJA_BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: options.env } : {}),
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolveExit) => {
    child.on('exit', (code, signal) => {
      resolveExit(code ?? signal ?? -1);
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

/** Wait until the process prints a line matching `pattern`; fails on exit or after `timeoutMs`. */
export async function waitForLine(
  p: Spawned,
  pattern: RegExp,
  // A process on a loaded 2-core machine (CI at load 12) may take tens of seconds to start.
  timeoutMs = 60_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(p.output());
    if (match) return match;
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      throw new Error(`process exited before printing ${pattern}:\n${p.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface CloudProcess {
  readonly url: string;
  readonly token: string;
  readonly dbPath: string;
  readonly process: Spawned;
}

export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** Start the reference cloud as a real process on a free loopback port. */
export async function startCloud(
  dbPath: string,
  token: string = TEST_TOKEN,
  port = 0,
  extraArgs: readonly string[] = [],
): Promise<CloudProcess> {
  const p = spawnCaja([
    'cloud',
    '--port',
    String(port),
    '--db',
    dbPath,
    '--seed',
    'demo',
    '--token',
    token,
    ...extraArgs,
  ]);
  const match = await waitForLine(p, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { url: match[1] ?? '', token, dbPath, process: p };
}
