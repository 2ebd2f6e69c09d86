import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { sortProcessor, type SortStep } from '../../../../src/engine/ops/sort.js';
import { unifyTables } from '../../../../src/formats/unify.js';
import { RANDOM_SPEC, STRINGS, randomKeys, randomRows, referenceSort } from './sort-reference.js';
import { batchedTable, errorOf, expectSameSchema, planContext, runContext, seeded, valuesOf, type Row } from './step-tables.js';

function sorted(table: arrow.Table, by: SortStep['by'], limit?: number): arrow.Table {
  const step = sortProcessor.schema.parse({ op: 'sort', by, ...(limit !== undefined ? { limit } : {}) });
  const planned = sortProcessor.plan(step, table.schema, planContext());
  const out = sortProcessor.run(step, table, runContext()) as arrow.Table;
  expectSameSchema(planned, out.schema);
  return out;
}

const ids = (table: arrow.Table): unknown[] => valuesOf(table, 'id');

// Three batches of two, each string batch with its own dictionary.
const ROWS: Row[] = [
  { id: 0, name: 'pear', qty: 3, price: 1.5, ok: true },
  { id: 1, name: 'apple', qty: null, price: 2, ok: false },
  { id: 2, name: null, qty: 3, price: NaN, ok: null },
  { id: 3, name: 'apple', qty: 1, price: null, ok: true },
  { id: 4, name: 'Zebra', qty: 3, price: -1, ok: false },
  { id: 5, name: 'äpfel', qty: 2, price: 2, ok: true },
];
const SPEC = { id: 'int32', name: 'string', qty: 'int32', price: 'float64', ok: 'bool' } as const;
const table = (batchRows = 2): arrow.Table => batchedTable(SPEC, ROWS, batchRows);

describe('sort: order, nulls and stability', () => {
  it('sorts ascending with nulls last by default, keeping ties in input order', () => {
    expect(ids(sorted(table(), [{ column: 'qty' }]))).toEqual([3, 5, 0, 2, 4, 1]);
  });

  it('sorts descending with nulls still last (DuckDB default), ties in input order', () => {
    expect(ids(sorted(table(), [{ column: 'qty', order: 'desc' }]))).toEqual([0, 2, 4, 5, 3, 1]);
  });

  it('honours nulls first in both directions', () => {
    expect(ids(sorted(table(), [{ column: 'qty', nulls: 'first' }]))).toEqual([1, 3, 5, 0, 2, 4]);
    expect(ids(sorted(table(), [{ column: 'qty', order: 'desc', nulls: 'first' }]))).toEqual([1, 0, 2, 4, 5, 3]);
  });

  it('places NaN above every number: last ascending (before nulls), first descending', () => {
    expect(ids(sorted(table(), [{ column: 'price' }]))).toEqual([4, 0, 1, 5, 2, 3]);
    expect(ids(sorted(table(), [{ column: 'price', order: 'desc' }]))).toEqual([2, 1, 5, 0, 4, 3]);
  });

  it('orders strings by code point across per-batch dictionaries (uppercase before lowercase, ä after z)', () => {
    const out = sorted(table(), [{ column: 'name' }]);
    expect(valuesOf(out, 'name')).toEqual(['Zebra', 'apple', 'apple', 'pear', 'äpfel', null]);
    expect(ids(out)).toEqual([4, 1, 3, 0, 5, 2]);
  });

  it('sorts bools false before true', () => {
    expect(ids(sorted(table(), [{ column: 'ok' }]))).toEqual([1, 4, 0, 3, 5, 2]);
  });

  it('multi-key with mixed orders: qty desc, then name asc nulls first, then price desc', () => {
    const out = sorted(table(), [{ column: 'qty', order: 'desc' }, { column: 'name', nulls: 'first' }, { column: 'price', order: 'desc' }]);
    expect(ids(out)).toEqual([2, 4, 0, 5, 3, 1]);
  });

  it('gives the same answer whatever the batching, and one output batch', () => {
    for (const batchRows of [1, 2, 4, 100]) {
      const out = sorted(table(batchRows), [{ column: 'name', order: 'desc' }, { column: 'id', order: 'desc' }]);
      expect(ids(out)).toEqual([5, 0, 3, 1, 4, 2]);
      expect(out.batches).toHaveLength(1);
    }
  });

  it('carries every column along, dictionaries and nulls included', () => {
    const out = sorted(table(), [{ column: 'price', order: 'desc' }]);
    const byId = new Map(ROWS.map((r) => [r.id, r]));
    for (const column of Object.keys(SPEC)) {
      expect(valuesOf(out, column)).toEqual(ids(out).map((id) => byId.get(id as number)![column]));
    }
    expect(arrow.DataType.isDictionary(out.schema.fields[1]!.type)).toBe(true);
  });

  it('keeps equal keys in input order over many ties (stability)', () => {
    const rows = Array.from({ length: 500 }, (_, id) => ({ id, k: id % 3, s: ['x', 'y'][id % 2] }));
    const out = sorted(batchedTable({ id: 'int32', k: 'int32', s: 'string' }, rows, 37), [{ column: 'k' }, { column: 's', order: 'desc' }]);
    expect(ids(out)).toEqual(referenceSort(rows, [{ column: 'k' }, { column: 's', order: 'desc' }]).map((r) => r.id));
  });
});

