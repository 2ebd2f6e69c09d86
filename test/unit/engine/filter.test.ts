import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { compileFilter, filterColumns, filterSchema, takeRows, type Filter } from '../../../src/engine/filter.js';
import { readCsvBatches } from '../../../src/formats/csv.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { memorySource } from '../../helpers/byte-source.js';
import { collectBatches, columnValues, rowsOf } from '../../helpers/arrow-values.js';

// id int32 · price float64 (one null) · name dictionary text (one null) · ok bool (one null) · at timestamp (one null)
const CSV = `id,price,name,ok,at
1,10.5,apple,true,2026-09-01
2,20,banana,false,2026-09-02T12:00:00Z
3,,cherry,,2026-09-03
4,40,,true,
5,50,apple pie,false,2026-09-05`;

async function fixture(batchRows = 2): Promise<arrow.Table> {
  return unifyTables(await collectBatches(readCsvBatches(memorySource(CSV, 'f.csv'), { batchRows })));
}

async function ids(filter: Filter, batchRows = 2): Promise<number[]> {
  const table = await fixture(batchRows);
  const parsed = filterSchema.parse(filter);
  return columnValues(takeRows(table, compileFilter(parsed, table.schema)(table)), 'id') as number[];
}

describe('filter ops', () => {
  it.each<[string, Filter, number[]]>([
    ['eq number', { column: 'id', op: 'eq', value: 3 }, [3]],
    ['ne number (nulls never match)', { column: 'price', op: 'ne', value: 20 }, [1, 4, 5]],
    ['lt', { column: 'price', op: 'lt', value: 40 }, [1, 2]],
    ['lte', { column: 'price', op: 'lte', value: 40 }, [1, 2, 4]],
    ['gt', { column: 'id', op: 'gt', value: 3 }, [4, 5]],
    ['gte', { column: 'id', op: 'gte', value: 3 }, [3, 4, 5]],
    ['in', { column: 'id', op: 'in', value: [1, 5, 99] }, [1, 5]],
    ['not_in', { column: 'price', op: 'not_in', value: [10.5, 20] }, [4, 5]],
    ['between (inclusive)', { column: 'price', op: 'between', value: [20, 40] }, [2, 4]],
    ['is_null', { column: 'price', op: 'is_null' }, [3]],
    ['is_not_null', { column: 'price', op: 'is_not_null' }, [1, 2, 4, 5]],
    ['eq string (dictionary)', { column: 'name', op: 'eq', value: 'apple' }, [1]],
    ['ne string', { column: 'name', op: 'ne', value: 'apple' }, [2, 3, 5]],
    ['lt string', { column: 'name', op: 'lt', value: 'banana' }, [1, 5]],
    ['in string', { column: 'name', op: 'in', value: ['cherry', 'banana'] }, [2, 3]],
    ['contains', { column: 'name', op: 'contains', value: 'an' }, [2]],
    ['starts_with', { column: 'name', op: 'starts_with', value: 'apple' }, [1, 5]],
    ['ends_with', { column: 'name', op: 'ends_with', value: 'ie' }, [5]],
    ['is_null string', { column: 'name', op: 'is_null' }, [4]],
    ['eq bool', { column: 'ok', op: 'eq', value: true }, [1, 4]],
    ['ne bool', { column: 'ok', op: 'ne', value: true }, [2, 5]],
    ['is_null bool', { column: 'ok', op: 'is_null' }, [3]],
    ['timestamp gte (ISO date)', { column: 'at', op: 'gte', value: '2026-09-02T12:00:00Z' }, [2, 3, 5]],
    ['timestamp eq with offset', { column: 'at', op: 'eq', value: '2026-09-02T14:00:00+02:00' }, [2]],
    ['timestamp between', { column: 'at', op: 'between', value: ['2026-09-02', '2026-09-03'] }, [2, 3]],
    ['timestamp is_null', { column: 'at', op: 'is_null' }, [4]],
  ])('%s', async (_name, filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
    expect(await ids(filter, 100)).toEqual(expected); // one batch or several: same answer
  });
});

