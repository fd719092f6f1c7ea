import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/domain/catalog.js';
import { menuFirst } from '../../src/ui/sales/menu-first.js';

const product = (category: string, restaurant: boolean, barcode?: string): Product => ({
  sku: `${category}-1`,
  name: category,
  price: 1000,
  tax: 'INC8',
  unit: 'unit',
  category,
  active: true,
  ...(restaurant ? { restaurant: true } : {}),
  ...(barcode ? { barcode } : {}),
});

describe('Comedores: the menu first', () => {
  it('puts restaurant categories before the supermarket’s, the house’s dishes before packaged drinks', () => {
    const products = new Map<string, Product[]>([
      ['Bebidas', [product('Bebidas', true, '7702000000001')]],
      ['Aseo', [product('Aseo', false, '7702000000002')]],
      ['Entradas', [product('Entradas', true)]],
      ['Despensa', [product('Despensa', false)]],
      ['Postres', [product('Postres', true)]],
    ]);
    const order = menuFirst([...products.keys()], (c) => products.get(c) ?? []);
    expect(order).toEqual({ menu: ['Entradas', 'Postres', 'Bebidas'], others: ['Aseo', 'Despensa'] });
  });
});
