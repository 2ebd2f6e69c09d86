// Child process of the big-file bench (plain JS on the built dist/, like dist/cli.js runs: no
// TypeScript loader inflating the figure): one `readTable` through the `local` connector, so
// the peak RSS it reports (getrusage maxrss) is this read's process alone, not the bench's.
// Usage: node bench/big-files-rss.mjs <root> <file> <format> <filter JSON> <limit>
/* global process, performance, AbortController -- Node globals; eslint gives .mjs files none. */
import { createLocalConnector } from '../dist/connectors/local/index.js';
import { readTable } from '../dist/data/read-table.js';

const [root, file, format, filterJson, limit] = process.argv.slice(2);
if (!root || !file || !format || !filterJson || !limit) throw new Error('usage: big-files-rss.mjs <root> <file> <format> <filter JSON> <limit>');
const connector = await createLocalConnector('bench', { kind: 'local', root, annotations: {} }, {});
const source = await connector.open(file, { signal: new AbortController().signal, credentials: { id: 'none' } });
const rssBefore = process.memoryUsage().rss;
const began = performance.now();
const result = await readTable(source, { format, filter: JSON.parse(filterJson), limit: Number(limit), maxRows: 1e9 });
const figures = {
  rssBefore,
  peakRss: process.resourceUsage().maxRSS * 1024,
  rows: result.table.numRows,
  rowsScanned: result.rowsScanned,
  bytesRead: result.bytesRead,
  objectBytes: source.size,
  rowGroupsSkipped: result.rowGroupsSkipped,
  ms: performance.now() - began,
};
await connector.close();
process.stdout.write(`${JSON.stringify(figures)}\n`);
