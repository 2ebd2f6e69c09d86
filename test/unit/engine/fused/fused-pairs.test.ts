/**
 * The fused step pairs (src/engine/fusion.ts) against the reference: the same two steps run
 * apart, the first step's table built and handed to the second. Random multi-batch tables with
 * nulls everywhere and per-batch dictionaries; every shape the fused roads take and every shape
 * that falls back to running apart.
 */
import type * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { fusedPair } from '../../../../src/engine/fusion.js';
import { processorRegistry } from '../../../../src/engine/registry.js';
import { randomRows, RANDOM_SPEC } from '../ops/duck-reference.js';
import { batchedTable, runContext, seeded, type ColumnSpec, type Row } from '../ops/step-tables.js';
import { expectSameTable } from './same-table.js';

const REGISTRY = processorRegistry();

function step(raw: { op: string } & Record<string, unknown>) {
  const processor = REGISTRY.get(raw.op)!;
  return { processor, args: processor.schema.parse(raw) as { op: string } };
}

/** The pair fused and apart over `input`: both outputs and both row counts of the first step. */
async function bothWays(first: { op: string } & Record<string, unknown>, second: { op: string } & Record<string, unknown>, input: arrow.Table, tables: Record<string, arrow.Table> = {}) {
  const a = step(first);
  const b = step(second);
  const ctx = runContext(tables, 10_000_000);
  const fused = fusedPair(a, b);
  expect(fused, 'the pair is fusable').toBeDefined();
  const run = fused!(input, ctx);
  const fusedOut = await run.finish();
  const middle = await a.processor.run(a.args, input, ctx);
  const apartOut = await b.processor.run(b.args, middle, ctx);
  expect(run.rows).toBe(middle.numRows);
  expectSameTable(fusedOut, apartOut);
  return { fused: fusedOut, apart: apartOut, rows: run.rows };
}

const SIZES: [rows: number, batchRows: number][] = [
  [0, 10],
  [1, 1],
  [37, 5],
  [700, 64],
  [3000, 1000],
];

const FILTERS = [
  { column: 'v', op: 'gt', value: 0 },
  { column: 's', op: 'in', value: ['alpha', 'beta', 'Ωmega'] },
  { or: [{ column: 'k', op: 'is_null' }, { and: [{ column: 'f', op: 'gte', value: 2 }, { column: 'b', op: 'eq', value: true }] }] },
  { column: 'v', op: 'gt', value: 1e9 },
  { not: { column: 'i', op: 'eq', value: 123_456_789 } },
];

const AGGREGATES = [
  { by: ['s'], metrics: [{ fn: 'sum', column: 'v' }, { fn: 'count' }, { fn: 'avg', column: 'v' }, { fn: 'count', column: 'i' }, { fn: 'sum', column: 'i' }] },
  { by: ['k'], metrics: [{ fn: 'count' }, { fn: 'avg', column: 'f' }] },
  { metrics: [{ fn: 'count' }, { fn: 'sum', column: 'v' }, { fn: 'avg', column: 'i' }] },
  // Fall back to copying the kept rows: several keys, metrics that look rows up.
  { by: ['s', 'b'], metrics: [{ fn: 'sum', column: 'v' }] },
  { by: ['t'], metrics: [{ fn: 'min', column: 's' }, { fn: 'max', column: 'v' }, { fn: 'median', column: 'f' }, { fn: 'count_distinct', column: 'k' }, { fn: 'stddev', column: 'v' }] },
];

