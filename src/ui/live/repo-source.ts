import { initializeWasm } from '@automerge/automerge/slim';
import wasmUrl from '@automerge/automerge/automerge.wasm?url';
import { Repo, type DocHandle, type DocumentId, type PeerId } from '@automerge/automerge-repo';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import type { DocSource, DocSourceFactory, WatchedDoc } from './doc-source.js';

const RETRY_MS = 2_000;

let wasm: Promise<void> | undefined;

/**
 * automerge's wasm module (a separate, cached asset), compiled once. main.ts starts it once the
 * login screen is up (it needs no automerge); the repo waits for it.
 */
export function loadAutomerge(): Promise<void> {
  wasm ??= initializeWasm(wasmUrl);
  return wasm;
}

/**
 * One in-memory Repo (no storage) synced with the terminal host over `/sync`. The host is the
 * only peer; documents are found by the ids the host gives in /api/sync-info. The UI only reads.
 */
export const createRepoSource: DocSourceFactory = ({ url, peerId }) => {
  let isConnected = false;
  let closed = false;
  const connectionListeners = new Set<(connected: boolean) => void>();
  const setConnected = (value: boolean) => {
    if (value === isConnected) return;
    isConnected = value;
    for (const listener of connectionListeners) listener(value);
  };
  const repo: Promise<Repo | undefined> = loadAutomerge().then(() => {
    if (closed) return undefined;
    const adapter = new BrowserWebSocketClientAdapter(url, RETRY_MS);
    adapter.on('peer-candidate', () => {
      setConnected(true);
    });
    adapter.on('peer-disconnected', () => {
      setConnected(false);
    });
    return new Repo({ network: [adapter], peerId: peerId as PeerId });
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
      const ready = await repo;
      // Asking before the host is connected would mark the document unavailable at once.
      await firstPeer;
      for (;;) {
        if (closed || !ready) throw new Error('closed');
        try {
          const handle = await ready.find<unknown>(documentId as DocumentId);
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
      void repo
        .then((ready) => ready?.shutdown())
        // The socket was already gone: nothing left to close.
        .catch(() => undefined);
    },
  };
  return source;
};
