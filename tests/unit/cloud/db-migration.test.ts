import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, openDb } from '../../../src/cloud/db.js';
import { tempDir } from '../../support/processes.js';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => dir?.remove());

const insertSale = `INSERT INTO offline_sales (store_id, id, kind, terminal_id, prefix, consecutive, invoice_id,
  content_hash, body, received_at, seal_json) VALUES ('demo', ?, ?, 'caja-1', 'C1', ?, NULL, 'h', '{}', 't', NULL)`;

describe('the reference cloud database', () => {
  it('[UPL10] migration 6 keeps every stored sale and its seq, and takes unused numbers that never share a number with an invoice', () => {
    dir = tempDir();
    const path = `${dir.path}/cloud.db`;
    // A database of the previous version, with two stored invoices.
    const old = new Database(path);
    for (const sql of MIGRATIONS.slice(0, 5)) old.exec(sql);
    old.pragma('user_version = 5');
    old
      .prepare(
        "INSERT INTO stores (id, profile_json, token_hash, lan_key, floor_json, catalog_updated_at) VALUES ('demo', '{}', 'x', 'k', '{}', 't')",
      )
      .run();
    old.prepare(insertSale).run('a', 'invoice', 1);
    old.prepare(insertSale).run('b', 'invoice', 2);
    expect(() => old.prepare(insertSale).run('u', 'unused-number', 3)).toThrow(/CHECK/);
    old.close();

    const db = openDb(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT seq, id FROM offline_sales ORDER BY seq').all()).toEqual([
      { seq: 1, id: 'a' },
      { seq: 2, id: 'b' },
    ]);
    db.prepare(insertSale).run('u', 'unused-number', 3);
    expect(db.prepare("SELECT seq FROM offline_sales WHERE id = 'u'").get()).toEqual({ seq: 3 });
    // A number is issued or reported unused, never both.
    expect(() => db.prepare(insertSale).run('v', 'unused-number', 2)).toThrow(/UNIQUE/);
    expect(() => db.prepare(insertSale).run('c', 'invoice', 3)).toThrow(/UNIQUE/);
    db.close();
  });
});
