import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { provisioningSchema } from '../cloud/contract.js';
import { certificateSchema } from '../domain/certificate.js';
import { describeZodError } from '../http/errors.js';
import { writeFileAtomicSync } from '../storage/atomic-file.js';

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
    /** Journal chunks validated before (a cache: deleting it only slows the next start). */
    validationCache: join(dataDir, 'cache', 'validated.json'),
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

function readJson<T>(path: string, schema: z.ZodType<T>, what: string): T {
  if (!existsSync(path)) {
    throw new ConfigError(
      'not-provisioned',
      `${path} is missing: provision this terminal first (caja provision …)`,
    );
  }
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

export function readTerminalConfig(dataDir: string): { config: TerminalConfig; cloud: CloudConfig } {
  const paths = dataPaths(dataDir);
  return {
    config: readJson(paths.config, terminalConfigSchema, 'the terminal configuration'),
    cloud: readJson(paths.cloud, cloudConfigSchema, 'the cloud settings'),
  };
}

export function isProvisioned(dataDir: string): boolean {
  return existsSync(dataPaths(dataDir).config);
}

export function writeTerminalConfig(dataDir: string, config: TerminalConfig, cloud: CloudConfig): void {
  const paths = dataPaths(dataDir);
  writeFileAtomicSync(paths.cloud, `${JSON.stringify(cloud, null, 2)}\n`, 0o600);
  writeFileAtomicSync(paths.config, `${JSON.stringify(config, null, 2)}\n`, 0o600);
}
