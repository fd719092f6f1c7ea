/**
 * The LAN wire formats, without I/O: terminal peer ids, the three handshake messages, their MACs,
 * and the check every automerge frame passes after the handshake. docs/lan-protocol.md is the
 * prose version.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  isValidDocumentId,
  type PeerId,
  type PeerMetadata,
  type RepoMessage,
} from '@automerge/automerge-repo';
import { SLUG_PATTERN } from '../../domain/ids.js';
import { err, ok, type Result } from '../../domain/result.js';
import { changesWithinCaps } from './sync-caps.js';

/**
 * Version 2: nothing about the store, the terminal or its storage is said before the other side
 * has proved it holds the LAN key (version 1's hello named them to anyone who connected).
 */
export const LAN_PROTOCOL_VERSION = 2;
/** Handshake frames are tiny; anything bigger before authentication is an attack or a bug. */
export const MAX_HANDSHAKE_FRAME_BYTES = 4096;
export const NONCE_BYTES = 32;

/** WebSocket close codes of the protocol; the reason string sent is the key. */
export const LAN_CLOSE = {
  'going-away': 1001,
  'try-again-later': 1013,
  'handshake-timeout': 4000,
  'auth-failed': 4001,
  'protocol-error': 4002,
  'duplicate-connection': 4004,
  'unsupported-version': 4005,
  'self-connection': 4006,
} as const;
export type LanCloseReason = keyof typeof LAN_CLOSE;

// Store and terminal ids go into MAC transcripts joined by '|' and into peer ids joined by '/':
// the slug pattern excludes both, so neither can be forged by shifting a separator.
export function terminalPeerId(storeId: string, terminalId: string): PeerId {
  if (!SLUG_PATTERN.test(storeId) || !SLUG_PATTERN.test(terminalId)) {
    throw new Error(`invalid store or terminal id: ${JSON.stringify([storeId, terminalId])}`);
  }
  return `${storeId}/${terminalId}` as PeerId;
}

export interface TerminalAddress {
  readonly storeId: string;
  readonly terminalId: string;
}

export function parseTerminalPeerId(peerId: string): Result<TerminalAddress, 'invalid-peer-id'> {
  const [storeId, terminalId, ...rest] = peerId.split('/');
  if (storeId === undefined || terminalId === undefined || rest.length > 0) {
    return err('invalid-peer-id', `not a store/terminal peer id: ${peerId}`);
  }
  if (!SLUG_PATTERN.test(storeId) || !SLUG_PATTERN.test(terminalId)) {
    return err('invalid-peer-id', `not a store/terminal peer id: ${peerId}`);
  }
  return ok({ storeId, terminalId });
}

const slug = z.string().regex(SLUG_PATTERN);
// 32 random bytes and HMAC-SHA256 outputs are both 43 characters of unpadded base64url.
const base64url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
// Tolerant: unknown keys from a newer peer are dropped, not rejected.
const peerMetadataSchema = z.object({
  storageId: z.string().min(1).max(128).optional(),
  isEphemeral: z.boolean().optional(),
});

/** A sender's wall clock (epoch ms), so that each side can tell the other's skew (CLK2). */
const time = z.number().int().min(0).max(8.64e15);

/** 1, server: a nonce and nothing else. */
export const helloSchema = z.object({
  t: z.literal('hello'),
  v: z.literal(LAN_PROTOCOL_VERSION),
  nonce: base64url32,
});
/** 2, client: its nonce and the proof that it holds the key — still nameless. */
export const authSchema = z.object({
  t: z.literal('auth'),
  v: z.literal(LAN_PROTOCOL_VERSION),
  nonce: base64url32,
  mac: base64url32,
});
/** 3, server: who it is, now that the client proved the key, and its own proof. */
export const welcomeSchema = z.object({
  t: z.literal('welcome'),
  v: z.literal(LAN_PROTOCOL_VERSION),
  terminal: slug,
  peerMetadata: peerMetadataSchema,
  time,
  mac: base64url32,
});
/** 4, client: who it is, to a server that proved the key. */
export const identSchema = z.object({
  t: z.literal('ident'),
  v: z.literal(LAN_PROTOCOL_VERSION),
  terminal: slug,
  peerMetadata: peerMetadataSchema,
  time,
  mac: base64url32,
});
/**
 * 5, server: the client's identity checked, the server's Repo knows the peer; the client starts
 * only now, so its first sync messages never reach a Repo that has not taken the peer in yet.
 */
export const readySchema = z.object({ t: z.literal('ready'), v: z.literal(LAN_PROTOCOL_VERSION) });
export type Hello = z.infer<typeof helloSchema>;
export type Auth = z.infer<typeof authSchema>;
export type Welcome = z.infer<typeof welcomeSchema>;
export type Ident = z.infer<typeof identSchema>;

const handshakeSchemas = {
  hello: helloSchema,
  auth: authSchema,
  welcome: welcomeSchema,
  ident: identSchema,
  ready: readySchema,
} as const;
type HandshakeKind = keyof typeof handshakeSchemas;
type HandshakeMessage<K extends HandshakeKind> = z.infer<(typeof handshakeSchemas)[K]>;
const envelopeSchema = z.object({ t: z.string(), v: z.number() });

export type HandshakeParseFailure = 'too-large' | 'not-json' | 'unsupported-version' | 'unexpected-message';

