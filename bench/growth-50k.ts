/**
 * bench:growth-50k — catch-up, cold start, memory and disk with 50,000 invoices in the store, this
 * project and PouchDB (see bench/lib/growth.ts); redraws bench/growth.svg.
 */
import { runGrowthBench } from './lib/growth.js';

await runGrowthBench(50_000, 'growth-50k');
