/**
 * bench:growth-200k — catch-up, cold start, memory and disk with 200,000 invoices in the store, this
 * project and PouchDB (see bench/lib/growth.ts); redraws bench/growth.svg.
 */
import { runGrowthBench } from './lib/growth.js';

// PouchDB gets three quarters of the 5 minutes: this project cannot fill 200,000 invoices in them
// anyway (bench:growth-50k's "filling took"), and tries with what is left.
await runGrowthBench(200_000, 'growth-200k', 0.75);
