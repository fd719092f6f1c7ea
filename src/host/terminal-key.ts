import { existsSync, readFileSync } from 'node:fs';
import { generateSigningKey, signingKeyFromPem, type SigningKey } from '../security/signing.js';
import { writeFileAtomicSync } from '../storage/atomic-file.js';
import { ConfigError, dataPaths } from './terminal-config.js';

/**
 * This terminal's signing key (SIG1): generated here at the first provisioning, kept in
 * `<data>/keys/terminal-key.pem` (0600), never sent anywhere — the cloud certifies its public half.
 * Re-provisioning the same directory keeps it.
 */
export function loadTerminalKey(dataDir: string): SigningKey {
  const path = dataPaths(dataDir).key;
  if (!existsSync(path))
    throw new ConfigError(
      'invalid-key',
      `${path} is missing: provision this terminal again (caja provision …)`,
    );
  try {
    return signingKeyFromPem(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      'invalid-key',
      `${path} is not a signing key this program wrote (${error instanceof Error ? error.message : String(error)}): provision this terminal again`,
    );
  }
}

export function loadOrCreateTerminalKey(dataDir: string): SigningKey {
  if (existsSync(dataPaths(dataDir).key)) return loadTerminalKey(dataDir);
  const { pem, key } = generateSigningKey();
  writeFileAtomicSync(dataPaths(dataDir).key, pem, 0o600);
  return key;
}
