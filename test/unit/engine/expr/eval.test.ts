import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../../src/engine/expr/index.js';
import { typeName } from '../../../../src/formats/columns.js';
import { numbersToInt64 } from '../../../../src/formats/raw.js';
import { multiBatch, sales } from '../ops/step-harness.js';

/** Evaluates `text` batch by batch, as derive does; returns the values and the result type. */
function run(table: arrow.Table, text: string): { values: unknown[]; type: string; chunks: arrow.Data[] } {
  const compiled = compileExpression(text, table.schema.fields);
  const chunks = table.batches.map((batch) => {
    const data = compiled.evaluate((name) => batch.getChild(name)!.data[0]!, batch.numRows);
    expect(typeName(data.type)).toBe(typeName(compiled.type));
    return data;
  });
  const values = chunks.flatMap((data) => Array.from(arrow.makeVector(data) as Iterable<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v)));
  return { values, type: typeName(compiled.type), chunks };
}

const evalSales = (text: string): unknown[] => run(sales(), text).values;
const ms = (iso: string): number => Date.parse(iso);

describe('arithmetic', () => {
  it.each<[string, unknown[], string]>([
    ['price * 2 + id', [22, 42, null, 84, 105], 'float64'],
    ['price / (id - 3)', [-5.25, -20, null, 40, 25], 'float64'],
    ['id / 0', [null, null, null, null, null], 'float64'],
    ['id % (id - 1)', [null, 0, 1, 1, 1], 'float64'],
    ['-price', [-10.5, -20, null, -40, -50], 'float64'],
    ['- id - -1', [0, -1, -2, -3, -4], 'float64'],
    ['1 + 2 * 3', [7, 7, 7, 7, 7], 'float64'],
    ['7 % 0', [null, null, null, null, null], 'float64'],
    ['1', [1, 1, 1, 1, 1], 'int32'],
    ['2.5', [2.5, 2.5, 2.5, 2.5, 2.5], 'float64'],
    ['null + 1', [null, null, null, null, null], 'float64'],
    ['null', [null, null, null, null, null], 'null'],
  ])('%s', (text, expected, type) => {
    const result = run(sales(), text);
    expect(result.values).toEqual(expected);
    expect(result.type).toBe(type);
  });
});

describe('comparisons and logic (three-valued)', () => {
  it.each<[string, unknown[]]>([
    ['price > 15', [false, true, null, true, true]],
    ['15 < price', [false, true, null, true, true]],
    ['id = 1.0', [true, false, false, false, false]],
    ['price >= id * 10', [true, true, null, true, true]],
    ['price > 15 and ok', [false, false, null, true, false]],
    ['price > 15 or ok', [true, true, null, true, true]],
    ['ok or price > 100', [true, false, null, true, false]],
    ['ok and price > 100', [false, false, null, false, false]],
    ['false and null', [false, false, false, false, false]],
    ['null or true', [true, true, true, true, true]],
    ['not ok', [false, true, null, false, true]],
    ['ok = true', [true, false, null, true, false]],
    ['ok != false', [true, false, null, true, false]],
    ["name = 'apple'", [true, false, false, null, false]],
    ["name != 'apple'", [false, true, true, null, true]],
    ["name < 'b'", [true, true, false, null, true]],
    ["'b' > name", [true, true, false, null, true]],
    ['name = name', [true, true, true, null, true]],
    ["at >= '2026-09-02'", [false, true, true, null, true]],
    ["at = '2026-09-02T14:00:00+02:00'", [false, true, false, null, false]],
    ['name is null', [false, false, false, true, false]],
    ['price is not null', [true, true, false, true, true]],
    ['null is null', [true, true, true, true, true]],
    ['price = null', [null, null, null, null, null]],
  ])('%s', (text, expected) => {
    expect(evalSales(text)).toEqual(expected);
  });
});

