import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { runCloud } from '../../cloud/run-cloud.js';
import { DEMO_STORE_ID } from '../../cloud/seed/demo.js';
import { parseFlags } from '../cli-args.js';
import { explainListenErrors, portSchema, stopOnSignals } from './common.js';

const cloudFlags = z.object({
  port: portSchema.default(7070),
  host: z.string().min(1).default('127.0.0.1'),
  db: z.string({ error: 'required: the database file, e.g. --db ./cloud.db' }).min(1),
  seed: z.enum(['demo']).optional(),
  token: z.string().min(16, 'a token has at least 16 characters').max(200).optional(),
});

export async function cloudCommand(argv: readonly string[]): Promise<void> {
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
  const cloud = await explainListenErrors(
    () =>
      runCloud({
        port: flags.port,
        host: flags.host,
        dbPath: flags.db,
        seed: flags.seed,
        token: flags.token,
      }),
    `--port ${flags.port}`,
  );
  console.log(`caja cloud listening on ${cloud.url}`);
  if (cloud.demoToken !== undefined) console.log(`store "${DEMO_STORE_ID}" token: ${cloud.demoToken}`);
  stopOnSignals([() => cloud.close()]);
}
