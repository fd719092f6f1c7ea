import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { runCloud, type RunningCloud } from '../cloud/run-cloud.js';
import { DEMO_STORE_ID, DEMO_USERS } from '../cloud/seed/demo.js';
import { parseFlags, UsageError } from './cli-args.js';

const USAGE = `caja — offline contingency point of sale

Usage:
  caja cloud --port 7070 --db ./cloud.db [--seed demo] [--token <t>] [--host 127.0.0.1]
      Run the reference cloud (provisioning, catalog, offline-sales upload) on SQLite.
  caja demo [--dir .caja-demo] [--cloud-port 7070]
      Run the demo store on this machine (what \`npm start\` does).
  caja help
`;

const portSchema = z.coerce.number().int().min(0).max(65535);

const cloudFlags = z.object({
  port: portSchema.default(7070),
  host: z.string().min(1).default('127.0.0.1'),
  db: z.string({ error: 'required: the database file, e.g. --db ./cloud.db' }).min(1),
  seed: z.enum(['demo']).optional(),
  token: z.string().min(16, 'a token has at least 16 characters').max(200).optional(),
});

const demoFlags = z.object({
  dir: z.string().min(1).default('.caja-demo'),
  'cloud-port': portSchema.default(7070),
});

function waitForSignal(closers: readonly (() => Promise<void>)[]): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    Promise.all(closers.map((close) => close()))
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
}

async function listenOrExplain(start: () => Promise<RunningCloud>, port: number): Promise<RunningCloud> {
  try {
    return await start();
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new UsageError('port-in-use', `port ${port} is already in use; pick another with --port`);
    }
    throw error;
  }
}

async function cloudCommand(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      seed: { type: 'string' },
      token: { type: 'string' },
    },
    cloudFlags,
  );
  if (flags.db !== ':memory:') mkdirSync(dirname(flags.db), { recursive: true });
  const cloud = await listenOrExplain(
    () =>
      runCloud({
        port: flags.port,
        host: flags.host,
        dbPath: flags.db,
        seed: flags.seed,
        token: flags.token,
      }),
    flags.port,
  );
  console.log(`caja cloud listening on ${cloud.url}`);
  if (cloud.demoToken !== undefined) {
    console.log(`store "${DEMO_STORE_ID}" token: ${cloud.demoToken}`);
  }
  waitForSignal([() => cloud.close()]);
}

async function demoCommand(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(argv, { dir: { type: 'string' }, 'cloud-port': { type: 'string' } }, demoFlags);
  mkdirSync(flags.dir, { recursive: true });
  const port = flags['cloud-port'];
  const cloud = await listenOrExplain(
    () => runCloud({ port, host: '127.0.0.1', dbPath: `${flags.dir}/cloud.db`, seed: 'demo' }),
    port,
  );
  console.log(`Caja offline — demo store "${DEMO_STORE_ID}"`);
  console.log(`  reference cloud: ${cloud.url}  (token: ${cloud.demoToken ?? ''})`);
  console.log(
    `  try: curl -H "Authorization: Bearer ${cloud.demoToken ?? ''}" ${cloud.url}/v1/stores/demo/catalog`,
  );
  console.log(
    `  users: ${DEMO_USERS.map((u) => `${u.name} (${u.role === 'manager' ? 'gerente' : 'cajero'}) PIN ${u.pin}`).join(', ')}`,
  );
  console.log(`  data: ${flags.dir}/   — stop with Ctrl+C`);
  waitForSignal([() => cloud.close()]);
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'cloud':
        await cloudCommand(rest);
        return 0;
      case 'demo':
        await demoCommand(rest);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        throw new UsageError('unknown-command', `unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`caja ${command ?? ''}: ${error.reason}: ${error.message}`);
      if (error.reason === 'unknown-command' || error.reason === 'invalid-flag') console.error(`\n${USAGE}`);
      return 2;
    }
    console.error(`caja ${command ?? ''}: failed:`, error instanceof Error ? error.message : error);
    return 1;
  }
}
