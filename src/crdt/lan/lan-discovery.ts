/**
 * Terminals of a store find each other on the LAN with DNS-SD over mDNS (DSC1–DSC4): each
 * announces `_caja-lan._tcp` under an opaque name, and dials the terminals of its own store that
 * it hears. The announcement says nothing about the store to anyone without its LAN key, and
 * proves nothing to anyone with it: whoever answers the dial still has to pass the handshake.
 */
import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import { Bonjour, type Browser, type Service, type ServiceConfig } from 'bonjour-service';
import { z } from 'zod';

/** Announced as `_caja-lan._tcp.local`. */
export const SERVICE_TYPE = 'caja-lan';
const TAG_HEX_DIGITS = 16;
const TAG = new RegExp(`^[0-9a-f]{${TAG_HEX_DIGITS}}$`);
const INSTANCE = new RegExp(`^caja-[0-9a-f]{${TAG_HEX_DIGITS}}$`);
const TXT_VERSION = '1';

/** What this terminal announces: both opaque to whoever lacks the LAN key. */
export interface DiscoveryTags {
  /** The same on every terminal of the store; in the TXT record (`s`). */
  readonly storeTag: string;
  /** This terminal's service instance name, unique in the store and stable across restarts. */
  readonly instanceName: string;
}

/** DSC1: HMAC-SHA256 of fixed labels under the LAN key, the first 64 bits in hex. */
export function discoveryTags(lanKey: Uint8Array, terminalId: string): DiscoveryTags {
  const tag = (label: string): string =>
    createHmac('sha256', lanKey).update(label, 'utf8').digest('hex').slice(0, TAG_HEX_DIGITS);
  return {
    storeTag: tag('caja-lan mdns store v1'),
    instanceName: `caja-${tag(`caja-lan mdns terminal v1 ${terminalId}`)}`,
  };
}

/**
 * A service as bonjour-service reports it, as far as we read it. Everything in it came off the
 * network from anyone. The address dialed is where the announcement came from (`referer`): the
 * A records list every interface of the announcing machine (bridges, VPNs) and none for
 * loopback, while the packet's source is an address on the link both machines share.
 */
const announcementSchema = z.object({
  name: z.string().regex(INSTANCE),
  port: z.number().int().min(1).max(65_535),
  txt: z.object({ v: z.literal(TXT_VERSION), s: z.string().regex(TAG) }),
  referer: z.object({ address: z.string().refine((a) => isIPv4(a), 'an IPv4 address') }),
});

export type Sighting =
  | { readonly kind: 'peer'; readonly instance: string; readonly url: string }
  | { readonly kind: 'ignored'; readonly reason: 'malformed' | 'self' | 'other-store' };

/** DSC2: what to do with a service heard on the LAN. */
export function sightingOf(service: unknown, own: DiscoveryTags): Sighting {
  const parsed = announcementSchema.safeParse(service);
  if (!parsed.success) return { kind: 'ignored', reason: 'malformed' };
  const { name, port, txt, referer } = parsed.data;
  if (txt.s !== own.storeTag) return { kind: 'ignored', reason: 'other-store' };
  if (name === own.instanceName) return { kind: 'ignored', reason: 'self' };
  return { kind: 'peer', instance: name, url: `ws://${referer.address}:${port}` };
}

export type BookChange =
  | { readonly kind: 'add'; readonly url: string }
  | { readonly kind: 'move'; readonly from: string; readonly to: string }
  | { readonly kind: 'known' }
  | { readonly kind: 'too-many' };

/**
 * DSC3: the URLs discovery dialed, one per announced terminal. A terminal heard at a new address
 * or port replaces its old URL; at most `max` terminals are dialed, so a flood of forged
 * announcements costs a bounded number of dialers.
 */
export class DiscoveryBook {
  readonly #urls = new Map<string, string>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.#urls.size;
  }

  see(instance: string, url: string): BookChange {
    const known = this.#urls.get(instance);
    if (known === url) return { kind: 'known' };
    if (known === undefined && this.#urls.size >= this.max) return { kind: 'too-many' };
    this.#urls.set(instance, url);
    return known === undefined ? { kind: 'add', url } : { kind: 'move', from: known, to: url };
  }
}

export type DiscoveryState = 'starting' | 'running' | 'failed' | 'closed';

