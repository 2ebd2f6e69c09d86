import type * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { aggregateProcessor } from '../../../../src/engine/ops/aggregate.js';
import { deduplicateProcessor } from '../../../../src/engine/ops/deduplicate.js';
import { joinProcessor, type JoinKind, type JoinStep } from '../../../../src/engine/ops/join.js';
import { duckQuery, expectSameRows, tableRows } from './duck-reference.js';
import { batchedTable, errorOf, expectSameSchema, planContext, runContext, seeded, valuesOf, type ColumnSpec, type Row } from './step-tables.js';

const ORDERS: Row[] = [
  { id: 1, cust: 10, name: 'ann', amount: 5 },
  { id: 2, cust: 20, name: 'bob', amount: 7 },
  { id: 3, cust: null, name: 'cyd', amount: 1 },
  { id: 4, cust: 10, name: 'dee', amount: 2 },
  { id: 5, cust: 99, name: 'eve', amount: 3 },
];
const CUSTOMERS: Row[] = [
  { cust: 10, name: 'Acme', tier: 'gold' },
  { cust: 20, name: 'Bolt', tier: null },
  { cust: 10, name: 'Acme2', tier: 'silver' },
  { cust: 30, name: 'Cogs', tier: 'bronze' },
  { cust: null, name: 'Void', tier: 'none' },
];
const ORDER_SPEC: Record<string, ColumnSpec> = { id: 'int32', cust: 'int32', name: 'string', amount: 'float64' };
const CUSTOMER_SPEC: Record<string, ColumnSpec> = { cust: 'int32', name: 'string', tier: 'string' };

function join(step: Omit<JoinStep, 'op' | 'right'>, left: arrow.Table, right: arrow.Table, maxRows = 1_000_000): arrow.Table {
  const full = joinProcessor.schema.parse({ op: 'join', right: 'r', ...step });
  expect(joinProcessor.references!(full)).toEqual(['r']);
  const planned = joinProcessor.plan(full, left.schema, planContext({ r: right }, maxRows));
  const out = joinProcessor.run(full, left, runContext({ r: right }, maxRows)) as arrow.Table;
  expectSameSchema(planned, out.schema);
  return out;
}

const orders = (batchRows = 2) => batchedTable(ORDER_SPEC, ORDERS, batchRows);
const customers = (batchRows = 2) => batchedTable(CUSTOMER_SPEC, CUSTOMERS, batchRows);
const pairs = (t: arrow.Table) => tableRows(t).map((r) => [r.id ?? null, r.name_right ?? null]);

