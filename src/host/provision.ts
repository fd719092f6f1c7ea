import { mkdirSync } from 'node:fs';
import { canonicalJson } from '../domain/canonical-json.js';
import { err, ok, type Result } from '../domain/result.js';
import { formatInTimeZone } from '../domain/time.js';
import { writeCatalog } from '../crdt/documents/catalog-doc.js';
import { seedFloor } from '../crdt/documents/floor-doc.js';
import { openStorage } from '../crdt/storage/open-storage.js';
import type { Provisioning } from '../contract/cloud.js';
import type { Catalog } from '../domain/catalog.js';
import { DataDirBusyError, lockDataDir, type DataDirLock } from './data-lock.js';
import { CloudClient } from '../upload/cloud-client.js';
import { APP_VERSION } from './version.js';
import { checkCertificate } from '../security/terminal-trust.js';
import { spanOf, type Certificate } from '../domain/certificate.js';
import { holdNextRange } from './next-range.js';
import { loadOrCreateTerminalKey } from './terminal-key.js';
import { createRepo, storeDocuments } from './repo-setup.js';
import {
  dataPaths,
  isProvisioned,
  readTerminalConfig,
  writeTerminalConfig,
  type TerminalConfig,
} from './terminal-config.js';

export interface ProvisionOptions {
  readonly cloudUrl: string;
  readonly token: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly dataDir: string;
  readonly now?: () => number;
}

export interface ProvisionSummary {
  readonly storeName: string;
  readonly terminalName: string;
  readonly prefix: string;
  readonly range: string;
  /** RNG4: the next range held at provisioning, if the store assigned one ("C2 1–500"). */
  readonly nextRange: string | null;
  readonly validUntil: string;
  readonly users: number;
  readonly products: number;
  readonly tables: number;
  readonly reprovisioned: boolean;
}

/**
 * `caja provision`: install a terminal while online. Writes the data directory (configuration,
 * keys, numbering, users) and the store's documents (this terminal's entry, the catalog, the
 * floor). Re-provisioning keeps the journal, the fiscal log and everything in the documents.
 */
export async function provision(options: ProvisionOptions): Promise<Result<ProvisionSummary, string>> {
  const now = options.now ?? Date.now;
  const cloud = new CloudClient({ baseUrl: options.cloudUrl, token: options.token });
  const provisioning = await cloud.provisioning(options.storeId, options.terminalId);
  if (!provisioning.ok) return err(provisioning.reason, provisioning.message);
  const p = provisioning.value;
  if (p.store.id !== options.storeId || p.terminal.id !== options.terminalId) {
    return err('invalid-cloud-answer', 'the cloud answered for another store or terminal');
  }
  const catalog = await cloud.catalog(options.storeId);
  if (!catalog.ok) return err(catalog.reason, catalog.message);
  if (catalog.value.notModified) return err('invalid-cloud-answer', 'the cloud answered 304 without an ETag');

  // A terminal running on this directory owns its documents and its ledger: provision only when
  // it is stopped.
  let lock: DataDirLock;
  try {
    lock = lockDataDir(options.dataDir, 'caja provision', now);
  } catch (error) {
    if (error instanceof DataDirBusyError) return err(error.reason, error.message);
    throw error;
  }
  try {
    return await provisionLocked(options, cloud, p, catalog.value, now);
  } finally {
    lock.release();
  }
}