describe('sort: types', () => {
  it('sorts int64 beyond 2^32, timestamps, plain utf8 and all-null columns', () => {
    const rows = [
      { id: 0, big: 2 ** 40, at: Date.UTC(2026, 5, 1), u: 'b', none: null },
      { id: 1, big: -(2 ** 41), at: null, u: null, none: null },
      { id: 2, big: 2 ** 33 + 1, at: Date.UTC(2025, 0, 1), u: '😀', none: null },
      { id: 3, big: null, at: Date.UTC(2026, 0, 1), u: '\uFFFD', none: null },
      { id: 4, big: 2 ** 33, at: Date.UTC(2026, 5, 1), u: 'a', none: null },
    ];
    const t = batchedTable({ id: 'int32', big: 'int64', at: 'timestamp', u: 'utf8', none: 'null' }, rows, 2);
    expect(ids(sorted(t, [{ column: 'big' }]))).toEqual([1, 4, 2, 0, 3]);
    expect(ids(sorted(t, [{ column: 'at', order: 'desc' }]))).toEqual([0, 4, 3, 2, 1]);
    // U+FFFD is below any astral character in code-point (and UTF-8 byte) order, above in UTF-16.
    expect(ids(sorted(t, [{ column: 'u' }]))).toEqual([4, 0, 3, 2, 1]);
    expect(ids(sorted(t, [{ column: 'none' }, { column: 'id', order: 'desc' }]))).toEqual([4, 3, 2, 1, 0]);
  });

  it('orders unicode strings by code point, as UTF-8 bytes compare', () => {
    const rows = STRINGS.map((s, id) => ({ id, s }));
    const out = sorted(batchedTable({ id: 'int32', s: 'string' }, rows, 4), [{ column: 's' }]);
    const bytewise = [...STRINGS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(valuesOf(out, 's')).toEqual(bytewise);
  });

  it('sorts an empty table and a one-row table', () => {
    const empty = batchedTable(SPEC, [], 2);
    expect(sorted(empty, [{ column: 'qty' }]).numRows).toBe(0);
    expect(sorted(empty, [{ column: 'qty' }], 5).numRows).toBe(0);
    expect(ids(sorted(batchedTable(SPEC, ROWS.slice(0, 1), 2), [{ column: 'name' }], 3))).toEqual([0]);
  });

  it('merges per-batch dictionaries of a narrow index type into one, widening the index as plan says', () => {
    const batch = (prefix: string): arrow.Table => {
      const names = Array.from({ length: 100 }, (_, i) => `${prefix}${i}`);
      return new arrow.Table({ s: arrow.vectorFromArray(names, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int8())) });
    };
    const t = unifyTables([batch('a'), batch('b')]);
    const out = sorted(t, [{ column: 's', order: 'desc' }]);
    const expected = [...Array.from({ length: 100 }, (_, i) => `a${i}`), ...Array.from({ length: 100 }, (_, i) => `b${i}`)].sort().reverse();
    expect(valuesOf(out, 's')).toEqual(expected);
    // 200 distinct values would overflow Int8 codes.
    expect(String(out.schema.fields[0]!.type)).toBe('Dictionary<Int32, Utf8>');
  });

  it('carries other column types along: decimals, large text (as Utf8), lists', () => {
    const batch = (from: number): arrow.Table =>
      new arrow.Table({
        k: arrow.vectorFromArray([from + 1, from], new arrow.Int32()),
        big: arrow.vectorFromArray([`${from + 1}`, `${from}`], new arrow.LargeUtf8()),
        d: arrow.makeVector(arrow.makeData({ type: new arrow.Decimal(0, 38, 128), length: 2, data: Uint32Array.from([from + 1, 0, 0, 0, from, 0, 0, 0]) })),
      });
    const out = sorted(unifyTables([batch(0), batch(10)]), [{ column: 'k' }]);
    expect(valuesOf(out, 'k')).toEqual([0, 1, 10, 11]);
    expect(valuesOf(out, 'big')).toEqual(['0', '1', '10', '11']);
    expect(String(out.schema.fields[1]!.type)).toBe('Utf8');
    const decimals = Array.from((out.getChild('d')!.data[0]!.values as Uint32Array).subarray(0, 16)).filter((_, i) => i % 4 === 0);
    expect(decimals).toEqual([0, 1, 10, 11]);
    expect(out.batches).toHaveLength(1);
  });

  it('sorts dates, and treats -0 as equal to 0 (ties keep input order)', () => {
    const t = new arrow.Table({
      id: arrow.vectorFromArray([0, 1, 2, 3], new arrow.Int32()),
      day: arrow.vectorFromArray([new Date(Date.UTC(2026, 1, 1)), new Date(Date.UTC(2024, 1, 1)), null, new Date(Date.UTC(2025, 1, 1))], new arrow.DateDay()),
      z: arrow.vectorFromArray([0, -0, -1, 0], new arrow.Float64()),
    });
    expect(ids(sorted(t, [{ column: 'day' }]))).toEqual([1, 3, 0, 2]);
    expect(ids(sorted(t, [{ column: 'z' }]))).toEqual([2, 0, 1, 3]);
    expect(ids(sorted(t, [{ column: 'z', order: 'desc' }], 2))).toEqual([0, 1]);
  });

  it('sorts by large text and half floats too', () => {
    const t = new arrow.Table({
      id: arrow.vectorFromArray([0, 1, 2, 3], new arrow.Int32()),
      l: arrow.vectorFromArray(['b', null, 'a', '😀'], new arrow.LargeUtf8()),
      h: arrow.vectorFromArray([0.5, -1, null, 2], new arrow.Float16()),
    });
    expect(ids(sorted(t, [{ column: 'l' }]))).toEqual([2, 0, 3, 1]);
    expect(ids(sorted(t, [{ column: 'h', order: 'desc' }]))).toEqual([3, 0, 1, 2]);
  });
});

