/**
 * bench:growth-200k-catchup — how long a fresh terminal takes to hold a store of 200,000 invoices,
 * beside bench:growth-200k. It reuses the store bench:growth-200k filled and saved (same code;
 * `npm run bench` runs them one after the other): filling takes half of a benchmark's 5 minutes.
 * Run alone, it fills the store itself, and the catch-up may then not fit in the time left.
 */
import { runGrowthBench } from './lib/growth.js';

await runGrowthBench(200_000, 'growth-200k-catchup', 0, 'caja', 'catch-up');
