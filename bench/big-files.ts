import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse';
import { createS3Connector } from '../src/connectors/s3/index.js';
import type { ByteSource, CallOptions } from '../src/connectors/types.js';
import { readObjects, type ObjectOpener, type ReadObjectsResult } from '../src/data/read-objects.js';
import type { Filter } from '../src/engine/filter.js';
import { readBatches } from '../src/formats/index.js';
import { S3RVER_CREDENTIALS, startS3rver } from '../test/helpers/s3rver.js';
import { hugeParquet, SCAN_GROUP_ROWS, SCAN_KEEP, SCAN_ROWS, scanParquet, throughputCsv } from './big-files-data.js';
import { msSince, summarize, type Summary } from './stats.js';

export interface BigFilesSizes {
  scanWarmup: number;
  scanN: number;
  hugeMegabytes: number;
  csvMegabytes: number;
  csvRuns: number;
}

export interface BigFilesFigures {
  scan: { rows: number; groups: number; fileBytes: number; keptRows: number; bytesFetched: number; rowGroupsSkipped: number; ours: Summary; duckdb: Summary; fullDownload: Summary };
  huge: RssFigures;
  sparseCsv: RssFigures;
  csv: { bytes: number; rows: number; oursBestMs: number; csvParseBestMs: number; ours: Summary; csvParse: Summary };
}

/** What the child (`big-files-rss.mjs`) reports, bytes and milliseconds. */
export interface RssFigures {
  /** RSS once modules are loaded and the object is open, before the read. */
  rssBefore: number;
  /** Peak RSS of the whole child process, read included. */
  peakRss: number;
  rows: number;
  rowsScanned: number;
  bytesRead: number;
  objectBytes: number;
  rowGroupsSkipped?: number;
  ms: number;
}

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'big-files-rss.mjs');

export async function bigFiles(sizes: BigFilesSizes, say: (text: string) => void): Promise<BigFilesFigures> {
  say(`big files: filtered Parquet scan (1 % of ${SCAN_ROWS} rows) from s3rver vs DuckDB on the local file, ${sizes.scanN} runs each…`);
  const scan = await filteredScan(sizes);
  say(`big files: peak RSS of 100 filtered rows from a ${sizes.hugeMegabytes} MB Parquet object (child process)…`);
  const huge = await hugeRead(sizes.hugeMegabytes);
  const { path: csvPath, rows: csvRows } = await throughputCsv(sizes.csvMegabytes);
  // amount = k / 100 with k = (i · 7919) mod 100 000, evenly spread: amount < x keeps x / 1000 of
  // the rows, so ≈ 110 matches lie all over the file and the 100th is near its end.
  const sparse: Filter = { column: 'amount', op: 'lt', value: (110 * 1000) / csvRows };
  say(`big files: peak RSS of 100 sparse rows streamed from the ${sizes.csvMegabytes} MB CSV (child process), then CSV throughput vs csv-parse, ${sizes.csvRuns} runs each…`);
  const sparseCsv = await childRead(dirname(csvPath), basename(csvPath), 'csv', sparse, 100);
  const csv = await csvThroughput(csvPath, sizes.csvRuns);
  return { scan, huge, sparseCsv, csv };
}