describe('combinators and null semantics', () => {
  it('and / or / not', async () => {
    expect(await ids({ and: [{ column: 'id', op: 'gt', value: 1 }, { column: 'ok', op: 'eq', value: false }] })).toEqual([2, 5]);
    expect(await ids({ or: [{ column: 'id', op: 'eq', value: 1 }, { column: 'name', op: 'eq', value: 'cherry' }] })).toEqual([1, 3]);
    expect(await ids({ not: { column: 'id', op: 'in', value: [1, 2] } })).toEqual([3, 4, 5]);
  });

  it('uses three-valued logic: not(unknown) is unknown, or(true, unknown) is true, and(false, unknown) is false', async () => {
    expect(await ids({ not: { column: 'price', op: 'gt', value: 15 } })).toEqual([1]); // row 3 (null price) excluded
    expect(await ids({ or: [{ column: 'price', op: 'gt', value: 15 }, { column: 'id', op: 'eq', value: 3 }] })).toEqual([2, 3, 4, 5]);
    expect(await ids({ not: { and: [{ column: 'id', op: 'eq', value: 4 }, { column: 'price', op: 'gt', value: 100 }] } })).toEqual([1, 2, 3, 4, 5]);
    expect(await ids({ not: { and: [{ column: 'price', op: 'gt', value: 5 }, { column: 'id', op: 'eq', value: 3 }] } })).toEqual([1, 2, 4, 5]);
    expect(await ids({ not: { column: 'price', op: 'is_null' } })).toEqual([1, 2, 4, 5]);
  });

  it('lists the columns a filter reads', () => {
    expect(filterColumns({ and: [{ column: 'a', op: 'eq', value: 1 }, { not: { column: 'b', op: 'is_null' } }, { column: 'a', op: 'gt', value: 0 }] }).sort()).toEqual(['a', 'b']);
  });
});

describe('validation before any data is read', () => {
  const schema = new arrow.Schema([
    new arrow.Field('n', new arrow.Int32()),
    new arrow.Field('s', new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
    new arrow.Field('b', new arrow.Bool()),
    new arrow.Field('t', new arrow.TimestampMillisecond()),
    new arrow.Field('l', new arrow.List(new arrow.Field('x', new arrow.Int32()))),
  ]);
  const rejects = (filter: Filter, pattern: RegExp) =>
    expect(() => compileFilter(filter, schema)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(pattern) }));

  it('names unknown columns and lists the available ones', () => {
    expect(() => compileFilter({ column: 'N', op: 'eq', value: 1 }, schema)).toThrow(expect.objectContaining({ message: expect.stringContaining('"N"'), hint: expect.stringContaining('"n"') }));
  });

  it('rejects value types that do not match the column, naming column, op and expected type', () => {
    rejects({ column: 'n', op: 'eq', value: '1' }, /"n".*"eq".*number/);
    rejects({ column: 's', op: 'eq', value: 1 }, /"s".*string/);
    rejects({ column: 'b', op: 'eq', value: 'true' }, /"b".*true or false/);
    rejects({ column: 't', op: 'gt', value: 'last tuesday' }, /"t".*ISO-8601/);
    rejects({ column: 't', op: 'gt', value: 1700000000000 }, /"t".*ISO-8601/);
    rejects({ column: 'n', op: 'in', value: [1, 'two'] }, /"n".*number/);
  });

  it('rejects ops that do not apply and wrong arities', () => {
    rejects({ column: 'n', op: 'contains', value: '1' }, /"contains" does not apply/);
    rejects({ column: 'b', op: 'lt', value: true }, /"lt" does not apply/);
    rejects({ column: 'n', op: 'between', value: [1] }, /\[low, high\]/);
    rejects({ column: 'n', op: 'in', value: [] }, /non-empty list/);
    rejects({ column: 'n', op: 'eq', value: [1, 2] }, /not a list/);
    rejects({ column: 'n', op: 'eq' }, /missing/);
    rejects({ column: 'n', op: 'is_null', value: 1 }, /takes no value/);
    rejects({ column: 'l', op: 'is_null' }, /cannot be filtered/);
  });

  it('rejects NaN and Infinity literals', () => {
    rejects({ column: 'n', op: 'gt', value: Number.NaN }, /number/);
  });

  it('bounds depth and size, also for hostile deep input', () => {
    let ok: Filter = { column: 'n', op: 'eq', value: 1 };
    for (let i = 0; i < 7; i++) ok = { not: ok };
    expect(filterSchema.safeParse(ok).success).toBe(true);
    let deep: Filter = ok;
    deep = { not: deep };
    expect(filterSchema.safeParse(deep).success).toBe(false);
    expect(() => compileFilter(deep, schema)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    let hostile: unknown = { column: 'n', op: 'eq', value: 1 };
    for (let i = 0; i < 100_000; i++) hostile = { not: hostile };
    expect(filterSchema.safeParse(hostile).success).toBe(false);
    const wide = { or: Array.from({ length: 101 }, () => ({ column: 'n', op: 'eq', value: 1 })) };
    expect(filterSchema.safeParse(wide).success).toBe(false);
  });

  it('rejects unknown keys, unknown ops and code-like input in the schema', () => {
    expect(filterSchema.safeParse({ column: 'n', op: 'regex', value: '.*' }).success).toBe(false);
    expect(filterSchema.safeParse({ column: 'n', op: 'eq', value: 1, expr: 'process.exit()' }).success).toBe(false);
    expect(filterSchema.safeParse({ and: [] }).success).toBe(false);
    expect(filterSchema.safeParse('n > 1').success).toBe(false);
  });
});