describe('sort: top-k (limit)', () => {
  it('keeps the first `limit` rows of the full order', () => {
    expect(ids(sorted(table(), [{ column: 'price', order: 'desc' }], 1))).toEqual([2]);
    expect(ids(sorted(table(), [{ column: 'qty', order: 'desc' }], 2))).toEqual([0, 2]);
    expect(ids(sorted(table(), [{ column: 'qty' }], 99))).toEqual([3, 5, 0, 2, 4, 1]);
  });

  it('breaks ties at the cut by input order, also on a second key', () => {
    const rows = Array.from({ length: 1000 }, (_, id) => ({ id, k: id % 10 === 0 ? 1 : 0, s: id % 20 === 0 ? 'a' : 'b' }));
    const t = batchedTable({ id: 'int32', k: 'int32', s: 'string' }, rows, 64);
    expect(ids(sorted(t, [{ column: 'k', order: 'desc' }], 5))).toEqual([0, 10, 20, 30, 40]);
    expect(ids(sorted(t, [{ column: 'k', order: 'desc' }, { column: 's' }], 5))).toEqual([0, 20, 40, 60, 80]);
  });

  it('equals the prefix of the full sort on random data (property, against a naive reference)', () => {
    const random = seeded(20260901);
    const columns = Object.keys(RANDOM_SPEC);
    for (let trial = 0; trial < 60; trial++) {
      const n = Math.floor(random() * 400);
      const rows = randomRows(random, n);
      const t = batchedTable(RANDOM_SPEC, rows, 1 + Math.floor(random() * 60));
      const by = randomKeys(random, columns);
      const expected = referenceSort(rows, by).map((r) => r.id);
      const full = ids(sorted(t, by));
      expect(full, JSON.stringify(by)).toEqual(expected);
      for (const k of [1, 3, Math.floor(n / 10) + 1, Math.floor(random() * (n + 5)) + 1]) {
        expect(ids(sorted(t, by, k)), `${JSON.stringify(by)} limit ${k}`).toEqual(expected.slice(0, k));
      }
    }
  });
});

