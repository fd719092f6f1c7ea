/**
 * A cashier may discount a line up to this percentage without a manager. The host publishes its
 * limit in GET /api/health (`discountLimitPercent`); this is its default, used until the first
 * answer (or with an older host). The host decides anyway: it answers `manager-required` when a
 * PIN is needed, and the screen then asks for one.
 */
export const DEFAULT_DISCOUNT_LIMIT_PERCENT = 10;

/** Hours after which the catalog is shown as old (the host warns `catalog-stale` past 24 h). */
export const CATALOG_STALE_HOURS = 24;