describe('fused filter → aggregate', () => {
  it.each(SIZES)('matches filter then aggregate (%i rows, batches of %i)', async (rows, batchRows) => {
    const input = batchedTable(RANDOM_SPEC, randomRows(rows, rows + 1), batchRows);
    for (const where of FILTERS) {
      for (const aggregate of AGGREGATES) await bothWays({ op: 'filter', where }, { op: 'aggregate', ...aggregate }, input);
    }
  });

  it.each([
    [2000, 700],
    [5000, 5000],
  ])('reads the kept rows in place by dictionary code (text key without nulls, %i rows in batches of %i)', async (rows, batchRows) => {
    const random = seeded(rows);
    const data = Array.from({ length: rows }, (_, i) => ({
      g: `g${Math.floor(random() * 40)}`,
      x: random() < 0.1 ? null : Math.round(random() * 1000) / 4,
      y: i % 97,
      n: random() < 0.2 ? null : Math.floor(random() * 50),
    }));
    const input = batchedTable({ g: 'string', x: 'float64', y: 'float64', n: 'int32' }, data, batchRows);
    const aggregate = { op: 'aggregate', by: ['g'], metrics: [{ fn: 'sum', column: 'x' }, { fn: 'count' }, { fn: 'avg', column: 'y' }, { fn: 'sum', column: 'n' }, { fn: 'count', column: 'x' }] };
    for (const where of [{ column: 'y', op: 'lt', value: 40 }, { column: 'x', op: 'gte', value: 100 }, { column: 'n', op: 'is_null' }]) {
      await bothWays({ op: 'filter', where }, aggregate, input);
      await bothWays({ op: 'filter', where }, { op: 'aggregate', by: ['g'], metrics: [{ fn: 'count' }] }, input);
    }
  });

  it('keeps first-appearance order of the kept rows, not of all rows', async () => {
    const input = batchedTable({ g: 'string', x: 'float64' }, [{ g: 'a', x: -1 }, { g: 'b', x: 1 }, { g: 'a', x: 2 }, { g: null, x: 3 }, { g: 'c', x: -2 }], 2);
    const { fused, rows } = await bothWays({ op: 'filter', where: { column: 'x', op: 'gt', value: 0 } }, { op: 'aggregate', by: ['g'], metrics: [{ fn: 'count' }, { fn: 'sum', column: 'x' }] }, input);
    expect(rows).toBe(3);
    expect(fused.getChild('g')!.toArray()).toEqual(['b', 'a', null]);
  });
});

/** Left rows with a key column of `kind` and values; right rows keyed 0..keys-1 (unique unless `repeat`). */
function starTables(seed: number, rows: number, batchRows: number, keys: number, kind: 'int32' | 'string', repeat: boolean) {
  const random = seeded(seed);
  const key = (n: number): unknown => (kind === 'int32' ? n : `key-${n}`);
  const left: Row[] = Array.from({ length: rows }, () => ({
    id: random() < 0.1 ? null : key(Math.floor(random() * (keys + 4)) - 2),
    x: random() < 0.15 ? null : Math.round(random() * 2000 - 1000) / 8,
    q: random() < 0.15 ? null : Math.floor(random() * 100),
    label: random() < 0.1 ? null : ['p', 'q', 'r'][Math.floor(random() * 3)],
  }));
  const right: Row[] = [];
  for (let k = 0; k < keys; k++) {
    const copies = repeat && k % 3 === 0 ? 2 : 1;
    for (let c = 0; c < copies; c++) right.push({ id: key(k), seg: random() < 0.15 ? null : ['north', 'south', 'east'][k % 3], tier: random() < 0.1 ? null : k % 4, x: k / 2 });
  }
  if (keys > 2) right.push({ id: null, seg: 'nowhere', tier: 9, x: 0 });
  const leftSpec: Record<string, ColumnSpec> = { id: kind, x: 'float64', q: 'int32', label: 'string' };
  const rightSpec: Record<string, ColumnSpec> = { id: kind, seg: 'string', tier: 'int32', x: 'float64' };
  return { left: batchedTable(leftSpec, left, batchRows), right: batchedTable(rightSpec, right, Math.max(1, Math.ceil(right.length / 3))) };
}

