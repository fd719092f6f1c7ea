import { describe, expect, it } from 'vitest';
import { demoCatalog } from '../../src/cloud/seed/demo-catalog.js';
import { demoFloor } from '../../src/cloud/seed/demo.js';
import { productSchema } from '../../src/domain/catalog.js';
import { TAX_CODES } from '../../src/domain/tax.js';

function validEan13(code: string): boolean {
  if (!/^\d{13}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(code[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(code[12]);
}

describe('demo seed', () => {
  const catalog = demoCatalog();

  it('has at least 200 valid products with unique SKUs and valid, unique EAN-13 barcodes', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(200);
    for (const { product } of catalog) expect(productSchema.safeParse(product).success).toBe(true);
    expect(new Set(catalog.map((p) => p.product.sku)).size).toBe(catalog.length);
    const barcodes = catalog.flatMap((p) => (p.product.barcode ? [p.product.barcode] : []));
    expect(barcodes.length).toBeGreaterThan(100);
    expect(new Set(barcodes).size).toBe(barcodes.length);
    expect(barcodes.every(validEan13)).toBe(true);
  });

  it('covers retail (IVA 19/5/0, excluido) and restaurant (INC 8 %) with realistic COP prices and stock', () => {
    expect(new Set(catalog.map((p) => p.product.tax))).toEqual(new Set(TAX_CODES));
    for (const { product, stockMilli } of catalog) {
      expect(stockMilli).toBeGreaterThan(0);
      // OPN1: an open-price product's catalog price is only a placeholder.
      if (product.openPrice === true) continue;
      expect(product.price).toBeGreaterThanOrEqual(1_000);
      expect(product.price).toBeLessThanOrEqual(100_000);
      expect(product.price % 100).toBe(0);
    }
  });

  it('[OPN1] has one open-price product, "Varios supermercado" (IVA 19 %), last so earlier barcodes stay', () => {
    const open = catalog.filter((p) => p.product.openPrice === true).map((p) => p.product);
    expect(open).toMatchObject([
      { sku: 'VAR-001', name: 'Varios supermercado', tax: 'IVA19', category: 'Varios' },
    ]);
    expect(catalog.at(-1)?.product.sku).toBe('VAR-001');
  });

  it('has 12 tables in Salón and Terraza', () => {
    const floor = demoFloor();
    expect(floor.areas.map((a) => a.name)).toEqual(['Salón', 'Terraza']);
    expect(floor.areas.flatMap((a) => a.tables)).toHaveLength(12);
  });
});
