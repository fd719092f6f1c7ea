/**
 * `npm run bench`: run every benchmark (each one as its own process, one after another, so that
 * they do not compete for the two cores) and write bench/RESULTS.md from their figures, with the
 * growth plot (bench/growth.svg) and a closing note on the rows where this project is behind.
 * `node dist/bench/run-all.js --table-only` rewrites RESULTS.md from bench/results/ without running.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/host/paths.js';
import { writeGrowthPlot } from './lib/growth-plot.js';
import {
  formatValue,
  machine,
  meetsTarget,
  ratioToTarget,
  readResult,
  type BenchResult,
} from './lib/report.js';

const root = projectRoot();
const built = resolve(root, 'dist/bench');
const benches = readdirSync(built)
  .filter((f) => f.endsWith('.js') && f !== 'run-all.js')
  .map((f) => f.replace(/\.js$/, ''))
  .sort();

const failed: string[] = [];
const took: string[] = [];
if (!process.argv.includes('--table-only')) {
  const began = performance.now();
  for (const bench of benches) {
    console.log(`\n=== bench:${bench} ===`);
    const started = performance.now();
    const run = spawnSync(process.execPath, [resolve(built, `${bench}.js`)], {
      stdio: 'inherit',
      timeout: 10 * 60_000,
    });
    took.push(`${bench} ${((performance.now() - started) / 1000).toFixed(0)} s`);
    if (run.status !== 0) failed.push(bench);
  }
  took.push(`all ${((performance.now() - began) / 60_000).toFixed(1)} min`);
}

// Every benchmark's results, then those of runs outside `npm run bench` (a longer budget, say).
const resultsDir = resolve(root, 'bench/results');
const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : [];
const ordered = [
  ...benches.map((b) => `${b}.json`).filter((f) => files.includes(f)),
  ...files.filter((f) => !benches.includes(f.replace(/\.json$/, ''))).sort(),
];
const results: BenchResult[] = ordered.map((f) => readResult(resolve(resultsDir, f)));

const rows: string[] = [];
const behind: string[] = [];
const notes: string[] = [];
for (const result of results) {
  const load = result.load.length > 0 ? `, load ${result.load.map((l) => l.toFixed(1)).join(' ')}` : '';
  for (const f of result.figures) {
    const verdict = meetsTarget(f);
    const target = f.target ? `${f.target} ${f.unit}` : '—';
    const value = Number.isFinite(f.value) ? `${formatValue(f.value)} ${f.unit}` : 'not measured';
    const mark =
      !Number.isFinite(f.value) && f.target
        ? '**not measured**'
        : verdict === undefined
          ? ''
          : verdict
            ? 'met'
            : '**missed**';
    rows.push(
      `| ${result.bench} | ${f.name} | ${target} | ${value} | ${ratioToTarget(f)} | ${mark} | ${result.machine}${load} | ${result.date.slice(0, 10)} |`,
    );
    if (verdict === false || (!Number.isFinite(f.value) && f.target))
      behind.push(`- ${result.bench}: ${f.name}: ${value} (target ${f.target ?? ''})`);
  }
  for (const note of result.notes) notes.push(`- ${result.bench}: ${note}`);
}

// A --table-only run keeps the times of the last full run.
const resultsFile = resolve(root, 'bench/RESULTS.md');
if (took.length === 0 && existsSync(resultsFile)) {
  const last = /^Time taken: (.*)\.$/m.exec(readFileSync(resultsFile, 'utf8'))?.[1];
  if (last !== undefined) took.push(last);
}

const plot = writeGrowthPlot();
const why = resolve(root, 'bench/why-behind.md');
const whyText = existsSync(why) ? readFileSync(why, 'utf8').trim() : '';

writeFileSync(
  resultsFile,
  `# Benchmark results

Written by \`npm run bench\` (${new Date().toISOString()}, ${machine()}). Each benchmark also runs alone:
\`npm run bench:<name>\`. The machine column gives the load average when each benchmark finished:
the two cores are shared, and a load above 2 means the figures were taken on a busy machine.
${took.length > 0 ? `\nTime taken: ${took.join(', ')}.\n` : ''}
| bench | figure | target | value | ratio | verdict | machine | date |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

## Growth

![Catch-up, cold start, memory and disk against the invoices in the store](${plot.endsWith('growth.svg') ? 'growth.svg' : plot})

## Notes from the benchmarks (sizes, scaling, what was not measured)

${notes.length > 0 ? notes.join('\n') : 'None.'}

## Where this project is behind (a target missed, PouchDB or the floor ahead)

${behind.length > 0 ? behind.join('\n') : 'Nowhere: every target was met.'}

${whyText}
`,
);
console.log(
  `\nwrote bench/RESULTS.md and bench/growth.svg${failed.length > 0 ? `; FAILED: ${failed.join(', ')}` : ''}${took.length > 0 ? `; ${took.at(-1) ?? ''}` : ''}`,
);
if (failed.length > 0) process.exit(1);
