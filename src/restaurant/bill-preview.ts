import type { Product } from '../domain/catalog.js';
import { productSnapshot } from '../domain/catalog.js';
import { priceLine, type LineReason } from '../domain/line.js';
import { money, type Money } from '../domain/money.js';
import { err, ok, type Result } from '../domain/result.js';
import { computeTotals, maxTip, type TaxBreakdownRow } from '../domain/totals.js';
import { shareTip, splitBill, type LineStatus, type SplitReason, type SplitRequest } from './floor.js';

/**
 * What closing a table will charge, part by part, before anything is issued: the same split
 * (FLR6), the same pricing from the catalog and the same tip sharing (FLR7) as the host's close,
 * so the screen shows each diner the amount the invoice will carry. Pure; the host decides.
 */
export interface PartLinePreview {
  readonly sku: string;
  readonly name: string;
  readonly quantityMilli: number;
  readonly amount: Money;
}

export interface PartPreview {
  readonly lines: readonly PartLinePreview[];
  /** What the lines charge, taxes included. */
  readonly subtotal: Money;
  readonly taxes: readonly TaxBreakdownRow[];
  /** This part's share of the tip (outside the tax base). */
  readonly tip: Money;
  readonly total: Money;
}

export interface BillPreview {
  readonly parts: readonly PartPreview[];
  readonly subtotal: Money;
  /** The most the customers may leave as a tip: 10 % of the whole service. */
  readonly maxTip: Money;
  /** The tip as it will be charged (shared out; may be up to a peso per part under the asked one). */
  readonly tip: Money;
  readonly total: Money;
}

export type BillPreviewReason = SplitReason | LineReason | 'unknown-sku' | 'inactive-product' | 'invalid-tip';

export function previewBill(
  lines: readonly LineStatus[],
  products: ReadonlyMap<string, Product>,
  split: SplitRequest | undefined,
  tip: number,
): Result<BillPreview, BillPreviewReason> {
  const parts = splitBill(lines, split);
  if (!parts.ok) return err(parts.reason, parts.message);
  const shared = split?.kind === 'equal';
  const priced: { lines: PartLinePreview[]; subtotal: Money; taxes: readonly TaxBreakdownRow[] }[] = [];
  for (const part of parts.parts) {
    const pricedLines = [];
    for (const l of part.lines) {
      const product = products.get(l.sku);
      if (!product) return err('unknown-sku', `no product with SKU ${l.sku} in the catalog`);
      if (!product.active) return err('inactive-product', `${product.name} is not for sale`);
      const line = priceLine(productSnapshot(product), { quantity: l.quantityMilli / 1000, shared });
      if (!line.ok) return line;
      pricedLines.push(line.value);
    }
    const totals = computeTotals(pricedLines);
    if (!totals.ok) return totals;
    priced.push({
      lines: pricedLines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantityMilli: l.quantityMilli,
        amount: l.amount,
      })),
      subtotal: totals.value.subtotal,
      taxes: totals.value.taxes,
    });
  }
  const subtotal = money(priced.reduce((sum, p) => sum + p.subtotal, 0));
  const limit = maxTip(subtotal);
  if (!Number.isSafeInteger(tip) || tip < 0 || tip > limit) {
    return err('invalid-tip', `the tip may be at most 10 % of the service (${limit})`);
  }
  const tips = shareTip(
    tip,
    priced.map((p) => p.subtotal),
  );
  const out = priced.map((p, i) => {
    const share = money(tips[i] ?? 0);
    return { ...p, tip: share, total: money(p.subtotal + share) };
  });
  const charged = money(out.reduce((sum, p) => sum + p.tip, 0));
  return ok({ parts: out, subtotal, maxTip: limit, tip: charged, total: money(subtotal + charged) });
}
