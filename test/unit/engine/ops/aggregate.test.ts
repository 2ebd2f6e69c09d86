import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { aggregateProcessor, type AggregateStep } from '../../../../src/engine/ops/aggregate.js';
import { duckQuery, expectSameRows, randomRows, RANDOM_SPEC, tableRows } from './duck-reference.js';
import { batchedTable, errorOf, expectSameSchema, planContext, runContext, seeded, valuesOf, type ColumnSpec, type Row } from './step-tables.js';

const SPEC: Record<string, ColumnSpec> = { region: 'string', qty: 'int32', price: 'float64', at: 'timestamp', ok: 'bool' };
const ROWS: Row[] = [
  { region: 'eu', qty: 1, price: 10, at: 1000, ok: true },
  { region: 'us', qty: 2, price: null, at: 3000, ok: false },
  { region: 'eu', qty: 3, price: 30, at: 2000, ok: null },
  { region: null, qty: 4, price: 5, at: null, ok: true },
  { region: 'us', qty: null, price: 7, at: 500, ok: true },
  { region: 'eu', qty: 5, price: 20, at: 4000, ok: false },
  { region: null, qty: null, price: null, at: null, ok: null },
];

function aggregate(step: Omit<AggregateStep, 'op'>, table: arrow.Table): arrow.Table {
  const full = aggregateProcessor.schema.parse({ op: 'aggregate', ...step });
  const planned = aggregateProcessor.plan(full, table.schema, planContext());
  const out = aggregateProcessor.run(full, table, runContext()) as arrow.Table;
  expectSameSchema(planned, out.schema);
  return out;
}

describe('aggregate: hand-computed', () => {
  it.each([1, 2, 3, 100])('groups in first-appearance order, nulls as one group (batches of %i)', (batchRows) => {
    const out = aggregate(
      {
        by: ['region'],
        metrics: [
          { fn: 'count' },
          { fn: 'count', column: 'price' },
          { fn: 'sum', column: 'qty' },
          { fn: 'sum', column: 'price' },
          { fn: 'avg', column: 'price' },
          { fn: 'min', column: 'at' },
          { fn: 'max', column: 'ok' },
          { fn: 'median', column: 'price' },
          { fn: 'stddev', column: 'price', as: 'sd' },
          { fn: 'count_distinct', column: 'ok' },
        ],
      },
      batchedTable(SPEC, ROWS, batchRows),
    );
    expect(valuesOf(out, 'region')).toEqual(['eu', 'us', null]);
    expect(valuesOf(out, 'count')).toEqual([3, 2, 2]);
    expect(valuesOf(out, 'count_price')).toEqual([3, 1, 1]);
    expect(valuesOf(out, 'sum_qty')).toEqual([9, 2, 4]);
    expect(valuesOf(out, 'sum_price')).toEqual([60, 7, 5]);
    expect(valuesOf(out, 'avg_price')).toEqual([20, 7, 5]);
    expect(valuesOf(out, 'min_at')).toEqual([1000, 500, null]);
    expect(valuesOf(out, 'max_ok')).toEqual([true, true, true]);
    expect(valuesOf(out, 'median_price')).toEqual([20, 7, 5]);
    expect(valuesOf(out, 'sd')).toEqual([10, null, null]);
    expect(valuesOf(out, 'count_distinct_ok')).toEqual([2, 2, 1]);
    expect(out.schema.fields.map((f) => String(f.type))).toEqual([
      'Dictionary<Int32, Utf8>', 'Int64', 'Int64', 'Int64', 'Float64', 'Float64', 'Timestamp<MILLISECOND>', 'Bool', 'Float64', 'Float64', 'Int64',
    ]);
    // One output batch, one dictionary, whatever the input's per-batch dictionaries.
    expect(out.batches).toHaveLength(1);
  });

  it('gives one row without "by", also over an empty input', () => {
    const metrics: AggregateStep['metrics'] = [{ fn: 'count' }, { fn: 'sum', column: 'price' }, { fn: 'min', column: 'region' }, { fn: 'count_distinct', column: 'region' }];
    const whole = aggregate({ metrics }, batchedTable(SPEC, ROWS, 3));
    expect(tableRows(whole)).toEqual([{ count: 7, sum_price: 72, min_region: 'eu', count_distinct_region: 2 }]);
    const empty = aggregate({ metrics }, batchedTable(SPEC, [], 3));
    expect(tableRows(empty)).toEqual([{ count: 0, sum_price: null, min_region: null, count_distinct_region: 0 }]);
    expect(aggregate({ by: ['region'], metrics }, batchedTable(SPEC, [], 3)).numRows).toBe(0);
  });

  it('groups all-null keys into one group and gives null for all-null metric columns', () => {
    const rows = [{ region: null, price: null }, { region: null, price: null }];
    const out = aggregate({ by: ['region'], metrics: [{ fn: 'avg', column: 'price' }, { fn: 'max', column: 'price' }, { fn: 'count', column: 'price' }] }, batchedTable({ region: 'string', price: 'float64' }, rows, 1));
    expect(tableRows(out)).toEqual([{ region: null, avg_price: null, max_price: null, count_price: 0 }]);
  });

  it('compares text by code point for min and max, across per-batch dictionaries', () => {
    const rows = ['b', 'Z', 'é', 'a', '😀', 'ÿ', 'ａ'].map((name, i) => ({ name, g: i % 2 }));
    const out = aggregate({ metrics: [{ fn: 'min', column: 'name' }, { fn: 'max', column: 'name' }] }, batchedTable({ name: 'string', g: 'int32' }, rows, 2));
    expect(tableRows(out)).toEqual([{ min_name: 'Z', max_name: '😀' }]);
    const plain = aggregate({ by: ['g'], metrics: [{ fn: 'max', column: 'name' }] }, batchedTable({ name: 'utf8', g: 'int32' }, rows, 3));
    expect(tableRows(plain)).toEqual([{ g: 0, max_name: '😀' }, { g: 1, max_name: 'ÿ' }]);
    expect(String(plain.schema.fields[1]!.type)).toBe('Utf8');
  });

  it('groups -0 with 0 and NaN with NaN, and keeps float keys apart from near neighbours', () => {
    const rows = [0, -0, NaN, 1, 1 + Number.EPSILON, NaN].map((x) => ({ x }));
    const out = aggregate({ by: ['x'], metrics: [{ fn: 'count' }] }, batchedTable({ x: 'float64' }, rows, 4));
    expect(valuesOf(out, 'count')).toEqual([2, 2, 1, 1]);
  });

  it('is numerically sane for stddev of large, close values', () => {
    const rows = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16].map((v) => ({ v }));
    const out = aggregate({ metrics: [{ fn: 'stddev', column: 'v' }] }, batchedTable({ v: 'float64' }, rows, 2));
    expect(valuesOf(out, 'stddev_v')[0]).toBeCloseTo(Math.sqrt(30), 9);
  });

  it('groups on many columns whose ids multiply past the flat table (pair hashing)', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ a: i, b: i % 7, c: `x${i % 3}` }));
    const out = aggregate({ by: ['a', 'b', 'c'], metrics: [{ fn: 'count' }] }, batchedTable({ a: 'int32', b: 'int32', c: 'string' }, rows, 1000));
    expect(out.numRows).toBe(3000);
    expect(valuesOf(out, 'a')).toEqual(rows.map((r) => r.a));
  });
});