describe('sort: plan errors and limits', () => {
  const schema = table().schema;

  it('rejects an unknown column, naming it and listing the choices', () => {
    const err = errorOf(() => sortProcessor.plan({ op: 'sort', by: [{ column: 'Qty' }] }, schema, planContext()));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain('"Qty"');
    expect(err.hint).toContain('"qty"');
  });

  it('rejects an empty key list, in the schema and in plan', () => {
    expect(sortProcessor.schema.safeParse({ op: 'sort', by: [] }).success).toBe(false);
    const err = errorOf(() => sortProcessor.plan({ op: 'sort', by: [] }, schema, planContext()));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.hint).toContain('"by"');
  });

  it('rejects a limit below 1 or not whole, in the schema and in plan', () => {
    for (const limit of [0, -5, 2.5]) {
      expect(sortProcessor.schema.safeParse({ op: 'sort', by: [{ column: 'qty' }], limit }).success).toBe(false);
      const err = errorOf(() => sortProcessor.plan({ op: 'sort', by: [{ column: 'qty' }], limit }, schema, planContext()));
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.message).toContain('"limit"');
      expect(err.hint).toMatch(/whole number/);
    }
  });

  it('rejects columns that cannot be ordered (lists)', () => {
    const listSchema = new arrow.Schema([new arrow.Field('l', new arrow.List(new arrow.Field('item', new arrow.Int32())))]);
    const err = errorOf(() => sortProcessor.plan({ op: 'sort', by: [{ column: 'l' }] }, listSchema, planContext()));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.hint).toContain('cast');
  });

  it('rejects unknown fields, bad orders and too many keys in the schema', () => {
    expect(sortProcessor.schema.safeParse({ op: 'sort', by: [{ column: 'qty', order: 'up' }] }).success).toBe(false);
    expect(sortProcessor.schema.safeParse({ op: 'sort', by: [{ column: 'qty' }], extra: 1 }).success).toBe(false);
    expect(sortProcessor.schema.safeParse({ op: 'sort', by: Array.from({ length: 17 }, () => ({ column: 'qty' })) }).success).toBe(false);
  });

  it('stops when the call is cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = { ...runContext(), signal: controller.signal };
    expect(() => sortProcessor.run({ op: 'sort', by: [{ column: 'qty' }] }, table(), ctx)).toThrow(/abort/i);
    expect(() => sortProcessor.run({ op: 'sort', by: [{ column: 'qty' }], limit: 1 }, table(), ctx)).toThrow(/abort/i);
  });
});
