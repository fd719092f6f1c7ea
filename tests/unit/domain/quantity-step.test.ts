import { describe, expect, it } from 'vitest';
import { defaultQuantityMilli, stepMilliOf, stepQuantity } from '../../../src/domain/quantity.js';

describe('the + / − step (QTY4)', () => {
  it('[QTY4] is one unit, or 100 g of a product sold by the kilogram, and never leaves less than one step', () => {
    expect(stepMilliOf('unit')).toBe(1000);
    expect(stepMilliOf('kg')).toBe(100);
    expect(stepQuantity(2, 'unit', 1)).toBe(3);
    expect(stepQuantity(1, 'unit', -1)).toBe(1);
    expect(stepQuantity(0.45, 'kg', 1)).toBe(0.55);
    expect(stepQuantity(0.15, 'kg', -1)).toBe(0.1);
    expect(stepQuantity(0.1, 'kg', -1)).toBe(0.1);
    // Floating point never leaks: 0.7 + 0.1 is 0.8 on the wire.
    expect(stepQuantity(0.7, 'kg', 1)).toBe(0.8);
  });

  it('[QTY4] suggests the whole weight of a line by weight, else one unit', () => {
    expect(defaultQuantityMilli('kg', 750)).toBe(750);
    expect(defaultQuantityMilli('unit', 3000)).toBe(1000);
    expect(defaultQuantityMilli('unit', 500)).toBe(500);
  });
});
