/**
 * Property: pruning never drops a matching row. Random files (random row-group sizes, nulls,
 * strings with surrogates and U+FFFD, NaN, timestamps, booleans, INT64) and random filters,
 * from a fixed seed; for every group the statistics skip, the real evaluator finds no match in
 * its rows, and a pruned read equals an unpruned one.
 */
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../../src/data/read-table.js';
import { compileFilter, type Filter, type FilterLeaf, type FilterScalar } from '../../../src/engine/filter.js';
import { epochMillisParsers, openParquet, parquetArrowSchema, readParquetBatches } from '../../../src/formats/parquet.js';
import { rowGroupsToRead } from '../../../src/formats/parquet-prune.js';
import { collectBatches, rowsOf } from '../../helpers/arrow-values.js';
import { memorySource } from '../../helpers/byte-source.js';
import { mulberry32 } from '../../helpers/random.js';


const STRING_ALPHABET = ['a', 'b', 'k', 'z', 'é', '\uFFFD', '\uE000', '😀', ' '];
const T0 = Date.UTC(2026, 0, 1);

function randomFile(random: () => number) {
  const rows = 50 + Math.floor(random() * 400);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const maybeNull = <T,>(value: T, rate: number): T | null => (random() < rate ? null : value);
  const nullRate = pick([0, 0.1, 0.9, 1]);
  const sorted = random() < 0.5;
  const base = (i: number) => (sorted ? i : Math.floor(random() * rows));
  const strings = Array.from({ length: rows }, () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(STRING_ALPHABET)).join(''));
  if (sorted) strings.sort();
  const columns = {
    n: Array.from({ length: rows }, (_, i) => maybeNull(base(i) - 50, nullRate)),
    x: Array.from({ length: rows }, (_, i) => maybeNull(random() < 0.05 ? NaN : base(i) / 4, nullRate)),
    s: strings.map((v) => maybeNull(v, nullRate)),
    t: Array.from({ length: rows }, (_, i) => maybeNull(new Date(T0 + base(i) * 3_600_000), nullRate)),
    b: Array.from({ length: rows }, () => maybeNull(random() < 0.3, nullRate)),
    g: Array.from({ length: rows }, (_, i) => maybeNull(BigInt(base(i)) * 1_000_000_007n, nullRate)),
  };
  const file = new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'n', data: columns.n, type: 'INT32', nullable: true },
        { name: 'x', data: columns.x, type: 'DOUBLE', nullable: true },
        { name: 's', data: columns.s, type: 'STRING', nullable: true },
        { name: 't', data: columns.t, type: 'TIMESTAMP', nullable: true },
        { name: 'b', data: columns.b, type: 'BOOLEAN', nullable: true },
        { name: 'g', data: columns.g, type: 'INT64', nullable: true },
      ],
      rowGroupSize: 10 + Math.floor(random() * 60),
      statisticsTruncateLength: pick([2, 16]),
    }),
  );
  return { file, rows, columns };
}

type Columns = ReturnType<typeof randomFile>['columns'];

function randomLeaf(random: () => number, columns: Columns): FilterLeaf {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const name = pick(['n', 'x', 's', 't', 'b', 'g'] as const);
  const present = (columns[name] as unknown[]).filter((v) => v !== null);
  const sample = (): FilterScalar => {
    const v = present.length > 0 && random() < 0.8 ? pick(present) : undefined;
    switch (name) {
      case 'n':
      case 'x':
        return typeof v === 'number' && Number.isFinite(v) ? v + pick([-1, 0, 0, 1]) : Math.floor(random() * 200) - 60;
      case 'g':
        return typeof v === 'bigint' ? Number(v) + pick([-1, 0, 1]) : random() * 1e11;
      case 't':
        return new Date((v instanceof Date ? v.getTime() : T0) + pick([-1, 0, 0, 1]) * 3_600_000).toISOString();
      case 'b':
        return typeof v === 'boolean' ? v : random() < 0.5;
      case 's':
        return typeof v === 'string' && random() < 0.7 ? v.slice(0, 1 + Math.floor(random() * v.length)) : pick(STRING_ALPHABET);
    }
  };
  const ops: FilterLeaf['op'][] =
    name === 'b' ? ['eq', 'ne', 'in', 'not_in', 'is_null', 'is_not_null']
    : name === 's' ? ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in', 'between', 'starts_with', 'contains', 'is_null', 'is_not_null']
    : ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in', 'between', 'is_null', 'is_not_null'];
  const op = pick(ops);
  if (op === 'is_null' || op === 'is_not_null') return { column: name, op };
  if (op === 'in' || op === 'not_in') return { column: name, op, value: Array.from({ length: 1 + Math.floor(random() * 3) }, sample) };
  if (op === 'between') {
    const [a, b] = [sample(), sample()];
    return { column: name, op, value: a <= b ? [a, b] : [b, a] };
  }
  return { column: name, op, value: sample() };
}

function randomFilter(random: () => number, columns: Columns, depth = 0): Filter {
  const roll = random();
  if (depth >= 2 || roll < 0.5) return randomLeaf(random, columns);
  const children = Array.from({ length: 2 + Math.floor(random() * 2) }, () => randomFilter(random, columns, depth + 1));
  return roll < 0.75 ? { and: children } : roll < 0.95 ? { or: children } : { not: children[0]! };
}

describe('row-group pruning never drops a matching row (seeded random files and filters)', () => {
  it('holds for 20 files × 30 filters', async () => {
    const random = mulberry32(20261122);
    let skippedSomewhere = 0;
    for (let f = 0; f < 20; f++) {
      const { file, columns } = randomFile(random);
      const opened = await openParquet(memorySource(file, 'p.parquet'));
      const groups = await collectBatches(readParquetBatches(memorySource(file, 'p.parquet'), {}, opened));
      const metadata = parquetMetadata(file.buffer as ArrayBuffer, { parsers: epochMillisParsers });
      for (let q = 0; q < 30; q++) {
        const filter = randomFilter(random, columns);
        const evaluate = compileFilter(filter, parquetArrowSchema(opened.columns));
        const keep = rowGroupsToRead(filter, metadata);
        groups.forEach((group, g) => {
          if (!keep[g]) expect(evaluate(group).length, `file ${f}, group ${g}: ${JSON.stringify(filter)}`).toBe(0);
        });
        skippedSomewhere += keep.filter((k) => !k).length;
        const options = { format: 'parquet' as const, limit: 1_000_000, maxRows: 1_000_000 };
        const pruned = await readTable(memorySource(file, 'p.parquet'), { ...options, filter });
        const reference = await readTable(memorySource(file, 'p.parquet'), { ...options, filter: { not: { not: filter } } });
        expect(rowsOf(pruned.table), JSON.stringify(filter)).toEqual(rowsOf(reference.table));
      }
    }
    // The property is only worth something if pruning actually happened.
    expect(skippedSomewhere).toBeGreaterThan(100);
  });
});
