import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { projectRoot } from '../../src/host/paths.js';

/** One measured figure of a benchmark, with its target when the issue sets one. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** e.g. ">= 2000" or "<= 100"; empty when the figure is for information. */
  readonly target?: string;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function meetsTarget(figure: Figure): boolean | undefined {
  if (!figure.target) return undefined;
  const match = /^(>=|<=)\s*([\d.]+)$/.exec(figure.target);
  if (!match) return undefined;
  const bound = Number(match[2]);
  return match[1] === '>=' ? figure.value >= bound : figure.value <= bound;
}

/** The value over its target's bound ("0.54× target"); "—" without a target or a value. */
export function ratioToTarget(f: Figure): string {
  const match = /^(>=|<=)\s*([\d.]+)$/.exec(f.target ?? '');
  if (!match || !Number.isFinite(f.value)) return '—';
  const bound = Number(match[2]);
  if (bound === 0) return f.value === 0 ? 'met exactly' : '—';
  return `${formatValue(f.value / bound)}× target`;
}

export function machine(): string {
  return `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function progress(bench: string, message: string): void {
  console.log(`[bench:${bench}] ${message}`);
}

/**
 * Print the figures and keep them in bench/results/<name>.json for `npm run bench`'s table, with
 * the notes (what could not be measured, and why) for its closing section.
 */
export function report(bench: string, figures: readonly Figure[], notes: readonly string[] = []): void {
  console.log(`\n${bench}: ${machine()}, ${new Date().toISOString()}`);
  for (const f of figures) {
    const verdict = meetsTarget(f);
    const mark = verdict === undefined ? '' : verdict ? '  ok' : '  MISSED';
    const target = f.target ? `target ${f.target} ${f.unit}, ${ratioToTarget(f)}` : '';
    console.log(
      `  ${f.name.padEnd(46)} ${formatValue(f.value).padStart(10)} ${f.unit.padEnd(10)} ${target}${mark}`,
    );
  }
  for (const note of notes) console.log(`  note: ${note}`);
  const dir = resolve(projectRoot(), 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    resolve(dir, `${bench}.json`),
    `${JSON.stringify({ bench, machine: machine(), date: new Date().toISOString(), load: loadavg(), figures, notes }, null, 2)}\n`,
  );
}

export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export interface BenchResult {
  readonly bench: string;
  readonly machine: string;
  readonly date: string;
  /** The machine's 1, 5 and 15 minute load averages when the figures were written. */
  readonly load: number[];
  readonly figures: Figure[];
  readonly notes: string[];
}

/** A results file as `report` wrote it (JSON has no NaN: a figure not measured reads back as null). */
export function readResult(file: string): BenchResult {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Omit<BenchResult, 'figures' | 'notes' | 'load'> & {
    figures: (Omit<Figure, 'value'> & { value: number | null })[];
    notes?: string[];
    load?: number[];
  };
  return {
    ...raw,
    load: raw.load ?? [],
    figures: raw.figures.map((f) => ({ ...f, value: f.value ?? Number.NaN })),
    notes: raw.notes ?? [],
  };
}
