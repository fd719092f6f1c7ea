import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Schema migrations, applied in order; `user_version` records how many ran. Never edit a
 * migration that has shipped: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE stores (
    id TEXT PRIMARY KEY,
    profile_json TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    lan_key TEXT NOT NULL,
    floor_json TEXT NOT NULL,
    catalog_version INTEGER NOT NULL DEFAULT 1,
    catalog_updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE terminals (
    store_id TEXT NOT NULL REFERENCES stores(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    range_from INTEGER NOT NULL,
    range_to INTEGER NOT NULL,
    resolution_number TEXT NOT NULL,
    resolution_date TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    PRIMARY KEY (store_id, id),
    UNIQUE (store_id, prefix)
  ) STRICT;
  CREATE TABLE users (
    store_id TEXT NOT NULL REFERENCES stores(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
    pin_json TEXT NOT NULL,
    PRIMARY KEY (store_id, id)
  ) STRICT;
  CREATE TABLE products (
    store_id TEXT NOT NULL REFERENCES stores(id),
    sku TEXT NOT NULL,
    position INTEGER NOT NULL,
    product_json TEXT NOT NULL,
    PRIMARY KEY (store_id, sku)
  ) STRICT;
  CREATE TABLE inventory (
    store_id TEXT NOT NULL REFERENCES stores(id),
    sku TEXT NOT NULL,
    on_hand_milli INTEGER NOT NULL,
    PRIMARY KEY (store_id, sku)
  ) STRICT;
  CREATE TABLE offline_sales (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id TEXT NOT NULL REFERENCES stores(id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit-note')),
    terminal_id TEXT NOT NULL,
    prefix TEXT,
    consecutive INTEGER,
    invoice_id TEXT,
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (store_id, id)
  ) STRICT;
  CREATE UNIQUE INDEX offline_sales_number ON offline_sales (store_id, prefix, consecutive) WHERE kind = 'invoice';
  CREATE UNIQUE INDEX offline_sales_void ON offline_sales (store_id, invoice_id) WHERE kind = 'credit-note';
  CREATE INDEX offline_sales_terminal ON offline_sales (store_id, terminal_id, seq);
  `,
  // Signatures: the store's signing key (its public half goes to every terminal), the terminal keys
  // it certified, and the seal each uploaded document came with.
  `
  ALTER TABLE stores ADD COLUMN signing_key TEXT;
  CREATE TABLE terminal_keys (
    store_id TEXT NOT NULL REFERENCES stores(id),
    terminal_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    certificate_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (store_id, terminal_id, key_id)
  ) STRICT;
  ALTER TABLE offline_sales ADD COLUMN seal_json TEXT;
  `,
  // Partial returns (RET1): an invoice may have several credit notes with lines, but one whole
  // void at most (a credit note without lines).
  `
  DROP INDEX offline_sales_void;
  CREATE UNIQUE INDEX offline_sales_void ON offline_sales (store_id, invoice_id)
    WHERE kind = 'credit-note' AND json_extract(body, '$.lines') IS NULL;
  CREATE INDEX offline_sales_credit_notes ON offline_sales (store_id, invoice_id) WHERE kind = 'credit-note';
  `,
  // The customer directory (CUS5): buyers entered in the back office or on an offline invoice,
  // one row per identification; `seen_at` is when that data was given (the newest wins).
  `
  ALTER TABLE stores ADD COLUMN customers_version INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE customers (
    store_id TEXT NOT NULL REFERENCES stores(id),
    id_type TEXT NOT NULL,
    id_number TEXT NOT NULL,
    customer_json TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('back-office', 'offline-invoice')),
    seen_at TEXT NOT NULL,
    PRIMARY KEY (store_id, id_type, id_number)
  ) STRICT;
  `,
  // Every resolution (authorized range) ever assigned to a terminal (RNG1): invoices are checked
  // against the one printed on them, so a terminal given a new range never strands its older ones.
  `
  CREATE TABLE resolutions (
    store_id TEXT NOT NULL REFERENCES stores(id),
    terminal_id TEXT NOT NULL,
    prefix TEXT NOT NULL,
    range_from INTEGER NOT NULL,
    range_to INTEGER NOT NULL,
    resolution_number TEXT NOT NULL,
    resolution_date TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (store_id, prefix, range_from)
  ) STRICT;
  CREATE INDEX resolutions_terminal ON resolutions (store_id, terminal_id);
  INSERT INTO resolutions (store_id, terminal_id, prefix, range_from, range_to, resolution_number,
      resolution_date, valid_from, valid_until, assigned_at)
    SELECT store_id, id, prefix, range_from, range_to, resolution_number, resolution_date, valid_from,
      valid_until, '' FROM terminals;
  `,
  // Unused numbers (UPL10): a third kind of stored document. SQLite cannot change a CHECK, so the
  // table is rebuilt (same rows, same seqs); a number is either issued or reported unused, never both.
  `
  CREATE TABLE offline_sales_v6 (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id TEXT NOT NULL REFERENCES stores(id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit-note', 'unused-number')),
    terminal_id TEXT NOT NULL,
    prefix TEXT,
    consecutive INTEGER,
    invoice_id TEXT,
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    seal_json TEXT,
    UNIQUE (store_id, id)
  ) STRICT;
  INSERT INTO offline_sales_v6 (seq, store_id, id, kind, terminal_id, prefix, consecutive, invoice_id,
      content_hash, body, received_at, seal_json)
    SELECT seq, store_id, id, kind, terminal_id, prefix, consecutive, invoice_id, content_hash, body,
      received_at, seal_json FROM offline_sales;
  DROP TABLE offline_sales;
  ALTER TABLE offline_sales_v6 RENAME TO offline_sales;
  CREATE UNIQUE INDEX offline_sales_number ON offline_sales (store_id, prefix, consecutive)
    WHERE kind IN ('invoice', 'unused-number');
  CREATE UNIQUE INDEX offline_sales_void ON offline_sales (store_id, invoice_id)
    WHERE kind = 'credit-note' AND json_extract(body, '$.lines') IS NULL;
  CREATE INDEX offline_sales_credit_notes ON offline_sales (store_id, invoice_id) WHERE kind = 'credit-note';
  CREATE INDEX offline_sales_terminal ON offline_sales (store_id, terminal_id, seq);
  `,
  // The simulated transmission to the DIAN (DIAN1): every invoice and credit note is pending until
  // transmitted (with its CUFE / CUDE) or rejected (with a reason); a store can arm the demo switch
  // that rejects its next document (DIAN3).
  `
  ALTER TABLE offline_sales ADD COLUMN dian_status TEXT CHECK (dian_status IN ('pending', 'transmitted', 'rejected'));
  ALTER TABLE offline_sales ADD COLUMN dian_cufe TEXT;
  ALTER TABLE offline_sales ADD COLUMN dian_at TEXT;
  ALTER TABLE offline_sales ADD COLUMN dian_reason TEXT;
  UPDATE offline_sales SET dian_status = 'pending' WHERE kind IN ('invoice', 'credit-note');
  CREATE INDEX offline_sales_dian_pending ON offline_sales (seq) WHERE dian_status = 'pending';
  ALTER TABLE stores ADD COLUMN dian_reject_next TEXT;
  `,
];

/**
 * WAL with synchronous=FULL: a commit is on disk (the WAL is fsynced) before the cloud answers,
 * so an acknowledged sale survives a power cut. One commit per batch keeps that affordable.
 */
export function openDb(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this program (${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    const sql = MIGRATIONS[version];
    if (sql === undefined) break;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
