/**
 * bench:store-day-3 — a store's day with 3 terminals, this project and PouchDB side by side, and the
 * physical floor (see bench/lib/store-day-bench.ts).
 */
import { runStoreDayBench } from './lib/store-day-bench.js';

await runStoreDayBench(3, 2_000);
