import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { civilMillis, plainValue, timestampMillis } from '../../../src/connectors/bigquery/cells.js';
import { columnPlan, normalizeType, readableType } from '../../../src/connectors/bigquery/field-types.js';
import { rowsToTable } from '../../../src/connectors/bigquery/rows-to-arrow.js';
import { typeName } from '../../../src/results/arrow-json.js';
import { columnValues } from '../../helpers/arrow-values.js';

const row = (...cells: unknown[]) => ({ f: cells.map((v) => ({ v })) }) as never;

describe('bigquery type mapping: schema → readable types and column plans', () => {
  it('normalizes legacy type names', () => {
    expect(['INTEGER', 'FLOAT', 'BOOLEAN', 'STRUCT', 'DECIMAL', 'BIGDECIMAL', 'int64', undefined].map((t) => normalizeType(t))).toEqual([
      'INT64', 'FLOAT64', 'BOOL', 'RECORD', 'NUMERIC', 'BIGNUMERIC', 'INT64', 'STRING',
    ]);
  });

  it('names every type readably, nested and repeated too', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: 'INTEGER' }, 'int64'],
      [{ type: 'FLOAT64' }, 'float'],
      [{ type: 'NUMERIC' }, 'decimal'],
      [{ type: 'BIGNUMERIC' }, 'decimal'],
      [{ type: 'BOOLEAN' }, 'bool'],
      [{ type: 'STRING' }, 'string'],
      [{ type: 'BYTES' }, 'bytes'],
      [{ type: 'DATE' }, 'date'],
      [{ type: 'DATETIME' }, 'datetime'],
      [{ type: 'TIME' }, 'time'],
      [{ type: 'TIMESTAMP' }, 'timestamp'],
      [{ type: 'JSON' }, 'json'],
      [{ type: 'GEOGRAPHY' }, 'geography'],
      [{ type: 'STRING', mode: 'REPEATED' }, 'array<string>'],
      [{ type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'a', type: 'INT64' }, { name: 'b', type: 'STRUCT', fields: [{ name: 'c', type: 'DATE' }] }] }, 'array<record<a int64, b record<c date>>>'],
      [{ type: 'SOMETHING_NEW' }, 'something_new'],
    ];
    for (const [field, name] of cases) expect(readableType(field)).toBe(name);
  });

  it('plans columns from the schema: exact int64, decimals as text, nested as JSON', () => {
    expect(columnPlan({ type: 'INT64' })).toBe('int64');
    expect(columnPlan({ type: 'INT64', mode: 'REPEATED' })).toBe('json');
    expect(columnPlan({ type: 'NUMERIC' })).toBe('string');
    expect(columnPlan({ type: 'RECORD' })).toBe('json');
    expect(columnPlan({ type: 'DATETIME' })).toBe('datetime');
    expect(columnPlan({ type: 'TIME' })).toBe('string');
  });
});