describe('join: hand-computed', () => {
  it.each<[JoinKind, unknown[][]]>([
    ['inner', [[1, 'Acme'], [1, 'Acme2'], [2, 'Bolt'], [4, 'Acme'], [4, 'Acme2']]],
    ['left', [[1, 'Acme'], [1, 'Acme2'], [2, 'Bolt'], [3, null], [4, 'Acme'], [4, 'Acme2'], [5, null]]],
    ['right', [[1, 'Acme'], [1, 'Acme2'], [2, 'Bolt'], [4, 'Acme'], [4, 'Acme2'], [null, 'Cogs'], [null, 'Void']]],
    ['full', [[1, 'Acme'], [1, 'Acme2'], [2, 'Bolt'], [3, null], [4, 'Acme'], [4, 'Acme2'], [5, null], [null, 'Cogs'], [null, 'Void']]],
  ])('%s join: left order, matches in right order, then unmatched right rows; null keys never match', (how, expected) => {
    for (const [lb, rb] of [[2, 2], [100, 100], [1, 3]] as const) {
      const out = join({ on: ['cust'], how }, orders(lb), customers(rb));
      expect(pairs(out)).toEqual(expected);
    }
  });

  it('names columns: left ones, then right non-key ones, suffixed on a clash; keys coalesce in full joins', () => {
    const out = join({ on: ['cust'], how: 'full', suffix: '_c' }, orders(), customers());
    expect(out.schema.fields.map((f) => f.name)).toEqual(['id', 'cust', 'name', 'amount', 'name_c', 'tier']);
    expect(valuesOf(out, 'cust')).toEqual([10, 10, 20, null, 10, 10, 99, 30, null]);
    expect(String(out.schema.fields[4]!.type)).toBe('Dictionary<Int32, Utf8>');
  });

  it('joins on composite keys and on differently named keys', () => {
    const left = batchedTable({ a: 'string', b: 'int32', x: 'int32' }, [
      { a: 'p', b: 1, x: 1 },
      { a: 'p', b: 2, x: 2 },
      { a: 'q', b: 1, x: 3 },
      { a: null, b: 1, x: 4 },
    ], 3);
    const right = batchedTable({ aa: 'string', bb: 'int32', y: 'string' }, [
      { aa: 'q', bb: 1, y: 'Q1' },
      { aa: 'p', bb: 2, y: 'P2' },
      { aa: 'p', bb: 1, y: 'P1' },
      { aa: null, bb: 1, y: 'N1' },
    ], 2);
    const out = join({ on: [{ left: 'a', right: 'aa' }, { left: 'b', right: 'bb' }], how: 'left' }, left, right);
    expect(tableRows(out)).toEqual([
      { a: 'p', b: 1, x: 1, y: 'P1' },
      { a: 'p', b: 2, x: 2, y: 'P2' },
      { a: 'q', b: 1, x: 3, y: 'Q1' },
      { a: null, b: 1, x: 4, y: null },
    ]);
  });

  it('compares int and float keys by value, plain and dictionary text alike', () => {
    const left = batchedTable({ k: 'int32', s: 'utf8' }, [{ k: 1, s: 'a' }, { k: 2, s: 'b' }, { k: 3, s: 'c' }], 2);
    const right = batchedTable({ k: 'float64', s: 'string', w: 'int32' }, [{ k: 2, s: 'b', w: 20 }, { k: 2.5, s: 'b', w: 25 }, { k: 1, s: 'a', w: 10 }, { k: 1, s: 'z', w: 11 }], 3);
    expect(tableRows(join({ on: ['k', 's'] }, left, right))).toEqual([{ k: 1, s: 'a', w: 10 }, { k: 2, s: 'b', w: 20 }]);
    const full = join({ on: ['k'], how: 'full' }, left, right);
    expect(String(full.schema.fields[0]!.type)).toBe('Float64');
    expect(valuesOf(full, 'k')).toEqual([1, 1, 2, 3, 2.5]);
  });

  it('handles empty sides and all-null keys', () => {
    const empty = batchedTable(ORDER_SPEC, [], 2);
    for (const how of ['inner', 'left', 'right', 'full'] as const) {
      expect(join({ on: ['cust'], how }, empty, customers()).numRows).toBe(how === 'right' || how === 'full' ? 5 : 0);
      expect(join({ on: ['cust'], how }, orders(), batchedTable(CUSTOMER_SPEC, [], 2)).numRows).toBe(how === 'left' || how === 'full' ? 5 : 0);
    }
    const nullKeys = batchedTable({ cust: 'int32', id: 'int32' }, [{ cust: null, id: 1 }, { cust: null, id: 2 }], 1);
    expect(join({ on: ['cust'] }, nullKeys, nullKeys).numRows).toBe(0);
    expect(join({ on: ['cust'], how: 'full' }, nullKeys, nullKeys).numRows).toBe(4);
    const nullTyped = batchedTable({ cust: 'null', id: 'int32' }, [{ cust: null, id: 1 }], 1);
    expect(join({ on: ['cust'], how: 'left' }, nullTyped, customers()).numRows).toBe(1);
  });

  it('passes left columns through untouched when each left row matches once', () => {
    const left = orders(2);
    const right = batchedTable({ cust: 'int32', region: 'string' }, [{ cust: 10, region: 'eu' }, { cust: 20, region: 'us' }], 1);
    const out = join({ on: ['cust'], how: 'left' }, left, right);
    expect(out.batches.map((b) => b.numRows)).toEqual([2, 2, 1]);
    expect(out.batches[0]!.getChild('amount')!.data[0]!.values).toBe(left.batches[0]!.getChild('amount')!.data[0]!.values);
    expect(valuesOf(out, 'region')).toEqual(['eu', 'us', null, 'eu', null]);
  });

  it('feeds later steps correctly when right text values repeat across keys (a dictionary entry per key)', () => {
    const left = batchedTable({ cust: 'int32', amount: 'float64' }, Array.from({ length: 50 }, (_, i) => ({ cust: i % 6, amount: i })), 16);
    const right = batchedTable({ cust: 'int32', segment: 'string' }, Array.from({ length: 6 }, (_, c) => ({ cust: c, segment: c % 2 ? 'odd' : 'even' })), 4);
    const joined = join({ on: ['cust'] }, left, right);
    const ctx = runContext();
    const grouped = aggregateProcessor.run({ op: 'aggregate', by: ['segment'], metrics: [{ fn: 'count' }, { fn: 'sum', column: 'amount' }] }, joined, ctx) as arrow.Table;
    const even = Array.from({ length: 50 }, (_, i) => i).filter((i) => (i % 6) % 2 === 0);
    expect(tableRows(grouped)).toEqual([
      { segment: 'even', count: even.length, sum_amount: even.reduce((a, b) => a + b, 0) },
      { segment: 'odd', count: 50 - even.length, sum_amount: 1225 - even.reduce((a, b) => a + b, 0) },
    ]);
    const distinct = deduplicateProcessor.run({ op: 'deduplicate', columns: ['segment'] }, joined, ctx) as arrow.Table;
    expect(valuesOf(distinct, 'segment')).toEqual(['even', 'odd']);
  });

  it('stops with CANCELLED when the call is cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = { ...runContext({ r: customers() }), signal: controller.signal };
    const err = errorOf(() => joinProcessor.run({ op: 'join', right: 'r', on: ['cust'] }, orders(), ctx));
    expect(err.code).toBe('CANCELLED');
  });

  it('refuses a join that would produce more rows than the limit, before building it', () => {
    const many = batchedTable({ k: 'int32', i: 'int32' }, Array.from({ length: 300 }, (_, i) => ({ k: 1, i })), 100);
    const err = errorOf(() => join({ on: ['k'] }, many, many, 50_000));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toMatch(/90000 rows, over the limit of 50000/);
    expect(err.hint).toMatch(/aggregate|deduplicate/);
    expect(join({ on: ['k'] }, many, many, 90_000).numRows).toBe(90_000);
  });

  it('counts exactly before refusing a directly indexed join too', () => {
    const left = batchedTable({ k: 'int32' }, Array.from({ length: 300 }, (_, i) => ({ k: i % 150 })), 64);
    const right = batchedTable({ k: 'int32', w: 'int32' }, Array.from({ length: 200 }, (_, i) => ({ k: i + 100, w: i })), 64);
    // Full join: 300 left rows (100 of them matched) and the 150 right keys no left row has.
    const err = errorOf(() => join({ on: ['k'], how: 'full' }, left, right, 449));
    expect(err.message).toMatch(/450 rows, over the limit of 449/);
    expect(join({ on: ['k'], how: 'full' }, left, right, 450).numRows).toBe(450);
    expect(join({ on: ['k'], how: 'inner' }, left, right, 100).numRows).toBe(100);
  });
});