describe('text', () => {
  it.each<[string, unknown[]]>([
    ['upper(name)', ['APPLE', 'BANANA ', 'CHERRY', null, '  APPLE PIE']],
    ['lower(name)', ['apple', 'banana ', 'cherry', null, '  apple pie']],
    ['trim(name)', ['apple', 'Banana', 'cherry', null, 'apple pie']],
    ['length(name)', [5, 7, 6, null, 11]],
    ['substr(name, 2, 3)', ['ppl', 'ana', 'her', null, ' ap']],
    ['substr(name, 7)', ['', ' ', '', null, 'e pie']],
    ["name || '!'", ['apple!', 'Banana !', 'cherry!', null, '  apple pie!']],
    ["'#' || id", ['#1', '#2', '#3', '#4', '#5']],
    ["concat(name, '-', price)", ['apple-10.5', 'Banana -20', null, null, '  apple pie-50']],
    ['concat(ok)', ['true', 'false', null, 'true', 'false']],
    ['concat(at)', ['2026-09-01T00:00:00.000Z', '2026-09-02T12:00:00.000Z', '2026-09-03T00:00:00.000Z', null, '2026-12-31T23:59:59.000Z']],
    ["name || ' ' || name", ['apple apple', 'Banana  Banana ', 'cherry cherry', null, '  apple pie   apple pie']],
    ["coalesce(name, 'none')", ['apple', 'Banana ', 'cherry', 'none', '  apple pie']],
    ["if(ok, name, 'n/a')", ['apple', 'n/a', 'n/a', null, 'n/a']],
    ["if(price > 15, upper(name), lower(name))", ['apple', 'BANANA ', 'cherry', null, '  APPLE PIE']],
  ])('%s', (text, expected) => {
    const result = run(sales(), text);
    expect(result.values).toEqual(expected);
  });

  it('counts characters, not UTF-16 units, and slices by characters', () => {
    const table = multiBatch([{ s: ['string', ['größe', '😀x', '日本語', '']] }]);
    expect(run(table, 'length(s)').values).toEqual([5, 2, 3, 0]);
    expect(run(table, 'substr(s, 2, 1)').values).toEqual(['r', 'x', '本', '']);
    expect(run(table, 'upper(s)').values).toEqual(['GRÖSSE', '😀X', '日本語', '']);
  });

  it('keeps only the distinct strings rows use in a derived dictionary', () => {
    const words = Array.from({ length: 10_000 }, (_, i) => ['Red', 'green', 'BLUE'][i % 3]!);
    const table = multiBatch([{ s: ['string', words] }]);
    const { chunks, values } = run(table, "lower(s) || '-x'");
    expect(values.slice(0, 3)).toEqual(['red-x', 'green-x', 'blue-x']);
    expect(chunks[0]!.dictionary!.length).toBe(3);
    const folded = run(table, "if(s = 'Red', 'r', lower(s))");
    expect(folded.chunks[0]!.dictionary!.length).toBe(3);
  });
});

describe('coalesce and if', () => {
  it.each<[string, unknown[], string]>([
    ['coalesce(price, id)', [10.5, 20, 3, 40, 50], 'float64'],
    ['coalesce(price, null, -1)', [10.5, 20, -1, 40, 50], 'float64'],
    ['coalesce(null, null)', [null, null, null, null, null], 'null'],
    ['coalesce(ok, false)', [true, false, false, true, false], 'bool'],
    ['if(price > 15, 1, 0)', [0, 1, 0, 1, 1], 'int32'],
    ['if(ok, price, null)', [10.5, null, null, 40, null], 'float64'],
    ['if(true, id, 0)', [1, 2, 3, 4, 5], 'int32'],
    ['if(null, 1, 2)', [2, 2, 2, 2, 2], 'int32'],
  ])('%s', (text, expected, type) => {
    const result = run(sales(), text);
    expect(result.values).toEqual(expected);
    expect(result.type).toBe(type);
  });
});