describe('aggregate: count, sum and avg by one text key (accumulated per dictionary code)', () => {
  it('matches DuckDB, keeps first-appearance order, with values first seen deep in a batch and batches with null keys', async () => {
    const random = seeded(11);
    const rows: Row[] = Array.from({ length: 9000 }, (_, i) => ({
      // 'late' first appears at row 2900 of the first batch (past the first indexed prefix); batch 2 has null keys.
      g: i === 2900 ? 'late' : i >= 3000 && i < 6000 && i % 7 === 0 ? null : ['a', 'b', 'c', 'é', '日本'][Math.floor(random() * 5)],
      v: random() < 0.05 ? null : Math.round(random() * 1000) / 4,
      n: Math.floor(random() * 100),
    }));
    const spec: Record<string, ColumnSpec> = { g: 'string', v: 'float64', n: 'int32' };
    const out = aggregate({ by: ['g'], metrics: [{ fn: 'count' }, { fn: 'count', column: 'v' }, { fn: 'sum', column: 'v' }, { fn: 'avg', column: 'v' }, { fn: 'sum', column: 'n' }] }, batchedTable(spec, rows, 3000));
    const order = [...new Set(rows.map((r) => r.g as string | null))];
    expect(valuesOf(out, 'g')).toEqual(order);
    const theirs = await duckQuery({ r: { spec, rows } }, 'SELECT g, count(*) AS count, count(v) AS count_v, sum(v) AS sum_v, avg(v) AS avg_v, sum(n) AS sum_n FROM r GROUP BY g');
    expectSameRows(tableRows(out), theirs, ['g']);
  });
});

describe('aggregate: cancellation', () => {
  it('stops with CANCELLED when the call is cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    const step = aggregateProcessor.schema.parse({ op: 'aggregate', by: ['region'], metrics: [{ fn: 'count' }] });
    const err = errorOf(() => aggregateProcessor.run(step, batchedTable(SPEC, ROWS, 3), { ...runContext(), signal: controller.signal }));
    expect(err.code).toBe('CANCELLED');
  });
});

