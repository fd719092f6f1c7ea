import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEMO_STORE_ID, DEMO_USERS } from '../../cloud/seed/demo.js';
import { parseFlags, UsageError } from '../cli-args.js';
import { projectRoot } from '../paths.js';
import { provision } from '../provision.js';
import { ConfigError, isProvisioned, readTerminalConfig } from '../terminal-config.js';
import { portSchema } from './common.js';

const demoFlags = z.object({
  dir: z.string().min(1).default('.caja-demo'),
  'cloud-port': portSchema.default(7070),
  'base-port': portSchema.default(5301),
  'lan-base-port': portSchema.default(6301),
  open: z.boolean().default(false),
  // EPI5: passed to the terminals (the demo cloud always answers: `ask` shows the outage-only rule).
  'when-cloud-answers': z.enum(['ask', 'sell']).default('ask'),
});

const TERMINALS = ['caja-1', 'caja-2'] as const;

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly ready: Promise<string>;
}

/** Start `caja <args>` as a child whose output is shown with a prefix; resolves on its ready line. */
function startChild(name: string, args: readonly string[], readyLine: RegExp): Child {
  const child = spawn(process.execPath, [resolve(projectRoot(), 'bin/caja.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const ready = new Promise<string>((resolveReady, rejectReady) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      buffer += text;
      for (const line of text.split('\n').filter(Boolean)) console.log(`[${name}] ${line}`);
      const match = readyLine.exec(buffer);
      if (match) resolveReady(match[1] ?? '');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      rejectReady(new UsageError('child-exited', `${name} stopped (exit ${code ?? 'signal'})`));
    });
  });
  return { name, process: child, ready };
}

/**
 * A demo directory written by a version whose terminals this one cannot run (before signed
 * journals): it is renamed aside and the demo starts afresh, rather than failing at every start.
 */
function setAsideOldDemo(dir: string): void {
  const unusable = TERMINALS.some((terminalId) => {
    const data = join(dir, terminalId);
    if (!isProvisioned(data)) return false;
    try {
      readTerminalConfig(data);
      return false;
    } catch (error) {
      return error instanceof ConfigError;
    }
  });
  if (!unusable) return;
  const aside = `${dir}.old-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(dir, aside);
  console.log(
    `[demo] ${dir} was written by an older version of caja: kept as ${aside}, starting a new demo store`,
  );
}

/**
 * `npm start`: the demo store on this machine — the reference cloud with the demo seed, and two
 * terminals provisioned from it and peered over loopback. Data under --dir; a second run reuses it.
 */
export async function demoCommand(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(
    argv,
    {
      dir: { type: 'string' },
      'cloud-port': { type: 'string' },
      'base-port': { type: 'string' },
      'lan-base-port': { type: 'string' },
      open: { type: 'boolean' },
      'when-cloud-answers': { type: 'string' },
    },
    demoFlags,
  );
  setAsideOldDemo(flags.dir);
  mkdirSync(flags.dir, { recursive: true });
  const children: Child[] = [];
  const stopAll = () => {
    for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGTERM');
  };
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
  try {
    const dbPath = join(flags.dir, 'cloud.db');
    const cloud = startChild(
      'cloud',
      ['cloud', '--port', String(flags['cloud-port']), '--db', dbPath, '--seed', 'demo'],
      /listening on (\S+)/,
    );
    children.push(cloud);
    const cloudUrl = await cloud.ready;
    const token = existsSync(`${dbPath}.token`) ? readFileSync(`${dbPath}.token`, 'utf8').trim() : '';
    const urls: string[] = [];
    for (const [i, terminalId] of TERMINALS.entries()) {
      const data = join(flags.dir, terminalId);
      if (!isProvisioned(data)) {
        const result = await provision({
          cloudUrl,
          token,
          storeId: DEMO_STORE_ID,
          terminalId,
          dataDir: data,
        });
        if (!result.ok) throw new UsageError(result.reason, result.message);
        console.log(`[demo] provisioned ${terminalId} (${result.value.range})`);
      }
      const others = TERMINALS.map((_, j) => j)
        .filter((j) => j !== i)
        .flatMap((j) => ['--peer', `ws://127.0.0.1:${flags['lan-base-port'] + j}`]);
      const child = startChild(
        terminalId,
        [
          'terminal',
          '--data',
          data,
          '--port',
          String(flags['base-port'] + i),
          '--lan-port',
          String(flags['lan-base-port'] + i),
          '--lan-host',
          '127.0.0.1',
          ...others,
          // The demo's terminals are peered on loopback: no announcements on the machine's LAN.
          '--no-mdns',
          '--when-cloud-answers',
          flags['when-cloud-answers'],
          // Each terminal opens its own app window (its own browser profile in its data directory).
          ...(flags.open ? ['--open'] : []),
        ],
        /serving (\S+)/,
      );
      children.push(child);
      urls.push(await child.ready);
    }
    console.log('');
    console.log(`Caja offline — demo store "${DEMO_STORE_ID}" (Ctrl+C to stop; data in ${flags.dir}/)`);
    console.log(`  reference cloud: ${cloudUrl}  (token ${token})`);
    TERMINALS.forEach((t, i) => {
      console.log(`  ${t}: ${urls[i] ?? ''}`);
    });
    if (flags['when-cloud-answers'] === 'ask')
      console.log(
        '  the demo cloud answers: to sell, a manager authorizes selling offline (banner, or POST /api/contingency/authorize)',
      );
    console.log(
      `  PINs: ${DEMO_USERS.map((u) => `${u.name} ${u.pin} (${u.role === 'manager' ? 'gerente' : 'cajero'})`).join(', ')}`,
    );
    await Promise.race(children.map((c) => new Promise((r) => c.process.on('exit', r))));
  } finally {
    stopAll();
  }
}
