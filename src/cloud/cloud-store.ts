import { createHash, timingSafeEqual } from 'node:crypto';
import { certificateSchema, type Certificate } from '../domain/certificate.js';
import { generateSigningKey, keyIdOf, signingKeyFromPem, type SigningKey } from '../security/signing.js';
import { certify } from '../security/terminal-trust.js';
import type { Product } from '../domain/catalog.js';
import { productSchema } from '../domain/catalog.js';
import type { Numbering } from '../domain/schemas.js';
import type { PinHash } from '../security/pin.js';
import { pinHashSchema } from '../security/pin.js';
import { formatInTimeZone } from '../domain/time.js';
import type { Customer } from '../domain/customer.js';
import { CustomerDirectoryStore } from './customer-directory-store.js';
import { numberingOf, ResolutionStore, type RangeRow } from './resolution-store.js';
import {
  floorSchema,
  storeProfileSchema,
  type FloorPlan,
  type Inventory,
  type Provisioning,
  type StoreProfile,
} from '../contract/cloud.js';
import type { Db } from './db.js';

export interface TerminalSeed {
  readonly id: string;
  readonly name: string;
  readonly numbering: Numbering;
}

export interface UserSeed {
  readonly id: string;
  readonly name: string;
  readonly role: 'cashier' | 'manager';
  readonly pin: PinHash;
}

export interface StoreSeed {
  readonly profile: StoreProfile;
  readonly token: string;
  readonly lanKey: string;
  readonly floor: FloorPlan;
  readonly terminals: readonly TerminalSeed[];
  readonly users: readonly UserSeed[];
  readonly products: readonly { readonly product: Product; readonly stockMilli: number }[];
  /** The customer directory to start with (CUS5). */
  readonly customers?: readonly Customer[];
}

export type AuthOutcome = 'ok' | 'unknown-store' | 'unauthorized';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface StoreRow {
  id: string;
  profile_json: string;
  token_hash: string;
  lan_key: string;
  floor_json: string;
  catalog_version: number;
  catalog_updated_at: string;
  signing_key: string | null;
  customers_version: number;
}

interface TerminalRow extends RangeRow {
  id: string;
  name: string;
}

/** RNG5: the numbers of a range each installation (each new key) of a terminal gets by default. */
export const DEFAULT_POSITION_SIZE = 5_000;

/**
 * RNG5: the position a new key gets in a range — after every position the terminal's earlier keys
 * had in it (a certificate without one had the whole range) — or none when nothing is left.
 */
export function nextPosition(
  numbering: Numbering,
  earlier: readonly Certificate[],
  size: number,
): { from: number; to: number } | undefined {
  let taken = numbering.from - 1;
  for (const c of earlier) {
    if (
      c.numbering.prefix !== numbering.prefix ||
      c.numbering.resolutionNumber !== numbering.resolutionNumber
    )
      continue;
    if (c.numbering.from !== numbering.from || c.numbering.to !== numbering.to) continue;
    taken = Math.max(taken, c.position?.to ?? c.numbering.to);
  }
  const from = taken + 1;
  if (from > numbering.to) return undefined;
  return { from, to: Math.min(numbering.to, from + size - 1) };
}

/** Stores, terminals, users, keys, catalog and inventory of the reference cloud. */
export class CloudStore {
  private readonly stmts;

  private readonly signingKeys: Map<string, SigningKey>;
  private readonly certificateCache = new Map<string, Certificate>();
  /** CUS5–CUS6: the store's customer directory. */
  readonly directory: CustomerDirectoryStore;
  /** RNG1: every range (resolution) assigned to a terminal. */
  readonly ranges: ResolutionStore;

