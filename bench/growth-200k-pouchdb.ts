/**
 * bench:growth-200k-pouchdb — the PouchDB baseline's catch-up, cold start, memory and disk with
 * 200,000 invoices in the store (see bench/lib/growth.ts), beside bench:growth-200k.
 */
import { runGrowthBench } from './lib/growth.js';

await runGrowthBench(200_000, 'growth-200k-pouchdb', 1, 'PouchDB');
