/**
 * bench/growth.svg, drawn by hand from bench/results/growth-*.json: catch-up, cold start, memory
 * and disk against the invoices in the store (log scale), one line per system. A size a system
 * could not be measured at is marked "not measured" on the axis instead of a point.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../../src/host/paths.js';
import { readResult } from './report.js';

const PANELS = [
  { metric: 'catch-up of a fresh terminal', title: 'Catch-up of a fresh terminal', unit: 's' },
  { metric: 'cold start, all visible', title: 'Cold start until all visible', unit: 's' },
  { metric: 'RSS after cold start', title: 'Memory (RSS) after cold start', unit: 'MB' },
  { metric: 'bytes on disk', title: 'Bytes on disk', unit: 'MB' },
] as const;
const SYSTEMS = [
  { name: 'caja', label: 'this project (automerge)', color: '#c0392b' },
  { name: 'PouchDB', label: 'PouchDB baseline', color: '#2471a3' },
] as const;
const SIZES = [10_000, 50_000, 200_000];

const W = 380;
const H = 250;
const M = { left: 56, right: 30, top: 34, bottom: 40 };

interface Point {
  readonly size: number;
  readonly value: number;
  /** From a run with a longer budget than `npm run bench` allows (drawn hollow). */
  readonly extended: boolean;
}

/**
 * Every growth point in bench/results, by system and metric. A point of `npm run bench`'s own
 * benchmarks (growth-10k.json…) wins; a run with a longer budget (growth-200k-900s.json) fills in
 * only what those could not measure.
 */
export function readGrowthPoints(): Map<string, Point[]> {
  const dir = resolve(projectRoot(), 'bench/results');
  const points = new Map<string, Point[]>();
  if (!existsSync(dir)) return points;
  const files = readdirSync(dir).filter((f) => /^growth-.*\.json$/.test(f));
  const isStandard = (f: string) => /^growth-\d+k(-pouchdb|-catchup)?\.json$/.test(f);
  for (const file of [...files.filter(isStandard), ...files.filter((f) => !isStandard(f))]) {
    const { figures } = readResult(resolve(dir, file));
    for (const f of figures) {
      const match = /^([\d,]+) invoices, (\S+): (.+)$/.exec(f.name);
      if (!match) continue;
      const key = `${match[2]}|${match[3]}`;
      const size = Number((match[1] ?? '').replaceAll(',', ''));
      const list = points.get(key) ?? [];
      const existing = list.findIndex((pt) => pt.size === size);
      const point = { size, value: f.value, extended: !isStandard(file) };
      if (existing < 0) list.push(point);
      else if (!Number.isFinite(list[existing]?.value) && Number.isFinite(f.value)) list[existing] = point;
      points.set(key, list);
    }
  }
  for (const list of points.values()) list.sort((a, b) => a.size - b.size);
  return points;
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

function panel(points: Map<string, Point[]>, p: (typeof PANELS)[number], x0: number, y0: number): string {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const finite = SYSTEMS.flatMap((s) => points.get(`${s.name}|${p.metric}`) ?? []).filter((pt) =>
    Number.isFinite(pt.value),
  );
  const yMax = niceMax(Math.max(0, ...finite.map((pt) => pt.value)) * 1.05);
  const lx = Math.log10(SIZES[0] ?? 1);
  const hx = Math.log10(SIZES.at(-1) ?? 10);
  const x = (size: number) => x0 + M.left + ((Math.log10(size) - lx) / (hx - lx)) * plotW;
  const y = (value: number) => y0 + M.top + plotH - (value / yMax) * plotH;
  const out: string[] = [];
  out.push(
    `<text x="${x0 + M.left}" y="${y0 + 20}" font-size="13" font-weight="bold">${esc(p.title)} (${p.unit})</text>`,
  );
  for (let i = 0; i <= 4; i += 1) {
    const v = (yMax * i) / 4;
    const yy = y(v).toFixed(1);
    out.push(`<line x1="${x0 + M.left}" y1="${yy}" x2="${x0 + M.left + plotW}" y2="${yy}" stroke="#ddd"/>`);
    out.push(
      `<text x="${x0 + M.left - 6}" y="${yy}" font-size="10" text-anchor="end" dominant-baseline="middle">${Number(v.toPrecision(3))}</text>`,
    );
  }
  for (const size of SIZES) {
    const xx = x(size).toFixed(1);
    out.push(`<line x1="${xx}" y1="${y0 + M.top}" x2="${xx}" y2="${y0 + M.top + plotH}" stroke="#eee"/>`);
    out.push(
      `<text x="${xx}" y="${y0 + M.top + plotH + 14}" font-size="10" text-anchor="middle">${size.toLocaleString('en-US')}</text>`,
    );
  }
  out.push(
    `<text x="${x0 + M.left + plotW / 2}" y="${y0 + H - 8}" font-size="10" text-anchor="middle">invoices in the store (log scale)</text>`,
  );
  out.push(
    `<rect x="${x0 + M.left}" y="${y0 + M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
  );
  for (const [si, s] of SYSTEMS.entries()) {
    const list = points.get(`${s.name}|${p.metric}`) ?? [];
    const measured = list.filter((pt) => Number.isFinite(pt.value));
    if (measured.length > 1)
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${measured.map((pt) => `${x(pt.size).toFixed(1)},${y(pt.value).toFixed(1)}`).join(' ')}"/>`,
      );
    for (const pt of measured)
      out.push(
        `<circle cx="${x(pt.size).toFixed(1)}" cy="${y(pt.value).toFixed(1)}" r="3.5" fill="${pt.extended ? '#fff' : s.color}" stroke="${s.color}" stroke-width="1.5"><title>${esc(`${s.label}, ${pt.size.toLocaleString('en-US')}: ${pt.value.toPrecision(3)} ${p.unit}${pt.extended ? ' (a run with a longer time limit)' : ''}`)}</title></circle>`,
      );
    const measuredSizes = new Set(measured.map((pt) => pt.size));
    for (const size of SIZES.filter((sz) => !measuredSizes.has(sz)))
      out.push(
        `<text x="${x(size).toFixed(1)}" y="${(y0 + M.top + plotH - 6 - 12 * si).toFixed(1)}" font-size="9" fill="${s.color}" text-anchor="${size === SIZES.at(-1) ? 'end' : 'middle'}">${esc(s.name)}: not measured</text>`,
      );
  }
  return out.join('\n');
}

/** Write bench/growth.svg from whatever growth results exist; answers its path. */
export function writeGrowthPlot(): string {
  const points = readGrowthPoints();
  const width = 2 * W + 20;
  const height = 2 * H + 64;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
  ];
  for (const [i, p] of PANELS.entries())
    parts.push(panel(points, p, (i % 2) * (W + 20), Math.floor(i / 2) * H));
  let lx = 20;
  for (const s of SYSTEMS) {
    const y = 2 * H + 30;
    parts.push(`<line x1="${lx}" y1="${y}" x2="${lx + 24}" y2="${y}" stroke="${s.color}" stroke-width="3"/>`);
    parts.push(
      `<text x="${lx + 30}" y="${y}" font-size="12" dominant-baseline="middle">${esc(s.label)}</text>`,
    );
    lx += 260;
  }
  parts.push(
    `<text x="20" y="${2 * H + 50}" font-size="11" dominant-baseline="middle">Filled dots: npm run bench (5 minutes a size); hollow: a run with a longer time limit.</text>`,
  );
  parts.push('</svg>');
  const file = resolve(projectRoot(), 'bench/growth.svg');
  writeFileSync(file, `${parts.join('\n')}\n`);
  return file;
}
