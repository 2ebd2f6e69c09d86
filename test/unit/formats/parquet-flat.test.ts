/**
 * The flat-column decoder (parquet-flat*.ts) against its reference, hyparquet + the builders
 * (`fastPath: false`): random files from two writers (hyparquet-writer: data page v2, offset
 * indexes, small pages; DuckDB: data page v1, several codecs), every type the fast path takes,
 * nulls, NaN, unicode, empty strings, PLAIN and dictionary pages — same Arrow types, same
 * values, same nulls, whole groups and gathered selections alike. Plus corrupt input.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeRows } from '../../../src/engine/take.js';
import { decodeFlat, flatSpecOf } from '../../../src/formats/parquet-flat.js';
import { parquetColumns } from '../../../src/formats/parquet-types.js';
import { readParquetBatches, readParquetSelected, type ParquetReadOptions } from '../../../src/formats/parquet.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { collectBatches, columnValues } from '../../helpers/arrow-values.js';
import { memorySource } from '../../helpers/byte-source.js';
import { duckdbRows } from '../../helpers/duckdb.js';
import { mulberry32 } from '../../helpers/random.js';


const WORDS = ['', 'a', 'é', '日本', '😀x', 'line\nbreak', '\uFFFD', 'z'.repeat(40)];

function randomFile(random: () => number): Uint8Array {
  const rows = 1 + Math.floor(random() * 700);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const nullRate = pick([0, 0.2, 1]);
  const maybeNull = <T,>(v: T): T | null => (random() < nullRate ? null : v);
  const distinct = pick([3, 50, 100_000]);
  const text = () => `${pick(WORDS)}${Math.floor(random() * distinct)}`;
  const float = () => pick([random() * 1e6 - 5e5, Number.NaN, Number.POSITIVE_INFINITY, -0, 0.1]);
  const encoding = pick([undefined, 'PLAIN'] as const);
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'i32', data: Array.from({ length: rows }, () => maybeNull(Math.floor(random() * 2000) - 1000)), type: 'INT32', nullable: true, ...(encoding ? { encoding } : {}) },
        { name: 'i32r', data: Int32Array.from({ length: rows }, () => Math.floor(random() * 10)), type: 'INT32', nullable: false },
        { name: 'small64', data: Array.from({ length: rows }, () => maybeNull(BigInt(Math.floor(random() * 1e12)) - 500_000_000_000n)), type: 'INT64', nullable: true },
        { name: 'big64', data: Array.from({ length: rows }, (_, i) => maybeNull(i % 7 === 0 ? 9_007_199_254_740_993n : -BigInt(i) * 3_000_000_000_000_000n)), type: 'INT64', nullable: true },
        { name: 'f64', data: Array.from({ length: rows }, () => maybeNull(float())), type: 'DOUBLE', nullable: true, ...(encoding ? { encoding } : {}) },
        { name: 'f64r', data: Float64Array.from({ length: rows }, () => float()), type: 'DOUBLE', nullable: false },
        { name: 'f32', data: Array.from({ length: rows }, () => maybeNull(Math.fround(random() * 100))), type: 'FLOAT', nullable: true },
        { name: 'b', data: Array.from({ length: rows }, () => maybeNull(random() < 0.4)), type: 'BOOLEAN', nullable: true },
        { name: 's', data: Array.from({ length: rows }, () => maybeNull(text())), type: 'STRING', nullable: true, ...(encoding ? { encoding } : {}) },
        { name: 'sr', data: Array.from({ length: rows }, () => text()), type: 'STRING', nullable: false },
      ],
      rowGroupSize: 1 + Math.floor(random() * 300),
      pageSize: pick([64, 512, 1 << 20]),
      codec: pick(['SNAPPY', 'UNCOMPRESSED'] as const),
    }),
  );
}

async function readAll(bytes: Uint8Array, options: ParquetReadOptions = {}): Promise<arrow.Table[]> {
  return collectBatches(readParquetBatches(memorySource(bytes, 'f.parquet'), options));
}

function expectSameTables(fast: arrow.Table, slow: arrow.Table): void {
  expect(fast.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(slow.schema.fields.map((f) => `${f.name}:${f.type}`));
  expect(fast.numRows).toBe(slow.numRows);
  for (const field of slow.schema.fields) {
    expect({ column: field.name, values: columnValues(fast, field.name) }).toEqual({ column: field.name, values: columnValues(slow, field.name) });
    const nulls = (t: arrow.Table) => t.getChild(field.name)!.data.reduce((n, d) => n + d.nullCount, 0);
    expect(nulls(fast)).toBe(nulls(slow));
    for (const data of fast.getChild(field.name)!.data) expect(paddingBitsSet(data)).toBe(0);
  }
}

/** Validity bits past the last row (the builders leave them clear; so must the flat decoder). */
function paddingBitsSet(data: arrow.Data): number {
  const bitmap = data.nullBitmap;
  if (!bitmap || data.nullCount === 0) return 0;
  let set = 0;
  for (let bit = data.offset + data.length; bit < bitmap.length * 8; bit++) set += (bitmap[bit >> 3]! >> (bit & 7)) & 1;
  return set;
}

