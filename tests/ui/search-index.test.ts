// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/domain/catalog.js';
import { buildSearchIndex, normalizeText } from '../../src/ui/sales/search-index.js';
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
});
