import {
  Repo,
  type NetworkAdapterInterface,
  type PeerId,
  type StorageAdapterInterface,
} from '@automerge/automerge-repo';
import { join } from 'node:path';
import { useDocumentStorage, type DocumentStorageOptions } from '../crdt/storage/document-storage.js';
import { writeFileAtomicSync } from '../crdt/storage/atomic-file.js';
import { parseTerminalPeerId, terminalPeerId } from '../crdt/lan/lan-network.js';
import { StoreDocuments } from '../crdt/store-documents.js';
import { ValidationCache } from '../crdt/storage/validation-cache.js';
import { decodeLanKey } from '../security/lan-key.js';
import { TerminalTrust } from '../security/terminal-trust.js';
import type { TerminalConfig } from './terminal-config.js';
import { dataPaths } from './terminal-config.js';
import { APP_VERSION } from './version.js';

/**
 * One Repo per terminal, peer id bound to the terminal (`<store>/<terminal>`). Access is
 * authorization: only peers that authenticated as terminals of this store (or this terminal's own
 * UI) get documents; the network adapter has already refused everyone else.
 */
export function createRepo(
  config: TerminalConfig,
  storage: StorageAdapterInterface | undefined,
  network: NetworkAdapterInterface[],
  extraAllowed: (peerId: PeerId) => boolean = () => false,
  recovery?: {
    readonly dataDir: string;
    readonly log?: (message: string) => void;
    /** A background save failed (STO4): the terminal says it cannot write (WRT2). */
    readonly onSaveFailed?: (error: unknown) => void;
  },
): Repo {
  const storeId = config.provisioning.store.id;
  const isStoreTerminal = (peerId: PeerId) => {
    const parsed = parseTerminalPeerId(peerId);
    return parsed.ok && parsed.value.storeId === storeId;
  };
  const repo = new Repo({
    ...(storage ? { storage } : {}),
    network,
    peerId: terminalPeerId(storeId, config.provisioning.terminal.id),
    shareConfig: {
      // Terminals get every document offered. The UI asks for the documents it shows (the ids in
      // /api/sync-info): offered everything, a page would load the catalog and every closed
      // journal chunk at each log-in (bench:ui).
      announce: (peerId) => Promise.resolve(isStoreTerminal(peerId)),
      access: (peerId) => Promise.resolve(isStoreTerminal(peerId) || extraAllowed(peerId)),
    },
  });
  // Documents load with A.load: a third of the CPU, and no second copy of every journal entry.
  if (storage)
    useDocumentStorage(
      repo,
      storage,
      recovery
        ? {
            ...unreadableFiles(recovery),
            ...(recovery.onSaveFailed ? { onSaveFailed: recovery.onSaveFailed } : {}),
          }
        : {},
    );
  return repo;
}

/**
 * STO1: a stored document file automerge cannot read is kept for support staff under
 * `<data>/aside/<time>/`, and the terminal says which file and what it did.
 */
function unreadableFiles(recovery: {
  readonly dataDir: string;
  readonly log?: (message: string) => void;
}): DocumentStorageOptions {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    moveAside: (key, data) => {
      const path = join(recovery.dataDir, 'aside', stamp, ...key);
      writeFileAtomicSync(path, data, 0o600);
      return Promise.resolve(path);
    },
    onUnreadable: (problem) => {
      const what =
        problem.outcome === 'rebuilt'
          ? 'nothing in it could be read: it starts again from its genesis, its records come back from the fiscal log and the peers'
          : 'the files that could not be read were left out';
      recovery.log?.(
        `document ${problem.name} cannot be read (${problem.reason}): ${what}; moved aside: ${problem.movedAside.join(', ')}`,
      );
    },
  };
}

/**
 * Whom this terminal trusts: the terminals whose keys the store certified. The store's public key
 * and the certificates known at provisioning come from the cloud; more arrive in the store
 * document, each checked against the store's key.
 */
export function terminalTrust(config: TerminalConfig): TerminalTrust {
  const p = config.provisioning;
  const trust = new TerminalTrust(p.store.id, p.storePublicKey);
  for (const cert of [...p.certificates, config.certificate]) trust.add(cert);
  return trust;
}

export function storeDocuments(
  config: TerminalConfig,
  repo: Repo,
  dataDir: string,
  log?: (message: string) => void,
): StoreDocuments {
  const p = config.provisioning;
  const own = [
    ...p.certificates.filter((c) => c.terminalId === p.terminal.id && c.keyId !== config.certificate.keyId),
    config.certificate,
    // RNG4: the held next range's key signs nothing yet, but its certificate travels with the rest.
    ...(config.next ? [config.next.certificate] : []),
  ];
  return new StoreDocuments({
    repo,
    storageDir: dataPaths(dataDir).automerge,
    storeId: p.store.id,
    terminalId: p.terminal.id,
    lanKey: decodeLanKey(p.lanKey),
    trust: terminalTrust(config),
    ownCertificates: own,
    validationCache: ValidationCache.open(dataPaths(dataDir).validationCache, APP_VERSION, log),
    ...(log ? { log } : {}),
  });
}
