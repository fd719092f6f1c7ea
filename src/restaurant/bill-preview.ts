import type { Product } from '../domain/catalog.js';
import { productSnapshot } from '../domain/catalog.js';
import type { FiscalSettings, TipBaseKind } from '../domain/channel.js';
import { lineGross, priceLine, priceShareLine, type LineReason, type PricedLine } from '../domain/line.js';
import { money, type Money } from '../domain/money.js';
import type { QuantityMilli } from '../domain/quantity.js';
import { err, ok, type Result } from '../domain/result.js';
import { computeTotals, maxTip, type SaleTotals, type TaxBreakdownRow } from '../domain/totals.js';
import {
  dealByWeight,
  dealEvenly,
  splitBill,
  type LineStatus,
  type SplitReason,
  type SplitRequest,
} from './floor.js';

/**
 * The bill of a table: what closing it charges, part by part, before anything is issued. The
 * screen shows it and the host's close issues exactly it (one function, SPL1–SPL3): lines priced
 * from the catalog at the table (`mesa`), an equal split dealing the amounts, the tip dealt over
 * the parts by their tip bases. Pure.
 */
export interface PartLinePreview {
  readonly sku: string;
  readonly name: string;
  readonly quantityMilli: number;
  readonly amount: Money;
}

/** A line as the cashbox sells it (SaleCommand line). */
export interface PartSaleLine {
  readonly sku: string;
  readonly quantity: number;
  readonly share?: { readonly of: number; readonly gross: number } | undefined;
}

export interface PartPreview {
  readonly lines: readonly PartLinePreview[];
  /** The lines as the close sells them. */
  readonly sale: readonly PartSaleLine[];
  /** What the lines charge, taxes included. */
  readonly subtotal: Money;
  readonly taxes: readonly TaxBreakdownRow[];
  /** What this part's tip is a percentage of (TIP2). */
  readonly tipBase: Money;
  /** This part's share of the tip (outside the tax base). */
  readonly tip: Money;
  readonly total: Money;
}

export interface BillPreview {
  readonly parts: readonly PartPreview[];
  readonly subtotal: Money;
  /** The service the tip is a percentage of: the parts' tip bases together. */
  readonly tipBase: Money;
  readonly tipBaseKind: TipBaseKind;
  /** The most the customers may leave as a tip: 10 % of the service, rounded down. */
  readonly maxTip: Money;
  /** The tip as it will be charged: exactly the one asked (SPL3). */
  readonly tip: Money;
  readonly total: Money;
  /** How the bill is split: undefined for one invoice. */
  readonly split: 'equal' | 'lines' | undefined;
}

export type BillPreviewReason = SplitReason | LineReason | 'unknown-sku' | 'inactive-product' | 'invalid-tip';

export function previewBill(
  lines: readonly LineStatus[],
  products: ReadonlyMap<string, Product>,
  split: SplitRequest | undefined,
  tip: number,
  settings: FiscalSettings,
): Result<BillPreview, BillPreviewReason> {
  const parts = splitBill(lines, split);
  if (!parts.ok) return err(parts.reason, parts.message);
  const n = parts.parts.length;
  const equal = split?.kind === 'equal';
  const snapshotOf = (sku: string) => {
    const product = products.get(sku);
    if (!product) return err('unknown-sku', `no product with SKU ${sku} in the catalog`);
    if (!product.active) return err('inactive-product', `${product.name} is not for sale`);
    return ok(productSnapshot(product, 'mesa', settings.restaurantRegime));
  };
  // SPL1: in equal parts, each whole line's gross is dealt out to the parts.
  const first = parts.parts[0]?.lines ?? [];
  const wholeGross: number[] = [];
  if (equal) {
    for (const l of first) {
      const snap = snapshotOf(l.sku);
      if (!snap.ok) return snap;
      wholeGross.push(lineGross(snap.value.unitPrice, l.ofMilli ?? l.quantityMilli));
    }
  }
  const dealt = equal ? dealEvenly(wholeGross, n) : [];
  const priced: { lines: PricedLine[]; sale: PartSaleLine[] }[] = [];
  for (const [i, part] of parts.parts.entries()) {
    const pricedLines: PricedLine[] = [];
    const sale: PartSaleLine[] = [];
    for (const [k, l] of part.lines.entries()) {
      const snap = snapshotOf(l.sku);
      if (!snap.ok) return snap;
      if (equal) {
        const of = l.ofMilli ?? l.quantityMilli;
        const gross = money(dealt[k]?.[i] ?? 0);
        const shareOf = { quantityMilli: of as QuantityMilli, gross: money(wholeGross[k] ?? 0) };
        pricedLines.push(priceShareLine(snap.value, l.quantityMilli as QuantityMilli, shareOf, gross));
        sale.push({ sku: l.sku, quantity: l.quantityMilli / 1000, share: { of: of / 1000, gross } });
      } else {
        const line = priceLine(snap.value, { quantity: l.quantityMilli / 1000 });
        if (!line.ok) return line;
        pricedLines.push(line.value);
        sale.push({ sku: l.sku, quantity: l.quantityMilli / 1000 });
      }
    }
    priced.push({ lines: pricedLines, sale });
  }
  const totals: SaleTotals[] = [];
  for (const part of priced) {
    const t = computeTotals(part.lines, 0, { base: settings.tipBase, part: n > 1 });
    if (!t.ok) return t;
    totals.push(t.value);
  }
  const tipBase = money(totals.reduce((sum, t) => sum + t.tipBase, 0));
  const limit = maxTip(tipBase);
  if (!Number.isSafeInteger(tip) || tip < 0 || tip > limit) {
    return err(
      'invalid-tip',
      tipBase === 0
        ? 'a tip is only for the restaurant service'
        : `the tip may be at most 10 % of the service (${limit})`,
    );
  }
  // SPL3: the tip asked is dealt over the parts by their tip bases, to the peso.
  const tips = dealByWeight(
    tip,
    totals.map((t) => t.tipBase),
  );
  const out: PartPreview[] = priced.map((p, i) => {
    const t = totals[i];
    const share = money(tips[i] ?? 0);
    const subtotal = t?.subtotal ?? money(0);
    return {
      lines: p.lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantityMilli: l.quantityMilli,
        amount: l.amount,
      })),
      sale: p.sale,
      subtotal,
      taxes: t?.taxes ?? [],
      tipBase: t?.tipBase ?? money(0),
      tip: share,
      total: money(subtotal + share),
    };
  });
  const subtotal = money(out.reduce((sum, p) => sum + p.subtotal, 0));
  return ok({
    parts: out,
    subtotal,
    tipBase,
    tipBaseKind: settings.tipBase,
    maxTip: limit,
    tip: money(tip),
    total: money(subtotal + tip),
    split: n > 1 ? (split?.kind ?? undefined) : undefined,
  });
}
