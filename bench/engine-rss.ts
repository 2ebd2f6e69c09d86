// Child process of the engine bench: one side (`ours` or `duckdb`) loads the bench data and
// runs one workload once, then reports its own peak RSS (getrusage maxrss), so each side's peak
// is its own and not the bench's. Both sides run the same way (node --import tsx), so the
// loader's share of the RSS is the same on both.
// Usage: node --import tsx bench/engine-rss.ts <ours|duckdb> <workload> <rows>
import { DuckDBInstance } from '@duckdb/node-api';
import { customersTable, factsTable, loadDuckdb } from './engine-data.js';
import { runDuckdb, runOurs, WORKLOADS, type Workload } from './engine-workloads.js';

export interface EngineRssFigures {
  /** RSS with the data loaded, before the workload runs. */
  rssLoaded: number;
  /** Peak RSS of the whole child (load and workload). */
  peakRss: number;
  ms: number;
  rows: number;
}

const [side, workload, rowsText] = process.argv.slice(2);
if ((side !== 'ours' && side !== 'duckdb') || !WORKLOADS.includes(workload as Workload) || !rowsText) {
  throw new Error('usage: engine-rss.ts <ours|duckdb> <workload> <rows>');
}
const rows = Number(rowsText);
let figures: EngineRssFigures;
if (side === 'ours') {
  const facts = factsTable(rows);
  const customers = customersTable();
  const rssLoaded = process.memoryUsage().rss;
  const began = performance.now();
  const out = await runOurs(workload as Workload, facts, customers);
  figures = { rssLoaded, peakRss: process.resourceUsage().maxRSS * 1024, ms: performance.now() - began, rows: out.numRows };
} else {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await loadDuckdb(connection, rows);
  const rssLoaded = process.memoryUsage().rss;
  const began = performance.now();
  const out = await runDuckdb(workload as Workload, connection);
  figures = { rssLoaded, peakRss: process.resourceUsage().maxRSS * 1024, ms: performance.now() - began, rows: out.length };
  connection.closeSync();
  instance.closeSync();
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
