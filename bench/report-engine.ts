import type { EngineFigures } from './engine.js';
import { WORKLOAD_LABELS, WORKLOADS } from './engine-workloads.js';
import { megabytes } from './memory.js';

/** Targets of the engine issue: ratios to DuckDB measured in the same run. */
export const ENGINE_OVER_DUCKDB = 1.5;
export const ENGINE_RSS_OVER_DUCKDB = 2;

export function engineVerdicts(e: EngineFigures): { speed: boolean; rss: boolean } {
  const figures = WORKLOADS.map((w) => e.workloads[w]);
  return {
    speed: figures.every((f) => f.ours.p50 <= ENGINE_OVER_DUCKDB * f.duckdb.p50),
    rss: figures.every((f) => !f.rss || f.rss.ours.peakRss <= ENGINE_RSS_OVER_DUCKDB * f.rss.duckdb.peakRss),
  };
}

export function engineMet(e: EngineFigures): boolean {
  return Object.values(engineVerdicts(e)).every(Boolean);
}

const ms = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
const yes = (met: boolean): string => (met ? 'yes' : '**no**');

/** The engine figures in Markdown: data-mcp's processors beside DuckDB on the same data. */
export function engineTable(e: EngineFigures): string {
  const rows = e.rows.toLocaleString('en-US').replace(/,/g, ' ');
  const lines = [
    `Engine processors vs DuckDB (in-process \`@duckdb/node-api\`, in-memory table, default threads; one thread for context) on the same ${rows} rows (Arrow batches of 122 880 rows, a dictionary per batch); loads not timed, answers cross-checked; peak RSS from one child process per side and workload (both \`node --import tsx\`; the peak includes loading the data):`,
    '',
    '| Workload | data-mcp p50 (best) | DuckDB p50 (best) | ratio p50 (best) | DuckDB 1 thread p50, ratio | peak RSS data-mcp | DuckDB | RSS ratio | met (≤ 1.5× time, ≤ 2× RSS) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const workload of WORKLOADS) {
    const f = e.workloads[workload];
    const speedMet = f.ours.p50 <= ENGINE_OVER_DUCKDB * f.duckdb.p50;
    const rssMet = !f.rss || f.rss.ours.peakRss <= ENGINE_RSS_OVER_DUCKDB * f.rss.duckdb.peakRss;
    const rss = f.rss ? [megabytes(f.rss.ours.peakRss), megabytes(f.rss.duckdb.peakRss), ratio(f.rss.ours.peakRss, f.rss.duckdb.peakRss)] : ['—', '—', '—'];
    lines.push(
      `| ${WORKLOAD_LABELS[workload]} (n = ${f.ours.n}) | ${ms(f.ours.p50)} (${ms(f.ours.min)}) | ${ms(f.duckdb.p50)} (${ms(f.duckdb.min)}) | ${ratio(f.ours.p50, f.duckdb.p50)} (${ratio(f.ours.min, f.duckdb.min)}) | ${ms(f.duckdbOneThread.p50)}, ${ratio(f.ours.p50, f.duckdbOneThread.p50)} | ${rss.join(' | ')} | ${yes(speedMet && rssMet)} |`,
    );
  }
  return lines.join('\n');
}
