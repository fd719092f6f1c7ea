/**
 * bench:growth-200k — cold start, memory and disk of this project with 200,000 invoices in the
 * store (see bench/lib/growth.ts); redraws bench/growth.svg. The catch-up of a fresh terminal at
 * this size is bench:growth-200k-catchup, PouchDB's figures bench:growth-200k-pouchdb: they do not
 * all fit in one benchmark's 5 minutes.
 */
import { runGrowthBench } from './lib/growth.js';

await runGrowthBench(200_000, 'growth-200k', 0, 'caja', 'cold');