/** Parses the one handshake message expected next; `frame` is the raw text frame. */
export function parseHandshakeFrame<K extends HandshakeKind>(
  expected: K,
  frame: Uint8Array,
): Result<HandshakeMessage<K>, HandshakeParseFailure> {
  if (frame.byteLength > MAX_HANDSHAKE_FRAME_BYTES) {
    return err('too-large', `${frame.byteLength} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('utf8'));
  } catch {
    return err('not-json', 'handshake frame is not JSON');
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) return err('unexpected-message', 'handshake frame without t and v');
  if (envelope.data.v !== LAN_PROTOCOL_VERSION) {
    return err('unsupported-version', `version ${envelope.data.v}`);
  }
  if (envelope.data.t !== expected) {
    return err('unexpected-message', `expected ${expected}, got ${envelope.data.t.slice(0, 32)}`);
  }
  const parsed = handshakeSchemas[expected].safeParse(value);
  if (!parsed.success) return err('unexpected-message', `malformed ${expected}`);
  return ok(parsed.data as HandshakeMessage<K>);
}

/**
 * What the MACs cover: the store, this connection's nonces, and the names said so far. The
 * client's first proof (`auth`) names nobody; the server's (`welcome`) adds the server; the
 * client's identity (`ident`) adds both.
 */
export interface HandshakeTranscript {
  readonly store: string;
  readonly serverTerminal: string;
  readonly clientTerminal: string;
  readonly serverNonce: string;
  readonly clientNonce: string;
}

export type HandshakeRole = 'auth' | 'welcome' | 'ident';

// The role label keeps one proof from being replayed as another.
export function handshakeMac(lanKey: Uint8Array, role: HandshakeRole, t: HandshakeTranscript): string {
  const names =
    role === 'auth' ? [] : role === 'welcome' ? [t.serverTerminal] : [t.serverTerminal, t.clientTerminal];
  const input = ['caja-lan-v2', role, t.store, ...names, t.serverNonce, t.clientNonce];
  return createHmac('sha256', lanKey).update(input.join('|'), 'utf8').digest('base64url');
}

export function verifyHandshakeMac(
  lanKey: Uint8Array,
  role: HandshakeRole,
  t: HandshakeTranscript,
  mac: string,
): boolean {
  const expected = Buffer.from(handshakeMac(lanKey, role, t), 'base64url');
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Keeps only the fields automerge-repo knows, so the Repo never stores what a peer made up. */
export function toPeerMetadata(value: z.infer<typeof peerMetadataSchema>): PeerMetadata {
  const metadata: PeerMetadata = {};
  if (value.storageId !== undefined) metadata.storageId = value.storageId as PeerMetadata['storageId'];
  if (value.isEphemeral !== undefined) metadata.isEphemeral = value.isEphemeral;
  return metadata;
}

// -- after the handshake: automerge-repo messages, CBOR in binary frames --------------------------

const documentId = z
  .string()
  .regex(/^[1-9A-HJ-NP-Za-km-z]{20,64}$/)
  .refine((id) => isValidDocumentId(id));
const bytes = z.instanceof(Uint8Array);

const syncBytes = bytes.refine((data) => {
  try {
    return changesWithinCaps(data);
  } catch {
    return false;
  }
}, 'not an automerge sync message within the size caps');
const route = { senderId: z.string().max(200), targetId: z.string().max(200) };
const storageIds = z.array(z.string().max(128)).max(10_000).optional();

const repoMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sync'), ...route, documentId, data: syncBytes }),
  z.object({ type: z.literal('request'), ...route, documentId, data: syncBytes }),
  z.object({ type: z.literal('doc-unavailable'), ...route, documentId }),
  z.object({
    type: z.literal('ephemeral'),
    ...route,
    documentId,
    data: bytes,
    count: z.number().int().nonnegative(),
    sessionId: z.string().min(1).max(64),
  }),
  z.object({ type: z.literal('remote-subscription-change'), ...route, add: storageIds, remove: storageIds }),
  z.object({
    type: z.literal('remote-heads-changed'),
    ...route,
    documentId,
    newHeads: z.record(
      z.string().max(128),
      z.object({ heads: z.array(z.string().max(128)).max(1000), timestamp: z.number() }),
    ),
  }),
]);

export interface FrameContext {
  /** The authenticated peer at the other end of this socket. */
  readonly from: PeerId;
  /** Our own peer id: every frame must be addressed to it. */
  readonly self: PeerId;
  readonly storeId: string;
}

/**
 * Checks one decoded frame. automerge-repo trusts `senderId` as sent, so it must be the
 * authenticated peer — except for ephemeral messages, which the Repo relays with the original
 * sender's id; those may name any terminal of this store (all relays are authenticated members).
 */
export function parseRepoFrame(value: unknown, ctx: FrameContext): Result<RepoMessage, 'invalid-frame'> {
  if (typeof value !== 'object' || value === null) return err('invalid-frame', 'not an object');
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return err('invalid-frame', 'not a plain object');
  const parsed = repoMessageSchema.safeParse(value);
  if (!parsed.success) {
    const type = (value as { type?: unknown }).type;
    return err(
      'invalid-frame',
      `malformed message (type ${typeof type === 'string' ? type.slice(0, 40) : '?'})`,
    );
  }
  const message = parsed.data;
  if (message.targetId !== ctx.self) return err('invalid-frame', 'targetId is not us');
  if (message.senderId !== ctx.from) {
    const relayed = message.type === 'ephemeral' && isStorePeer(message.senderId, ctx);
    if (!relayed) return err('invalid-frame', `senderId ${message.senderId.slice(0, 80)} is not ${ctx.from}`);
  }
  return ok(message as RepoMessage);
}

function isStorePeer(peerId: string, ctx: FrameContext): boolean {
  const address = parseTerminalPeerId(peerId);
  return address.ok && address.value.storeId === ctx.storeId && peerId !== ctx.self;
}