export interface DiscoveryStatus {
  readonly state: DiscoveryState;
  /** Why it failed, or the last problem of its socket while running (`ENODEV`, …). */
  readonly problem: string | null;
  readonly instance: string;
  /** Terminals of this store heard and dialed. */
  readonly discovered: number;
}

export type DiscoveryEvent =
  | { readonly type: 'mdns-started'; readonly instance: string; readonly interface: string }
  | { readonly type: 'mdns-peer'; readonly instance: string; readonly url: string }
  | {
      readonly type: 'mdns-peer-moved';
      readonly instance: string;
      readonly from: string;
      readonly to: string;
    }
  | { readonly type: 'mdns-too-many'; readonly max: number }
  | { readonly type: 'mdns-failed'; readonly error: string }
  | { readonly type: 'mdns-problem'; readonly error: string };

export interface LanDiscoveryOptions {
  readonly lanKey: Uint8Array;
  readonly terminalId: string;
  /** The LAN port to announce (the bound one). */
  readonly port: number;
  /** The LAN listen host: an IPv4 address to announce on that interface only; 0.0.0.0 for all. */
  readonly host: string;
  /** Where discovered URLs go (the LAN adapter's dialers). */
  readonly peers: { add(url: string): void; remove(url: string): void };
  /** How often the LAN is asked again (a terminal whose announcements were missed). */
  readonly requeryMs?: number;
  readonly maxPeers?: number;
  readonly log?: (event: DiscoveryEvent) => void;
}

const CLOSE_GRACE_MS = 500;

/** multicast-dns's options that we set: the interface to multicast on, the address to bind. */
interface MulticastOptions {
  readonly interface?: string;
  readonly bind?: string;
}

/** DSC1–DSC4 on a real socket: announce this terminal, hear the others, never throw. */
export class LanDiscovery {
  readonly #options: LanDiscoveryOptions;
  readonly #tags: DiscoveryTags;
  readonly #book: DiscoveryBook;
  readonly #saidProblems = new Set<string>();
  #state: DiscoveryState = 'starting';
  #problem: string | null = null;
  #bonjour: Bonjour | undefined;
  #browser: Browser | undefined;
  #requery: NodeJS.Timeout | undefined;
  #saidTooMany = false;

  constructor(options: LanDiscoveryOptions) {
    this.#options = options;
    this.#tags = discoveryTags(options.lanKey, options.terminalId);
    this.#book = new DiscoveryBook(options.maxPeers ?? 32);
  }

