import { existsSync, readFileSync } from 'node:fs';
import { generateSigningKey, signingKeyFromPem, type SigningKey } from '../security/signing.js';
import { writeFileAtomicSync } from '../crdt/storage/atomic-file.js';
import { BACKUP_SUFFIX, ConfigError, dataPaths } from './terminal-config.js';

/**
 * This terminal's signing key (SIG1): generated here at the first provisioning, kept in
 * `<data>/keys/terminal-key.pem` (0600) and its copy, never sent anywhere — the cloud certifies
 * its public half. Re-provisioning the same directory keeps it.
 */
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function readKey(path: string, expected: string | undefined): SigningKey {
  let key: SigningKey;
  try {
    key = signingKeyFromPem(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      'invalid-key',
      `${path} is not a signing key this program wrote (${message(error)})`,
    );
  }
  // A flipped character of the PEM can still read as a key — another one: the certificate says
  // which public key is this terminal's.
  if (expected !== undefined && key.publicKey !== expected)
    throw new ConfigError(
      'invalid-key',
      `${path} does not hold the key the store certified for this terminal`,
    );
  return key;
}

/**
 * The key, from its copy if the file cannot be read (STO2); `notes` says when it was.
 * `expectedPublicKey`: the public key of this terminal's certificate.
 */
export function loadTerminalKey(
  dataDir: string,
  notes: string[] = [],
  expectedPublicKey?: string,
): SigningKey {
  const path = dataPaths(dataDir).key;
  const backup = path + BACKUP_SUFFIX;
  if (!existsSync(path) && !existsSync(backup))
    throw new ConfigError(
      'invalid-key',
      `${path} is missing: provision this terminal again (caja provision …)`,
    );
  try {
    return readKey(path, expectedPublicKey);
  } catch (primary) {
    if (!existsSync(backup)) throw primary;
    let key: SigningKey;
    try {
      key = readKey(backup, expectedPublicKey);
    } catch {
      throw new ConfigError(
        'invalid-key',
        `${message(primary)}, nor is its copy ${backup}: provision this terminal again in a new directory`,
      );
    }
    writeFileAtomicSync(path, readFileSync(backup), 0o600);
    notes.push(`${message(primary)}: read from its copy ${backup} and written back`);
    return key;
  }
}

export function loadOrCreateTerminalKey(
  dataDir: string,
  options: { readonly rotate?: boolean } = {},
): SigningKey {
  const path = dataPaths(dataDir).key;
  if (!options.rotate && (existsSync(path) || existsSync(path + BACKUP_SUFFIX)))
    return loadTerminalKey(dataDir);
  // A new key (first provisioning, or RNG2: a new range needs a key certified for it). What the
  // old key signed stays verifiable: its certificate stays in the store's list.
  const { pem, key } = generateSigningKey();
  writeFileAtomicSync(path + BACKUP_SUFFIX, pem, 0o600);
  writeFileAtomicSync(path, pem, 0o600);
  return key;
}