  constructor(
    readonly db: Db,
    /** RNG5: how many numbers of a range each new key of a terminal gets. */
    private readonly positionSize: number = DEFAULT_POSITION_SIZE,
  ) {
    this.directory = new CustomerDirectoryStore(db);
    this.ranges = new ResolutionStore(db);
    this.stmts = {
      store: db.prepare<[string], StoreRow>('SELECT * FROM stores WHERE id = ?'),
      terminal: db.prepare<[string, string], TerminalRow>(
        'SELECT * FROM terminals WHERE store_id = ? AND id = ?',
      ),
      terminals: db.prepare<[string], TerminalRow>('SELECT * FROM terminals WHERE store_id = ? ORDER BY id'),
      users: db.prepare<
        [string],
        { id: string; name: string; role: 'cashier' | 'manager'; pin_json: string }
      >('SELECT id, name, role, pin_json FROM users WHERE store_id = ? ORDER BY id'),
      products: db.prepare<[string], { product_json: string }>(
        'SELECT product_json FROM products WHERE store_id = ? ORDER BY position, sku',
      ),
      inventory: db.prepare<[string], { sku: string; on_hand_milli: number }>(
        'SELECT sku, on_hand_milli FROM inventory WHERE store_id = ? ORDER BY sku',
      ),
      insertProduct: db.prepare(
        `INSERT INTO products (store_id, sku, position, product_json)
         VALUES (?, ?, COALESCE((SELECT MAX(position) + 1 FROM products WHERE store_id = ?), 0), ?)
         ON CONFLICT (store_id, sku) DO UPDATE SET product_json = excluded.product_json`,
      ),
      deleteProduct: db.prepare('DELETE FROM products WHERE store_id = ? AND sku = ?'),
      bumpCatalog: db.prepare(
        'UPDATE stores SET catalog_version = catalog_version + 1, catalog_updated_at = ? WHERE id = ?',
      ),
      ensureInventory: db.prepare(
        'INSERT INTO inventory (store_id, sku, on_hand_milli) VALUES (?, ?, 0) ON CONFLICT DO NOTHING',
      ),
      setToken: db.prepare('UPDATE stores SET token_hash = ? WHERE id = ?'),
      setSigningKey: db.prepare('UPDATE stores SET signing_key = ? WHERE id = ? AND signing_key IS NULL'),
      certificate: db.prepare<[string, string, string], { certificate_json: string }>(
        'SELECT certificate_json FROM terminal_keys WHERE store_id = ? AND terminal_id = ? AND key_id = ?',
      ),
      certificates: db.prepare<[string], { certificate_json: string }>(
        'SELECT certificate_json FROM terminal_keys WHERE store_id = ? ORDER BY created_at, terminal_id, key_id',
      ),
      insertCertificate: db.prepare(
        `INSERT INTO terminal_keys (store_id, terminal_id, key_id, public_key, certificate_json, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
    };
    this.signingKeys = new Map();
  }

  hasStore(storeId: string): boolean {
    return this.stmts.store.get(storeId) !== undefined;
  }

  /** Create a store with everything it needs; does nothing and answers false if it exists. */
  createStore(seed: StoreSeed, now: number): boolean {
    const db = this.db;
    return db.transaction(() => {
      if (this.hasStore(seed.profile.id)) return false;
      const storeId = seed.profile.id;
      db.prepare(
        `INSERT INTO stores (id, profile_json, token_hash, lan_key, floor_json, catalog_version, catalog_updated_at)
         VALUES (?, ?, ?, ?, ?, 1, ?)`,
      ).run(
        storeId,
        JSON.stringify(storeProfileSchema.parse(seed.profile)),
        hashToken(seed.token),
        seed.lanKey,
        JSON.stringify(floorSchema.parse(seed.floor)),
        new Date(now).toISOString(),
      );
      const insertTerminal = db.prepare(
        `INSERT INTO terminals (store_id, id, name, prefix, range_from, range_to, resolution_number, resolution_date, valid_from, valid_until)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const seededAt = new Date(now).toISOString();
      for (const t of seed.terminals) {
        const n = t.numbering;
        this.ranges.record(storeId, t.id, n, seededAt);
        insertTerminal.run(
          storeId,
          t.id,
          t.name,
          n.prefix,
          n.from,
          n.to,
          n.resolutionNumber,
          n.resolutionDate,
          n.validFrom,
          n.validUntil,
        );
      }
      const insertUser = db.prepare(
        'INSERT INTO users (store_id, id, name, role, pin_json) VALUES (?, ?, ?, ?, ?)',
      );
      for (const u of seed.users) insertUser.run(storeId, u.id, u.name, u.role, JSON.stringify(u.pin));
      const insertStock = db.prepare('INSERT INTO inventory (store_id, sku, on_hand_milli) VALUES (?, ?, ?)');
      seed.products.forEach(({ product, stockMilli }, position) => {
        db.prepare('INSERT INTO products (store_id, sku, position, product_json) VALUES (?, ?, ?, ?)').run(
          storeId,
          product.sku,
          position,
          JSON.stringify(productSchema.parse(product)),
        );
        insertStock.run(storeId, product.sku, stockMilli);
      });
      for (const customer of seed.customers ?? [])
        this.directory.upsert(storeId, customer, 'back-office', seededAt);
      return true;
    })();
  }

