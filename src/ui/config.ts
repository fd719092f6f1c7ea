/**
 * A cashier may discount a line up to this percentage without a manager: the host's default
 * (`discountLimitPercent`). The host decides; it answers `manager-required` when a PIN is needed,
 * and the screen then asks for one anyway. GET /api/health does not publish the limit yet.
 */
export const DISCOUNT_LIMIT_PERCENT = 10;

/** Hours after which the catalog is shown as old (the host warns `catalog-stale` past 24 h). */
export const CATALOG_STALE_HOURS = 24;
