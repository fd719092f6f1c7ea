/**
 * CAP2, measured on a peer's sync message before the Repo sees it: what each automerge chunk it
 * carries would put into a document. Without I/O; lan-handshake.ts refuses a frame that fails.
 */
import { inflateRawSync } from 'node:zlib';
import { decodeSyncMessage, load } from '@automerge/automerge';

/**
 * CAP2: no value of a document may come in larger than this. Real values are a few kilobytes (an
 * invoice, a product); a peer must not make every terminal of the store keep megabytes for ever.
 */
export const MAX_CHANGE_BYTES = 8 * 1024 * 1024;
export const MAX_VALUE_CHARS = 1024 * 1024;
/** An automerge chunk: magic number, checksum, type byte, LEB128 length, then that many bytes. */
const CHUNK_MAGIC = [0x85, 0x6f, 0x4a, 0x83];
const CHUNK_TYPE_OFFSET = 8;
const DOCUMENT_CHUNK = 0;
const CHANGE_CHUNK = 1;
/** A change whose body is raw DEFLATE; its checksum and hash are those of the change inflated. */
const COMPRESSED_CHANGE_CHUNK = 2;

interface Chunk {
  readonly type: number | undefined;
  /** The whole chunk, header included. */
  readonly bytes: Uint8Array;
  readonly body: Uint8Array;
}

/**
 * One entry of a sync message's changes is a run of chunks (automerge concatenates the changes it
 * sends, and applies every chunk of an entry), so each one is measured, not only the first.
 */
function splitChunks(entry: Uint8Array): Chunk[] | undefined {
  const chunks: Chunk[] = [];
  let start = 0;
  while (start < entry.length) {
    if (!CHUNK_MAGIC.every((byte, i) => entry[start + i] === byte)) return undefined;
    let at = start + CHUNK_TYPE_OFFSET + 1;
    let length = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = entry[at++];
      if (byte === undefined) return undefined;
      length += (byte & 0x7f) * scale;
      if (length > entry.length) return undefined;
      if (byte < 0x80) break;
    }
    const end = at + length;
    if (end > entry.length) return undefined;
    chunks.push({
      type: entry[start + CHUNK_TYPE_OFFSET],
      bytes: entry.subarray(start, end),
      body: entry.subarray(at, end),
    });
    start = end;
  }
  return chunks;
}

function withinValueCap(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.length <= MAX_VALUE_CHARS;
  if (value === null || typeof value !== 'object' || depth > 64) return true;
  const text = (value as { val?: unknown }).val;
  if (typeof text === 'string') return text.length <= MAX_VALUE_CHARS;
  return Object.values(value).every((v) => withinValueCap(v, depth + 1));
}

/** Bytes of a change chunk's header for a body of `length` bytes (magic, checksum, type, LEB128). */
function changeHeaderBytes(length: number): number {
  let lengthBytes = 1;
  for (let rest = length; rest >= 0x80; rest = Math.floor(rest / 128)) lengthBytes++;
  return CHUNK_TYPE_OFFSET + 1 + lengthBytes;
}

/**
 * A change is stored as it is sent, so its length bounds its values; a compressed change is
 * measured inflated, and inflating stops at the cap (29 KB of DEFLATE can carry 30 MB). A whole
 * document (sent to a peer that has none of it) is compressed, so it is read and its values
 * measured. Other chunks (bundles, which carry compressed columns) are never sent by sync.
 */
function chunkWithinCaps(chunk: Chunk): boolean {
  switch (chunk.type) {
    case CHANGE_CHUNK:
      return true;
    case COMPRESSED_CHANGE_CHUNK:
      try {
        const inflated = inflateRawSync(chunk.body, { maxOutputLength: MAX_CHANGE_BYTES });
        return changeHeaderBytes(inflated.length) + inflated.length <= MAX_CHANGE_BYTES;
      } catch {
        return false; // over the cap, or not DEFLATE
      }
    case DOCUMENT_CHUNK:
      try {
        return withinValueCap(load(chunk.bytes));
      } catch {
        return true; // Not readable: the Repo refuses it on its own.
      }
    default:
      return false;
  }
}

/** The changes a sync message carries stay within the caps (CAP2). */
export function changesWithinCaps(data: Uint8Array): boolean {
  const { changes } = decodeSyncMessage(data);
  for (const entry of changes) {
    if (entry.length > MAX_CHANGE_BYTES) return false;
    const chunks = splitChunks(entry);
    if (chunks === undefined || !chunks.every(chunkWithinCaps)) return false;
  }
  return true;
}
