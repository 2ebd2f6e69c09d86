/**
 * readTable on Parquet with a filter reads each row group filter-first (the filter's columns,
 * then only the kept rows of the others). Property: for random files, filters, projections,
 * limits and scan ceilings it returns what filtering whole row groups returns — the same rows,
 * types, rowsScanned, `complete` flag and scan-ceiling error — the reference being the
 * batch-at-a-time loop over the hyparquet path.
 */
import type * as arrow from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../../src/data/read-table.js';
import { compileFilter, filterColumns, takeRows, type Filter } from '../../../src/engine/filter.js';
import { openParquet, parquetArrowSchema, readParquetBatches } from '../../../src/formats/parquet.js';
import { rowGroupsToRead } from '../../../src/formats/parquet-prune.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { rowsOf } from '../../helpers/arrow-values.js';
import { memorySource } from '../../helpers/byte-source.js';
import { mulberry32 } from '../../helpers/random.js';


function randomFile(random: () => number): Uint8Array {
  const rows = 20 + Math.floor(random() * 600);
  const maybeNull = <T,>(v: T): T | null => (random() < 0.1 ? null : v);
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'id', data: Array.from({ length: rows }, (_, i) => BigInt(i)), type: 'INT64', nullable: true },
        { name: 'n', data: Array.from({ length: rows }, () => maybeNull(Math.floor(random() * 100))), type: 'INT32', nullable: true },
        { name: 'x', data: Array.from({ length: rows }, () => maybeNull(random() < 0.05 ? Number.NaN : random() * 10)), type: 'DOUBLE', nullable: true },
        { name: 's', data: Array.from({ length: rows }, () => maybeNull(['eu', 'us', 'ap', 'é😀'][Math.floor(random() * 4)]!)), type: 'STRING', nullable: true },
        { name: 't', data: Array.from({ length: rows }, (_, i) => maybeNull(new Date(Date.UTC(2026, 0, 1) + i * 60_000))), type: 'TIMESTAMP', nullable: true },
      ],
      rowGroupSize: 10 + Math.floor(random() * 150),
      pageSize: random() < 0.5 ? 256 : 1 << 20,
    }),
  );
}

function randomFilter(random: () => number, rows: number): Filter {
  const leaves: Filter[] = [
    { column: 'id', op: 'between', value: [Math.floor(random() * rows), Math.floor(random() * rows) + 20] },
    { column: 'n', op: 'lt', value: Math.floor(random() * 100) },
    { column: 'x', op: 'gte', value: random() * 10 },
    { column: 's', op: 'in', value: ['eu', 'é😀'] },
    { column: 's', op: 'is_null' },
    { column: 't', op: 'gt', value: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * rows) * 60_000).toISOString() },
  ];
  const pick = () => leaves[Math.floor(random() * leaves.length)]!;
  const r = random();
  return r < 0.5 ? pick() : r < 0.75 ? { and: [pick(), pick()] } : { or: [pick(), { not: pick() }] };
}

interface Outcome {
  rows?: Record<string, unknown>[];
  types?: string[];
  rowsScanned?: number;
  complete?: boolean;
  error?: { code: unknown; message: unknown };
}

/** The whole-batch loop: every row group built in full (hyparquet path), then filtered. */
async function reference(bytes: Uint8Array, options: { columns?: string[]; filter: Filter; limit: number; maxRows: number }): Promise<Outcome> {
  const source = memorySource(bytes, 'r.parquet');
  const opened = await openParquet(source);
  const readColumns = options.columns ? [...new Set([...options.columns, ...filterColumns(options.filter)])] : undefined;
  const schemaOf = (t: arrow.Table) => t.schema;
  const rowGroups = rowGroupsToRead(options.filter, opened.metadata);
  compileFilter(options.filter, parquetArrowSchema(opened.columns));
  const pieces: arrow.Table[] = [];
  let rowsScanned = 0;
  let collected = 0;
  let complete = true;
  const batches = readParquetBatches(source, { ...(readColumns ? { columns: readColumns } : {}), rowGroups, fastPath: false }, opened)[Symbol.asyncIterator]();
  for (let next = await batches.next(); !next.done; next = await batches.next()) {
    const allowance = options.maxRows - rowsScanned;
    const overflow = next.value.numRows > allowance;
    const batch = overflow ? next.value.slice(0, allowance) : next.value;
    rowsScanned += batch.numRows;
    const matches = compileFilter(options.filter, schemaOf(batch))(batch);
    const need = options.limit - collected;
    const take = Math.min(need, matches.length);
    pieces.push(takeRows(batch, matches.subarray(0, take)));
    collected += take;
    if (matches.length >= need && need >= 0) {
      complete = matches.length === need && !overflow && (await batches.next()).done === true;
      break;
    }
    if (overflow) return { error: { code: 'LIMIT_EXCEEDED', message: expect.stringContaining(`found ${collected} of the ${options.limit}`) } };
  }
  const table = unifyTables(pieces, options.columns ?? (pieces.length > 0 ? undefined : []));
  return { rows: rowsOf(table), types: table.schema.fields.map((f) => `${f.name}:${f.type}`), rowsScanned, complete };
}

async function actual(bytes: Uint8Array, options: { columns?: string[]; filter: Filter; limit: number; maxRows: number }): Promise<Outcome> {
  try {
    const result = await readTable(memorySource(bytes, 'r.parquet'), { format: 'parquet', ...options });
    return { rows: rowsOf(result.table), types: result.table.schema.fields.map((f) => `${f.name}:${f.type}`), rowsScanned: result.rowsScanned, complete: result.complete };
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    return { error: { code: e.code, message: e.message } };
  }
}

describe('readTable on Parquet, filter first', () => {
  it('returns what filtering whole row groups returns (rows, types, rowsScanned, complete, ceiling errors)', async () => {
    const random = mulberry32(314);
    for (let n = 0; n < 60; n++) {
      const bytes = randomFile(random);
      const rows = Number((await openParquet(memorySource(bytes, 'r.parquet'))).metadata.num_rows);
      const filter = randomFilter(random, rows);
      const columns = random() < 0.5 ? undefined : random() < 0.5 ? ['s', 'id'] : ['x'];
      const limit = random() < 0.3 ? 1 + Math.floor(random() * 10) : 100_000;
      const maxRows = random() < 0.3 ? 1 + Math.floor(random() * rows) : 1_000_000;
      const options = { ...(columns ? { columns } : {}), filter, limit, maxRows };
      expect({ n, ...(await actual(bytes, options)) }).toEqual({ n, ...(await reference(bytes, options)) });
    }
  });

  it('keeps every column type when no row of any group matches', async () => {
    const bytes = randomFile(mulberry32(1));
    // `not` is never pruned by statistics, so every group is read and matches nothing.
    const result = await readTable(memorySource(bytes, 'r.parquet'), { format: 'parquet', filter: { not: { column: 'id', op: 'gte', value: 0 } }, limit: 10, maxRows: 1_000_000 });
    const whole = await readTable(memorySource(bytes, 'r.parquet'), { format: 'parquet', limit: 1, maxRows: 1_000_000 });
    expect(result.table.numRows).toBe(0);
    expect(result.table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(whole.table.schema.fields.map((f) => `${f.name}:${f.type}`));
    expect(result).toMatchObject({ complete: true, rowsScanned: Number((await openParquet(memorySource(bytes, 'r.parquet'))).metadata.num_rows) });
});
});
