import { existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * The big-file bench's inputs, written by DuckDB (fast, multi-threaded C++; the files are
 * what a real pipeline would write) from `range()` alone, so they are the same on every run.
 * The 1M-row Parquet and the CSV are cached in a temp folder across runs; the ≥ 1 GB object
 * is written per run and removed after.
 */
export const BIG_FILES_DIR = join(tmpdir(), 'data-mcp-bench-big-files-v1');

/** Rows of the filtered-scan file, and its row groups (sorted `id`, so statistics can prune). */
export const SCAN_ROWS = 1_000_000;
export const SCAN_GROUP_ROWS = 50_000;
/** `id` in [500 000, 509 999]: 1 % of the rows, inside one row group. */
export const SCAN_KEEP: [number, number] = [500_000, 509_999];

/** One row: a sorted key, a number, a low-cardinality string, and 32 hex characters that compress poorly. */
const COLUMNS = `i AS id, ((i * 7919) % 100000) / 100.0 AS amount, (['eu-west', 'us-east', 'ap-south'])[(i % 3) + 1] AS region, md5(i::VARCHAR) AS note`;

async function duckdb(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const quoted = (path: string): string => `'${path.replace(/'/g, "''")}'`;

export async function scanParquet(): Promise<string> {
  const path = join(BIG_FILES_DIR, 'scan-1m.parquet');
  if (existsSync(path)) return path;
  await mkdir(BIG_FILES_DIR, { recursive: true });
  await duckdb(`COPY (SELECT ${COLUMNS} FROM range(${SCAN_ROWS}) t(i) ORDER BY i) TO ${quoted(`${path}.tmp`)} (FORMAT parquet, ROW_GROUP_SIZE ${SCAN_GROUP_ROWS})`);
  await rm(path, { force: true });
  await rename(`${path}.tmp`, path);
  return path;
}

/** A CSV of about `megabytes` MB (same columns), cached by size. */
export async function throughputCsv(megabytes: number): Promise<{ path: string; rows: number }> {
  const path = join(BIG_FILES_DIR, `throughput-${megabytes}mb.csv`);
  // ≈ 55 bytes a row with these columns (measured).
  const rows = Math.round((megabytes * 1e6) / 55);
  if (existsSync(path)) return { path, rows };
  await mkdir(BIG_FILES_DIR, { recursive: true });
  await duckdb(`COPY (SELECT ${COLUMNS} FROM range(${rows}) t(i) ORDER BY i) TO ${quoted(`${path}.tmp`)} (FORMAT csv, HEADER)`);
  await rename(`${path}.tmp`, path);
  return { path, rows };
}

/**
 * A Parquet object of at least `megabytes` MB (sorted `id`, DuckDB's default row groups of
 * 122 880 rows), written for one run: the caller removes it. Returns its path, rows and size.
 */
export async function hugeParquet(megabytes: number): Promise<{ path: string; rows: number; bytes: number }> {
  await mkdir(BIG_FILES_DIR, { recursive: true });
  const path = join(BIG_FILES_DIR, `huge-${megabytes}mb.parquet`);
  // DuckDB's snappy pages of these columns take ≈ 40 bytes a row (measured); ≈ 10 % over, to be sure.
  const rows = Math.ceil((megabytes * 1e6 * 1.1) / 40);
  await duckdb(`COPY (SELECT ${COLUMNS} FROM range(${rows}) t(i)) TO ${quoted(path)} (FORMAT parquet)`);
  return { path, rows, bytes: statSync(path).size };
}
