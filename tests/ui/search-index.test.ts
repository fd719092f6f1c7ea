// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/domain/catalog.js';
import {
  buildSearchIndex,
  normalizeText,
  SEARCH_LIMIT,
  type SearchIndex,
} from '../../src/ui/sales/search-index.js';
import { PRODUCTS } from './fixtures.js';

function bigCatalog(n: number): Product[] {
  const words = ['Gaseosa', 'Jugo', 'Arroz', 'Azúcar', 'Café', 'Limón', 'Pan', 'Queso', 'Jabón', 'Atún'];
  return Array.from({ length: n }, (_, i) => ({
    sku: `SKU-${String(i).padStart(5, '0')}`,
    barcode: String(7_700_000_000_000 + i),
    name: `${words[i % words.length] ?? 'X'} número ${i} de ${(i % 7) + 1} kg`,
    price: 1000 + (i % 90) * 100,
    tax: 'IVA19',
    unit: 'unit',
    category: `Categoría ${i % 12}`,
    active: true,
  }));
}

/** Every match, ranked, then cut: what the search must answer, read from nothing but the products. */
function ranked(idx: SearchIndex, query: string, limit: number): string[] {
  const words = normalizeText(query).split(/\s+/).filter(Boolean);
  const first = words[0];
  if (first === undefined) return [];
  const rank = (p: Product) => {
    const name = normalizeText(p.name);
    if (p.sku.toLowerCase() === first || p.barcode === first) return 0;
    return name.startsWith(first) ? 1 : name.includes(` ${first}`) ? 2 : 3;
  };
  return idx.products
    .filter((p) => {
      const hay = normalizeText(`${p.name} ${p.sku} ${p.barcode ?? ''} ${p.category}`);
      return words.every((w) => hay.includes(w));
    })
    .map((p, order) => ({ p, order, rank: rank(p) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, limit)
    .map((x) => x.p.sku);
}

describe('product search', () => {
  const index = buildSearchIndex(PRODUCTS);

  it('ignores accents and case, and needs every word', () => {
    expect(normalizeText('Lácteos ÑAME')).toBe('lacteos name');
    expect(index.search('GASEOSA cola 400').map((p) => p.sku)).toEqual(['BEB-001']);
    expect(index.search('lacteos').map((p) => p.sku)).toEqual(['LAC-001']);
    expect(index.search('cola leche')).toEqual([]);
  });

  it('finds by SKU and by barcode, exactly as a scanner types it', () => {
    expect(index.exact('7700010008548')?.sku).toBe('LAC-001');
    expect(index.exact('beb-001')?.sku).toBe('BEB-001');
    expect(index.exact('77000100')).toBeUndefined();
    expect(index.search('770001000854').map((p) => p.sku)).toEqual(['LAC-001']);
  });

  it('leaves inactive products out and groups by category in catalog order', () => {
    expect(index.search('retirado')).toEqual([]);
    expect(index.categories).toEqual(['Bebidas', 'Lácteos', 'Frutas y verduras', 'Panadería']);
    expect(index.inCategory('Bebidas').map((p) => p.sku)).toEqual(['BEB-001']);
  });

  it('ranks names that start with the query first', () => {
    const idx = buildSearchIndex(bigCatalog(50));
    const results = idx.search('jugo');
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((p) => p.name.startsWith('Jugo'))).toBe(true);
  });

  it('answers over 10,000 products: name words in any order, SKU, exact barcode (its speed: bench:ui)', () => {
    const catalog = bigCatalog(10_000);
    const idx = buildSearchIndex(catalog);
    for (const q of ['a', 'ar', 'arr', 'arroz', 'arroz 5', 'limon', 'cafe numero 12', 'zzz', '77000000099'])
      expect(() => idx.search(q)).not.toThrow();
    expect(idx.search('zzz')).toEqual([]);
    const sample = catalog[1234];
    if (!sample) throw new Error('no sample product');
    expect(idx.search(sample.sku).map((p) => p.sku)).toContain(sample.sku);
    expect(idx.exact(sample.barcode ?? '')?.sku).toBe(sample.sku);
    expect(idx.search('arroz 5').every((p) => /arroz/i.test(p.name) && p.name.includes('5'))).toBe(true);
  });

  it('keeps products in name order: accents and case folded, numbers by value', () => {
    const base = PRODUCTS[0] as Product;
    const named = (sku: string, name: string) => ({ ...base, sku, name, barcode: undefined }) as Product;
    const idx = buildSearchIndex([
      named('A1', 'Agua 10 L'),
      named('A2', 'agua 6 L'),
      named('A3', 'Ácido bórico'),
      named('A4', 'Agua 1,5 L'),
    ]);
    expect(idx.products.map((p) => p.name)).toEqual(['Ácido bórico', 'Agua 1,5 L', 'agua 6 L', 'Agua 10 L']);
  });

  it('stops early without changing the answer: the same results as ranking every match', () => {
    const catalog = bigCatalog(3_000);
    const idx = buildSearchIndex(catalog);
    const reference = (query: string, limit: number) => ranked(idx, query, limit);
    for (const q of ['a', 'g', 'ar', 'jugo', 'de', 'numero 1', 'kg', 'cafe 3', 'sku-02', '7700000001234'])
      for (const limit of [SEARCH_LIMIT, 60])
        expect(
          idx.search(q, limit).map((p) => p.sku),
          q,
        ).toEqual(reference(q, limit));
    // An exact code comes first even when a full list of names starting with the word come before it.
    const late = { ...PRODUCTS[0], sku: 'ARROZ', name: 'Zanahoria a granel' } as Product;
    const withCode = buildSearchIndex([...catalog, late]);
    expect(withCode.search('arroz')[0]?.sku).toBe('ARROZ');
  });

  it('finds "Jabón" typed "jabon", "JABON" or "jabón", and a SKU by any part of it', () => {
    const base = PRODUCTS[0] as Product;
    const idx = buildSearchIndex([
      ...PRODUCTS,
      { ...base, sku: 'ASE-014', barcode: undefined, name: 'Jabón de tierra', category: 'Aseo' },
      { ...base, sku: 'ASE-015', barcode: undefined, name: 'Esponja para jabonera', category: 'Aseo' },
    ]);
    for (const q of ['jabon', 'JABON', 'jabón', 'Jabó'])
      expect(
        idx.search(q).map((p) => p.sku),
        q,
      ).toEqual(['ASE-014', 'ASE-015']);
    expect(idx.search('ase-01').map((p) => p.sku)).toEqual(['ASE-015', 'ASE-014']);
    expect(idx.search('ase-015 jabon').map((p) => p.sku)).toEqual(['ASE-015']);
    expect(idx.search('aseo tierra').map((p) => p.sku)).toEqual(['ASE-014']);
    expect(idx.search('jabon', 1).map((p) => p.sku)).toEqual(['ASE-014']);
    // A SKU that is also the start of its own name: first, and once.
    const coded = buildSearchIndex([
      ...PRODUCTS,
      { ...base, sku: 'ASE-014', barcode: undefined, name: 'Jabón de tierra', category: 'Aseo' },
      { ...base, sku: 'JABON', barcode: undefined, name: 'Jabón rey', category: 'Aseo' },
    ]);
    expect(coded.search('jabon').map((p) => p.sku)).toEqual(['JABON', 'ASE-014']);
  });

  it('shows at most SEARCH_LIMIT products and counts them all', () => {
    const catalog = bigCatalog(2_000);
    const idx = buildSearchIndex(catalog);
    expect(idx.search('a')).toHaveLength(SEARCH_LIMIT);
    expect(idx.count('a')).toBe(ranked(idx, 'a', Infinity).length);
    expect(idx.count('a')).toBeGreaterThan(SEARCH_LIMIT);
    expect(idx.count('jugo numero 10')).toBe(ranked(idx, 'jugo numero 10', Infinity).length);
    expect(idx.count('zzz')).toBe(0);
    expect(idx.count('  ')).toBe(0);
  });

  it('narrows as the query grows and answers the same whatever was typed before', () => {
    const catalog = bigCatalog(600);
    const idx = buildSearchIndex(catalog);
    // Typed one key at a time, then deleted one at a time, then a word inserted before the first.
    const typed = 'cafe numero 1';
    const steps = [
      ...Array.from(typed, (_, i) => typed.slice(0, i + 1)),
      ...Array.from(typed, (_, i) => typed.slice(0, typed.length - i - 1)),
      'numero 1',
      'kg numero 1',
      'kg numero 12',
    ];
    for (const q of steps) {
      expect(
        idx.search(q).map((p) => p.sku),
        q,
      ).toEqual(ranked(idx, q, SEARCH_LIMIT));
      expect(idx.count(q), q).toBe(ranked(idx, q, Infinity).length);
    }
  });

  it('property: any sequence of edits answers what ranking every match answers', () => {
    const catalog = bigCatalog(300);
    const idx = buildSearchIndex(catalog);
    const alphabet = ['a', 'e', 'o', 'u', 'n', 'r', 'g', 'c', 'f', 'j', '1', '2', ' ', 'é', 'K', '-'];
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('type' as const), char: fc.constantFrom(...alphabet) }),
      fc.record({ kind: fc.constant('delete' as const) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 40 }), (edits) => {
        let query = '';
        for (const e of edits) {
          query = e.kind === 'type' ? query + e.char : e.kind === 'delete' ? query.slice(0, -1) : '';
          expect(idx.search(query).map((p) => p.sku)).toEqual(ranked(idx, query, SEARCH_LIMIT));
        }
      }),
      { seed: 17, numRuns: 200 },
    );
  });
});
