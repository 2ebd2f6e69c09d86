import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { filterProcessor, type FilterStep } from '../../../../src/engine/ops/filter.js';
import { batchedTable, errorOf, expectSameSchema, planContext, runContext, valuesOf, type Row } from './step-tables.js';

const ROWS: Row[] = [
  { id: 0, name: 'apple', qty: 3, at: Date.UTC(2026, 0, 1) },
  { id: 1, name: 'pear', qty: null, at: null },
  { id: 2, name: null, qty: 5, at: Date.UTC(2026, 5, 1) },
  { id: 3, name: 'apple', qty: 1, at: Date.UTC(2026, 2, 1) },
  { id: 4, name: 'Äpfel 🍎', qty: 3, at: Date.UTC(2025, 0, 1) },
];
const SPEC = { id: 'int32', name: 'string', qty: 'int32', at: 'timestamp' } as const;
const table = (batchRows = 2): arrow.Table => batchedTable(SPEC, ROWS, batchRows);

function filtered(where: unknown, input = table()): arrow.Table {
  const step = filterProcessor.schema.parse({ op: 'filter', where });
  const planned = filterProcessor.plan(step, input.schema, planContext());
  const out = filterProcessor.run(step, input, runContext()) as arrow.Table;
  expectSameSchema(planned, out.schema);
  return out;
}

describe('filter step', () => {
  it('keeps matching rows in input order across batches with their own dictionaries', () => {
    for (const batchRows of [1, 2, 10]) {
      expect(valuesOf(filtered({ column: 'name', op: 'eq', value: 'apple' }, table(batchRows)), 'id')).toEqual([0, 3]);
    }
    expect(valuesOf(filtered({ or: [{ column: 'qty', op: 'gt', value: 2 }, { column: 'name', op: 'starts_with', value: 'Ä' }] }), 'id')).toEqual([0, 2, 4]);
    expect(valuesOf(filtered({ column: 'at', op: 'gte', value: '2026-01-01' }), 'id')).toEqual([0, 2, 3]);
  });

  it('follows SQL null semantics: ne and not never match nulls; is_null finds them', () => {
    expect(valuesOf(filtered({ column: 'qty', op: 'ne', value: 3 }), 'id')).toEqual([2, 3]);
    expect(valuesOf(filtered({ not: { column: 'name', op: 'eq', value: 'apple' } }), 'id')).toEqual([1, 4]);
    expect(valuesOf(filtered({ column: 'name', op: 'is_null' }), 'id')).toEqual([2]);
  });

  it('returns the input itself when every row matches, and an empty table of the same schema when none does', () => {
    const input = table();
    expect(filterProcessor.run({ op: 'filter', where: { column: 'id', op: 'gte', value: 0 } }, input, runContext())).toBe(input);
    const none = filtered({ column: 'id', op: 'gt', value: 100 }, input);
    expect(none.numRows).toBe(0);
    expect(none.schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'qty', 'at']);
    expect(filtered({ column: 'id', op: 'eq', value: 1 }, batchedTable(SPEC, [], 2)).numRows).toBe(0);
  });

  it('keeps dictionaries and types of the kept rows', () => {
    const out = filtered({ column: 'qty', op: 'eq', value: 3 });
    expect(valuesOf(out, 'name')).toEqual(['apple', 'Äpfel 🍎']);
    expect(arrow.DataType.isDictionary(out.schema.fields[1]!.type)).toBe(true);
  });
});

describe('filter plan errors', () => {
  const schema = table().schema;
  const plan = (where: unknown) => () => filterProcessor.plan({ op: 'filter', where } as FilterStep, schema, planContext());

  it('names an unknown column and lists the choices', () => {
    const err = errorOf(plan({ column: 'Name', op: 'eq', value: 'x' }));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain('"Name"');
    expect(err.hint).toContain('"name"');
  });

  it('rejects a literal of the wrong type and an op that does not fit the column', () => {
    const wrongType = errorOf(plan({ column: 'qty', op: 'gt', value: 'three' }));
    expect(wrongType.code).toBe('INVALID_ARGUMENT');
    expect(wrongType.hint).toMatch(/number/);
    const wrongOp = errorOf(plan({ column: 'qty', op: 'contains', value: 'x' }));
    expect(wrongOp.code).toBe('INVALID_ARGUMENT');
    expect(wrongOp.hint).toMatch(/Ops for this column/);
    expect(errorOf(plan({ column: 'at', op: 'gt', value: 'yesterday' })).hint).toMatch(/ISO-8601/);
  });

  it('rejects malformed and oversized filters in the schema', () => {
    expect(filterProcessor.schema.safeParse({ op: 'filter', where: { column: 'qty', op: 'like', value: 1 } }).success).toBe(false);
    expect(filterProcessor.schema.safeParse({ op: 'filter' }).success).toBe(false);
    expect(filterProcessor.schema.safeParse({ op: 'filter', where: { column: 'qty', op: 'eq', value: 1 }, extra: true }).success).toBe(false);
    let deep: unknown = { column: 'qty', op: 'eq', value: 1 };
    for (let i = 0; i < 20; i++) deep = { not: deep };
    expect(filterProcessor.schema.safeParse({ op: 'filter', where: deep }).success).toBe(false);
    const wide = { or: Array.from({ length: 200 }, (_, i) => ({ column: 'qty', op: 'eq', value: i })) };
    expect(filterProcessor.schema.safeParse({ op: 'filter', where: wide }).success).toBe(false);
  });
});