  /** Starts announcing and listening; a failure is kept in `status()`, never thrown (DSC4). */
  start(): void {
    if (this.#state !== 'starting' || this.#bonjour) return;
    try {
      this.#start();
    } catch (error) {
      this.#fail(error);
    }
  }

  status(): DiscoveryStatus {
    return {
      state: this.#state,
      problem: this.#problem,
      instance: this.#tags.instanceName,
      discovered: this.#book.size,
    };
  }

  /** Says goodbye on the LAN (briefly: a dead socket must not hold a stopping terminal). */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasRunning = this.#state === 'running';
    this.#state = 'closed';
    clearInterval(this.#requery);
    this.#browser?.stop();
    const bonjour = this.#bonjour;
    this.#bonjour = undefined;
    if (!bonjour) return;
    if (wasRunning)
      await new Promise<void>((resolve) => {
        const grace = setTimeout(resolve, CLOSE_GRACE_MS);
        try {
          bonjour.unpublishAll(() => {
            clearTimeout(grace);
            resolve();
          });
        } catch {
          clearTimeout(grace);
          resolve();
        }
      });
    destroyQuietly(bonjour);
  }

  #start(): void {
    const { host, port } = this.#options;
    const everywhere = host === '0.0.0.0' || host === '::' || host === '';
    if (!everywhere && !isIPv4(host))
      throw new Error(`mDNS needs --lan-host to be an IPv4 address or 0.0.0.0, not ${host}`);
    // Bound to every address: a socket bound to a unicast address hears no multicast. These go
    // to multicast-dns as they are, whatever bonjour-service's type for them says.
    const socketOptions: MulticastOptions = everywhere ? {} : { interface: host, bind: '0.0.0.0' };
    const bonjour = new Bonjour(socketOptions as Partial<ServiceConfig>, (error: unknown) => {
      this.#troubled(error);
    });
    this.#bonjour = bonjour;
    // multicast-dns emits its socket's EADDRINUSE/EACCES as 'error', which would end the
    // process with nobody listening; bonjour-service does not listen.
    const mdns = socketEventsOf(bonjour);
    mdns.on('error', (error: unknown) => {
      this.#fail(error);
    });
    // Running once its socket is bound (a bind error comes as 'error' instead).
    mdns.on('ready', () => {
      if (this.#state !== 'starting') return;
      this.#state = 'running';
      this.#log({
        type: 'mdns-started',
        instance: this.#tags.instanceName,
        interface: everywhere ? 'all' : host,
      });
    });
    mdns.on('warning', (error: unknown) => {
      // A packet that does not decode is only someone's garbage; a system error is ours.
      if (errorCode(error) !== undefined) this.#troubled(error);
    });
    bonjour.publish({
      name: this.#tags.instanceName,
      type: SERVICE_TYPE,
      port,
      // Not the machine's host name: that may name the store.
      host: `${this.#tags.instanceName}.local`,
      txt: { v: TXT_VERSION, s: this.#tags.storeTag },
      // The name is ours by construction (a MAC under the store's key); probing only delays.
      probe: false,
      disableIPv6: true,
    });
    const browser = bonjour.find({ type: SERVICE_TYPE });
    this.#browser = browser;
    const heard = (service: Service): void => {
      this.#heard(service);
    };
    browser.on('up', heard);
    browser.on('srv-update', heard);
    browser.on('txt-update', heard);
    this.#requery = setInterval(() => {
      try {
        browser.update();
      } catch (error) {
        this.#troubled(error);
      }
    }, this.#options.requeryMs ?? 60_000);
    this.#requery.unref();
  }

  #heard(service: Service): void {
    if (this.#state !== 'running') return;
    const sighting = sightingOf(service, this.#tags);
    if (sighting.kind !== 'peer') return;
    const change = this.#book.see(sighting.instance, sighting.url);
    try {
      if (change.kind === 'add') {
        this.#options.peers.add(change.url);
        this.#log({ type: 'mdns-peer', instance: sighting.instance, url: change.url });
      } else if (change.kind === 'move') {
        this.#options.peers.remove(change.from);
        this.#options.peers.add(change.to);
        this.#log({ type: 'mdns-peer-moved', instance: sighting.instance, from: change.from, to: change.to });
      } else if (change.kind === 'too-many' && !this.#saidTooMany) {
        this.#saidTooMany = true;
        this.#log({ type: 'mdns-too-many', max: this.#options.maxPeers ?? 32 });
      }
    } catch (error) {
      this.#troubled(error);
    }
  }

  #fail(error: unknown): void {
    if (this.#state === 'closed' || this.#state === 'failed') return;
    this.#state = 'failed';
    this.#problem = describeError(error);
    clearInterval(this.#requery);
    this.#browser?.stop();
    const bonjour = this.#bonjour;
    this.#bonjour = undefined;
    if (bonjour) destroyQuietly(bonjour);
    this.#log({ type: 'mdns-failed', error: this.#problem });
  }

  #troubled(error: unknown): void {
    if (this.#state !== 'running' && this.#state !== 'starting') return;
    const problem = describeError(error);
    this.#problem = problem;
    if (this.#saidProblems.has(problem)) return;
    this.#saidProblems.add(problem);
    this.#log({ type: 'mdns-problem', error: problem });
  }

  #log(event: DiscoveryEvent): void {
    try {
      this.#options.log?.(event);
    } catch {
      // A broken logger must not break discovery.
    }
  }
}

/** bonjour-service keeps the multicast-dns emitter private; it is checked, not assumed. */
function socketEventsOf(bonjour: Bonjour): Pick<EventEmitter, 'on'> {
  const server: unknown = Reflect.get(bonjour, 'server');
  const mdns: unknown =
    typeof server === 'object' && server !== null ? Reflect.get(server, 'mdns') : undefined;
  if (!(mdns instanceof EventEmitter))
    throw new Error('bonjour-service has no multicast-dns socket to watch');
  const events: Pick<EventEmitter, 'on'> = mdns;
  return events;
}

function destroyQuietly(bonjour: Bonjour): void {
  try {
    bonjour.destroy();
  } catch {
    // A socket that never bound has nothing to close.
  }
}

function errorCode(error: unknown): string | undefined {
  const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : undefined;
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}
