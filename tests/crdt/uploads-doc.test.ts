import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import {
  ackBucket,
  readUploads,
  type AckCache,
  type UploadAck,
} from '../../src/crdt/documents/uploads-doc.js';

const ack = (id: string): UploadAck => ({
  id,
  kind: 'invoice',
  status: 'created',
  at: '2026-11-28T10:00:00-05:00',
  by: { id: 'marta', name: 'Marta' },
  terminalId: 'caja-1',
});

const ID_A = '7b0f3f7e-3a51-4f4e-9b7a-0c1f1d2e3a4b';
const ID_B = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

function docWith(values: Record<string, string>): Record<string, unknown> {
  const acks: Record<string, Record<string, string>> = {};
  for (const [id, text] of Object.entries(values)) (acks[ackBucket(id)] ??= {})[id] = text;
  return { acks, runs: {} };
}

describe('the uploads document', () => {
  it('reads acknowledgements through a cache that re-validates a value replaced under the same id', () => {
    const cache: AckCache = new Map();
    const first = readUploads(docWith({ [ID_A]: canonicalJson(ack(ID_A)) }), cache);
    expect([...first.acks.keys()]).toEqual([ID_A]);
    expect(cache.size).toBe(1);

    // Same text: the cached ack answers, and a new one is validated and cached.
    const second = readUploads(
      docWith({ [ID_A]: canonicalJson(ack(ID_A)), [ID_B]: canonicalJson(ack(ID_B)) }),
      cache,
    );
    expect(second.acks.get(ID_A)).toBe(first.acks.get(ID_A));
    expect(second.acks.size).toBe(2);
    expect(cache.size).toBe(2);

    // A peer replaced the value with one that does not validate: quarantined, not served from the cache.
    const broken = readUploads(
      docWith({ [ID_A]: canonicalJson({ ...ack(ID_A), status: 'maybe' }), [ID_B]: canonicalJson(ack(ID_B)) }),
      cache,
    );
    expect([...broken.acks.keys()]).toEqual([ID_B]);
    expect(broken.quarantined).toEqual([{ path: `acks/${ackBucket(ID_A)}/${ID_A}`, reason: 'invalid-ack' }]);
  });
});