describe('raw-buffer paths', () => {
  it('filters sliced tables (offsets into bitmaps and values)', async () => {
    const table = (await fixture(100)).slice(1, 5); // ids 2..5
    const matches = compileFilter({ column: 'ok', op: 'eq', value: false }, table.schema)(table);
    expect(columnValues(takeRows(table, matches), 'id')).toEqual([2, 5]);
    const nulls = compileFilter({ column: 'price', op: 'is_null' }, table.schema)(table);
    expect(columnValues(takeRows(table, nulls), 'id')).toEqual([3]);
  });

  it('filters plain Utf8, Int64, Float32 and timestamp-in-seconds columns from other writers', () => {
    const table = arrow.tableFromArrays({
      s: ['x', 'yy', 'x'],
      big: BigInt64Array.from([1n, 5n, 10n]),
      f: Float32Array.from([0.5, 1.5, 2.5]),
    });
    const withSeconds = new arrow.Table({
      s: table.getChild('s')!,
      big: table.getChild('big')!,
      f: table.getChild('f')!,
      ts: arrow.makeVector(arrow.makeData({ type: new arrow.TimestampSecond(), length: 3, nullCount: 0, data: BigInt64Array.from([0n, 86_400n, 172_800n]) })),
    });
    const run = (filter: Filter) => Array.from(compileFilter(filter, withSeconds.schema)(withSeconds));
    expect(run({ column: 's', op: 'eq', value: 'x' })).toEqual([0, 2]);
    expect(run({ column: 'big', op: 'gte', value: 5 })).toEqual([1, 2]);
    expect(run({ column: 'f', op: 'lt', value: 2 })).toEqual([0, 1]);
    expect(run({ column: 'ts', op: 'gte', value: '1970-01-02' })).toEqual([1, 2]);
  });

  it('takeRows keeps order, types and nulls, across batches', async () => {
    const table = await fixture(2);
    const taken = takeRows(table, Uint32Array.from([4, 0, 2, 3]));
    expect(rowsOf(taken)).toEqual([4, 0, 2, 3].map((i) => rowsOf(table)[i]));
    expect(taken.schema.fields.map((f) => String(f.type))).toEqual(table.schema.fields.map((f) => String(f.type)));
    expect(takeRows(table, new Uint32Array(0)).numRows).toBe(0);
  });
});

