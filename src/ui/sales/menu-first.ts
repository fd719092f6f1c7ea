import type { Product } from '../../domain/catalog.js';

/**
 * Comedores: the menu first. The categories holding a product sold as part of the restaurant's
 * service (`restaurant: true`, CHN2) come before the supermarket's; within the menu, what the
 * house makes (no product with a barcode) before what it serves packaged (the store's drinks).
 * Each group keeps the catalog's order.
 */
export function menuFirst(
  categories: readonly string[],
  inCategory: (category: string) => readonly Product[],
): { readonly menu: readonly string[]; readonly others: readonly string[] } {
  const house: string[] = [];
  const packaged: string[] = [];
  const others: string[] = [];
  for (const c of categories) {
    const products = inCategory(c);
    if (!products.some((p) => p.restaurant === true)) others.push(c);
    else if (products.some((p) => p.barcode !== undefined)) packaged.push(c);
    else house.push(c);
  }
  return { menu: [...house, ...packaged], others };
}
