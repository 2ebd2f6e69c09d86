/**
 * The selective paths of the flat decoder: a selection that is one block of consecutive rows
 * (what a range filter on a sorted column gives) is copied as a block, dictionary indices
 * and PLAIN string positions before the first selected slot are stepped over, and the hybrid
 * decoder skips whole runs. Each is checked against its reference — hyparquet's whole group
 * then `takeRows`, or the hybrid decoder without a skip — and corrupt input must still end in
 * INVALID_ARGUMENT, never a crash.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeRows } from '../../../src/engine/take.js';
import { decodeHybrid } from '../../../src/formats/parquet-hybrid.js';
import { readParquetBatches, readParquetSelected } from '../../../src/formats/parquet.js';
import { collectBatches, columnValues } from '../../helpers/arrow-values.js';
import { memorySource } from '../../helpers/byte-source.js';
import { duckdbRows } from '../../helpers/duckdb.js';
import { mulberry32 } from '../../helpers/random.js';


/** Rows [start, start + length) of a group, clipped. */
const block = (rows: number, start: number, length: number): Int32Array => Int32Array.from({ length: Math.max(0, Math.min(rows, start + length) - start) }, (_, i) => start + i);

/** A selection of one of the shapes a filter produces: a block, a block with holes, a few blocks, the tail, single rows. */
function selectionFor(rows: number, random: () => number): Int32Array {
  const start = Math.floor(random() * rows);
  const length = 1 + Math.floor(random() * rows);
  switch (Math.floor(random() * 5)) {
    case 0:
      return block(rows, start, length);
    case 1:
      return block(rows, start, length).filter(() => random() < 0.9);
    case 2: {
      const a = block(rows, start, Math.ceil(length / 3));
      const b = block(rows, Math.min(rows, start + Math.ceil(length / 3) + 1 + Math.floor(random() * 40)), Math.ceil(length / 3));
      return Int32Array.from([...a, ...b]);
    }
    case 3:
      return block(rows, rows - 1 - Math.floor(random() * Math.min(rows, 5)), rows);
    default:
      return Int32Array.from({ length: rows }, (_, i) => i).filter(() => random() < 0.02);
  }
}

function expectSameTables(fast: arrow.Table, slow: arrow.Table): void {
  expect(fast.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(slow.schema.fields.map((f) => `${f.name}:${f.type}`));
  expect(fast.numRows).toBe(slow.numRows);
  for (const field of slow.schema.fields) {
    expect({ column: field.name, values: columnValues(fast, field.name) }).toEqual({ column: field.name, values: columnValues(slow, field.name) });
    const nulls = (t: arrow.Table) => t.getChild(field.name)!.data.reduce((n, d) => n + d.nullCount, 0);
    expect({ column: field.name, nulls: nulls(fast) }).toEqual({ column: field.name, nulls: nulls(slow) });
  }
}

/** Reads `bytes` filter-first with `choose` picking each group's rows; compares with hyparquet's whole groups, then `takeRows`. */
async function expectSameSelection(bytes: Uint8Array, filterColumn: string, choose: (rows: number) => Int32Array): Promise<void> {
  const picks: Int32Array[] = [];
  const selected = await collectBatches(
    readParquetSelected(memorySource(bytes, 'f.parquet'), {
      filterColumns: [filterColumn],
      select: (filterTable) => {
        const pick = choose(filterTable.numRows);
        picks.push(pick);
        return pick;
      },
    }),
  );
  const whole = await collectBatches(readParquetBatches(memorySource(bytes, 'f.parquet'), { fastPath: false }));
  expect(selected.length).toBe(whole.length);
  whole.forEach((batch, i) => expectSameTables(selected[i]!, takeRows(batch, picks[i]!)));
}

function randomFile(random: () => number): Uint8Array {
  const rows = 50 + Math.floor(random() * 3000);
  const nullRate = [0, 0, 0.1, 0.9][Math.floor(random() * 4)]!;
  const maybeNull = <T,>(v: T): T | null => (random() < nullRate ? null : v);
  const encoding = random() < 0.5 ? ({ encoding: 'PLAIN' } as const) : {};
  const distinct = [2, 7, 300, 100_000][Math.floor(random() * 4)]!;
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'key', data: Int32Array.from({ length: rows }, (_, i) => i), type: 'INT32', nullable: false },
        { name: 'i32', data: Array.from({ length: rows }, () => maybeNull(Math.floor(random() * distinct))), type: 'INT32', nullable: true, ...encoding },
        { name: 'i64', data: Array.from({ length: rows }, () => maybeNull(BigInt(Math.floor(random() * distinct)) * 3_000_000_000n)), type: 'INT64', nullable: true, ...encoding },
        { name: 'f64', data: Array.from({ length: rows }, () => maybeNull(Math.floor(random() * distinct) / 8)), type: 'DOUBLE', nullable: true, ...encoding },
        { name: 'f32', data: Array.from({ length: rows }, () => maybeNull(Math.fround(random() * distinct))), type: 'FLOAT', nullable: true },
        { name: 'b', data: Array.from({ length: rows }, () => maybeNull(random() < 0.5)), type: 'BOOLEAN', nullable: true },
        { name: 's', data: Array.from({ length: rows }, () => maybeNull(`${'x'.repeat(Math.floor(random() * 70))}${Math.floor(random() * distinct)}é`)), type: 'STRING', nullable: true, ...encoding },
      ],
      rowGroupSize: 20 + Math.floor(random() * 2000),
      pageSize: [256, 4096, 1 << 20][Math.floor(random() * 3)]!,
      codec: random() < 0.5 ? 'SNAPPY' : 'UNCOMPRESSED',
    }),
  );
}

