import { deflateRawSync } from 'node:zlib';
import * as A from '@automerge/automerge';
import { generateAutomergeUrl, parseAutomergeUrl } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import { parseRepoFrame, terminalPeerId } from '../../../src/crdt/lan/lan-handshake.js';
import { MAX_CHANGE_BYTES, MAX_VALUE_CHARS } from '../../../src/crdt/lan/sync-caps.js';

/**
 * CAP2 on the sync messages a LAN peer sends, through the same check as a frame off the socket.
 * Automerge 3.5 itself sends whole documents and plain changes; an attacker can send any chunk
 * automerge applies, so each chunk built here is first shown to be applied by automerge.
 */
type Doc = { base?: string; big?: A.ImmutableString; small?: A.ImmutableString };

const ctx = {
  from: terminalPeerId('demo', 'intruso'),
  self: terminalPeerId('demo', 'caja-1'),
  storeId: 'demo',
};
const documentId = parseAutomergeUrl(generateAutomergeUrl()).documentId;
const TYPE_OFFSET = 8;

const base = A.from<Doc>({ base: 'x' });
const withValue = (key: 'big' | 'small', chars: number) =>
  A.change(A.clone(base), (d) => {
    d[key] = new A.ImmutableString('y'.repeat(chars));
  });

function leb128(n: number): number[] {
  const out: number[] = [];
  for (let rest = n; ; rest = Math.floor(rest / 128)) {
    if (rest < 0x80) return [...out, rest];
    out.push((rest & 0x7f) | 0x80);
  }
}

/** A change chunk (type 1) as automerge's own compressed change (type 2): same checksum, raw DEFLATE body. */
function compressChange(change: Uint8Array): Uint8Array {
  expect(change[TYPE_OFFSET]).toBe(1);
  let at = TYPE_OFFSET + 1;
  let length = 0;
  for (let scale = 1; ; scale *= 128) {
    const byte = change[at++] ?? 0;
    length += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
  }
  const body = deflateRawSync(change.subarray(at, at + length));
  return new Uint8Array([...change.subarray(0, TYPE_OFFSET), 2, ...leb128(body.length), ...body]);
}

function syncMessage(...entries: Uint8Array[]): Uint8Array {
  return A.encodeSyncMessage({
    heads: [],
    need: [],
    have: [{ lastSync: A.getHeads(base), bloom: new Uint8Array() }],
    changes: entries,
  });
}

/** The check a sync frame from the peer passes before the Repo sees it. */
const check = (data: Uint8Array) =>
  parseRepoFrame({ type: 'sync', senderId: ctx.from, targetId: ctx.self, documentId, data }, ctx);
const frame = (...entries: Uint8Array[]) => check(syncMessage(...entries));

/** What automerge itself makes of the message on a terminal holding `base`. */
function applied(...entries: Uint8Array[]): Doc {
  return A.receiveSyncMessage(A.clone(base), A.initSyncState(), syncMessage(...entries))[0];
}

const valueLength = (doc: Doc, key: 'big' | 'small') => doc[key]?.val.length;

describe('sync messages within the caps (CAP2)', () => {
  const big = withValue('big', 30_000_000);
  const bigChange = A.getLastLocalChange(big);
  if (!bigChange) throw new Error('no change');

  it('[CAP2] a compressed change (chunk type 2) of a few KB carrying a 30 MB value is refused', () => {
    expect(bigChange.length).toBeGreaterThan(MAX_CHANGE_BYTES);
    const compressed = compressChange(bigChange);
    expect(compressed[TYPE_OFFSET]).toBe(2);
    expect(compressed.length).toBeLessThan(64 * 1024);
    expect(valueLength(applied(compressed), 'big')).toBe(30_000_000);

    expect(frame(compressed)).toMatchObject({ ok: false, reason: 'invalid-frame' });
    expect(frame(bigChange)).toMatchObject({ ok: false, reason: 'invalid-frame' });
  });

  it('[CAP2] a small compressed change is still accepted', () => {
    const change = A.getLastLocalChange(withValue('small', 5000));
    if (!change) throw new Error('no change');
    const compressed = compressChange(change);
    expect(compressed[TYPE_OFFSET]).toBe(2);
    expect(compressed.length).toBeLessThan(change.length);
    expect(valueLength(applied(compressed), 'small')).toBe(5000);

    expect(frame(compressed)).toMatchObject({ ok: true });
    expect(frame(change)).toMatchObject({ ok: true });
  });

  it('[CAP2] every chunk of an entry is measured: a compressed 30 MB change behind a small change is refused', () => {
    const small = A.getLastLocalChange(withValue('small', 10));
    if (!small) throw new Error('no change');
    const entry = new Uint8Array([...small, ...compressChange(bigChange)]);
    expect(entry[TYPE_OFFSET]).toBe(1);
    expect(valueLength(applied(entry), 'big')).toBe(30_000_000);

    expect(frame(entry)).toMatchObject({ ok: false, reason: 'invalid-frame' });
  });

  it('[CAP2] a bundle (chunk type 3), a compressed change that is not DEFLATE and a broken chunk are refused', () => {
    const hash = A.decodeChange(bigChange).hash;
    const bundle = A.saveBundle(big, [hash]);
    expect(bundle[TYPE_OFFSET]).toBe(3);
    expect(bundle.length).toBeLessThan(64 * 1024);
    expect(valueLength(applied(bundle), 'big')).toBe(30_000_000);
    expect(frame(bundle)).toMatchObject({ ok: false, reason: 'invalid-frame' });

    const compressed = compressChange(bigChange);
    const notDeflate = compressed.slice();
    notDeflate.fill(0xff, 16);
    expect(frame(notDeflate)).toMatchObject({ ok: false, reason: 'invalid-frame' });
    expect(frame(compressed.subarray(0, compressed.length - 100))).toMatchObject({ ok: false });
  });

  it('[CAP2] as before, a whole document is read and measured, and real sync messages pass', () => {
    const over = A.save(withValue('big', MAX_VALUE_CHARS + 1));
    expect(over[TYPE_OFFSET]).toBe(0);
    expect(frame(over)).toMatchObject({ ok: false, reason: 'invalid-frame' });
    expect(frame(A.save(withValue('big', MAX_VALUE_CHARS)))).toMatchObject({ ok: true });

    // Two peers, each with changes of its own, sync to convergence through the check.
    let [left, right] = [
      withValue('small', 2000),
      A.change(A.clone(base), (d) => {
        d.base = 'z';
      }),
    ];
    let [leftState, rightState] = [A.initSyncState(), A.initSyncState()];
    let messages = 0;
    for (let round = 0; round < 10; round++) {
      let message: Uint8Array | null;
      [leftState, message] = A.generateSyncMessage(left, leftState);
      if (message) {
        expect(check(message)).toMatchObject({ ok: true });
        [right, rightState] = A.receiveSyncMessage(right, rightState, message);
        messages++;
      }
      [rightState, message] = A.generateSyncMessage(right, rightState);
      if (message) {
        expect(check(message)).toMatchObject({ ok: true });
        [left, leftState] = A.receiveSyncMessage(left, leftState, message);
        messages++;
      }
    }
    expect(messages).toBeGreaterThan(1);
    expect(A.getHeads(left)).toEqual(A.getHeads(right));
  });
});
