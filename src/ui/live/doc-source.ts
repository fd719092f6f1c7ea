/**
 * What the live views need from automerge-repo: open a document by id and hear about its changes.
 * The real source is an in-memory Repo synced with the host (repo-source.ts); tests use a fake.
 */
export interface WatchedDoc {
  /** The document's current contents, or undefined while it has not arrived. */
  current(): unknown;
  /** Called after every change (local or synced); returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

export interface DocSource {
  /** Resolves once the document is available; retries while the host is unreachable. */
  open(documentId: string): Promise<WatchedDoc>;
  /** Whether the sync socket with the host is up. */
  connected(): boolean;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  close(): void;
}

export type DocSourceFactory = (options: { url: string; peerId: string }) => DocSource;
