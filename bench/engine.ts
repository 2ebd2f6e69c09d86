import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { customersTable, factsTable, loadDuckdb } from './engine-data.js';
import type { EngineRssFigures } from './engine-rss.js';
import { answerDifference, ourRows, runDuckdb, runOurs, WORKLOADS, type Workload } from './engine-workloads.js';
import { msSince, summarize, type Summary } from './stats.js';

/**
 * The engine bench (issue: processors within 1.5× of DuckDB, peak RSS ≤ 2× DuckDB's): the same
 * data in an Arrow table and in an in-memory DuckDB table (loads not timed), each workload run
 * by data-mcp's processors and by DuckDB's SQL (with its default threads, and with one thread for
 * context), interleaved round by round so all see the same machine. Each side's answer is checked against the other's. Peak RSS comes from child
 * processes, one per side and workload, so the peaks are separate.
 */
export interface EngineSizes {
  rows: number;
  warmup: number;
  runs: number;
  /** Measure peak RSS in child processes (slow: each loads the data again). */
  rss: boolean;
}

export interface EngineWorkloadFigures {
  ours: Summary;
  duckdb: Summary;
  /** DuckDB limited to one thread (`SET threads = 1`), as data-mcp runs on one: context, not the target. */
  duckdbOneThread: Summary;
  rss?: { ours: EngineRssFigures; duckdb: EngineRssFigures };
}

export interface EngineFigures {
  rows: number;
  workloads: Record<Workload, EngineWorkloadFigures>;
}

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'engine-rss.ts');

export async function engineBench(sizes: EngineSizes, say: (text: string) => void): Promise<EngineFigures> {
  say(`engine: ${sizes.rows} rows in Arrow and in DuckDB (in memory), ${sizes.warmup} warm-up + ${sizes.runs} interleaved runs per workload…`);
  const facts = factsTable(sizes.rows);
  const customers = customersTable();
  const duck = await DuckDBInstance.create(':memory:');
  const connection = await duck.connect();
  const times = Object.fromEntries(WORKLOADS.map((w) => [w, { ours: [] as number[], duckdb: [] as number[], duckdbOneThread: [] as number[] }])) as Record<Workload, Record<'ours' | 'duckdb' | 'duckdbOneThread', number[]>>;
  try {
    await loadDuckdb(connection, sizes.rows);
    for (let round = 0; round < sizes.warmup + sizes.runs; round++) {
      for (const workload of WORKLOADS) {
        let start = process.hrtime.bigint();
        const ours = await runOurs(workload, facts, customers);
        const oursMs = msSince(start);
        start = process.hrtime.bigint();
        const theirs = await runDuckdb(workload, connection);
        const duckMs = msSince(start);
        const threads = await connection.runAndReadAll(`SELECT current_setting('threads') AS n`);
        await connection.run('SET threads = 1');
        start = process.hrtime.bigint();
        await runDuckdb(workload, connection);
        const duckOneMs = msSince(start);
        await connection.run(`SET threads = ${String(threads.getRowObjectsJS()[0]!.n)}`);
        if (round === 0) {
          const difference = answerDifference(ourRows(ours), theirs);
          if (difference) throw new Error(`engine bench: ${workload} answers differ: ${difference}`);
        }
        if (round >= sizes.warmup) {
          times[workload].ours.push(oursMs);
          times[workload].duckdb.push(duckMs);
          times[workload].duckdbOneThread.push(duckOneMs);
        }
      }
    }
  } finally {
    connection.closeSync();
    duck.closeSync();
  }
  const workloads = {} as Record<Workload, EngineWorkloadFigures>;
  for (const workload of WORKLOADS) workloads[workload] = { ours: summarize(times[workload].ours), duckdb: summarize(times[workload].duckdb), duckdbOneThread: summarize(times[workload].duckdbOneThread) };
  if (sizes.rss) {
    for (const workload of WORKLOADS) {
      say(`engine: peak RSS of ${workload}, each side in its own child process…`);
      workloads[workload].rss = { ours: await childRss('ours', workload, sizes.rows), duckdb: await childRss('duckdb', workload, sizes.rows) };
    }
  }
  return { rows: sizes.rows, workloads };
}

async function childRss(side: 'ours' | 'duckdb', workload: Workload, rows: number): Promise<EngineRssFigures> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, side, workload, String(rows)], { timeout: 600_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as EngineRssFigures;
}
