import { held, megabytes } from './memory.js';
import type { PagingFigures } from './redshift-paging.js';

/**
 * Bounded memory, judged on what data-mcp keeps after the last page: the live result holds
 * each row once, as Arrow (pages stay until the handle expires, by design). Held twice
 * would be ≥ 2×; Arrow's per-table objects add a little, hence 1.5×.
 */
export const PAGING_HELD_OVER_ARROW = 1.5;

export function pagingMet(p: PagingFigures): boolean {
  return p.heldByLiveResult <= PAGING_HELD_OVER_ARROW * p.arrowBytes;
}

const ms = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`);
const count = (value: number): string => Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');

/** The paging figures in Markdown: printed by every run, and written to BENCHMARKS.md with the main table. */
export function pagingTable(p: PagingFigures): string {
  const ratio = p.heldByLiveResult / p.arrowBytes;
  const lines = [
    `Paging ${count(p.rows)} rows from the Redshift Data API double (upstream pages of ${count(p.upstreamPage)}) through a \`result://\` handle, in-process:`,
    '',
    '| Measure | figure | compared with | target | met |',
    '|---|---:|---|---|---|',
    `| \`query\` with \`limit: 50\` (statement, polls, first page, handle) | ${ms(p.queryMs)} | — | — | — |`,
    `| Reading the handle to the end: ${p.reads} reads of ≤ ${count(p.readRows)} rows | ${ms(p.pagingMs)} | one read p50 ${ms(p.read.p50)}, p99 ${ms(p.read.p99)} | — | — |`,
    `| Throughput, query + reads | ${count(p.rowsPerSecond)} rows/s | — | reference | — |`,
    `| Held by data-mcp's live result after the last page (full GC) | ${megabytes(p.heldByLiveResult)} | the rows once as Arrow: ${megabytes(p.arrowBytes)} (${ratio.toFixed(2)}×) | ≤ ${PAGING_HELD_OVER_ARROW}× Arrow | ${pagingMet(p) ? 'yes' : '**no**'} |`,
    `| Held by the double (Redshift's copy of the result, in this process) | ${megabytes(p.heldByDouble)} | — | not data-mcp's | — |`,
    `| Retained right after the query answered (full GC) | ${megabytes(held(p.afterQuery))} | ≈ the double's copy + the rest of the first upstream page | — | — |`,
    `| Peak above baseline, heapUsed + arrayBuffers (per read, no forced GC) | ${megabytes(held(p.peak))} | of which the double ${megabytes(p.heldByDouble)} | — | — |`,
    `| Peak above baseline, rss | ${megabytes(p.peak.rss)} | — | — | — |`,
  ];
  return lines.join('\n');
}
