import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { runCloud } from '../../cloud/run-cloud.js';
import { DEMO_STORE_ID } from '../../cloud/seed/demo.js';
import { DEFAULT_POSITION_SIZE } from '../../cloud/cloud-store.js';
import { parseFlags } from '../cli-args.js';
import { explainListenErrors, portSchema, stopOnSignals } from './common.js';

const cloudFlags = z.object({
  port: portSchema.default(7070),
  host: z.string().min(1).default('127.0.0.1'),
  db: z.string({ error: 'required: the database file, e.g. --db ./cloud.db' }).min(1),
  seed: z.enum(['demo']).optional(),
  token: z.string().min(16, 'a token has at least 16 characters').max(200).optional(),
  // Fault injection for tests: answer 500 to a share of uploads, or drop the answer after commit.
  'fail-rate': z.coerce.number().min(0).max(1).default(0),
  'drop-rate': z.coerce.number().min(0).max(1).default(0),
  // A lying cloud: answer "created" for a share of items without storing them, or leave the last
  // item out of a share of the answers.
  'lie-rate': z.coerce.number().min(0).max(1).default(0),
  'omit-rate': z.coerce.number().min(0).max(1).default(0),
  'fault-seed': z.coerce.number().int().default(1),
  // DIAN1: how long after an upload the simulated transmission to the DIAN runs.
  'dian-delay-ms': z.coerce.number().int().min(0).max(600_000).default(2_000),
  // RNG5: how many numbers of a range each installation (each new key) of a terminal gets.
  'position-size': z.coerce.number().int().min(1).max(999_999_999).default(DEFAULT_POSITION_SIZE),
});

/** A small seeded generator (mulberry32) so a faulty run can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function cloudCommand(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      seed: { type: 'string' },
      token: { type: 'string' },
      'fail-rate': { type: 'string' },
      'drop-rate': { type: 'string' },
      'lie-rate': { type: 'string' },
      'omit-rate': { type: 'string' },
      'fault-seed': { type: 'string' },
      'dian-delay-ms': { type: 'string' },
      'position-size': { type: 'string' },
    },
    cloudFlags,
  );
  if (flags.db !== ':memory:') mkdirSync(dirname(flags.db), { recursive: true });
  const cloud = await explainListenErrors(
    () =>
      runCloud({
        port: flags.port,
        host: flags.host,
        dbPath: flags.db,
        seed: flags.seed,
        token: flags.token,
        dianDelayMs: flags['dian-delay-ms'],
        positionSize: flags['position-size'],
        faults:
          flags['fail-rate'] > 0 || flags['drop-rate'] > 0 || flags['lie-rate'] > 0 || flags['omit-rate'] > 0
            ? {
                failRate: flags['fail-rate'],
                dropRate: flags['drop-rate'],
                lieRate: flags['lie-rate'],
                omitRate: flags['omit-rate'],
                random: seededRandom(flags['fault-seed']),
              }
            : undefined,
      }),
    `--port ${flags.port}`,
  );
  console.log(`caja cloud listening on ${cloud.url}`);
  if (cloud.demoToken !== undefined) console.log(`store "${DEMO_STORE_ID}" token: ${cloud.demoToken}`);
  stopOnSignals([() => cloud.close()]);
}
