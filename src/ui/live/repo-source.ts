import { Repo, type DocHandle, type DocumentId, type PeerId } from '@automerge/automerge-repo';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import type { DocSource, DocSourceFactory, WatchedDoc } from './doc-source.js';

const RETRY_MS = 2_000;

/**
 * One in-memory Repo (no storage) synced with the terminal host over `/sync`. The host is the
 * only peer; documents are found by the ids the host gives in /api/sync-info. The UI only reads.
 */
export const createRepoSource: DocSourceFactory = ({ url, peerId }) => {
  const adapter = new BrowserWebSocketClientAdapter(url, RETRY_MS);
  const repo = new Repo({ network: [adapter], peerId: peerId as PeerId });
  let isConnected = false;
  let closed = false;
  const connectionListeners = new Set<(connected: boolean) => void>();
  const setConnected = (value: boolean) => {
    if (value === isConnected) return;
    isConnected = value;
    for (const listener of connectionListeners) listener(value);
  };
  adapter.on('peer-candidate', () => {
    setConnected(true);
  });
  adapter.on('peer-disconnected', () => {
    setConnected(false);
  });
  const firstPeer = new Promise<void>((resolve) => {
    if (isConnected) resolve();
    else
      connectionListeners.add((connected) => {
        if (connected) resolve();
      });
  });

  const watch = (handle: DocHandle<unknown>): WatchedDoc => ({
    current: () => (handle.isReady() ? handle.doc() : undefined),
    onChange(listener) {
      const handler = () => {
        listener();
      };
      handle.on('change', handler);
      return () => handle.off('change', handler);
    },
  });

  const source: DocSource = {
    async open(documentId) {
      // Asking before the host is connected would mark the document unavailable at once.
      await firstPeer;
      for (;;) {
        if (closed) throw new Error('closed');
        try {
          const handle = await repo.find<unknown>(documentId as DocumentId);
          return watch(handle);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        }
      }
    },
    connected: () => isConnected,
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      connectionListeners.clear();
      try {
        void repo.shutdown().catch(() => undefined);
      } catch {
        // The socket was already gone: nothing left to close.
      }
    },
  };
  return source;
};