async function filteredScan(sizes: BigFilesSizes): Promise<BigFilesFigures['scan']> {
  const path = await scanParquet();
  const file = await readFile(path);
  const server = await startS3rver({ buckets: ['bench'] });
  const connector = await createS3Connector('lake', { kind: 's3', buckets: ['bench'], region: 'us-east-1', endpoint: server.endpoint, force_path_style: true, annotations: {} }, {});
  const duck = await DuckDBInstance.create(':memory:');
  const connection = await duck.connect();
  const call: CallOptions = { signal: new AbortController().signal, credentials: { id: 'aws:static:bench', material: { kind: 'aws', ...S3RVER_CREDENTIALS } } };
  const filter: Filter = { column: 'id', op: 'between', value: SCAN_KEEP };
  const keptRows = SCAN_KEEP[1] - SCAN_KEEP[0] + 1;
  const sql = `SELECT * FROM read_parquet('${path.replace(/'/g, "''")}') WHERE id BETWEEN ${SCAN_KEEP[0]} AND ${SCAN_KEEP[1]}`;
  try {
    await server.putObject('bench', 'scan.parquet', file);
    const ours: number[] = [];
    const duckdb: number[] = [];
    let last: ReadObjectsResult | undefined;
    // The product path (read_data & co.): readObjects, whose optimistic open lets a repeat read
    // of the unchanged object skip the open's request. The opener passes the hint on to the
    // connector, which is what the gate's connector view has to do for read_data to benefit.
    const opener: ObjectOpener = { open: (path, hint) => connector.open(path, { ...call, ...hint }) };
    const read = { format: 'parquet', filter, limit: 2 * keptRows, maxRows: 2 * SCAN_ROWS, maxObjectBytes: Number.MAX_SAFE_INTEGER, signal: call.signal } as const;
    for (let i = 0; i < sizes.scanWarmup + sizes.scanN; i++) {
      let start = process.hrtime.bigint();
      last = await readObjects(opener, ['bench/scan.parquet'], read);
      const oursMs = msSince(start);
      if (last.table.numRows !== keptRows) throw new Error(`filtered scan returned ${last.table.numRows} rows, expected ${keptRows}`);
      start = process.hrtime.bigint();
      const reader = await connection.runAndReadAll(sql);
      const duckMs = msSince(start);
      if (reader.currentRowCount !== keptRows) throw new Error(`DuckDB returned ${reader.currentRowCount} rows, expected ${keptRows}`);
      if (i >= sizes.scanWarmup) {
        ours.push(oursMs);
        duckdb.push(duckMs);
      }
    }
    const downloads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = process.hrtime.bigint();
      const source = await connector.open('bench/scan.parquet', call);
      await source.read(0, source.size);
      downloads.push(msSince(start));
    }
    return {
      rows: SCAN_ROWS,
      groups: Math.ceil(SCAN_ROWS / SCAN_GROUP_ROWS),
      fileBytes: file.byteLength,
      keptRows,
      bytesFetched: last!.bytesRead,
      rowGroupsSkipped: last!.objects[0]?.rowGroupsSkipped ?? 0,
      ours: summarize(ours),
      duckdb: summarize(duckdb),
      fullDownload: summarize(downloads),
    };
  } finally {
    connection.closeSync();
    duck.closeSync();
    await connector.close();
    await server.stop();
  }
}

async function hugeRead(megabytes: number): Promise<RssFigures> {
  const huge = await hugeParquet(megabytes);
  try {
    // The last 100 ids: in the last row group, so statistics skip every other one.
    const filter: Filter = { column: 'id', op: 'between', value: [huge.rows - 100, huge.rows - 1] };
    return await childRead(dirname(huge.path), basename(huge.path), 'parquet', filter, 100);
  } finally {
    await rm(huge.path, { force: true });
  }
}

async function childRead(root: string, file: string, format: string, filter: Filter, limit: number): Promise<RssFigures> {
  const { stdout } = await run(process.execPath, [CHILD, root, file, format, JSON.stringify(filter), String(limit)], { timeout: 180_000 });
  const figures = JSON.parse(stdout) as RssFigures;
  if (figures.rows !== limit) throw new Error(`${file}: the child returned ${figures.rows} rows, expected ${limit}`);
  return figures;
}

async function csvThroughput(path: string, runs: number): Promise<BigFilesFigures['csv']> {
  const bytes = new Uint8Array(await readFile(path));
  const ours: number[] = [];
  const csvParse: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    let start = process.hrtime.bigint();
    let ourRows = 0;
    for await (const batch of readBatches(memorySource(bytes, path), 'csv')) ourRows += batch.numRows;
    ours.push(msSince(start));
    start = process.hrtime.bigint();
    const records = await csvParseRecords(bytes);
    csvParse.push(msSince(start));
    // csv-parse counts the header as a record; the reader turns it into column names.
    if (records !== ourRows + 1) throw new Error(`CSV rows differ: csv-parse ${records - 1}, reader ${ourRows}`);
    rows = ourRows;
  }
  const o = summarize(ours);
  const c = summarize(csvParse);
  return { bytes: bytes.byteLength, rows, oursBestMs: o.min, csvParseBestMs: c.min, ours: o, csvParse: c };
}

/** csv-parse alone, with the reader's options, fed the same bytes in 1 MiB chunks: records as string arrays, no Arrow. */
async function csvParseRecords(bytes: Uint8Array): Promise<number> {
  const parser = parse({ bom: true, skip_empty_lines: true });
  let records = 0;
  const counted = (async () => {
    for await (const _ of parser as AsyncIterable<string[]>) records++;
  })();
  for (let offset = 0; offset < bytes.byteLength; offset += 1 << 20) {
    if (!parser.write(Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.min(1 << 20, bytes.byteLength - offset)))) {
      await new Promise((resolve) => parser.once('drain', resolve));
    }
  }
  parser.end();
  await counted;
  return records;
}

function memorySource(bytes: Uint8Array, path: string): ByteSource {
  return { path, size: bytes.byteLength, read: (start, end) => Promise.resolve(bytes.subarray(start, end)) };
}
