import { describe, expect, it } from 'vitest';
import type { Product } from '../../../src/domain/catalog.js';
import { MAX_OPEN_PRICE, productAtPrice } from '../../../src/domain/open-price.js';

const varios: Product = {
  sku: 'VAR-001',
  name: 'Varios supermercado',
  price: 0,
  tax: 'IVA19',
  unit: 'unit',
  category: 'Varios',
  active: true,
  openPrice: true,
  channels: { llevar: { price: 9_000 } },
};
const gaseosa: Product = { ...varios, sku: 'BEB-001', name: 'Gaseosa', price: 3_200, openPrice: undefined };

describe('open price', () => {
  it('[OPN1] an open-price line sells at its typed price in every channel; other products keep theirs', () => {
    const sold = productAtPrice(varios, 12_350);
    expect(sold).toMatchObject({ ok: true, value: { sku: 'VAR-001', price: 12_350 } });
    expect(sold.ok && sold.value.channels).toBeUndefined();
    expect(productAtPrice(gaseosa, undefined)).toEqual({ ok: true, value: gaseosa });
  });

  it('[OPN1] a typed price on a product sold at its catalog price is refused', () => {
    expect(productAtPrice(gaseosa, 3_000)).toMatchObject({ ok: false, reason: 'price-not-open' });
  });

  it('[OPN2] an open-price line needs whole pesos from 1 to the bound', () => {
    for (const price of [undefined, 0, -1, 0.5, MAX_OPEN_PRICE + 1, Number.NaN])
      expect(productAtPrice(varios, price)).toMatchObject({ ok: false, reason: 'invalid-open-price' });
    expect(productAtPrice(varios, MAX_OPEN_PRICE).ok).toBe(true);
    expect(productAtPrice(varios, 1).ok).toBe(true);
  });
});