  /**
   * The store's signing key, the trust root of its terminals: made once (a store created before
   * signatures existed gets its key the first time one is needed) and never changed.
   */
  signingKey(storeId: string): SigningKey | undefined {
    const cached = this.signingKeys.get(storeId);
    if (cached) return cached;
    const row = this.stmts.store.get(storeId);
    if (!row) return undefined;
    let pem = row.signing_key;
    if (pem === null) {
      this.stmts.setSigningKey.run(generateSigningKey().pem, storeId);
      pem = this.stmts.store.get(storeId)?.signing_key ?? null;
      if (pem === null) return undefined;
    }
    const key = signingKeyFromPem(pem);
    this.signingKeys.set(storeId, key);
    return key;
  }

  /**
   * Certify a terminal's public key with the range it numbers from now. The same key again gets
   * its first certificate back (idempotent); a terminal may hold several keys over its life (a
   * re-installed terminal makes a new one), and every certificate stays valid for what it signed.
   *
   * RNG5: a new key gets a position in the range that no earlier key of the terminal ever had —
   * the `positionSize` numbers after the last position handed out — so a wiped terminal installed
   * again never numbers what its earlier installation may have put on paper.
   */
  certifyKey(
    storeId: string,
    terminalId: string,
    publicKey: string,
    now: number,
    /** RNG4: certify the key for this assigned resolution (the next one), not for the one in use. */
    range?: { prefix: string; from: number },
  ):
    | { certificate: Certificate; created: boolean }
    | { refused: 'no-position-left' | 'unknown-range'; message: string }
    | undefined {
    const terminal = this.stmts.terminal.get(storeId, terminalId);
    const storeKey = this.signingKey(storeId);
    const profile = this.profile(storeId);
    if (!terminal || !storeKey || !profile) return undefined;
    return this.db.transaction(() => {
      const existing = this.stmts.certificate.get(storeId, terminalId, keyIdOf(publicKey));
      if (existing)
        return {
          certificate: certificateSchema.parse(JSON.parse(existing.certificate_json)),
          created: false,
        };
      const today = formatInTimeZone(now, profile.timeZone).slice(0, 10);
      const numbering = range
        ? this.ranges.find(storeId, terminalId, range.prefix, range.from)
        : this.currentNumbering(storeId, terminal, today);
      if (!numbering || numbering.validUntil < today)
        return {
          refused: 'unknown-range' as const,
          message: `no resolution ${range?.prefix ?? ''}${range?.from ?? ''} in force or to come for ${terminalId}`,
        };
      const position = nextPosition(
        numbering,
        this.certificates(storeId).filter((c) => c.terminalId === terminalId),
        this.positionSize,
      );
      if (!position)
        return {
          refused: 'no-position-left' as const,
          message:
            `every number of resolution ${numbering.resolutionNumber} (${numbering.prefix}${numbering.from}–` +
            `${numbering.prefix}${numbering.to}) was handed out to an earlier installation of ${terminalId}; ` +
            'assign it a new resolution',
        };
      const certificate = certify(
        {
          storeId,
          terminalId,
          publicKey,
          numbering,
          position,
          issuedAt: formatInTimeZone(now, profile.timeZone),
        },
        storeKey,
      );
      this.stmts.insertCertificate.run(
        storeId,
        terminalId,
        certificate.keyId,
        publicKey,
        JSON.stringify(certificate),
        new Date(now).toISOString(),
      );
      return { certificate, created: true };
    })();
  }

  certificates(storeId: string): Certificate[] {
    return this.stmts.certificates
      .all(storeId)
      .map((r) => certificateSchema.parse(JSON.parse(r.certificate_json)));
  }

