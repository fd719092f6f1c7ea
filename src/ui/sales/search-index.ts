import type { Product } from '../../domain/catalog.js';

/**
 * Product search by name, SKU or barcode, accent- and case-insensitive. The index is built once
 * per catalog version (one normalized string per product), so a keystroke over 10,000 products
 * is a handful of substring tests per product.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export interface SearchIndex {
  readonly products: readonly Product[];
  /** A product whose barcode or SKU is exactly the text (what a scanner types), if any. */
  exact(text: string): Product | undefined;
  /** Products matching every word of the query, best first, at most `limit`. */
  search(query: string, limit?: number): Product[];
  /** Categories in catalog order of first appearance. */
  readonly categories: readonly string[];
  inCategory(category: string): Product[];
}

const collator = new Intl.Collator('es', { sensitivity: 'base', numeric: true });

export function buildSearchIndex(all: readonly Product[]): SearchIndex {
  const active = all.filter((p) => p.active);
  // Kept in name order, so results come out sorted without sorting on each keystroke.
  const products = [...active].sort((a, b) => collator.compare(a.name, b.name));
  const haystacks = products.map((p) => normalizeText(`${p.name} ${p.sku} ${p.barcode ?? ''} ${p.category}`));
  const names = products.map((p) => normalizeText(p.name));
  const byCode = new Map<string, Product>();
  const categories: string[] = [];
  const byCategory = new Map<string, Product[]>();
  for (const p of products) {
    byCode.set(p.sku.toLowerCase(), p);
    if (p.barcode !== undefined) byCode.set(p.barcode, p);
  }
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
    search(query, limit = 60) {
      const words = normalizeText(query).split(/\s+/).filter(Boolean);
      if (words.length === 0) return [];
      const first = words[0] ?? '';
      // Four buckets, best first: exact code, name starts with the first word, a word of the
      // name starts with it, anywhere.
      const buckets: Product[][] = [[], [], [], []];
      for (let i = 0; i < products.length; i += 1) {
        const hay = haystacks[i] ?? '';
        let all = true;
        for (const word of words) {
          if (!hay.includes(word)) {
            all = false;
            break;
          }
        }
        if (!all) continue;
        const product = products[i];
        if (!product) continue;
        const name = names[i] ?? '';
        const score =
          product.sku.toLowerCase() === first || product.barcode === first
            ? 0
            : name.startsWith(first)
              ? 1
              : name.includes(` ${first}`)
                ? 2
                : 3;
        buckets[score]?.push(product);
      }
      return buckets.flat().slice(0, limit);
    },
  };
}
