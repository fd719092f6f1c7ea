import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { provisioningSchema } from '../contract/cloud.js';
import { certificateSchema } from '../domain/certificate.js';
import { numberingSchema } from '../domain/schemas.js';
import { describeZodError } from '../contract/errors.js';
import { writeFileAtomicSync } from '../crdt/storage/atomic-file.js';

/**
 * A terminal's data directory:
 *   terminal.json   what the cloud provisioned (store, this terminal's numbering, users, floor, the
 *                   store's public key) and this terminal's key certificate — 0600
 *   cloud.json      the cloud's URL and token, for "Leer catálogo" and the upload — 0600
 *   keys/           this terminal's private signing key (terminal-key.pem) — 0600, never sent
 *   automerge/      the repo's storage (store, journals, catalog, floor, uploads)
 *   fiscal/         the durable fiscal log and invoice sequence
 *   cache/          what can be rebuilt (journal chunks already validated, validated.json)
 * Re-provisioning rewrites the two JSON files only.
 */
export const CONFIG_VERSION = 2;

export const terminalConfigSchema = z.strictObject({
  configVersion: z.literal(CONFIG_VERSION, {
    error: `configVersion ${CONFIG_VERSION} expected: provision this terminal again (caja provision …)`,
  }),
  provisionedAt: z.string(),
  provisioning: provisioningSchema,
  /** The store's certificate of this terminal's signing key (its public half). */
  certificate: certificateSchema,
  /**
   * RNG4: the next range the cloud authorized for this terminal, held until the current one is
   * used up or expires, with the certificate of the key kept for it (keys/next-key.pem).
   */
  next: z.strictObject({ numbering: numberingSchema, certificate: certificateSchema }).optional(),
});
export type TerminalConfig = z.infer<typeof terminalConfigSchema>;

export const cloudConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  token: z.string().min(1).max(500),
});
export type CloudConfig = z.infer<typeof cloudConfigSchema>;

export function dataPaths(dataDir: string) {
  return {
    config: join(dataDir, 'terminal.json'),
    cloud: join(dataDir, 'cloud.json'),
    automerge: join(dataDir, 'automerge'),
    fiscal: join(dataDir, 'fiscal'),
    key: join(dataDir, 'keys', 'terminal-key.pem'),
    nextKey: join(dataDir, 'keys', 'next-key.pem'),
    /** Journal chunks validated before (a cache: deleting it only slows the next start). */
    validationCache: join(dataDir, 'cache', 'validated.json'),
    /** PRN5: print jobs, one file each, written before they are sent. */
    printJobs: join(dataDir, 'print-jobs'),
  };
}

export class ConfigError extends Error {
  constructor(
    readonly reason: 'not-provisioned' | 'invalid-config' | 'invalid-key',
    message: string,
  ) {
    super(message);
  }
}

/** Every file of the configuration is written twice; the copy answers when the file cannot be read. */
export const BACKUP_SUFFIX = '.bak';

function parseJsonFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new ConfigError('invalid-config', `${what} (${path}) is not valid JSON: ${String(error)}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError('invalid-config', `${what} (${path}): ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/**
 * STO2: a configuration file that cannot be read (a flipped byte) is read from its copy, written
 * back, and said; only when both are unreadable does the terminal refuse to start, naming both.
 */
function readJson<T>(path: string, schema: z.ZodType<T>, what: string, notes: string[]): T {
  if (!existsSync(path) && !existsSync(path + BACKUP_SUFFIX)) {
    throw new ConfigError(
      'not-provisioned',
      `${path} is missing: provision this terminal first (caja provision …)`,
    );
  }
  try {
    return parseJsonFile(path, schema, what);
  } catch (primary) {
    const backup = path + BACKUP_SUFFIX;
    if (!existsSync(backup)) throw primary;
    let value: T;
    try {
      value = parseJsonFile(backup, schema, what);
    } catch {
      throw primary;
    }
    const reason = primary instanceof Error ? primary.message : String(primary);
    writeFileAtomicSync(path, readFileSync(backup), 0o600);
    notes.push(`${reason}: read from its copy ${backup} and written back`);
    return value;
  }
}

export function readTerminalConfig(dataDir: string): {
  config: TerminalConfig;
  cloud: CloudConfig;
  /** Files read from their copy (STO2), for the log and health. */
  notes: string[];
} {
  const paths = dataPaths(dataDir);
  const notes: string[] = [];
  return {
    config: readJson(paths.config, terminalConfigSchema, 'the terminal configuration', notes),
    cloud: readJson(paths.cloud, cloudConfigSchema, 'the cloud settings', notes),
    notes,
  };
}

export function isProvisioned(dataDir: string): boolean {
  return existsSync(dataPaths(dataDir).config);
}

export function writeTerminalConfig(dataDir: string, config: TerminalConfig, cloud: CloudConfig): void {
  const paths = dataPaths(dataDir);
  for (const [path, value] of [
    [paths.cloud, cloud],
    [paths.config, config],
  ] as const) {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    writeFileAtomicSync(path + BACKUP_SUFFIX, text, 0o600);
    writeFileAtomicSync(path, text, 0o600);
  }
}
