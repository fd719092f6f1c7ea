import { customerKey, isFinalConsumer, type Customer } from './customer.js';
import { foldText } from './text.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The customer directory at the till (SPEC.md CUS5–CUS7): the buyers read from the cloud with
 * "Leer catálogo", and the buyers identified on the store's invoices that the cloud has not given
 * back yet (created offline, on any terminal).
 */
export type DirectorySource = 'cloud' | 'offline';

export interface DirectoryEntry {
  readonly customer: Customer;
  readonly source: DirectorySource;
}

/** A buyer seen on an invoice, with when that invoice was issued (an ISO instant or offset time). */
export interface SeenBuyer {
  readonly customer: Customer;
  readonly seenAt: string;
}

/**
 * CUS7: the cloud's entries, and for each identification the newest data: an invoice issued after
 * the directory was read (or in the same second), or a buyer the cloud does not list, wins over
 * the cloud's entry, unless that entry already holds what the invoice states (given back).
 * `readAt` is when the directory was read (undefined: never).
 */
export function mergeDirectory(
  cloud: readonly Customer[],
  seen: Iterable<SeenBuyer>,
  readAt: string | undefined,
): DirectoryEntry[] {
  const entries = new Map<string, DirectoryEntry>();
  for (const customer of cloud) entries.set(customerKey(customer), { customer, source: 'cloud' });
  const readMs = readAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(readAt);
  for (const buyer of seen) {
    if (isFinalConsumer(buyer.customer)) continue;
    const key = customerKey(buyer.customer);
    const listed = entries.get(key);
    if (listed) {
      // The cloud gave it back (what the invoice states is in its entry), or it is older than the
      // read. An invoice of the same second as the read cannot be ordered against it: the till's
      // data is taken then (the buyer just gave it).
      if (statedIn(buyer.customer, listed.customer)) continue;
      if (Date.parse(buyer.seenAt) < readMs) continue;
    }
    entries.set(key, { customer: buyer.customer, source: 'offline' });
  }
  return [...entries.values()];
}

/** Every field an invoice states of its buyer is in the directory's entry (which may hold more). */
function statedIn(stated: Customer, entry: Customer): boolean {
  return (Object.keys(stated) as (keyof Customer)[]).every((field) => {
    if (field === 'address') {
      const a = stated.address;
      const b = entry.address;
      return (
        a === undefined || (b !== undefined && a.line === b.line && a.municipalityCode === b.municipalityCode)
      );
    }
    return canonicalJson(stated[field]) === canonicalJson(entry[field]);
  });
}

/** Keep the newest buyer data per identification (invoices arrive in any order from peers). */
export function keepNewest(seen: Map<string, SeenBuyer>, buyer: SeenBuyer): void {
  if (isFinalConsumer(buyer.customer)) return;
  const key = customerKey(buyer.customer);
  const current = seen.get(key);
  if (!current || Date.parse(buyer.seenAt) > Date.parse(current.seenAt)) seen.set(key, buyer);
}

export const DIRECTORY_SEARCH_LIMIT = 20;

/**
 * CUS5: search by identification number or by name. Digits match the start of an identification
 * (an exact one first), words match the start of words of the name, accents and case folded
 * ("pena" finds "Julián Andrés Peña"). Best first, then by name; an empty query finds nothing.
 */
export function searchDirectory(
  entries: readonly DirectoryEntry[],
  query: string,
  limit = DIRECTORY_SEARCH_LIMIT,
): DirectoryEntry[] {
  const text = foldText(query.trim());
  if (text.length === 0) return [];
  const id = text.replace(/[\s.-]/g, '');
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const ranked: { entry: DirectoryEntry; rank: number; name: string }[] = [];
  for (const entry of entries) {
    const number = entry.customer.idNumber.toLowerCase();
    const name = foldText(entry.customer.name);
    let rank: number | undefined;
    if (/^[0-9a-z]+$/.test(id) && number === id) rank = 0;
    else if (/^[0-9a-z]+$/.test(id) && id.length >= 3 && number.startsWith(id)) rank = 1;
    else {
      const nameWords = name.split(/[\s.,]+/);
      if (words.every((w) => nameWords.some((n) => n.startsWith(w)))) rank = 2;
    }
    if (rank !== undefined) ranked.push({ entry, rank, name });
  }
  ranked.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return ranked.slice(0, limit).map((r) => r.entry);
}
