import type { Product } from '../../domain/catalog.js';
import { foldText } from '../../domain/text.js';

/**
 * Product search by name, SKU or barcode, accent- and case-insensitive. The index is built once
 * per catalog version (one normalized string per product), so a keystroke over 10,000 products
 * is a handful of substring tests per product.
 */
export const normalizeText = foldText;

export interface SearchIndex {
  readonly products: readonly Product[];
  /** A product whose barcode or SKU is exactly the text (what a scanner types), if any. */
  exact(text: string): Product | undefined;
  /** Products matching every word of the query, best first, at most `limit` (SEARCH_LIMIT). */
  search(query: string, limit?: number): Product[];
  /** Categories in catalog order of first appearance. */
  readonly categories: readonly string[];
  inCategory(category: string): Product[];
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

export function buildSearchIndex(all: readonly Product[]): SearchIndex {
  const active = all.filter((p) => p.active);
  // Kept in name order, so results come out sorted without sorting on each keystroke.
  const entries = active.map((product) => {
    const name = normalizeText(product.name);
    return { product, name, key: sortKey(name) };
  });
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const products = entries.map((e) => e.product);
  const names = entries.map((e) => e.name);
  const haystacks = entries.map(
    ({ product: p, name }) => `${name} ${normalizeText(`${p.sku} ${p.barcode ?? ''} ${p.category}`)}`,
  );
  const byCode = new Map<string, Product>();
  // Positions in name order of each SKU (lower case) and barcode: an exact code ranks first.
  const skuAt = new Map<string, number>();
  const barcodeAt = new Map<string, number>();
  const categories: string[] = [];
  const byCategory = new Map<string, Product[]>();
  products.forEach((p, i) => {
    byCode.set(p.sku.toLowerCase(), p);
    skuAt.set(p.sku.toLowerCase(), i);
    if (p.barcode !== undefined) {
      byCode.set(p.barcode, p);
      barcodeAt.set(p.barcode, i);
    }
  });
  for (const p of active)
    if (!byCategory.has(p.category)) {
      categories.push(p.category);
      byCategory.set(p.category, []);
    }
  for (const p of products) byCategory.get(p.category)?.push(p);
  return {
    products,
    categories,
    exact: (text) => byCode.get(text.trim().toLowerCase()),
    inCategory: (category) => byCategory.get(category) ?? [],
    search(query, limit = SEARCH_LIMIT) {
      const words = normalizeText(query).split(/\s+/).filter(Boolean);
      const first = words[0];
      if (first === undefined) return [];
      const others = words.slice(1);
      const matches = (i: number) => {
        const hay = haystacks[i] ?? '';
        if (!hay.includes(first)) return false;
        for (const word of others) if (!hay.includes(word)) return false;
        return true;
      };
      // Best first: the product whose SKU or barcode is the first word, then names starting with
      // it, then names with a word starting with it, then the rest. Only the first `limit` of each
      // can be shown, so none grows past it (one letter matches most of a 10,000-product catalog),
      // and once names starting with the word fill the list the scan stops.
      const exact = [skuAt.get(first), barcodeAt.get(first)]
        .filter((i): i is number => i !== undefined && matches(i))
        .sort((a, b) => a - b)
        .filter((i, k, list) => list[k - 1] !== i);
      const buckets: [Product[], Product[], Product[], Product[]] = [
        exact.flatMap((i) => products[i] ?? []),
        [],
        [],
        [],
      ];
      for (let i = 0; i < products.length && buckets[1].length < limit; i += 1) {
        if (!matches(i) || exact.includes(i)) continue;
        const name = names[i] ?? '';
        const bucket = name.startsWith(first)
          ? buckets[1]
          : name.includes(` ${first}`)
            ? buckets[2]
            : buckets[3];
        const product = products[i];
        if (product && bucket.length < limit) bucket.push(product);
      }
      return buckets.flat().slice(0, limit);
    },
  };
}