describe('numbers', () => {
  const table = multiBatch([{ x: [new arrow.Float64(), [2.5, -2.5, 1234.5678, -1.5, null, 0.1]] }]);
  it.each<[string, unknown[]]>([
    ['abs(x)', [2.5, 2.5, 1234.5678, 1.5, null, 0.1]],
    ['round(x)', [3, -3, 1235, -2, null, 0]],
    ['round(x, 2)', [2.5, -2.5, 1234.57, -1.5, null, 0.1]],
    ['round(x, -2)', [0, -0, 1200, -0, null, 0]],
    ['floor(x)', [2, -3, 1234, -2, null, 0]],
    ['ceil(x)', [3, -2, 1235, -1, null, 1]],
  ])('%s', (text, expected) => {
    expect(run(table, text).values).toEqual(expected);
  });
});

describe('time', () => {
  const at = ['2026-09-02T12:34:56.789Z', '1969-12-31T23:00:00Z', '2024-02-29T00:00:00Z', '2026-01-04T10:00:00Z', null];
  const table = multiBatch([
    { at: [new arrow.TimestampMillisecond(), at.slice(0, 3).map((s) => (s ? ms(s) : null))] },
    { at: [new arrow.TimestampMillisecond(), at.slice(3).map((s) => (s ? ms(s) : null))] },
  ]);
  const iso = (values: unknown[]): unknown[] => values.map((v) => (typeof v === 'number' ? new Date(v).toISOString() : v));

  it.each<[string, unknown[]]>([
    ['year(at)', [2026, 1969, 2024, 2026, null]],
    ['month(at)', [9, 12, 2, 1, null]],
    ['day(at)', [2, 31, 29, 4, null]],
  ])('%s', (text, expected) => {
    const result = run(table, text);
    expect(result.values).toEqual(expected);
    expect(result.type).toBe('int32');
  });

  it.each<[string, (string | null)[]]>([
    ['minute', ['2026-09-02T12:34:00.000Z', '1969-12-31T23:00:00.000Z', '2024-02-29T00:00:00.000Z', '2026-01-04T10:00:00.000Z', null]],
    ['hour', ['2026-09-02T12:00:00.000Z', '1969-12-31T23:00:00.000Z', '2024-02-29T00:00:00.000Z', '2026-01-04T10:00:00.000Z', null]],
    ['day', ['2026-09-02T00:00:00.000Z', '1969-12-31T00:00:00.000Z', '2024-02-29T00:00:00.000Z', '2026-01-04T00:00:00.000Z', null]],
    ['week', ['2026-08-31T00:00:00.000Z', '1969-12-29T00:00:00.000Z', '2024-02-26T00:00:00.000Z', '2025-12-29T00:00:00.000Z', null]],
    ['month', ['2026-09-01T00:00:00.000Z', '1969-12-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', null]],
    ['quarter', ['2026-07-01T00:00:00.000Z', '1969-10-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', null]],
    ['year', ['2026-01-01T00:00:00.000Z', '1969-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', null]],
  ])("date_trunc('%s', at)", (unit, expected) => {
    const result = run(table, `date_trunc('${unit.toUpperCase()}', at)`);
    expect(iso(result.values)).toEqual(expected);
    expect(result.type).toBe('timestamp');
  });

  it('agrees with Date for every day across four centuries (year, month, day, month start)', () => {
    const days = Array.from({ length: 2000 }, (_, i) => (i - 1000) * 73 + (i % 7));
    const table2 = multiBatch([{ at: [new arrow.TimestampMillisecond(), days.map((d) => d * 86_400_000 + 3_600_000)] }]);
    const years = run(table2, 'year(at)').values;
    const months = run(table2, 'month(at)').values;
    const dayOfMonth = run(table2, 'day(at)').values;
    const monthStart = run(table2, "date_trunc('month', at)").values;
    days.forEach((d, i) => {
      const date = new Date(d * 86_400_000 + 3_600_000);
      expect([years[i], months[i], dayOfMonth[i]]).toEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]);
      expect(monthStart[i]).toBe(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
    });
  });
});

