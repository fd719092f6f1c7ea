import { describe, expect, it } from 'vitest';
import {
  DiscoveryBook,
  discoveryTags,
  LanDiscovery,
  sightingOf,
  type DiscoveryEvent,
} from '../../../src/crdt/lan/lan-discovery.js';

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(9);
const own = discoveryTags(KEY, 'caja-1');
const peer = discoveryTags(KEY, 'caja-2');

/** A service as bonjour-service hands it over, heard from 192.168.1.12. */
function service(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: peer.instanceName,
    type: 'caja-lan',
    protocol: 'tcp',
    port: 6301,
    host: `${peer.instanceName}.local`,
    addresses: ['10.8.0.3', '192.168.1.12'],
    txt: { v: '1', s: peer.storeTag },
    referer: { address: '192.168.1.12', family: 'IPv4', port: 5353, size: 230 },
    ...overrides,
  };
}

describe('mDNS discovery, the pure parts', () => {
  it('[DSC1] tags are MACs under the LAN key: stable, opaque, unique per terminal', () => {
    expect(own).toEqual(discoveryTags(KEY, 'caja-1'));
    expect(own.storeTag).toMatch(/^[0-9a-f]{16}$/);
    expect(own.instanceName).toMatch(/^caja-[0-9a-f]{16}$/);
    // The store tag is the store's, the instance name the terminal's.
    expect(peer.storeTag).toBe(own.storeTag);
    expect(peer.instanceName).not.toBe(own.instanceName);
    // Another store (another key) shares neither, even for a terminal of the same id.
    const other = discoveryTags(OTHER_KEY, 'caja-1');
    expect(other.storeTag).not.toBe(own.storeTag);
    expect(other.instanceName).not.toBe(own.instanceName);
    // Nothing in clear: no terminal id, and the store tag is not the instance's tag.
    expect(own.instanceName).not.toContain('caja-1');
    expect(own.instanceName).not.toContain(own.storeTag);
  });

  it('[DSC2] a terminal of the same store is dialed where its announcement came from', () => {
    expect(sightingOf(service(), own)).toEqual({
      kind: 'peer',
      instance: peer.instanceName,
      url: 'ws://192.168.1.12:6301',
    });
  });

  it('[DSC2] ourselves and other stores are ignored', () => {
    expect(sightingOf(service({ name: own.instanceName }), own)).toEqual({ kind: 'ignored', reason: 'self' });
    const stranger = discoveryTags(OTHER_KEY, 'caja-2');
    expect(
      sightingOf(service({ name: stranger.instanceName, txt: { v: '1', s: stranger.storeTag } }), own),
    ).toEqual({ kind: 'ignored', reason: 'other-store' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['no TXT', { txt: undefined }],
    ['a TXT of another version', { txt: { v: '2', s: peer.storeTag } }],
    ['a store tag that is not hex', { txt: { v: '1', s: 'TIENDA-CENTRO-01' } }],
    ['a name that is not ours', { name: 'Caja 2 (Tienda centro)' }],
    ['port 0', { port: 0 }],
    ['a port as text', { port: '6301' }],
    ['no referer', { referer: undefined }],
    ['an IPv6 referer', { referer: { address: 'fe80::1', family: 'IPv6', port: 5353, size: 1 } }],
    ['an address smuggling a path', { referer: { address: '192.168.1.12/evil', family: 'IPv4' } }],
  ])('[DSC2] a record with %s is ignored', (_label, overrides) => {
    expect(sightingOf(service(overrides), own)).toEqual({ kind: 'ignored', reason: 'malformed' });
  });

  it('[DSC2] garbage is ignored, not thrown on', () => {
    for (const garbage of [null, undefined, 42, 'caja', [], { name: 1 }])
      expect(sightingOf(garbage, own)).toEqual({ kind: 'ignored', reason: 'malformed' });
  });

  it('[DSC3] one URL per terminal: a new address replaces the old, and at most max are kept', () => {
    const book = new DiscoveryBook(2);
    expect(book.see('caja-a', 'ws://10.0.0.1:6301')).toEqual({ kind: 'add', url: 'ws://10.0.0.1:6301' });
    expect(book.see('caja-a', 'ws://10.0.0.1:6301')).toEqual({ kind: 'known' });
    expect(book.see('caja-a', 'ws://10.0.0.7:6301')).toEqual({
      kind: 'move',
      from: 'ws://10.0.0.1:6301',
      to: 'ws://10.0.0.7:6301',
    });
    expect(book.see('caja-b', 'ws://10.0.0.2:6301')).toEqual({ kind: 'add', url: 'ws://10.0.0.2:6301' });
    expect(book.see('caja-c', 'ws://10.0.0.3:6301')).toEqual({ kind: 'too-many' });
    // A terminal already known may still move at the cap.
    expect(book.see('caja-b', 'ws://10.0.0.9:6301').kind).toBe('move');
    expect(book.size).toBe(2);
  });

  it('[DSC4] a LAN host mDNS cannot announce on fails into status, never throws', async () => {
    const events: DiscoveryEvent[] = [];
    const discovery = new LanDiscovery({
      lanKey: KEY,
      terminalId: 'caja-1',
      port: 6301,
      host: 'fe80::1',
      peers: { add: () => undefined, remove: () => undefined },
      log: (event) => events.push(event),
    });
    expect(() => {
      discovery.start();
    }).not.toThrow();
    expect(discovery.status()).toMatchObject({ state: 'failed', discovered: 0 });
    expect(discovery.status().problem).toMatch(/IPv4/);
    expect(events.map((e) => e.type)).toEqual(['mdns-failed']);
    await discovery.close();
    expect(discovery.status().state).toBe('closed');
  });
});
