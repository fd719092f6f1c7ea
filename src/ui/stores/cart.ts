import { stepQuantity } from '../../domain/quantity.js';
import { defineStore, storeToRefs } from 'pinia';
import { computed, ref } from 'vue';
import { productSnapshot, type Product } from '../../domain/catalog.js';
import type { SalesChannel } from '../../domain/channel.js';
import { FINAL_CONSUMER, isFinalConsumer, type Customer } from '../../domain/customer.js';
import { priceLine, type PricedLine } from '../../domain/line.js';
import { productAtPrice } from '../../domain/open-price.js';
import { computeTotals, type SaleTotals } from '../../domain/totals.js';
import type { SaleDraft } from '../../domain/sale-draft.js';
import { newCommandId } from '../command-id.js';
import { useHealthStore } from './health.js';
import { useLiveStore } from './live.js';
import { useManagerStore } from './manager.js';
import { useSessionStore } from './session.js';

export interface CartLine {
  readonly sku: string;
  readonly quantity: number;
  readonly discountPercent: number;
  /** OPN1: the price typed for an open-price product ("Varios"); never on other lines. */
  readonly unitPrice?: number | undefined;
}

export interface CartRow {
  readonly line: CartLine;
  readonly product: Product | undefined;
  /** The line as the domain prices it, for display; the host prices the real invoice. */
  readonly priced: PricedLine | undefined;
  /** Why the line cannot be sold as it is (a domain reason), if so. */
  readonly problem: string | undefined;
}

/**
 * The sale being built: lines, customer, and the manager's PIN when a discount needs one. The
 * command id is made when the sale starts and kept until it is issued, so a retry never issues a
 * second invoice. Totals come from the domain's own functions, for display only.
 */
