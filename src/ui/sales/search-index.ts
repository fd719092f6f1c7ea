import type { Product } from '../../domain/catalog.js';
import { foldText } from '../../domain/text.js';
import { matchSets, type MatchSets } from './match-sets.js';

/**
 * Product search by name, SKU or barcode, accent- and case-insensitive: a product matches when
 * every word of the query is part of its name, SKU, barcode or category. The index is built once
 * per catalog version; a keystroke that extends the query narrows the last answer's matches
 * rather than reading the catalog again (match-sets.ts), and ranking reads the names that start
 * with the first word as one range of the name order.
 */
export const normalizeText = foldText;

export interface SearchIndex {
  readonly products: readonly Product[];
  /** A product whose barcode or SKU is exactly the text (what a scanner types), if any. */
  exact(text: string): Product | undefined;
  /** Products matching every word of the query, best first, at most `limit` (SEARCH_LIMIT). */
  search(query: string, limit?: number): Product[];
  /** How many products match every word of the query (all of them, not only those shown). */
  count(query: string): number;
  /** Categories in catalog order of first appearance. */
  readonly categories: readonly string[];
  inCategory(category: string): Product[];
  /** Builds now what the first keystroke would otherwise build: call it when the screen is idle. */
  prepare(): void;
}

/**
 * A name's sort key: accents and case folded, numbers padded so that "6 L" comes before "10 L".
 * Comparing keys with `<` sorts 10,000 names in a few milliseconds, where Intl.Collator took most
 * of the hundred milliseconds the index cost at log-in (bench:ui).
 */
function sortKey(normalizedName: string): string {
  return normalizedName.replace(/\d+/g, (digits) => digits.padStart(12, '0'));
}

/**
 * Results shown per keystroke: more screens of tiles than a cashier scrolls through before typing
 * one more letter, and each tile costs rendering time on every keystroke (bench:ui).
 */
export const SEARCH_LIMIT = 30;

const queryWords = (query: string) => normalizeText(query).split(/\s+/).filter(Boolean);

/** The first position in `sorted` whose value is not below `value`. */
function lowerBound<T>(sorted: ArrayLike<T>, value: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as T) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The catalog in name order, its searchable texts and its codes: the costly part of the index. */
interface NameOrder {
  readonly products: readonly Product[];
  /** Folded names and their sort keys, by position in name order. */
  readonly names: readonly string[];
  readonly keys: readonly string[];
  readonly sets: MatchSets;
  readonly byCode: ReadonlyMap<string, Product>;
  /** Positions in name order of each SKU (lower case) and barcode: an exact code ranks first. */
  readonly skuAt: ReadonlyMap<string, number>;
  readonly barcodeAt: ReadonlyMap<string, number>;
  readonly byCategory: ReadonlyMap<string, readonly Product[]>;
}

function buildNameOrder(active: readonly Product[]): NameOrder {
  // Kept in name order, so results come out sorted without sorting on each keystroke.
  const entries = active.map((product) => {
    const name = normalizeText(product.name);
    return { product, name, key: sortKey(name) };
  });
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const products = entries.map((e) => e.product);
  const byCode = new Map<string, Product>();
  const skuAt = new Map<string, number>();
  const barcodeAt = new Map<string, number>();
  const byCategory = new Map<string, Product[]>();
  products.forEach((p, i) => {
    byCode.set(p.sku.toLowerCase(), p);
    skuAt.set(p.sku.toLowerCase(), i);
    if (p.barcode !== undefined) {
      byCode.set(p.barcode, p);
      barcodeAt.set(p.barcode, i);
    }
    const inCategory = byCategory.get(p.category);
    if (inCategory) inCategory.push(p);
    else byCategory.set(p.category, [p]);
  });
  return {
    products,
    names: entries.map((e) => e.name),
    keys: entries.map((e) => e.key),
    sets: matchSets(
      entries.map(
        ({ product: p, name }) => `${name} ${normalizeText(`${p.sku} ${p.barcode ?? ''} ${p.category}`)}`,
      ),
    ),
    byCode,
    skuAt,
    barcodeAt,
    byCategory,
  };
}

/**
 * Best first: the product whose SKU or barcode is the first word, then names starting with it,
 * then names with a word starting with it, then the rest, each in name order; the first `limit`.
 */
function rank(order: NameOrder, matches: Int32Array, first: string, limit: number): number[] {
  const { names, keys, skuAt, barcodeAt } = order;
  const isMatch = (i: number) => {
    const at = lowerBound(matches, i);
    return at < matches.length && matches[at] === i;
  };
  const exact = [skuAt.get(first), barcodeAt.get(first)]
    .filter((i): i is number => i !== undefined && isMatch(i))
    .sort((a, b) => a - b)
    .filter((i, k, list) => list[k - 1] !== i);
  const chosen = [...exact];
  // Names starting with the first word: without digits in it, one range of the name order (a
  // key differs from its name only in digit runs). With digits, every match is read.
  const digits = /\d/.test(first);
  const from = digits ? 0 : lowerBound(keys, first);
  const to = digits ? names.length : lowerBound(keys, `${first}\uffff`);
  const startsWith = (i: number) => (digits ? (names[i] ?? '').startsWith(first) : i >= from && i < to);
  for (let k = lowerBound(matches, from); k < matches.length && chosen.length < limit; k += 1) {
    const i = matches[k] as number;
    if (i >= to) break;
    if (startsWith(i) && !exact.includes(i)) chosen.push(i);
  }
  const room = limit - chosen.length;
  if (room <= 0) return chosen.slice(0, limit);
  const inWord: number[] = [];
  const rest: number[] = [];
  const inside = ` ${first}`;
  for (let k = 0; k < matches.length && inWord.length < room; k += 1) {
    const i = matches[k] as number;
    if (startsWith(i) || exact.includes(i)) continue;
    if ((names[i] ?? '').includes(inside)) inWord.push(i);
    else if (rest.length < room) rest.push(i);
  }
  return [...chosen, ...inWord, ...rest].slice(0, limit);
}

/**
 * The categories are ready at once: the sale screen shows them as soon as the catalog is in. The
 * name order, the texts and the codes (a hundred milliseconds for 10,000 products on a loaded
 * 2-core till) are built at their first use, or by `prepare()`, which the screen calls once it is
 * idle; the sale screen does not wait for them at log-in (bench:ui).
 */
export function buildSearchIndex(all: readonly Product[]): SearchIndex {
  const active = all.filter((p) => p.active);
  const categories = [...new Set(active.map((p) => p.category))];
  let order: NameOrder | undefined;
  const built = () => (order ??= buildNameOrder(active));
  return {
    get products() {
      return built().products;
    },
    categories,
    exact: (text) => built().byCode.get(text.trim().toLowerCase()),
    inCategory: (category) => [...(built().byCategory.get(category) ?? [])],
    prepare: () => {
      built().sets.prepare();
    },
    count: (query) => {
      const words = queryWords(query);
      return words.length === 0 ? 0 : built().sets.matching(words).length;
    },
    search(query, limit = SEARCH_LIMIT) {
      const words = queryWords(query);
      const first = words[0];
      if (first === undefined) return [];
      const { products, sets } = built();
      return rank(built(), sets.matching(words), first, limit).flatMap((i) => products[i] ?? []);
    },
  };
}
