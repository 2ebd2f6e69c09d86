import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable, type ReadTableResult } from '../../../src/data/read-table.js';
import type { Filter, FilterLeaf } from '../../../src/engine/filter.js';
import { epochMillisParsers } from '../../../src/formats/parquet.js';
import { rowGroupsToRead } from '../../../src/formats/parquet-prune.js';
import { memorySource } from '../../helpers/byte-source.js';
import { rowsOf } from '../../helpers/arrow-values.js';
import { duckdbRows } from '../../helpers/duckdb.js';

const GROUP = 100;
const ROWS = 1000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** Sorted keys in 10 row groups of 100: group g holds id 100g … 100g+99. */
function sortedFile(): Uint8Array {
  const ids = Array.from({ length: ROWS }, (_, i) => i);
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ids, type: 'INT32', nullable: false },
        { name: 'big', data: ids.map((i) => BigInt(i) * 10_000_000_000n), type: 'INT64', nullable: false },
        { name: 'ts', data: ids.map((i) => new Date(T0 + i * DAY)), type: 'TIMESTAMP', nullable: false },
        { name: 'name', data: ids.map((i) => `k${String(i).padStart(4, '0')}`), type: 'STRING', nullable: false },
        // All null in group 0, never null elsewhere.
        { name: 'maybe', data: ids.map((i) => (i < GROUP ? null : i)), type: 'INT32', nullable: true },
        { name: 'f', data: ids.map((i) => i / 2), type: 'DOUBLE', nullable: false },
      ],
      rowGroupSize: GROUP,
    }),
  );
}

const metadataOf = (file: Uint8Array) => parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer, { parsers: epochMillisParsers });
const groupsKept = (filter: Filter, file: Uint8Array): number[] =>
  rowGroupsToRead(filter, metadataOf(file)).flatMap((keep, g) => (keep ? [g] : []));

async function read(file: Uint8Array, filter: Filter, limit = 10_000): Promise<ReadTableResult & { fetched: number }> {
  const source = memorySource(file, 'sorted.parquet');
  const result = await readTable(source, { format: 'parquet', filter, limit, maxRows: 1_000_000 });
  return { ...result, fetched: source.bytesRead };
}

/** `not not f` means f (three-valued logic) but is never pruned: the unpruned reference read. */
const unpruned = (filter: Filter): Filter => ({ not: { not: filter } });