export const useCartStore = defineStore('cart', () => {
  const { products } = storeToRefs(useLiveStore());
  const lines = ref<CartLine[]>([]);
  const selectedSku = ref<string | null>(null);
  const customer = ref<Customer>(FINAL_CONSUMER);
  const managerPin = ref<string | null>(null);
  const commandId = ref(newCommandId('venta'));
  /** CHN1: where the sale is served: at the counter unless the cashier says takeaway or delivery. */
  const channel = ref<SalesChannel>('mostrador');
  const { discountLimitPercent, fiscal } = storeToRefs(useHealthStore());

  const bySku = computed(() => new Map(products.value.map((p) => [p.sku, p])));

  const rows = computed<CartRow[]>(() =>
    lines.value.map((line) => {
      const product = bySku.value.get(line.sku);
      if (!product) return { line, product, priced: undefined, problem: 'unknown-sku' };
      if (!product.active) return { line, product, priced: undefined, problem: 'inactive-product' };
      const atPrice = productAtPrice(product, line.unitPrice);
      if (!atPrice.ok) return { line, product, priced: undefined, problem: atPrice.reason };
      const priced = priceLine(productSnapshot(atPrice.value, channel.value, fiscal.value.restaurantRegime), {
        quantity: line.quantity,
        discountPercent: line.discountPercent,
      });
      return priced.ok
        ? { line, product, priced: priced.value, problem: undefined }
        : { line, product, priced: undefined, problem: priced.reason };
    }),
  );

  const totals = computed<SaleTotals | undefined>(() => {
    const priced = rows.value.flatMap((r) => (r.priced ? [r.priced] : []));
    const result = computeTotals(priced, 0, { base: fiscal.value.tipBase, part: false });
    return result.ok ? result.value : undefined;
  });

  const isEmpty = computed(() => lines.value.length === 0);
  /** What the cart holds, as a person counts it: lines, and units (a line by weight is one). */
  const counts = computed(() => ({
    items: lines.value.length,
    units: rows.value.reduce(
      (sum, r) => sum + (r.product?.unit === 'kg' ? 1 : Math.round(r.line.quantity)),
      0,
    ),
  }));
  const isValid = computed(() => !isEmpty.value && rows.value.every((r) => r.problem === undefined));
  /** Whether a discount of `percent` on a line needs a manager's PIN from this user. */
  const exceedsDiscountLimit = (percent: number) =>
    !useSessionStore().isManager && percent > discountLimitPercent.value;
  const needsManager = computed(() => lines.value.some((l) => exceedsDiscountLimit(l.discountPercent)));

  function update(sku: string, change: (line: CartLine) => CartLine): void {
    lines.value = lines.value.map((l) => (l.sku === sku ? change(l) : l));
  }

  /**
   * A product tapped or scanned: one step more of its line (QTY4), or `quantity` more when a scale
   * label says how much (kg, SCL3); a new line starts at one, or at that quantity.
   */
  function add(product: Product, quantity?: number): void {
    const existing = lines.value.find((l) => l.sku === product.sku);
    if (existing)
      update(product.sku, (l) => ({
        ...l,
        quantity:
          quantity === undefined
            ? stepQuantity(l.quantity, product.unit, 1)
            : // In thousandths, so 0.1 + 0.2 kg is 0.3 kg.
              (Math.round(l.quantity * 1000) + Math.round(quantity * 1000)) / 1000,
      }));
    else lines.value = [...lines.value, { sku: product.sku, quantity: quantity ?? 1, discountPercent: 0 }];
    selectedSku.value = product.sku;
  }

  function setQuantity(sku: string, quantity: number): void {
    update(sku, (l) => ({ ...l, quantity }));
  }

  /** +1 unit, or +0.1 kg for products sold by weight; never below one step. */
  function step(sku: string, direction: 1 | -1): void {
    const product = bySku.value.get(sku);
    if (!product) return;
    update(sku, (l) => ({ ...l, quantity: stepQuantity(l.quantity, product.unit, direction) }));
    selectedSku.value = sku;
  }

  /** OPN1: the price typed for an open-price line (the host checks it too, OPN2). */
  function setPrice(sku: string, unitPrice: number): void {
    update(sku, (l) => ({ ...l, unitPrice }));
  }

  function setDiscount(sku: string, discountPercent: number): void {
    update(sku, (l) => ({ ...l, discountPercent }));
    if (!needsManager.value) managerPin.value = null;
  }

  let askingManager = false;

  /**
   * A line's discount as the cashier sets it (the row's field or the numpad): above the cashier's
   * limit a manager's PIN is asked, once per sale, and the dialog says for what. False: refused
   * (no PIN, or a PIN already being asked), and nothing changed.
   */
  async function applyDiscount(sku: string, percent: number): Promise<boolean> {
    if (exceedsDiscountLimit(percent) && managerPin.value === null) {
      if (askingManager) return false;
      askingManager = true;
      const product = bySku.value.get(sku)?.name ?? sku;
      const pin = await useManagerStore()
        .collect('discount', { kind: 'discount', product, percent, limit: discountLimitPercent.value })
        .finally(() => {
          askingManager = false;
        });
      if (pin === null) return false;
      managerPin.value = pin;
    }
    setDiscount(sku, percent);
    return true;
  }

  function remove(sku: string): void {
    const index = lines.value.findIndex((l) => l.sku === sku);
    lines.value = lines.value.filter((l) => l.sku !== sku);
    if (selectedSku.value === sku) {
      const next = lines.value[Math.min(index, lines.value.length - 1)];
      selectedSku.value = next?.sku ?? null;
    }
    if (!needsManager.value) managerPin.value = null;
  }

  /** Move the selection up or down the cart (keyboard). */
  function moveSelection(direction: 1 | -1): void {
    if (lines.value.length === 0) return;
    const index = lines.value.findIndex((l) => l.sku === selectedSku.value);
    const next = index === -1 ? 0 : Math.min(Math.max(index + direction, 0), lines.value.length - 1);
    selectedSku.value = lines.value[next]?.sku ?? null;
  }

  function setCustomer(next: Customer): void {
    customer.value = next;
  }

  /** After the invoice is issued (or the sale abandoned): an empty cart and a new command id. */
  function clear(): void {
    lines.value = [];
    selectedSku.value = null;
    customer.value = FINAL_CONSUMER;
    managerPin.value = null;
    channel.value = 'mostrador';
    commandId.value = newCommandId('venta');
  }

  /** DRF1: the sale in progress as the terminal keeps it (never the manager's PIN). */
  function toDraft(): SaleDraft {
    return {
      commandId: commandId.value,
      lines: lines.value.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        discountPercent: l.discountPercent,
        ...(l.unitPrice === undefined ? {} : { unitPrice: l.unitPrice }),
      })),
      customer: customer.value,
      channel: channel.value,
    };
  }

  /** A sale kept on the terminal (after a restart, or taken back from the parked sales). */
  function adopt(draft: SaleDraft): void {
    lines.value = draft.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      discountPercent: l.discountPercent,
      ...(l.unitPrice === undefined ? {} : { unitPrice: l.unitPrice }),
    }));
    selectedSku.value = lines.value.at(-1)?.sku ?? null;
    customer.value = draft.customer;
    channel.value = draft.channel;
    managerPin.value = null;
    commandId.value = draft.commandId;
  }

  /** The sale as the host's POST /api/sales expects it (without payments). */
  function saleLines() {
    return lines.value.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      ...(l.discountPercent > 0 ? { discountPercent: l.discountPercent } : {}),
      ...(l.unitPrice === undefined ? {} : { unitPrice: l.unitPrice }),
    }));
  }

  const identifiedCustomer = computed(() => (isFinalConsumer(customer.value) ? undefined : customer.value));

  return {
    lines,
    selectedSku,
    customer,
    channel,
    identifiedCustomer,
    managerPin,
    commandId,
    rows,
    totals,
    isEmpty,
    counts,
    isValid,
    needsManager,
    exceedsDiscountLimit,
    add,
    setQuantity,
    setPrice,
    step,
    setDiscount,
    applyDiscount,
    remove,
    moveSelection,
    setCustomer,
    clear,
    toDraft,
    adopt,
    saleLines,
    setChannel: (next: SalesChannel) => {
      channel.value = next;
    },
    setManagerPin: (pin: string | null) => {
      managerPin.value = pin;
    },
  };
});
