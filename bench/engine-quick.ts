// A quick read of the engine bench (bench/engine.ts) without peak-RSS children: the time ratios
// ours / DuckDB (its default threads, and one thread) per workload, medians of the timed runs.
// Usage: node --import tsx bench/engine-quick.ts [rows=10000000] [runs=7]
// Other work on the machine skews DuckDB's two threads more than our one: compare within a run.
import { engineBench } from './engine.js';

const rows = Number(process.argv[2] ?? 10_000_000);
const runs = Number(process.argv[3] ?? 7);
const figures = await engineBench({ rows, warmup: 2, runs, rss: false }, (text) => process.stderr.write(`${text}\n`));
for (const [workload, f] of Object.entries(figures.workloads)) {
  const ratio = (ms: number) => (f.ours.p50 / ms).toFixed(2);
  process.stdout.write(
    `${workload}: ours ${f.ours.p50.toFixed(0)} ms, duckdb ${f.duckdb.p50.toFixed(0)} ms (1 thread ${f.duckdbOneThread.p50.toFixed(0)} ms) → ${ratio(f.duckdb.p50)}× (vs 1 thread ${ratio(f.duckdbOneThread.p50)}×)\n`,
  );
}
