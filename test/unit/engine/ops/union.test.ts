import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { unionProcessor, type UnionStep } from '../../../../src/engine/ops/union.js';
import { typeName } from '../../../../src/formats/columns.js';
import { batchedTable, errorOf, expectSameSchema, planContext, runContext, valuesOf } from './step-tables.js';

const A = batchedTable(
  { id: 'int32', amount: 'int32', name: 'string', at: 'timestamp' },
  [
    { id: 1, amount: 10, name: 'a', at: Date.UTC(2026, 0, 1) },
    { id: 2, amount: null, name: 'b', at: null },
    { id: 3, amount: 30, name: null, at: Date.UTC(2026, 0, 3) },
  ],
  2,
);
const B = batchedTable(
  { name: 'string', amount: 'float64', id: 'int32', extra: 'bool' },
  [
    { name: 'ü', amount: 1.5, id: 4, extra: true },
    { name: 'a', amount: null, id: 5, extra: null },
  ],
  1,
);
const C = batchedTable({ id: 'string', amount: 'null', at: 'string', big: 'int64' }, [{ id: 'x-6', amount: null, at: 'someday', big: 2 ** 40 }], 5);
const TABLES = { B, C, A };

function unioned(step: Omit<UnionStep, 'op'>, input = A, maxRows = 1_000_000): arrow.Table {
  const parsed = unionProcessor.schema.parse({ op: 'union', ...step });
  const planned = unionProcessor.plan(parsed, input.schema, planContext(TABLES));
  const out = unionProcessor.run(parsed, input, runContext(TABLES, maxRows)) as arrow.Table;
  expectSameSchema(planned, out.schema);
  return out;
}

describe('union step', () => {
  it('appends rows matching columns by name; a missing column is null; same types stay', () => {
    const out = unioned({ with: ['B'] });
    expect(out.schema.fields.map((f) => `${f.name}:${typeName(f.type)}`)).toEqual(['id:int32', 'amount:float64', 'name:string', 'at:timestamp', 'extra:bool']);
    expect(valuesOf(out, 'id')).toEqual([1, 2, 3, 4, 5]);
    expect(valuesOf(out, 'amount')).toEqual([10, null, 30, 1.5, null]);
    expect(valuesOf(out, 'name')).toEqual(['a', 'b', null, 'ü', 'a']);
    expect(valuesOf(out, 'extra')).toEqual([null, null, null, true, null]);
    expect(valuesOf(out, 'at')).toEqual([Date.UTC(2026, 0, 1), null, Date.UTC(2026, 0, 3), null, null]);
  });

  it('reconciles types as unify does: numbers widen to float64, other mixes become text; all-null columns take the other type', () => {
    const out = unioned({ with: ['B', 'C'] });
    expect(out.schema.fields.map((f) => `${f.name}:${typeName(f.type)}`)).toEqual(['id:string', 'amount:float64', 'name:string', 'at:string', 'extra:bool', 'big:int64']);
    expect(valuesOf(out, 'id')).toEqual(['1', '2', '3', '4', '5', 'x-6']);
    expect(valuesOf(out, 'amount')).toEqual([10, null, 30, 1.5, null, null]);
    expect(valuesOf(out, 'at')).toEqual(['2026-01-01T00:00:00.000Z', null, '2026-01-03T00:00:00.000Z', null, null, 'someday']);
    expect(valuesOf(out, 'big')).toEqual([null, null, null, null, null, 2 ** 40]);
  });

  it('plans exactly the schema it produces, for every combination of inputs', () => {
    const names = ['A', 'B', 'C'] as const;
    for (const input of names) {
      for (const other of names) {
        for (const third of names) unioned({ with: [other, third] }, TABLES[input]);
      }
    }
  });

  it('keeps duplicates and may append the input to itself', () => {
    expect(valuesOf(unioned({ with: ['A', 'A'] }), 'id')).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it('unions empty tables into the reconciled schema', () => {
    const empty = batchedTable({ id: 'float64', zz: 'string' }, [], 3);
    const out = unionProcessor.run({ op: 'union', with: ['E'] }, batchedTable({ id: 'int32' }, [], 3), runContext({ E: empty })) as arrow.Table;
    expect(out.numRows).toBe(0);
    expectSameSchema(unionProcessor.plan({ op: 'union', with: ['E'] }, batchedTable({ id: 'int32' }, [], 3).schema, planContext({ E: empty })), out.schema);
    expect(typeName(out.schema.fields[0]!.type)).toBe('float64');
  });

  it('names the datasets it reads', () => {
    expect(unionProcessor.references!({ op: 'union', with: ['B', 'C'] })).toEqual(['B', 'C']);
  });

  it('fails with LIMIT_EXCEEDED and a hint when the result would pass maxRows', () => {
    const err = errorOf(() => unioned({ with: ['B', 'C'] }, A, 5));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toContain('6 rows');
    expect(err.hint).toMatch(/Filter or sample/);
    expect(unioned({ with: ['B', 'C'] }, A, 6).numRows).toBe(6);
  });
});

describe('union schema errors', () => {
  it('rejects an empty or oversized list, empty names, other modes and unknown fields', () => {
    const bad = [
      { op: 'union', with: [] },
      { op: 'union', with: Array.from({ length: 33 }, (_, i) => `t${i}`) },
      { op: 'union', with: [''] },
      { op: 'union', with: ['B'], mode: 'by_position' },
      { op: 'union', with: ['B'], on: 'id' },
      { op: 'union', with: 'B' },
    ];
    for (const step of bad) expect(unionProcessor.schema.safeParse(step).success, JSON.stringify(step).slice(0, 80)).toBe(false);
    expect(unionProcessor.schema.safeParse({ op: 'union', with: ['B'], mode: 'by_name' }).success).toBe(true);
  });

  it('passes on the runner\'s error for an unknown dataset', () => {
    expect(() => unionProcessor.plan({ op: 'union', with: ['nope'] }, A.schema, planContext(TABLES))).toThrow(/nope/);
  });

  it('keeps a dictionary column a dictionary', () => {
    expect(arrow.DataType.isDictionary(unioned({ with: ['B'] }).schema.fields[2]!.type)).toBe(true);
  });
});
