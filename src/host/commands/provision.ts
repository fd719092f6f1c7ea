import { z } from 'zod';
import { slugSchema } from '../../domain/schemas.js';
import { parseFlags, UsageError } from '../cli-args.js';
import { provision } from '../provision.js';

const provisionFlags = z.object({
  cloud: z.url({
    protocol: /^https?$/,
    error: 'required: the cloud URL, e.g. --cloud http://127.0.0.1:7070',
  }),
  token: z.string({ error: 'required: the store token' }).min(1),
  store: slugSchema,
  terminal: slugSchema,
  data: z.string({ error: 'required: the data directory, e.g. --data ./caja-1' }).min(1),
});

export async function provisionCommand(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(
    argv,
    {
      cloud: { type: 'string' },
      token: { type: 'string' },
      store: { type: 'string' },
      terminal: { type: 'string' },
      data: { type: 'string' },
    },
    provisionFlags,
  );
  const result = await provision({
    cloudUrl: flags.cloud,
    token: flags.token,
    storeId: flags.store,
    terminalId: flags.terminal,
    dataDir: flags.data,
  });
  if (!result.ok) throw new UsageError(result.reason, result.message);
  const s = result.value;
  console.log(
    `${s.reprovisioned ? 're-provisioned' : 'provisioned'} ${s.terminalName} of ${s.storeName} in ${flags.data}: ` +
      `numbering ${s.range} (valid until ${s.validUntil}), ${s.users} users, ${s.products} products, ${s.tables} tables` +
      (s.nextRange ? `; holds its next range ${s.nextRange}` : ''),
  );
}
