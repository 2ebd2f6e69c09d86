import type { BigFilesFigures } from './big-files.js';
import { megabytes } from './memory.js';

/** Targets of the big-files issue: ratios measured in the same run, and one absolute memory bound. */
export const SCAN_OVER_DUCKDB = 3;
/** "Far under a full download": at most this share of the object's bytes fetched. */
export const SCAN_FETCHED_SHARE = 0.2;
export const PEAK_RSS_BYTES = 300 * 1024 * 1024;

export function bigFilesVerdicts(b: BigFilesFigures): { scanSpeed: boolean; scanBytes: boolean; peakRss: boolean; csv: boolean } {
  return {
    scanSpeed: b.scan.ours.p50 <= SCAN_OVER_DUCKDB * b.scan.duckdb.p50,
    scanBytes: b.scan.bytesFetched <= SCAN_FETCHED_SHARE * b.scan.fileBytes,
    peakRss: b.huge.peakRss < PEAK_RSS_BYTES,
    csv: b.csv.oursBestMs <= b.csv.csvParseBestMs,
  };
}

export function bigFilesMet(b: BigFilesFigures): boolean {
  return Object.values(bigFilesVerdicts(b)).every(Boolean);
}

const ms = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`);
const count = (value: number): string => Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');
const mbps = (bytes: number, milliseconds: number): string => `${(bytes / 1e6 / (milliseconds / 1000)).toFixed(1)} MB/s`;
const yes = (met: boolean): string => (met ? 'yes' : '**no**');
const size = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : megabytes(bytes));

/** The big-file figures in Markdown: printed by every run, and written to BENCHMARKS.md with the others. */
export function bigFilesTable(b: BigFilesFigures): string {
  const v = bigFilesVerdicts(b);
  const { scan, huge, sparseCsv, csv } = b;
  const lines = [
    `Big files (Parquet written by DuckDB, sorted \`id\`; the s3 connector against in-process s3rver; RSS in a child process through the \`local\` connector):`,
    '',
    '| Measure | figure | compared with | target | met |',
    '|---|---:|---|---|---|',
    `| Parquet filtered scan from s3rver: ${count(scan.keptRows)} of ${count(scan.rows)} rows (1 %), p50 of ${scan.ours.n} | ${ms(scan.ours.p50)} | DuckDB on the local file p50 ${ms(scan.duckdb.p50)} (${(scan.ours.p50 / scan.duckdb.p50).toFixed(2)}×) | ≤ ${SCAN_OVER_DUCKDB}× DuckDB | ${yes(v.scanSpeed)} |`,
    `| Bytes that scan fetched | ${size(scan.bytesFetched)} of ${size(scan.fileBytes)} (${((100 * scan.bytesFetched) / scan.fileBytes).toFixed(1)} %); ${scan.rowGroupsSkipped} of ${scan.groups} row groups skipped | a full download p50 ${ms(scan.fullDownload.p50)} | ≤ ${SCAN_FETCHED_SHARE * 100} % of the object | ${yes(v.scanBytes)} |`,
    `| Peak RSS, 100 filtered rows from a ${size(huge.objectBytes)} Parquet object | ${megabytes(huge.peakRss)} | RSS before the read ${megabytes(huge.rssBefore)}; fetched ${size(huge.bytesRead)}, ${huge.rowGroupsSkipped ?? 0} row groups skipped, ${ms(huge.ms)} | < ${megabytes(PEAK_RSS_BYTES)} | ${yes(v.peakRss)} |`,
    `| Peak RSS, 100 sparse rows streamed from a ${size(sparseCsv.objectBytes)} CSV (no pruning possible) | ${megabytes(sparseCsv.peakRss)} | RSS before ${megabytes(sparseCsv.rssBefore)}; scanned ${count(sparseCsv.rowsScanned)} rows, ${size(sparseCsv.bytesRead)}, ${ms(sparseCsv.ms)} | reference | — |`,
    `| CSV → Arrow, \`readBatches\` (${size(csv.bytes)}, ${count(csv.rows)} rows), best of ${csv.ours.n} | ${mbps(csv.bytes, csv.oursBestMs)} | csv-parse alone to string arrays ${mbps(csv.bytes, csv.csvParseBestMs)} (${(csv.csvParseBestMs / csv.oursBestMs).toFixed(2)}× its rate) | ≥ 1× csv-parse | ${yes(v.csv)} |`,
  ];
  return lines.join('\n');
}