describe('join: plan refusals', () => {
  const plan = (step: unknown, right = customers()) => joinProcessor.plan(joinProcessor.schema.parse(step), orders().schema, planContext({ r: right }));

  it('refuses keys of different kinds, naming both columns and types', () => {
    const err = errorOf(() => plan({ op: 'join', right: 'r', on: [{ left: 'name', right: 'cust' }] }));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toBe('Cannot join left column "name" (string) with right column "cust" (int32).');
  });

  it('refuses unknown key columns on either side', () => {
    expect(errorOf(() => plan({ op: 'join', right: 'r', on: ['tier'] })).message).toMatch(/"tier" is not a column of the left input/);
    expect(errorOf(() => plan({ op: 'join', right: 'r', on: ['amount'] })).message).toMatch(/"amount" is not a column of the right dataset "r"/);
  });

  it('refuses a suffix that still clashes', () => {
    const right = batchedTable({ cust: 'int32', name: 'string', name_right: 'string' }, [], 1);
    const err = errorOf(() => plan({ op: 'join', right: 'r', on: ['cust'] }, right));
    expect(err.message).toMatch(/two columns named "name_right"/);
    expect(plan({ op: 'join', right: 'r', on: ['cust'], suffix: '_2' }, right).fields.map((f) => f.name)).toEqual(['id', 'cust', 'name', 'amount', 'name_2', 'name_right']);
  });

  it('refuses malformed steps', () => {
    const parse = (step: unknown) => joinProcessor.schema.safeParse(step).success;
    expect(parse({ op: 'join', right: 'r', on: [] })).toBe(false);
    expect(parse({ op: 'join', right: 'r', on: ['a'], how: 'cross' })).toBe(false);
    expect(parse({ op: 'join', right: 'r', on: [{ left: 'a' }] })).toBe(false);
    expect(parse({ op: 'join', right: 'r', on: ['a'], extra: true })).toBe(false);
    expect(parse({ op: 'join', right: 'r', on: Array.from({ length: 17 }, () => 'a') })).toBe(false);
  });
});