  /**
   * A certified key of a terminal, to check what it signed. Certificates never change once issued,
   * so each is read and parsed once (an upload checks one per item).
   */
  certificate(storeId: string, terminalId: string, keyId: string): Certificate | undefined {
    const cacheKey = `${storeId}|${terminalId}|${keyId}`;
    const cached = this.certificateCache.get(cacheKey);
    if (cached) return cached;
    const row = this.stmts.certificate.get(storeId, terminalId, keyId);
    if (!row) return undefined;
    const certificate = certificateSchema.parse(JSON.parse(row.certificate_json));
    this.certificateCache.set(cacheKey, certificate);
    return certificate;
  }

  setToken(storeId: string, token: string): void {
    this.stmts.setToken.run(hashToken(token), storeId);
  }

  authenticate(storeId: string, token: string | undefined): AuthOutcome {
    const row = this.stmts.store.get(storeId);
    if (!row) return 'unknown-store';
    if (token === undefined) return 'unauthorized';
    const a = Buffer.from(hashToken(token), 'hex');
    const b = Buffer.from(row.token_hash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'unauthorized';
  }

  profile(storeId: string): StoreProfile | undefined {
    const row = this.stmts.store.get(storeId);
    return row ? storeProfileSchema.parse(JSON.parse(row.profile_json)) : undefined;
  }

  terminal(storeId: string, terminalId: string): (Numbering & { id: string; name: string }) | undefined {
    const row = this.stmts.terminal.get(storeId, terminalId);
    return row ? { id: row.id, name: row.name, ...numberingOf(row) } : undefined;
  }

  /** The resolution a terminal numbers from today (a later one waits for its first day, RNG4). */
  private currentNumbering(storeId: string, terminal: TerminalRow, today: string): Numbering {
    return this.ranges.current(storeId, terminal.id, today) ?? numberingOf(terminal);
  }

  /** The store's local date. */
  today(storeId: string, now: number): string {
    const profile = this.profile(storeId);
    return formatInTimeZone(now, profile?.timeZone ?? 'America/Bogota').slice(0, 10);
  }

  provisioning(storeId: string, terminalId: string, now: number): Provisioning | undefined {
    const store = this.stmts.store.get(storeId);
    const terminal = this.stmts.terminal.get(storeId, terminalId);
    if (!store || !terminal) return undefined;
    const profile = storeProfileSchema.parse(JSON.parse(store.profile_json));
    return {
      store: profile,
      terminal: {
        id: terminal.id,
        name: terminal.name,
        numbering: this.currentNumbering(
          storeId,
          terminal,
          formatInTimeZone(now, profile.timeZone).slice(0, 10),
        ),
      },
      terminals: this.stmts.terminals.all(storeId).map((t) => ({ id: t.id, name: t.name, prefix: t.prefix })),
      users: this.stmts.users.all(storeId).map((u) => ({
        id: u.id,
        name: u.name,
        role: u.role,
        pin: pinHashSchema.parse(JSON.parse(u.pin_json)),
      })),
      lanKey: store.lan_key,
      floor: floorSchema.parse(JSON.parse(store.floor_json)),
      catalogVersion: String(store.catalog_version),
      issuedAt: formatInTimeZone(now, profile.timeZone),
      storePublicKey: this.signingKey(storeId)?.publicKey ?? '',
      certificates: this.certificates(storeId),
    };
  }

  catalogVersion(storeId: string): string | undefined {
    const row = this.stmts.store.get(storeId);
    return row ? String(row.catalog_version) : undefined;
  }

  products(storeId: string): Product[] {
    return this.stmts.products.all(storeId).map((r) => productSchema.parse(JSON.parse(r.product_json)));
  }

  upsertProduct(storeId: string, product: Product, now: number): string {
    return this.db.transaction(() => {
      this.stmts.insertProduct.run(storeId, product.sku, storeId, JSON.stringify(product));
      this.stmts.ensureInventory.run(storeId, product.sku);
      this.stmts.bumpCatalog.run(new Date(now).toISOString(), storeId);
      return this.catalogVersion(storeId) ?? '';
    })();
  }

  deleteProduct(storeId: string, sku: string, now: number): boolean {
    return this.db.transaction(() => {
      const removed = this.stmts.deleteProduct.run(storeId, sku).changes > 0;
      if (removed) this.stmts.bumpCatalog.run(new Date(now).toISOString(), storeId);
      return removed;
    })();
  }

  inventory(storeId: string): Inventory {
    return this.stmts.inventory.all(storeId).map((r) => ({ sku: r.sku, onHand: r.on_hand_milli / 1000 }));
  }
}
