import type { Product } from '../../src/domain/catalog.js';
import { demoCatalog, type DemoProduct } from '../../src/cloud/seed/demo-catalog.js';

const BRANDS = [
  'La Sabana',
  'Del Campo',
  'Andina',
  'El Trigal',
  'Montaña Verde',
  'Doña Rosa',
  'Caribe',
  'Tropical',
  'San Jorge',
  'La Pradera',
  'Santa Fe',
  'El Roble',
] as const;

const SIZES = ['x 2', 'x 3', 'x 6', 'x 12', 'familiar', 'económico', 'mini', 'promo', 'surtido'] as const;

/** EAN-13 check digit. */
function ean13(twelveDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(twelveDigits[i]) * (i % 2 === 0 ? 1 : 3);
  return `${twelveDigits}${(10 - (sum % 10)) % 10}`;
}

/**
 * A supermarket-sized catalog for benchmarks: the demo store's products, then variants of them
 * (brand and pack size) up to `size`, so that a search finds as many products per word as a big
 * store's catalog would (typing "arroz" matches hundreds).
 */
export function bigCatalog(size: number): DemoProduct[] {
  const base = demoCatalog();
  const result: DemoProduct[] = base.slice(0, size);
  for (let i = 0; result.length < size; i += 1) {
    const from = base[i % base.length];
    if (!from) throw new Error('empty demo catalog');
    const brand = BRANDS[Math.floor(i / base.length) % BRANDS.length] ?? '';
    const pack = SIZES[Math.floor(i / (base.length * BRANDS.length)) % SIZES.length] ?? '';
    const product: Product = {
      ...from.product,
      sku: `V${String(i + 1).padStart(5, '0')}-${from.product.sku}`,
      name: `${from.product.name} ${brand} ${pack}`.slice(0, 120),
      price: from.product.price + ((i * 37) % 40) * 100,
      ...(from.product.barcode !== undefined
        ? { barcode: ean13(`771${String(10_000_000 + i * 11).padStart(9, '0')}`) }
        : {}),
    };
    result.push({ product, stockMilli: from.stockMilli });
  }
  return result;
}
