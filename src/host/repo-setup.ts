import {
  Repo,
  type NetworkAdapterInterface,
  type PeerId,
  type StorageAdapterInterface,
} from '@automerge/automerge-repo';
import { parseTerminalPeerId, terminalPeerId } from '../crdt/lan-network.js';
import { StoreDocuments } from '../crdt/store-documents.js';
import { decodeLanKey } from '../security/lan-key.js';
import type { TerminalConfig } from './terminal-config.js';
import { dataPaths } from './terminal-config.js';

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
): Repo {
  const storeId = config.provisioning.store.id;
  const isStorePeer = (peerId: PeerId) => {
    const parsed = parseTerminalPeerId(peerId);
    return (parsed.ok && parsed.value.storeId === storeId) || extraAllowed(peerId);
  };
  return new Repo({
    ...(storage ? { storage } : {}),
    network,
    peerId: terminalPeerId(storeId, config.provisioning.terminal.id),
    shareConfig: {
      announce: (peerId) => Promise.resolve(isStorePeer(peerId)),
      access: (peerId) => Promise.resolve(isStorePeer(peerId)),
    },
  });
}

export function storeDocuments(config: TerminalConfig, repo: Repo, dataDir: string): StoreDocuments {
  return new StoreDocuments({
    repo,
    storageDir: dataPaths(dataDir).automerge,
    storeId: config.provisioning.store.id,
    terminalId: config.provisioning.terminal.id,
    lanKey: decodeLanKey(config.provisioning.lanKey),
  });
}