describe('Parquet row-group pruning from statistics', () => {
  const file = sortedFile();

  it('keeps only the row groups whose min/max can hold a match, per op and type', () => {
    expect(groupsKept({ column: 'id', op: 'between', value: [250, 260] }, file)).toEqual([2]);
    expect(groupsKept({ column: 'id', op: 'eq', value: 999 }, file)).toEqual([9]);
    expect(groupsKept({ column: 'id', op: 'lt', value: 100 }, file)).toEqual([0]);
    expect(groupsKept({ column: 'id', op: 'lte', value: 100 }, file)).toEqual([0, 1]);
    expect(groupsKept({ column: 'id', op: 'gt', value: 899 }, file)).toEqual([9]);
    expect(groupsKept({ column: 'id', op: 'gte', value: 899 }, file)).toEqual([8, 9]);
    expect(groupsKept({ column: 'id', op: 'in', value: [5, 705, 5000] }, file)).toEqual([0, 7]);
    expect(groupsKept({ column: 'id', op: 'eq', value: -1 }, file)).toEqual([]);
    // INT64 statistics are BigInt; the literal is a number.
    expect(groupsKept({ column: 'big', op: 'gte', value: 9_000 * 1e9 }, file)).toEqual([9]);
    expect(groupsKept({ column: 'ts', op: 'lt', value: new Date(T0 + 150 * DAY).toISOString() }, file)).toEqual([0, 1]);
    expect(groupsKept({ column: 'ts', op: 'between', value: ['2026-01-01', '2026-01-02'] }, file)).toEqual([0]);
    expect(groupsKept({ column: 'name', op: 'gte', value: 'k0950' }, file)).toEqual([9]);
    expect(groupsKept({ column: 'name', op: 'starts_with', value: 'k03' }, file)).toEqual([3]);
    expect(groupsKept({ column: 'name', op: 'starts_with', value: 'k1' }, file)).toEqual([]);
    expect(groupsKept({ column: 'f', op: 'gt', value: 449.5 }, file)).toEqual([9]);
  });

  it('combines with and (all may match) and or (any may match); never prunes under not', () => {
    const low: Filter = { column: 'id', op: 'lt', value: 150 };
    const high: Filter = { column: 'id', op: 'gt', value: 850 };
    expect(groupsKept({ and: [low, { column: 'name', op: 'gte', value: 'k0100' }] }, file)).toEqual([1]);
    expect(groupsKept({ or: [low, high] }, file)).toEqual([0, 1, 8, 9]);
    expect(groupsKept({ and: [low, high] }, file)).toEqual([]);
    expect(groupsKept({ not: { column: 'id', op: 'lt', value: 0 } }, file)).toHaveLength(10);
  });

  it('uses null counts: all-null groups match nothing but is_null', () => {
    expect(groupsKept({ column: 'maybe', op: 'is_null' }, file)).toEqual([0]);
    expect(groupsKept({ column: 'maybe', op: 'is_not_null' }, file)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(groupsKept({ column: 'maybe', op: 'ne', value: 5 }, file)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(groupsKept({ column: 'id', op: 'is_null' }, file)).toEqual([]);
  });

  it('keeps every group when it cannot decide: text ops, no statistics, floats with ne, odd literals', () => {
    for (const filter of [
      { column: 'name', op: 'contains', value: 'k1' },
      { column: 'name', op: 'ends_with', value: '9' },
      { column: 'id', op: 'eq', value: 'five' },
      { column: 'ts', op: 'gt', value: 'not a date' },
      { column: 'f', op: 'ne', value: 0 },
      { column: 'f', op: 'not_in', value: [0] },
      { column: 'missing', op: 'eq', value: 1 },
    ] satisfies FilterLeaf[]) {
      expect(groupsKept(filter, file), JSON.stringify(filter)).toHaveLength(10);
    }
    const noStats = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: [1, 2, 3, 4], type: 'INT32' }], rowGroupSize: 2, statistics: false }));
    expect(groupsKept({ column: 'id', op: 'eq', value: 100 }, noStats)).toEqual([0, 1]);
  });

  it('never fetches the byte ranges of skipped groups and returns what an unpruned read returns', async () => {
    // 10 groups of 5 000 rows with an incompressible payload (≈ 1 MB): far beyond the footer read.
    let seed = 7;
    const noise = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31).toString(16).slice(2, 18);
    const ids = Array.from({ length: 50_000 }, (_, i) => i);
    const big = new Uint8Array(parquetWriteBuffer({
      columnData: [{ name: 'id', data: ids, type: 'INT32', nullable: false }, { name: 'payload', data: ids.map(noise), type: 'STRING', nullable: false }],
      rowGroupSize: 5000,
    }));
    const filter: Filter = { column: 'id', op: 'between', value: [25_000, 25_010] };
    const source = memorySource(big, 'big.parquet');
    const ranges: [number, number][] = [];
    const plainRead = source.read.bind(source);
    source.read = (start, end) => (ranges.push([start, end]), plainRead(start, end));
    const pruned = await readTable(source, { format: 'parquet', filter, limit: 1000, maxRows: 1_000_000 });
    const full = await read(big, unpruned(filter), 1000);
    expect(pruned.rowGroupsSkipped).toBe(9);
    expect(full.rowGroupsSkipped).toBe(0);
    expect(rowsOf(pruned.table)).toEqual(rowsOf(full.table));
    expect(pruned.table.numRows).toBe(11);
    expect(pruned.complete).toBe(true);
    expect(pruned.rowsScanned).toBe(5000);
    expect(pruned.bytesRead).toBe(source.bytesRead);
    expect(pruned.bytesRead * 5).toBeLessThan(full.bytesRead);
    // No read after the footer's touches a column chunk of a skipped group.
    const groups = metadataOf(big).row_groups;
    const footerStart = ranges[0]![0];
    for (const [g, group] of groups.entries()) {
      if (g === 5) continue;
      for (const chunk of group.columns) {
        const meta = chunk.meta_data!;
        const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
        const end = start + Number(meta.total_compressed_size);
        if (end <= footerStart) expect(ranges.filter(([a, b]) => a < end && b > start), `group ${g}`).toEqual([]);
      }
    }
  });

  it('keeps the schema when every group is pruned', async () => {
    const result = await read(file, { column: 'id', op: 'gt', value: 5000 });
    expect(result.rowGroupsSkipped).toBe(10);
    expect(result.table.numRows).toBe(0);
    expect(result.table.schema.fields.map((f) => f.name)).toEqual(['id', 'big', 'ts', 'name', 'maybe', 'f']);
    expect(result.complete).toBe(true);
  });

  describe('against DuckDB on the same file', () => {
    let dir: string;
    let path: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'prune-'));
      path = join(dir, 'sorted.parquet');
      await writeFile(path, file);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('returns the rows DuckDB returns for selective filters', async () => {
      const cases: [Filter, string][] = [
        [{ and: [{ column: 'id', op: 'gte', value: 420 }, { column: 'name', op: 'starts_with', value: 'k04' }] }, `id >= 420 AND starts_with(name, 'k04')`],
        [{ or: [{ column: 'maybe', op: 'is_null' }, { column: 'big', op: 'gt', value: 9_950 * 1e9 }] }, `maybe IS NULL OR big > 9950 * 1e9`],
        [{ column: 'ts', op: 'between', value: ['2026-03-01', '2026-03-05T00:00:00Z'] }, `ts BETWEEN TIMESTAMPTZ '2026-03-01 00:00:00+00' AND TIMESTAMPTZ '2026-03-05 00:00:00+00'`],
      ];
      for (const [filter, where] of cases) {
        const result = await read(file, filter);
        expect(result.rowGroupsSkipped, where).toBeGreaterThan(0);
        const ours = rowsOf(result.table).map((r) => r.id);
        const theirs = (await duckdbRows(`SELECT id FROM read_parquet('${path}') WHERE ${where} ORDER BY id`)).map((r) => r.id);
        expect(ours, where).toEqual(theirs);
      }
    });
  });
});
