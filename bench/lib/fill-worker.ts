/**
 * One terminal's fill (bench/lib/fill-journal.ts) in a process of its own, so that the growth
 * benchmark can fill several terminals of a store at once on the two cores.
 * Usage: node fill-worker.js <dataDir> <count> <deadline, epoch ms>; prints one JSON line
 * {written, seconds} on stdout, progress on stderr.
 */
import { performance } from 'node:perf_hooks';
import { fillJournal } from './fill-journal.js';

const [dataDir, countText, deadlineText] = process.argv.slice(2);
const count = Number(countText);
const deadlineEpoch = Number(deadlineText);
if (!dataDir || !Number.isInteger(count) || count <= 0 || !Number.isFinite(deadlineEpoch)) {
  console.error('usage: fill-worker <dataDir> <count> <deadline epoch ms>');
  process.exit(2);
}
const deadline = performance.now() + (deadlineEpoch - Date.now());
const result = await fillJournal(dataDir, count, deadline, (n, s) => {
  console.error(`${n} filled in ${s.toFixed(0)} s`);
});
console.log(JSON.stringify(result));
process.exit(0);