describe('aggregate: plan refusals', () => {
  const schema = batchedTable(SPEC, ROWS, 3).schema;
  const plan = (step: unknown) => aggregateProcessor.plan(aggregateProcessor.schema.parse(step), schema, planContext());

  it.each<[string, unknown, RegExp]>([
    ['unknown by column', { op: 'aggregate', by: ['nope'], metrics: [{ fn: 'count' }] }, /unknown column "nope"/],
    ['unknown metric column', { op: 'aggregate', metrics: [{ fn: 'sum', column: 'Price' }] }, /unknown column "Price"/],
    ['sum of text', { op: 'aggregate', metrics: [{ fn: 'sum', column: 'region' }] }, /"sum" cannot use column "region" of type string/],
    ['avg of a timestamp', { op: 'aggregate', metrics: [{ fn: 'avg', column: 'at' }] }, /"avg" cannot use column "at"/],
    ['sum without a column', { op: 'aggregate', metrics: [{ fn: 'sum' }] }, /needs a "column"/],
    ['name collision with a key', { op: 'aggregate', by: ['region'], metrics: [{ fn: 'count', as: 'region' }] }, /two columns named "region"/],
    ['name collision between metrics', { op: 'aggregate', metrics: [{ fn: 'count' }, { fn: 'sum', column: 'qty', as: 'count' }] }, /two columns named "count"/],
    ['a by column twice', { op: 'aggregate', by: ['region', 'region'], metrics: [] }, /two columns named "region"/],
    ['nothing to do', { op: 'aggregate', metrics: [] }, /needs "by" columns or at least one metric/],
  ])('refuses %s', (_name, step, message) => {
    const err = errorOf(() => plan(step));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toMatch(message);
    expect(err.hint.length).toBeGreaterThan(10);
  });

  it('refuses grouping by a list column, and unknown fields or functions in the step', () => {
    const listSchema = new arrow.Schema([new arrow.Field('tags', new arrow.List(new arrow.Field('item', new arrow.Utf8())))]);
    const err = errorOf(() => aggregateProcessor.plan(aggregateProcessor.schema.parse({ op: 'aggregate', by: ['tags'], metrics: [] }), listSchema, planContext()));
    expect(err.message).toMatch(/Cannot group by column "tags"/);
    expect(aggregateProcessor.schema.safeParse({ op: 'aggregate', metrics: [{ fn: 'mode', column: 'x' }] }).success).toBe(false);
    expect(aggregateProcessor.schema.safeParse({ op: 'aggregate', metrics: [], extra: 1 }).success).toBe(false);
    expect(aggregateProcessor.schema.safeParse({ op: 'aggregate', metrics: Array.from({ length: 65 }, () => ({ fn: 'count' })) }).success).toBe(false);
  });
});

describe('aggregate: against DuckDB on random data', () => {
  const METRICS = `count(*) AS count, count(v) AS count_v, count(DISTINCT s) AS count_distinct_s, sum(v) AS sum_v, sum(i) AS sum_i, avg(v) AS avg_v,
    min(s) AS min_s, max(s) AS max_s, min(t) AS min_t, max(f) AS max_f, min(b) AS min_b, stddev_samp(v) AS stddev_v, median(v) AS median_v, median(i) AS median_i`;
  const STEP_METRICS: AggregateStep['metrics'] = [
    { fn: 'count' }, { fn: 'count', column: 'v' }, { fn: 'count_distinct', column: 's' }, { fn: 'sum', column: 'v' }, { fn: 'sum', column: 'i' },
    { fn: 'avg', column: 'v' }, { fn: 'min', column: 's' }, { fn: 'max', column: 's' }, { fn: 'min', column: 't' }, { fn: 'max', column: 'f' },
    { fn: 'min', column: 'b' }, { fn: 'stddev', column: 'v' }, { fn: 'median', column: 'v' }, { fn: 'median', column: 'i' },
  ];

  it.each<[string[], number, number]>([
    [[], 500, 1],
    [['s'], 2000, 2],
    [['k'], 2000, 3],
    [['f'], 1500, 4],
    [['s', 'k'], 3000, 5],
    [['b', 't'], 1000, 6],
    [['k', 'f', 's'], 3000, 7],
  ])('by %j (%i rows)', async (by, n, seed) => {
    const rows = randomRows(n, seed);
    const table = batchedTable(RANDOM_SPEC, rows, 256);
    const ours = tableRows(aggregate({ by, metrics: STEP_METRICS }, table));
    const keys = by.map((c) => `"${c}"`).join(', ');
    const sql = by.length > 0 ? `SELECT ${keys}, ${METRICS} FROM r GROUP BY ${keys}` : `SELECT ${METRICS} FROM r`;
    const theirs = await duckQuery({ r: { spec: RANDOM_SPEC, rows } }, sql);
    expectSameRows(ours, theirs, by);
  });
});