describe('flat decoder, selective reads', () => {
  it('gathers blocks, blocks with holes, tails and sparse rows exactly as hyparquet + takeRows (random hyparquet-writer files)', async () => {
    const random = mulberry32(31);
    for (let n = 0; n < 30; n++) await expectSameSelection(randomFile(random), 'key', (rows) => selectionFor(rows, random));
  });

  describe('on DuckDB files (data page v1, dictionaries, one large page per chunk)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'flat-selection-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('a block in the middle of a group, as a range filter on a sorted key gives', async () => {
      const path = join(dir, 'scan.parquet');
      await duckdbRows(`COPY (SELECT i AS id, ((i * 7919) % 100000) / 100.0 AS amount, (['eu-west', 'us-east', 'ap-south'])[(i % 3) + 1] AS region,
        CASE WHEN i % 17 = 0 THEN NULL ELSE md5(i::VARCHAR) END AS note, CASE WHEN i % 5 = 0 THEN NULL ELSE i % 7 END AS small
        FROM range(30000) t(i) ORDER BY i) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 12000)`);
      const bytes = new Uint8Array(await readFile(path));
      const random = mulberry32(8);
      await expectSameSelection(bytes, 'id', (rows) => block(rows, Math.floor(rows * 0.7), Math.floor(rows * 0.2)));
      for (let n = 0; n < 12; n++) await expectSameSelection(bytes, 'id', (rows) => selectionFor(rows, random));
    });
  });

  it('rejects corrupt pages under a block selection as INVALID_ARGUMENT and never anything else', async () => {
    const random = mulberry32(77);
    const file = randomFile(random);
    for (let n = 0; n < 150; n++) {
      const broken = file.slice();
      const at = 4 + Math.floor(random() * (file.length - 12));
      for (let k = 0; k < 1 + Math.floor(random() * 8); k++) broken[Math.min(file.length - 9, at + k)] = Math.floor(random() * 256);
      try {
        await collectBatches(readParquetSelected(memorySource(broken, 'f.parquet'), { filterColumns: ['key'], select: (t) => block(t.numRows, Math.floor(t.numRows / 2), t.numRows) }));
      } catch (error) {
        expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      }
    }
  });
});

/** Random RLE / bit-packed hybrid data of `count` values of `bitWidth` bits, and the values it holds. */
function hybridStream(random: () => number, bitWidth: number, count: number): { bytes: Uint8Array; values: number[] } {
  const bytes: number[] = [];
  const values: number[] = [];
  const varint = (n: number) => {
    while (n >= 0x80) {
      bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    bytes.push(n);
  };
  const value = () => Math.floor(random() * 2 ** bitWidth);
  while (values.length < count) {
    if (random() < 0.5) {
      const run = 1 + Math.floor(random() * 40);
      const v = value();
      varint(run * 2);
      for (let k = 0; k < (bitWidth + 7) >> 3; k++) bytes.push((v >>> (8 * k)) & 0xff);
      for (let k = 0; k < run; k++) values.push(v);
    } else {
      const groups = 1 + Math.floor(random() * 6);
      varint(groups * 2 + 1);
      let acc = 0;
      let bits = 0;
      for (let k = 0; k < groups * 8; k++) {
        const v = value();
        values.push(v);
        acc += v * 2 ** bits;
        bits += bitWidth;
        while (bits >= 8) {
          bytes.push(acc % 256);
          acc = Math.floor(acc / 256);
          bits -= 8;
        }
      }
    }
  }
  return { bytes: Uint8Array.from(bytes), values };
}

describe('hybrid decoder with a skip', () => {
  it('stores exactly the values after the skip (random widths, runs and skips)', () => {
    const random = mulberry32(12);
    for (let n = 0; n < 400; n++) {
      const bitWidth = 1 + Math.floor(random() * 24);
      const { bytes, values } = hybridStream(random, bitWidth, 1 + Math.floor(random() * 300));
      const count = 1 + Math.floor(random() * values.length);
      const skip = Math.floor(random() * (count + 1));
      const out = new Int32Array(count - skip);
      expect(decodeHybrid(bytes, 0, bytes.length, bitWidth, out, count, skip)).toBe(true);
      expect(Array.from(out)).toEqual(values.slice(skip, count));
    }
  });

  it('width 0 fills only the kept values; data that ends early still throws with a skip', () => {
    const zeros = new Int32Array(3).fill(7);
    expect(decodeHybrid(new Uint8Array(0), 0, 0, 0, zeros, 5, 2)).toBe(true);
    expect(Array.from(zeros)).toEqual([0, 0, 0]);
    // One bit-packed group of 8 at width 3 needs 3 bytes; 2 are there.
    expect(() => decodeHybrid(Uint8Array.from([(1 << 1) | 1, 0xff, 0xff]), 0, 3, 3, new Int32Array(2), 8, 6)).toThrow(RangeError);
    expect(() => decodeHybrid(Uint8Array.from([8 << 1]), 0, 1, 8, new Int32Array(2), 8, 6)).toThrow(RangeError);
  });
});