describe('bigquery cells', () => {
  it('reads TIMESTAMP as int64 microseconds (SDK 8 default) or float seconds, flooring', () => {
    expect(timestampMillis('1700000000123456')).toBe(1700000000123);
    expect(timestampMillis('0')).toBe(0);
    expect(timestampMillis('-1')).toBe(-1);
    expect(timestampMillis('-1500')).toBe(-2);
    expect(timestampMillis('253402300799999999')).toBe(253402300799999);
    expect(timestampMillis('1.7000000001234E9')).toBe(1700000000123);
    expect(timestampMillis('garbage')).toBeUndefined();
  });

  it('reads DATE and DATETIME as UTC, years below 100 included, invalid days refused', () => {
    expect(civilMillis('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(civilMillis('2024-02-29T13:45:00.123456')).toBe(Date.UTC(2024, 1, 29, 13, 45, 0, 123));
    expect(new Date(civilMillis('0001-01-01')!).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(civilMillis('2023-02-29')).toBeUndefined();
    expect(civilMillis('2024-13-01')).toBeUndefined();
    expect(civilMillis('yesterday')).toBeUndefined();
  });

  it('decodes nested records and repeated values into plain values', () => {
    const field = {
      type: 'RECORD',
      fields: [
        { name: 'id', type: 'INT64' },
        { name: 'huge', type: 'INT64' },
        { name: 'ok', type: 'BOOL' },
        { name: 'at', type: 'TIMESTAMP' },
        { name: 'xs', type: 'FLOAT64', mode: 'REPEATED' },
        { name: 'doc', type: 'JSON' },
        { name: 'inner', type: 'RECORD', fields: [{ name: 'n', type: 'NUMERIC' }] },
      ],
    };
    const wire = { f: [{ v: '7' }, { v: '9007199254740993' }, { v: 'false' }, { v: '0' }, { v: [{ v: '1.5' }, { v: 'NaN' }] }, { v: '{"a":[1]}' }, { v: { f: [{ v: '1.10' }] } }] };
    expect(plainValue(wire, field)).toEqual({ id: 7, huge: '9007199254740993', ok: false, at: '1970-01-01T00:00:00.000Z', xs: [1.5, 'NaN'], doc: { a: [1] }, inner: { n: '1.10' } });
    expect(plainValue(null, field)).toBeNull();
  });
});

describe('bigquery rows → Arrow', () => {
  const schema = [
    { name: 'i', type: 'INT64' },
    { name: 'f', type: 'FLOAT' },
    { name: 'b', type: 'BOOLEAN' },
    { name: 's', type: 'STRING' },
    { name: 'n', type: 'BIGNUMERIC' },
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'dt', type: 'DATETIME' },
    { name: 'tags', type: 'STRING', mode: 'REPEATED' },
  ];

  it('builds typed columns from string cells, nulls kept', () => {
    const table = rowsToTable(schema, [
      row('-9223372036854775808', 'Infinity', 'true', 'héllo', '1e38', '1700000000000000', '2024-01-02T03:04:05', [{ v: 'a' }, { v: 'b' }]),
      row(null, null, null, null, null, null, null, []),
      row('42', 'NaN', 'false', '', '0.1', '-1000', '1999-12-31T23:59:59.999999', null),
    ]);
    expect(table.numRows).toBe(3);
    expect(table.schema.fields.map((f) => typeName(f.type))).toEqual(['int64', 'float', 'bool', 'string', 'string', 'timestamp', 'timestamp', 'string']);
    expect(columnValues(table, 'i')).toEqual([-9223372036854775808n, null, 42n]);
    const floats = columnValues(table, 'f');
    expect(floats[0]).toBe(Infinity);
    expect(floats[1]).toBeNull();
    expect(Number.isNaN(floats[2])).toBe(true);
    expect(columnValues(table, 'b')).toEqual([true, null, false]);
    expect(columnValues(table, 's')).toEqual(['héllo', null, '']);
    expect(columnValues(table, 'n')).toEqual(['1e38', null, '0.1']);
    expect(columnValues(table, 'ts')).toEqual([1700000000000, null, -1]);
    expect(columnValues(table, 'dt')).toEqual([Date.UTC(2024, 0, 2, 3, 4, 5), null, Date.UTC(1999, 11, 31, 23, 59, 59, 999)]);
    expect(columnValues(table, 'tags')).toEqual(['["a","b"]', '[]', null]);
  });

  it('gives an empty page the same Arrow schema as a full one', () => {
    const empty = rowsToTable(schema, []);
    const full = rowsToTable(schema, [row('1', '1', 'true', 'x', '1', '1', '2024-01-01T00:00:00', [])]);
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => String(f.type))).toEqual(full.schema.fields.map((f) => String(f.type)));
    expect(arrow.DataType.isInt(empty.schema.fields[0]!.type)).toBe(true);
  });

  it('treats malformed cells as nulls rather than wrong numbers', () => {
    const table = rowsToTable([{ name: 'i', type: 'INT64' }, { name: 'f', type: 'FLOAT64' }], [row('12abc', 'abc'), row({ f: [] }, ['x'])]);
    expect(columnValues(table, 'i')).toEqual([null, null]);
    expect(columnValues(table, 'f')).toEqual([null, null]);
  });
});