async function expectSameRead(bytes: Uint8Array): Promise<void> {
  const fast = await readAll(bytes);
  const slow = await readAll(bytes, { fastPath: false });
  expect(fast.map((b) => b.numRows)).toEqual(slow.map((b) => b.numRows));
  fast.forEach((batch, i) => expectSameTables(batch, slow[i]!));
}

/** The chunks of one file's first row group that the flat decoder reads without falling back. */
function flatDecodedColumns(bytes: Uint8Array): string[] {
  const metadata = parquetMetadata(bytes.slice().buffer);
  const nodes = parquetSchema(metadata).children;
  const kinds = new Map(parquetColumns(parquetSchema(metadata), metadata).map((c) => [c.name, c.kind]));
  const group = metadata.row_groups[0]!;
  return group.columns.flatMap((chunk) => {
    const meta = chunk.meta_data!;
    const name = meta.path_in_schema[0]!;
    const spec = flatSpecOf(nodes.find((n) => n.element.name === name)!, kinds.get(name)!);
    if (!spec) return [];
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const data = decodeFlat(bytes.subarray(start, start + Number(meta.total_compressed_size)), meta.codec, spec, Number(group.num_rows));
    return data ? [name] : [];
  });
}

describe('flat Parquet decoder', () => {
  it('equals the hyparquet path on random hyparquet-writer files (v2 pages, dictionaries, small pages)', async () => {
    const random = mulberry32(20261122);
    for (let n = 0; n < 40; n++) await expectSameRead(randomFile(random));
  });

  it('decodes every column kind it claims without falling back', () => {
    const file = randomFile(mulberry32(7));
    expect(flatDecodedColumns(file).sort()).toEqual(['b', 'big64', 'f32', 'f64', 'f64r', 'i32', 'i32r', 's', 'small64', 'sr']);
  });

  it('gathers a selection exactly as building the whole group and taking rows', async () => {
    const random = mulberry32(99);
    for (let n = 0; n < 25; n++) {
      const bytes = randomFile(random);
      const picks: Int32Array[] = [];
      const selected = await collectBatches(
        readParquetSelected(memorySource(bytes, 'f.parquet'), {
          filterColumns: ['i32r'],
          select: (filterTable) => {
            const rows = filterTable.numRows;
            const mode = random();
            const all = Int32Array.from({ length: rows }, (_, i) => i);
            const pick = mode < 0.15 ? new Int32Array(0) : mode < 0.3 ? all : all.filter(() => random() < 0.3);
            picks.push(pick);
            return pick;
          },
        }),
      );
      const whole = await readAll(bytes, { fastPath: false });
      whole.forEach((batch, i) => expectSameTables(selected[i]!, takeRows(batch, picks[i]!)));
    }
  });

  describe('on DuckDB files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'flat-parquet-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const select = `SELECT i::INTEGER AS i32, (i * 1000003)::BIGINT AS i64, CASE WHEN i % 11 = 0 THEN NULL ELSE i / 7.0 END::DOUBLE AS f64,
      (i / 3.0)::FLOAT AS f32, i % 3 = 0 AS b, CASE WHEN i % 5 = 0 THEN NULL ELSE ['eu', 'ü', '', '😀'][i % 4 + 1] END AS region,
      CASE WHEN i % 13 = 0 THEN NULL ELSE md5(i::VARCHAR) END AS note, from_hex(CASE WHEN i % 2 = 0 THEN 'ff41' ELSE '4142' END) AS blob
      FROM range(5000) t(i)`;

    for (const codec of ['snappy', 'zstd', 'gzip', 'uncompressed', 'lz4']) {
      it(`equals the hyparquet path (${codec})`, async () => {
        const path = join(dir, `${codec}.parquet`);
        await duckdbRows(`COPY (${select}) TO '${path}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 2048)`);
        const bytes = new Uint8Array(await readFile(path));
        await expectSameRead(bytes);
        expect(flatDecodedColumns(bytes).sort()).toEqual(['b', 'blob', 'f32', 'f64', 'i32', 'i64', 'note', 'region']);
      });
    }

    it('turns bytes that are not UTF-8 into U+FFFD as the hyparquet path does', async () => {
      const path = join(dir, 'blob.parquet');
      await duckdbRows(`COPY (SELECT from_hex('ff41') AS blob UNION ALL SELECT from_hex('c3a9')) TO '${path}' (FORMAT parquet)`);
      const table = unifyTables(await readAll(new Uint8Array(await readFile(path))));
      expect(columnValues(table, 'blob')).toEqual(['\uFFFDA', 'é']);
    });
  });

  it('rejects corrupt pages as INVALID_ARGUMENT and never anything else', async () => {
    const random = mulberry32(5);
    const file = randomFile(random);
    const metadata = parquetMetadata(file.slice().buffer);
    const dataEnd = Math.max(...metadata.row_groups.flatMap((g) => g.columns.map((c) => Number(c.meta_data!.data_page_offset) + Number(c.meta_data!.total_compressed_size))));
    for (let n = 0; n < 200; n++) {
      const broken = file.slice();
      const at = 4 + Math.floor(random() * (dataEnd - 4));
      for (let k = 0; k < 1 + Math.floor(random() * 8); k++) broken[Math.min(dataEnd - 1, at + k)] = Math.floor(random() * 256);
      try {
        await readAll(broken);
      } catch (error) {
        expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      }
    }
  });
});
