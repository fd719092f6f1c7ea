import type { TaxCode } from './tax.js';

/**
 * Sales channels (SPEC.md CHN1–CHN4). Colombian cloud point-of-sale products give each product a
 * price and a tax per channel: a soda sold at the supermarket counter is a good (IVA 19 %); the
 * same soda served at a table, taken away or delivered by the restaurant is part of the
 * restaurant's service, taxed as a whole with INC 8 % (ET arts. 512-1 and 512-9) — or IVA 19 % in
 * a store set up as a franchise.
 */
export const SALES_CHANNELS = ['mostrador', 'mesa', 'llevar', 'domicilio'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];

export const CHANNEL_LABELS: Readonly<Record<SalesChannel, string>> = {
  mostrador: 'Mostrador',
  mesa: 'Mesa',
  llevar: 'Para llevar',
  domicilio: 'Domicilio',
};

/** The channels of the restaurant's service: their restaurant lines take the store's regime. */
export function isRestaurantChannel(channel: SalesChannel): boolean {
  return channel !== 'mostrador';
}

/** The tax of the restaurant service: INC 8 %, or IVA 19 % for a franchise. */
export const RESTAURANT_REGIMES = ['INC8', 'IVA19'] as const;
export type RestaurantRegime = (typeof RESTAURANT_REGIMES)[number];

/** What a tip is a percentage of: the service before tax (the default) or with it. */
export const TIP_BASES = ['pre-tax', 'with-tax'] as const;
export type TipBaseKind = (typeof TIP_BASES)[number];

/** The store settings the fiscal rules read; defaults are those of a restaurant under INC. */
export interface FiscalSettings {
  readonly restaurantRegime: RestaurantRegime;
  readonly tipBase: TipBaseKind;
}

export const DEFAULT_FISCAL_SETTINGS: FiscalSettings = { restaurantRegime: 'INC8', tipBase: 'pre-tax' };

/** The settings a store profile states, the defaults for what it leaves out. */
export function fiscalSettingsOf(settings: Partial<FiscalSettings> | undefined): FiscalSettings {
  return {
    restaurantRegime: settings?.restaurantRegime ?? DEFAULT_FISCAL_SETTINGS.restaurantRegime,
    tipBase: settings?.tipBase ?? DEFAULT_FISCAL_SETTINGS.tipBase,
  };
}

export interface ChannelTerms {
  readonly price?: number | undefined;
  readonly tax?: TaxCode | undefined;
}

/** The catalog fields that decide a product's price and tax in a channel. */
export interface ChannelPriced {
  readonly price: number;
  readonly tax: TaxCode;
  readonly restaurant?: boolean | undefined;
  readonly channels?: Partial<Record<SalesChannel, ChannelTerms>> | undefined;
}

export interface PriceInChannel {
  readonly unitPrice: number;
  readonly tax: TaxCode;
  /** Part of the restaurant's service: taxed under the regime, the base of a tip (TIP2). */
  readonly restaurant: boolean;
}

/**
 * CHN2–CHN3: a product's price and tax in a channel. A line is a restaurant line when it is sold
 * in a restaurant channel and the product is a restaurant product — or at a table, where every
 * line is. A restaurant line takes the store's regime unless the catalog gives the channel its
 * own tax; the price is the channel's when the catalog gives one.
 */
export function priceInChannel(
  product: ChannelPriced,
  channel: SalesChannel,
  regime: RestaurantRegime,
): PriceInChannel {
  const terms = product.channels?.[channel];
  const restaurant = isRestaurantChannel(channel) && (product.restaurant === true || channel === 'mesa');
  return {
    unitPrice: terms?.price ?? product.price,
    tax: terms?.tax ?? (restaurant ? regime : product.tax),
    restaurant,
  };
}
