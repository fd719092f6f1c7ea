import { completeCustomer, type Customer } from '../domain/customer.js';
import { customerSchema } from '../domain/schemas.js';
import type { Db } from './db.js';

/** Where a directory entry's data came from: the back office, or the buyer of an uploaded invoice. */
export type CustomerSource = 'back-office' | 'offline-invoice';

/**
 * What an invoice's buyer makes of a directory entry: the fields it states replace the entry's,
 * the others stay (an e-mail, the municipality's name the cashier did not type).
 */
function mergeBuyer(entry: Customer, given: Customer): Customer {
  const merged = { ...entry, ...given };
  const { address } = given;
  if (address?.municipality !== undefined || entry.address?.municipalityCode !== address?.municipalityCode)
    return merged;
  return address ? { ...merged, address: { ...address, municipality: entry.address?.municipality } } : merged;
}

/** The reference cloud's customer directory (src/domain/SPEC.md CUS5–CUS6). */
export class CustomerDirectoryStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      version: db.prepare<[string], { customers_version: number }>(
        'SELECT customers_version FROM stores WHERE id = ?',
      ),
      all: db.prepare<[string], { customer_json: string }>(
        'SELECT customer_json FROM customers WHERE store_id = ? ORDER BY id_type, id_number',
      ),
      one: db.prepare<[string, string, string], { customer_json: string; seen_at: string }>(
        'SELECT customer_json, seen_at FROM customers WHERE store_id = ? AND id_type = ? AND id_number = ?',
      ),
      upsert: db.prepare(
        `INSERT INTO customers (store_id, id_type, id_number, customer_json, source, seen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (store_id, id_type, id_number) DO UPDATE SET
           customer_json = excluded.customer_json, source = excluded.source, seen_at = excluded.seen_at`,
      ),
      bump: db.prepare('UPDATE stores SET customers_version = customers_version + 1 WHERE id = ?'),
    };
  }

  version(storeId: string): string | undefined {
    const row = this.stmts.version.get(storeId);
    return row ? String(row.customers_version) : undefined;
  }

  /** CUS5: the store's customer directory, by identification. */
  all(storeId: string): Customer[] {
    return this.stmts.all.all(storeId).map((r) => customerSchema.parse(JSON.parse(r.customer_json)));
  }

  /**
   * CUS6: add or replace a directory entry. `seenAt` (an ISO instant) is when the data was given:
   * an older invoice uploaded late never overwrites newer data; an invoice's buyer updates the
   * fields it states and keeps the others. Answers whether the directory changed (its version is
   * bumped only then). Call it inside the caller's transaction.
   */
  upsert(storeId: string, given: Customer, source: CustomerSource, seenAt: string): boolean {
    const existing = this.stmts.one.get(storeId, given.idType, given.idNumber);
    if (existing && existing.seen_at > seenAt) return false;
    const entry =
      existing && source === 'offline-invoice'
        ? mergeBuyer(customerSchema.parse(JSON.parse(existing.customer_json)), given)
        : given;
    const customer = customerSchema.parse(completeCustomer(entry));
    const json = JSON.stringify(customer);
    if (existing?.customer_json === json) return false;
    this.stmts.upsert.run(storeId, customer.idType, customer.idNumber, json, source, seenAt);
    this.stmts.bump.run(storeId);
    return true;
  }

  /** Back office: add or replace one customer; answers the directory's version. */
  put(storeId: string, customer: Customer, now: number): string {
    return this.db.transaction(() => {
      this.upsert(storeId, customer, 'back-office', new Date(now).toISOString());
      return this.version(storeId) ?? '';
    })();
  }
}