describe('specialized loops agree with a row-by-row reference', () => {
  // 3 batches of 300 rows (not multiples of 8), nulls in runs and scattered, NaN in the floats.
  const batchOf = (start: number) => {
    const rows = Array.from({ length: 300 }, (_, k) => start + k);
    const isNull = (i: number) => i % 13 === 0 || (i >= 40 && i < 60);
    return new arrow.Table({
      f: arrow.vectorFromArray(rows.map((i) => (isNull(i) ? null : i % 17 === 0 ? Number.NaN : (i % 50) - 20.5)), new arrow.Float64()),
      i: arrow.vectorFromArray(rows.map((i) => (isNull(i + 1) ? null : (i * 7) % 23)), new arrow.Int32()),
      b: arrow.vectorFromArray(rows.map((i) => (isNull(i + 2) ? null : BigInt((i % 9) - 4))), new arrow.Int64()),
      u: arrow.vectorFromArray(rows.map((i) => (i % 4) * 100), new arrow.Uint8()),
      ok: arrow.vectorFromArray(rows.map((i) => (isNull(i + 3) ? null : i % 3 === 0)), new arrow.Bool()),
    }).batches[0]!;
  };
  const table: arrow.Table = new arrow.Table([batchOf(0), batchOf(300), batchOf(600)]);
  const column = (name: string) => Array.from(table.getChild(name)! as Iterable<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v));
  const cells: Record<string, unknown[]> = Object.fromEntries(['f', 'i', 'b', 'u', 'ok'].map((n) => [n, column(n)]));
  const compare = (op: string, x: number, value: unknown): boolean => {
    const [a, b] = (Array.isArray(value) ? value : [value]) as number[];
    if (op === 'in' || op === 'not_in') return (value as number[]).includes(x) === (op === 'in');
    return { eq: x === a, ne: x !== a, lt: x < a!, lte: x <= a!, gt: x > a!, gte: x >= a!, between: x >= a! && x <= b! }[op as 'eq']!;
  };
  const expected = (name: string, op: string, value: unknown, negate = false) =>
    cells[name]!.flatMap((x, row) => (x !== null && compare(op, x as number, value) !== negate ? [row] : []));
  const run = (filter: Filter) => Array.from(compileFilter(filter, table.schema)(table));
  const cases: [string, unknown][] = [['eq', 4], ['ne', 4], ['lt', 0], ['lte', 1], ['gt', 2], ['gte', 3], ['between', [-2, 5]], ['in', [0, 3, 100]], ['not_in', [0, 3, 100]]];

  it.each(['f', 'i', 'b', 'u'])('every numeric op on column %s, and its negation (nulls never match)', (name) => {
    for (const [op, value] of cases) {
      const leaf = { column: name, op, value } as Filter;
      expect(run(leaf), `${name} ${op}`).toEqual(expected(name, op, value));
      expect(run({ not: leaf }), `not ${name} ${op}`).toEqual(expected(name, op, value, true));
    }
  });

  it('null checks and bools over long null runs', () => {
    for (const name of ['f', 'i', 'b', 'ok']) {
      expect(run({ column: name, op: 'is_null' })).toEqual(cells[name]!.flatMap((x, row) => (x === null ? [row] : [])));
      expect(run({ column: name, op: 'is_not_null' })).toEqual(cells[name]!.flatMap((x, row) => (x !== null ? [row] : [])));
    }
    expect(run({ column: 'ok', op: 'eq', value: true })).toEqual(cells.ok!.flatMap((x, row) => (x === true ? [row] : [])));
    expect(run({ not: { column: 'ok', op: 'in', value: [true] } })).toEqual(cells.ok!.flatMap((x, row) => (x === false ? [row] : [])));
  });

  it('and / or over columns with nulls in different rows', () => {
    const both = run({ and: [{ column: 'f', op: 'gt', value: 0 }, { column: 'i', op: 'lt', value: 10 }] });
    expect(both).toEqual(cells.f!.flatMap((x, row) => (x !== null && (x as number) > 0 && cells.i![row] !== null && (cells.i![row] as number) < 10 ? [row] : [])));
    const either = run({ or: [{ column: 'f', op: 'gt', value: 0 }, { column: 'i', op: 'lt', value: 10 }] });
    expect(either).toEqual(cells.f!.flatMap((x, row) => ((x !== null && (x as number) > 0) || (cells.i![row] !== null && (cells.i![row] as number) < 10) ? [row] : [])));
  });

  it('reads sliced tables at any bit offset', () => {
    for (const start of [1, 5, 8, 43, 299, 301]) {
      const sliced = table.slice(start, start + 400);
      const got = Array.from(compileFilter({ column: 'f', op: 'gte', value: 0 }, sliced.schema)(sliced));
      expect(got, `slice at ${start}`).toEqual(expected('f', 'gte', 0).filter((r) => r >= start && r < start + 400).map((r) => r - start));
      const nulls = Array.from(compileFilter({ column: 'ok', op: 'is_null' }, sliced.schema)(sliced));
      expect(nulls).toEqual(cells.ok!.flatMap((x, row) => (x === null && row >= start && row < start + 400 ? [row - start] : [])));
    }
  });

  it('selects nothing, everything, and from an empty table', () => {
    expect(run({ column: 'u', op: 'gt', value: 1000 })).toEqual([]);
    expect(run({ column: 'u', op: 'gte', value: 0 })).toHaveLength(table.numRows);
    const empty = table.slice(0, 0);
    expect(Array.from(compileFilter({ column: 'f', op: 'gt', value: 0 }, empty.schema)(empty))).toEqual([]);
  });
});
