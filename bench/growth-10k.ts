/**
 * bench:growth-10k — catch-up, cold start, memory and disk with 10,000 invoices in the store, this
 * project and PouchDB (see bench/lib/growth.ts); redraws bench/growth.svg.
 */
import { runGrowthBench } from './lib/growth.js';

await runGrowthBench(10_000, 'growth-10k');
