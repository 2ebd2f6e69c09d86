// `npm run bench`: data-mcp beside its in-run baselines (DESIGN §14). Ratios are what we track;
// absolute figures vary from machine to machine. `-- --write` puts this run's figures in
// BENCHMARKS.md; `-- --quick` is a smoke run with small samples (never written).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { existsSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join, resolve } from 'node:path';
import { bigFiles } from './big-files.js';
import { coldStarts } from './cold-start.js';
import { BenchDatabase } from './pg-fixture.js';
import { policyDecisions } from './policy.js';
import { pageRedshiftResult } from './redshift-paging.js';
import { bigFilesTable } from './report-big-files.js';
import { engineBench } from './engine.js';
import { engineTable } from './report-engine.js';
import { pagingTable } from './report-paging.js';
import { allTargetsMet, machineLine, payloadLine, resultsTable, type BenchResults } from './report.js';
import { connect, hasRows, hasStructured, isCacheHitOf, roundTrips, type Probe } from './round-trip.js';
import { BenchEnvironment, DATA_MCP_SERVER, ECHO_SERVER } from './servers.js';
import { summarize } from './stats.js';
import { queryRoundTrips } from './warehouse-query.js';
import { writeLatest } from './write-results.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const write = args.has('--write');
const SIZES = quick
  ? { coldStarts: 3, rtWarmup: 5, rtN: 30, missWarmup: 3, missN: 20, policyWarmup: 200, policyN: 2000, pagedRows: 20_000 }
  : { coldStarts: 15, rtWarmup: 30, rtN: 300, missWarmup: 10, missN: 100, policyWarmup: 2000, policyN: 20_000, pagedRows: 100_000 };
/** The ≥ 1 GB object is written by DuckDB each run (≈ 10–25 s on 2 cores) and removed after. */
const BIG_FILES = quick
  ? { scanWarmup: 1, scanN: 5, hugeMegabytes: 200, csvMegabytes: 10, csvRuns: 1 }
  : { scanWarmup: 3, scanN: 20, hugeMegabytes: 1000, csvMegabytes: 50, csvRuns: 2 };
/** Probe processors vs DuckDB (10 M rows, as the issue sets; RSS in child processes). */
const ENGINE = quick ? { rows: 1_000_000, warmup: 1, runs: 3, rss: false } : { rows: 10_000_000, warmup: 1, runs: 9, rss: true };
/** Rows per `result://` read (the paging config's result budget) and per upstream page of the double. */
const PAGING = { readRows: 1000, upstreamPage: 1000 };
const READ_ARGS = { connector: 'demo', path: 'orders.parquet', limit: 50 };
/** A cross-source probe on the demo data (join, aggregate, sort): cached after its first run. */
const PROBE_ARGS = {
  sources: { orders: { connector: 'demo', path: 'orders.parquet' }, customers: { connector: 'demo', path: 'customers.csv' } },
  steps: [
    { op: 'join', right: 'customers', on: ['customer_id'] },
    { op: 'aggregate', by: ['segment'], metrics: [{ fn: 'sum', column: 'amount', as: 'revenue' }, { fn: 'count', as: 'orders' }] },
    { op: 'sort', by: [{ column: 'revenue', order: 'desc' }] },
  ],
};

const say = (text: string) => process.stderr.write(`${text}\n`);
const bench = new BenchEnvironment();
/** The bench's PostgreSQL schema once created; dropped at the end, also on failure or interrupt. */
let database: BenchDatabase | undefined;

async function cleanUp(): Promise<void> {
  bench.killAll();
  bench.removeState();
  // Children are gone first, so no backend of theirs holds a lock on the schema.
  await database?.drop();
}
function interrupted(code: number): void {
  const deadline = setTimeout(() => process.exit(code), 5000);
  void cleanUp()
    .catch((error: unknown) => say(`cleanup after interrupt failed: ${String(error)}`))
    .finally(() => {
      clearTimeout(deadline);
      process.exit(code);
    });
}
process.once('SIGINT', () => interrupted(130));
process.once('SIGTERM', () => interrupted(143));
process.once('exit', () => bench.killAll());

async function responseBytes(client: Client, tool: string, toolArgs: Record<string, unknown>): Promise<number> {
  return Buffer.byteLength(JSON.stringify(await client.callTool({ name: tool, arguments: toolArgs })));
}