describe('join: against DuckDB on random data', () => {
  const LEFT: Record<string, ColumnSpec> = { id: 'int32', s: 'string', k: 'int32', o: 'int32', v: 'float64' };
  const RIGHT: Record<string, ColumnSpec> = { rid: 'int32', s: 'string', k: 'int32', o: 'int32', f: 'float64', v: 'float64', u: 'utf8' };

  /** With `unique`, no key value repeats (a lookup join: keys index the right rows directly). */
  function rows(n: number, seed: number, right: boolean, unique = false): Row[] {
    const random = seeded(seed);
    const maybe = <T>(v: T): T | null => (random() < 0.1 ? null : v);
    return Array.from({ length: n }, (_, i) => ({
      [right ? 'rid' : 'id']: i,
      s: maybe(unique ? (['a', 'b', 'c', 'ü', '日'][i] ?? `x${i}`) : ['a', 'b', 'c', 'ü', '日'][Math.floor(random() * 5)]),
      k: maybe(unique ? i : Math.floor(random() * 30)),
      // Negative keys: a directly indexed join whose ids are offset from the values.
      o: maybe(unique ? i - 50 : Math.floor(random() * 120) - 60),
      f: maybe(unique ? i : Math.floor(random() * 60) / 2),
      v: maybe(Math.round(random() * 1000) / 4),
      u: maybe(`u${Math.floor(random() * 4)}`),
    }));
  }

  it.each<[JoinKind, string, number, number, boolean]>([
    ['inner', 'k', 400, 60, false],
    ['left', 'k', 60, 400, false],
    ['right', 's,k', 300, 200, false],
    ['full', 's,k', 200, 300, false],
    ['inner', 'k=f', 300, 100, false],
    ['full', 'k=f', 100, 300, false],
    ['left', 's', 150, 40, false],
    ['full', 's', 40, 150, false],
    ['inner', 'k', 400, 25, true],
    ['left', 'k', 20, 400, true],
    ['right', 's,k', 300, 20, true],
    ['full', 'k=f', 300, 40, true],
    ['inner', 's', 300, 4, true],
    ['left', 's', 300, 4, true],
    ['inner', 'o', 300, 80, true],
    ['left', 'o', 300, 80, true],
    ['right', 'o', 300, 150, true],
    ['full', 'o', 300, 150, true],
    ['full', 'k', 300, 150, true],
  ])('%s join on %s (%i × %i rows, unique right keys: %s)', async (how, keys, nl, nr, unique) => {
    const leftRows = rows(nl, nl + nr, false);
    const rightRows = rows(nr, nl * nr, true, unique);
    const pairsOf = keys.split(',').map((k) => (k.includes('=') ? { left: k.split('=')[0]!, right: k.split('=')[1]! } : { left: k, right: k }));
    const out = join({ on: pairsOf, how }, batchedTable(LEFT, leftRows, 64), batchedTable(RIGHT, rightRows, 50));
    const coalesced = how === 'right' || how === 'full';
    const leftCols = Object.keys(LEFT).map((c) => {
      const key = pairsOf.find((p) => p.left === c);
      return key && coalesced ? `coalesce(l."${c}", r."${key.right}") AS "${c}"` : `l."${c}"`;
    });
    const rightKeys = new Set(pairsOf.map((p) => p.right));
    const rightCols = Object.keys(RIGHT)
      .filter((c) => !rightKeys.has(c))
      .map((c) => (c in LEFT ? `r."${c}" AS "${c}_right"` : `r."${c}"`));
    const on = pairsOf.map((p) => `l."${p.left}" = r."${p.right}"`).join(' AND ');
    const sql = `SELECT ${[...leftCols, ...rightCols].join(', ')} FROM l ${how.toUpperCase()} JOIN r ON ${on}`;
    const theirs = await duckQuery({ l: { spec: LEFT, rows: leftRows }, r: { spec: RIGHT, rows: rightRows } }, sql);
    expect(theirs.length).toBeGreaterThan(0);
    expectSameRows(tableRows(out), theirs, ['id', 'rid']);
  });
});
