/**
 * `npm run bench`: run every benchmark (each one as its own process, one after another, so that
 * they do not compete for the two cores) and write bench/RESULTS.md from their figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../src/host/paths.js';
import { formatValue, machine, meetsTarget, type Figure } from './lib/report.js';

const root = projectRoot();
const built = resolve(root, 'dist/bench');
const benches = readdirSync(built)
  .filter((f) => f.endsWith('.js') && f !== 'run-all.js')
  .map((f) => f.replace(/\.js$/, ''))
  .sort();

const failed: string[] = [];
for (const bench of benches) {
  console.log(`\n=== bench:${bench} ===`);
  const run = spawnSync(process.execPath, [resolve(built, `${bench}.js`)], {
    stdio: 'inherit',
    timeout: 10 * 60_000,
  });
  if (run.status !== 0) failed.push(bench);
}

const rows: string[] = [];
for (const bench of benches) {
  const file = resolve(root, 'bench/results', `${bench}.json`);
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, 'utf8')) as {
    machine: string;
    date: string;
    figures: Figure[];
  };
  for (const f of result.figures) {
    const verdict = meetsTarget(f);
    const target = f.target ? `${f.target} ${f.unit}` : '—';
    const ratio = ratioToTarget(f);
    rows.push(
      `| ${bench} | ${f.name} | ${target} | ${formatValue(f.value)} ${f.unit} | ${ratio} | ${verdict === undefined ? '' : verdict ? 'met' : '**missed**'} | ${result.machine} | ${result.date.slice(0, 10)} |`,
    );
  }
}

function ratioToTarget(f: Figure): string {
  const match = /^(>=|<=)\s*([\d.]+)$/.exec(f.target ?? '');
  if (!match) return '—';
  const bound = Number(match[2]);
  return `${formatValue(f.value / bound)}× target`;
}

writeFileSync(
  resolve(root, 'bench/RESULTS.md'),
  `# Benchmark results

Written by \`npm run bench\` (${new Date().toISOString()}, ${machine()}). Each benchmark also runs alone:
\`npm run bench:<name>\`.

| bench | figure | target | value | ratio | verdict | machine | date |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`,
);
console.log(`\nwrote bench/RESULTS.md${failed.length > 0 ? `; FAILED: ${failed.join(', ')}` : ''}`);
if (failed.length > 0) process.exit(1);