const JOIN_AGGREGATES = [
  { by: ['seg'], metrics: [{ fn: 'sum', column: 'x' }, { fn: 'count' }, { fn: 'avg', column: 'q' }, { fn: 'count', column: 'x' }, { fn: 'sum', column: 'q' }] },
  { by: ['seg', 'tier'], metrics: [{ fn: 'count' }] },
  { by: ['tier'], metrics: [{ fn: 'avg', column: 'x', as: 'mean' }] },
  { metrics: [{ fn: 'sum', column: 'x' }, { fn: 'count' }] },
  // Fall back to running apart: a left or key column in "by", a right column summed, other metrics.
  { by: ['label'], metrics: [{ fn: 'sum', column: 'x' }] },
  { by: ['id'], metrics: [{ fn: 'count' }] },
  { by: ['seg'], metrics: [{ fn: 'sum', column: 'x_right' }] },
  { by: ['seg'], metrics: [{ fn: 'max', column: 'q' }, { fn: 'count_distinct', column: 'label' }] },
];

describe('fused join → aggregate', () => {
  const shapes: [kind: 'int32' | 'string', repeat: boolean, rows: number, batchRows: number, keys: number][] = [
    ['int32', false, 0, 10, 5],
    ['int32', false, 1, 1, 5],
    ['int32', false, 900, 128, 40],
    ['int32', false, 2500, 1000, 3000],
    ['string', false, 700, 100, 30],
    ['int32', true, 600, 50, 20],
    ['string', true, 300, 64, 12],
  ];
  it.each(shapes)('matches join then aggregate (%s keys, repeated %s, %i rows in batches of %i, %i keys)', async (kind, repeat, rows, batchRows, keys) => {
    const { left, right } = starTables(rows + keys, rows, batchRows, keys, kind, repeat);
    for (const how of ['inner', 'left', 'right', 'full']) {
      for (const aggregate of JOIN_AGGREGATES) {
        await bothWays({ op: 'join', right: 'dim', on: ['id'], how }, { op: 'aggregate', ...aggregate }, left, { dim: right });
      }
    }
  });

  it('joins keys far from zero and negative ones (the direct road with an offset)', async () => {
    const { left, right } = starTables(7, 500, 64, 50, 'int32', false);
    const shift = (table: arrow.Table, by: number) => batchedTable({ id: 'int32', x: 'float64' }, Array.from(table.getChild('id')!, (id, i) => ({ id: id === null ? null : (id as number) + by, x: table.getChild('x')!.get(i) as number | null })), 70);
    const dim = batchedTable({ id: 'int32', seg: 'string' }, Array.from(right.getChild('id')!, (id, i) => ({ id: id === null ? null : (id as number) + 1_000_000, seg: right.getChild('seg')!.get(i) as string | null })), 20);
    for (const how of ['inner', 'left']) {
      await bothWays({ op: 'join', right: 'dim', on: ['id'], how }, { op: 'aggregate', by: ['seg'], metrics: [{ fn: 'sum', column: 'x' }, { fn: 'count' }] }, shift(left, 1_000_000), { dim });
    }
  });

  it('counts the joined rows and orders groups by the first joined row', async () => {
    const left = batchedTable({ id: 'int32', x: 'float64' }, [{ id: 9, x: 1 }, { id: 2, x: 2 }, { id: 1, x: 4 }, { id: 2, x: null }, { id: null, x: 8 }], 2);
    const dim = batchedTable({ id: 'int32', seg: 'string' }, [{ id: 1, seg: 'one' }, { id: 2, seg: 'two' }, { id: 3, seg: 'one' }], 3);
    const inner = await bothWays({ op: 'join', right: 'dim', on: ['id'] }, { op: 'aggregate', by: ['seg'], metrics: [{ fn: 'sum', column: 'x' }, { fn: 'count' }] }, left, { dim });
    expect(inner.rows).toBe(3);
    expect(inner.fused.getChild('seg')!.toArray()).toEqual(['two', 'one']);
    const outer = await bothWays({ op: 'join', right: 'dim', on: ['id'], how: 'left' }, { op: 'aggregate', by: ['seg'], metrics: [{ fn: 'sum', column: 'x' }, { fn: 'count' }] }, left, { dim });
    expect(outer.rows).toBe(5);
    expect(outer.fused.getChild('seg')!.toArray()).toEqual([null, 'two', 'one']);
  });
});
