import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { deduplicateProcessor, type DeduplicateStep } from '../../../../src/engine/ops/deduplicate.js';
import { duckQuery, expectSameRows, randomRows, RANDOM_SPEC, tableRows } from './duck-reference.js';
import { batchedTable, errorOf, expectSameSchema, planContext, runContext, valuesOf, type ColumnSpec, type Row } from './step-tables.js';

const SPEC: Record<string, ColumnSpec> = { id: 'int32', name: 'string', score: 'float64', at: 'timestamp' };
const ROWS: Row[] = [
  { id: 1, name: 'a', score: 1, at: 10 },
  { id: 2, name: 'b', score: null, at: 20 },
  { id: 3, name: 'a', score: 1, at: 10 },
  { id: 4, name: null, score: null, at: null },
  { id: 5, name: 'b', score: null, at: 20 },
  { id: 6, name: null, score: null, at: null },
  { id: 7, name: 'a', score: 2, at: 10 },
];

function dedupe(step: Omit<DeduplicateStep, 'op'>, table: arrow.Table): arrow.Table {
  const full = deduplicateProcessor.schema.parse({ op: 'deduplicate', ...step });
  const planned = deduplicateProcessor.plan(full, table.schema, planContext());
  const out = deduplicateProcessor.run(full, table, runContext()) as arrow.Table;
  expectSameSchema(planned, out.schema);
  return out;
}

describe('deduplicate', () => {
  it.each([1, 3, 100])('keeps the first or last occurrence, in input order; nulls equal each other (batches of %i)', (batchRows) => {
    const table = batchedTable(SPEC, ROWS, batchRows);
    expect(valuesOf(dedupe({ columns: ['name', 'score', 'at'] }, table), 'id')).toEqual([1, 2, 4, 7]);
    expect(valuesOf(dedupe({ columns: ['name', 'score', 'at'], keep: 'last' }, table), 'id')).toEqual([3, 5, 6, 7]);
    expect(valuesOf(dedupe({ columns: ['name'] }, table), 'id')).toEqual([1, 2, 4]);
    expect(valuesOf(dedupe({ columns: ['name'], keep: 'last' }, table), 'id')).toEqual([5, 6, 7]);
    expect(dedupe({}, table).numRows).toBe(7); // ids make every row distinct
  });

  it('returns the input itself when nothing repeats, and handles empty input', () => {
    const table = batchedTable(SPEC, ROWS, 2);
    expect(dedupe({ columns: ['id'] }, table)).toBe(table);
    expect(dedupe({}, batchedTable(SPEC, [], 2)).numRows).toBe(0);
  });

  it('treats -0 as 0 and int64 values by value', () => {
    const table = batchedTable({ x: 'float64', n: 'int64' }, [{ x: 0, n: 2 ** 40 }, { x: -0, n: 2 ** 40 }, { x: 1, n: 2 ** 40 + 1 }], 2);
    expect(dedupe({}, table).numRows).toBe(2);
  });

  it('keeps per-batch dictionaries and types', () => {
    const table = batchedTable(SPEC, ROWS, 3);
    const out = dedupe({ columns: ['name'] }, table);
    expect(out.schema).toBe(table.schema);
    expect(valuesOf(out, 'name')).toEqual(['a', 'b', null]);
  });

  it('stops with CANCELLED when the call is cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    const err = errorOf(() => deduplicateProcessor.run({ op: 'deduplicate' }, batchedTable(SPEC, ROWS, 3), { ...runContext(), signal: controller.signal }));
    expect(err.code).toBe('CANCELLED');
  });

  it('refuses unknown columns and unusable types', () => {
    const schema = batchedTable(SPEC, ROWS, 3).schema;
    const err = errorOf(() => deduplicateProcessor.plan({ op: 'deduplicate', columns: ['nope'] }, schema, planContext()));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toMatch(/unknown column "nope"/);
    const listSchema = new arrow.Schema([new arrow.Field('tags', new arrow.List(new arrow.Field('item', new arrow.Utf8())))]);
    const listErr = errorOf(() => deduplicateProcessor.plan({ op: 'deduplicate' }, listSchema, planContext()));
    expect(listErr.message).toMatch(/cannot compare column "tags" of type/);
    expect(deduplicateProcessor.schema.safeParse({ op: 'deduplicate', columns: [] }).success).toBe(false);
    expect(deduplicateProcessor.schema.safeParse({ op: 'deduplicate', keep: 'middle' }).success).toBe(false);
  });

  it.each<[string[], number]>([[['s'], 1], [['k', 'f'], 2], [['s', 'b', 't'], 3]])('matches DuckDB DISTINCT on %j', async (columns, seed) => {
    const rows = randomRows(1500, seed);
    const out = dedupe({ columns }, batchedTable(RANDOM_SPEC, rows, 200));
    const list = columns.map((c) => `"${c}"`).join(', ');
    const theirs = await duckQuery({ r: { spec: RANDOM_SPEC, rows } }, `SELECT DISTINCT ${list} FROM r`);
    const ours = tableRows(out).map((row) => Object.fromEntries(columns.map((c) => [c, row[c]])));
    expectSameRows(ours, theirs, columns);
  });
});
