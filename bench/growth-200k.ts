/**
 * bench:growth-200k — catch-up, cold start, memory and disk of this project with 200,000 invoices
 * in the store (see bench/lib/growth.ts); redraws bench/growth.svg. PouchDB at the same size is
 * bench:growth-200k-pouchdb: both do not fit in one benchmark's 5 minutes.
 */
import { runGrowthBench } from './lib/growth.js';

await runGrowthBench(200_000, 'growth-200k', 0, 'caja');