describe('column types beyond the format builders', () => {
  const big = arrow.makeData({ type: new arrow.Int64(), length: 3, nullCount: 0, data: numbersToInt64([2 ** 40, -5, 0], 3) });
  const seconds = arrow.makeData({ type: new arrow.TimestampSecond(), length: 3, nullCount: 0, data: BigInt64Array.from([86_400n, 0n, -1n]) });
  const table = multiBatch([
    {
      u8: [new arrow.Uint8(), [1, 2, 255]],
      f32: [new arrow.Float32(), [0.5, null, -1]],
      s: [new arrow.Utf8(), ['a', null, 'b']],
      d: [new arrow.DateDay(), [new Date(Date.UTC(2026, 8, 1)), null, new Date(Date.UTC(1970, 0, 1))]],
      n: [new arrow.Null(), [null, null, null]],
    },
  ]);
  const wide = new arrow.Table([
    ...table.batches.map((b) => {
      const fields = [...b.schema.fields, new arrow.Field('i64', big.type, true), new arrow.Field('tsec', seconds.type, true)];
      const schema = new arrow.Schema(fields);
      return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(fields), length: 3, nullCount: 0, children: [...b.data.children, big, seconds] }));
    }),
  ]);

  it.each<[string, unknown[], string]>([
    ['i64 + 1', [2 ** 40 + 1, -4, 1], 'float64'],
    ['i64', [2 ** 40, -5, 0], 'int64'],
    ['u8 * 2', [2, 4, 510], 'float64'],
    ['coalesce(u8, 0)', [1, 2, 255], 'int32'],
    ['f32 * 2', [1, null, -2], 'float64'],
    ["s || 'x'", ['ax', null, 'bx'], 'string'],
    ['upper(s)', ['A', null, 'B'], 'string'],
    ['s', ['a', null, 'b'], 'string'],
    ["s = 'b'", [false, null, true], 'bool'],
    ['year(d)', [2026, null, 1970], 'int32'],
    ["d >= '2026-01-01'", [true, null, false], 'bool'],
    ["date_trunc('year', d)", [Date.UTC(2026, 0, 1), null, 0], 'timestamp'],
    ['concat(d)', ['2026-09-01', null, '1970-01-01'], 'string'],
    ['year(tsec)', [1970, 1970, 1969], 'int32'],
    ["date_trunc('day', tsec)", [86_400_000, 0, -86_400_000], 'timestamp'],
    ['n is null', [true, true, true], 'bool'],
    ['coalesce(n, 1)', [1, 1, 1], 'int32'],
    ['n + 1', [null, null, null], 'float64'],
    ['upper(n)', [null, null, null], 'string'],
    ['n', [null, null, null], 'null'],
  ])('%s', (text, expected, type) => {
    const result = run(wide, text);
    expect(result.values).toEqual(expected);
    expect(result.type).toBe(type);
  });
});

describe('batches', () => {
  it('evaluates each batch against its own dictionary', () => {
    const table = sales();
    const dictionaries = table.batches.map((b) => b.getChild('name')!.data[0]!.dictionary);
    expect(new Set(dictionaries).size).toBe(3);
    expect(run(table, "name = 'cherry'").values).toEqual([false, false, true, null, false]);
  });

  it('reads sliced chunks (offsets into validity and bool bits) correctly', () => {
    const table = sales().slice(1, 4);
    expect(run(table, 'ok').values).toEqual([false, null, true]);
    expect(run(table, 'not ok').values).toEqual([true, null, false]);
    expect(run(table, 'price + 1').values).toEqual([21, null, 41]);
    expect(run(table, "name || '.'").values).toEqual(['Banana .', 'cherry.', null]);
  });

  it('handles empty batches', () => {
    const empty = sales().slice(0, 0);
    expect(run(empty, 'price * 2').values).toEqual([]);
  });
});