async function measureRoundTrips(): Promise<BenchResults['roundTrip']> {
  const echo = await connect(ECHO_SERVER, bench);
  const dataMcp = await connect(DATA_MCP_SERVER, bench);
  try {
    // The first read fills the cache; every measured one must then be a hit (checked per call).
    await dataMcp.callTool({ name: 'read_data', arguments: READ_ARGS });
    const probeRows = (await dataMcp.callTool({ name: 'run_probe', arguments: PROBE_ARGS })).structuredContent as { rowCount?: number } | undefined;
    if (!probeRows?.rowCount) throw new Error('the bench probe returned no rows');
    const probes: Probe[] = [
      { label: 'echo', client: echo, tool: 'echo', args: {}, check: hasRows(50) },
      { label: 'read_data', client: dataMcp, tool: 'read_data', args: READ_ARGS, check: isCacheHitOf(50) },
      { label: 'whoami', client: dataMcp, tool: 'whoami', args: {}, check: hasStructured('serviceAccount') },
      { label: 'run_probe', client: dataMcp, tool: 'run_probe', args: PROBE_ARGS, check: isCacheHitOf(probeRows.rowCount) },
    ];
    const bytes = {
      echo: await responseBytes(echo, 'echo', {}),
      readData: await responseBytes(dataMcp, 'read_data', READ_ARGS),
      whoami: await responseBytes(dataMcp, 'whoami', {}),
      probe: await responseBytes(dataMcp, 'run_probe', PROBE_ARGS),
    };
    const [e, r, w, p] = (await roundTrips(probes, SIZES.rtWarmup, SIZES.rtN)).map(summarize);
    return { echo: e!, readData: r!, whoami: w!, probe: p!, bytes };
  } finally {
    await Promise.all([echo.close(), dataMcp.close()]);
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` (npm run bench does)');
  if (quick && write) throw new Error('--quick figures are a smoke run; they are never written to BENCHMARKS.md');
  const began = performance.now();
  const load = loadavg()[0] ?? 0;

  // First, in a fresh process: in-process DuckDB baselines measured after the other phases
  // (the Redshift double's heap, many client round trips) came out several times slower than
  // the same query alone, which flattered the ratio.
  const big = await bigFiles(BIG_FILES, say);

  say(`policy decisions: ${SIZES.policyN} raw + ${SIZES.policyN} memoized…`);
  const policy = await policyDecisions(SIZES.policyWarmup, SIZES.policyN);

  say(`cold starts: ${SIZES.coldStarts} × echo and data-mcp, interleaved…`);
  const [echoStarts, dataMcpStarts] = await coldStarts([ECHO_SERVER, DATA_MCP_SERVER], SIZES.coldStarts, bench);

  say(`round trips: ${SIZES.rtN} × echo, read_data (cache hit), whoami, run_probe (cache hit), interleaved…`);
  const roundTrip = await measureRoundTrips();

  database = await BenchDatabase.create();
  say(`query on PostgreSQL over stdio: ${SIZES.rtN} × echo and query (cache hit), then ${SIZES.missN} × echo and query (cache miss), interleaved…`);
  const query = await queryRoundTrips(database, bench, { warmup: SIZES.rtWarmup, n: SIZES.rtN, missWarmup: SIZES.missWarmup, missN: SIZES.missN });

  say(`paging: ${SIZES.pagedRows} rows from the Redshift double through a result:// handle, in-process…`);
  const paging = await pageRedshiftResult(database, SIZES.pagedRows, PAGING.readRows, PAGING.upstreamPage);


  const engine = await engineBench(ENGINE, say);

  const results: BenchResults = {
    machine: {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      node: process.versions.node,
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: cpus().length,
      platform: `${platform()} ${release()}`,
      load,
    },
    seconds: (performance.now() - began) / 1000,
    coldStart: { echo: summarize(echoStarts ?? []), dataMcp: summarize(dataMcpStarts ?? []) },
    roundTrip,
    policy: { raw: summarize(policy.raw), memoized: summarize(policy.memoized) },
    query,
    paging,
    bigFiles: big,
    engine,
  };

  const alive = bench.alive();
  if (alive.length > 0) throw new Error(`child processes still running after the bench: ${alive.join(', ')}`);

  process.stdout.write(`\n${machineLine(results)}\n\n${resultsTable(results)}\n\n${payloadLine(results)}\n\n${pagingTable(results.paging)}\n\n${bigFilesTable(results.bigFiles)}\n\n${engineTable(results.engine)}\n\n`);
  process.stdout.write(allTargetsMet(results) ? 'All targets met.\n' : 'Some targets are not met (see BENCHMARKS.md for the reading).\n');
  if (write) {
    writeLatest(join(ROOT, 'BENCHMARKS.md'), results);
    say('BENCHMARKS.md updated.');
  }
}

try {
  await main();
} finally {
  await cleanUp();
}