async function provisionLocked(
  options: ProvisionOptions,
  cloud: CloudClient,
  p: Provisioning,
  catalog: { etag: string | undefined; catalog: Catalog },
  now: () => number,
): Promise<Result<ProvisionSummary, string>> {
  const reprovisioned = isProvisioned(options.dataDir);
  let newRange = false;
  let heldBefore: TerminalConfig['next'];
  if (reprovisioned) {
    const { config: previousConfig } = readTerminalConfig(options.dataDir);
    const previous = previousConfig.provisioning;
    // RNG2: a key is certified for one range; numbering from another one needs a new key.
    newRange = canonicalJson(previousConfig.certificate.numbering) !== canonicalJson(p.terminal.numbering);
    // A next range held before stays held, unless it is the range provisioned now.
    if (
      previousConfig.next &&
      canonicalJson(previousConfig.next.numbering) !== canonicalJson(p.terminal.numbering)
    )
      heldBefore = previousConfig.next;
    if (previous.store.id !== p.store.id || previous.terminal.id !== p.terminal.id) {
      return err(
        'data-dir-in-use',
        `${options.dataDir} belongs to ${previous.store.id}/${previous.terminal.id}; use another directory`,
      );
    }
    if (previous.lanKey !== p.lanKey) {
      return err('lan-key-changed', 'the store’s LAN key changed: this data directory cannot follow it');
    }
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // SIG1: the terminal's own key pair; the store certifies its public half (the private one stays).
  const key = loadOrCreateTerminalKey(options.dataDir, { rotate: newRange });
  const certified = await cloud.certifyKey(p.store.id, p.terminal.id, key.publicKey);
  if (!certified.ok) return err(certified.reason, certified.message);
  const checked = checkCertificate(certified.value, p.store.id, p.storePublicKey);
  if (
    !checked.ok ||
    checked.value.terminalId !== p.terminal.id ||
    checked.value.publicKey !== key.publicKey
  ) {
    return err(
      'invalid-cloud-answer',
      'the cloud answered a certificate that is not for this terminal’s key',
    );
  }
  const cloudConfig = { url: options.cloudUrl, token: options.token };
  const first: TerminalConfig = {
    configVersion: 2,
    provisionedAt: formatInTimeZone(now(), p.store.timeZone),
    provisioning: p,
    certificate: checked.value,
    ...(heldBefore ? { next: heldBefore } : {}),
  };
  writeTerminalConfig(options.dataDir, first, cloudConfig);
  // RNG4: a next range the store already assigned is held from the start (a failure here leaves
  // the terminal provisioned: "Leer catálogo" tries again).
  const held = await holdNextRange({
    dataDir: options.dataDir,
    config: first,
    cloudConfig,
    cloud,
    today: first.provisionedAt.slice(0, 10),
    wantNextPosition: false,
  });
  const config = held.ok ? held.value.config : first;
  const nextCert = config.next?.certificate;

  const repo = createRepo(config, await openStorage(dataPaths(options.dataDir).automerge), []);
  try {
    const docs = storeDocuments(config, repo, options.dataDir);
    await docs.open();
    docs.registerTerminal(terminalEntry(p, config.provisionedAt));
    const { products, version } = catalog.catalog;
    const current = docs.catalog;
    if (current.meta === undefined || canonicalJson(current.products) !== canonicalJson(products)) {
      await docs.changeShared('catalog', (d) => {
        writeCatalog(d, current.products, products, {
          version,
          etag: catalog.etag,
          readAt: config.provisionedAt,
          // Shown as "leída … por Caja 1": the catalog came with the installation of this terminal.
          readBy: p.terminal.name,
        });
      });
    }
    await docs.changeShared('floor', (d) => {
      seedFloor(d, p.floor);
    });
    await repo.flush();
    return ok({
      storeName: p.store.name,
      terminalName: p.terminal.name,
      prefix: p.terminal.numbering.prefix,
      range: rangeText(config.certificate),
      nextRange: nextCert ? rangeText(nextCert) : null,
      validUntil: p.terminal.numbering.validUntil,
      users: p.users.length,
      products: products.length,
      tables: p.floor.areas.reduce((n, a) => n + a.tables.length, 0),
      reprovisioned,
    });
  } finally {
    await repo.shutdown();
  }
}

/** "prefijo C1, 1–5000 (de 1–20000)": the numbers this key numbers, in its resolution (RNG5). */
function rangeText(cert: Certificate): string {
  const span = spanOf(cert);
  const n = cert.numbering;
  const whole = span.from === n.from && span.to === n.to ? '' : ` (of ${n.from}–${n.to})`;
  return `prefijo ${span.prefix}, ${span.from}–${span.to}${whole}, resolution ${n.resolutionNumber}`;
}

export function terminalEntry(p: Provisioning, registeredAt: string) {
  return {
    terminalId: p.terminal.id,
    name: p.terminal.name,
    prefix: p.terminal.numbering.prefix,
    numbering: p.terminal.numbering,
    registeredAt,
    appVersion: APP_VERSION,
  };
}
