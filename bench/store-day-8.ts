/**
 * bench:store-day-8 — a store's day with 8 terminals, this project and PouchDB side by side, and the
 * physical floor (see bench/lib/store-day-bench.ts).
 */
import { runStoreDayBench } from './lib/store-day-bench.js';

await runStoreDayBench(8, 200);
