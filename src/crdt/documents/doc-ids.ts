import { createHash, createHmac } from 'node:crypto';
import * as A from '@automerge/automerge';
import { parseAutomergeUrl, stringifyAutomergeUrl, type DocumentId } from '@automerge/automerge-repo';

/**
 * Every document of a store has an id derived from the store's LAN key and the document's name,
 * and starts from a genesis change that every terminal computes byte for byte alike (fixed
 * actor, time 0, a fixed skeleton). So terminals provisioned independently, in any order and with
 * the LAN down, open the same documents with a shared root and merge cleanly when they meet: no
 * document id is ever copied by hand, and no two terminals create the same map concurrently.
 *
 * The genesis skeleton of a document kind must never change once shipped (a different first
 * change under the same id and actor would corrupt the document); a new skeleton needs a new
 * `name` version (e.g. "catalog/v2").
 */
export function deriveDocumentId(lanKey: Uint8Array, storeId: string, name: string): DocumentId {
  const bytes = createHmac('sha256', lanKey)
    .update(`caja-doc-v1|${storeId}|${name}`)
    .digest()
    .subarray(0, 16);
  return parseAutomergeUrl(
    stringifyAutomergeUrl(new Uint8Array(bytes) as Parameters<typeof stringifyAutomergeUrl>[0]),
  ).documentId;
}

/** The genesis bytes of a document: deterministic for (storeId, name, skeleton). */
export function genesisBytes(storeId: string, name: string, skeleton: Record<string, unknown>): Uint8Array {
  const actor = createHash('sha256').update(`caja-genesis-v1|${storeId}|${name}`).digest('hex').slice(0, 32);
  const doc = A.change(A.init<Record<string, unknown>>({ actor }), { time: 0 }, (d) => {
    for (const [key, value] of Object.entries(skeleton)) d[key] = value;
  });
  return A.save(doc);
}
