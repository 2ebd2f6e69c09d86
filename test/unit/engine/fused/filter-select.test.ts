/**
 * One numeric comparison goes straight to a selection vector (src/engine/filter-select.ts);
 * the general evaluator (the same leaf inside an "and") is the reference: random multi-batch
 * columns with nulls, NaN, int64 and timestamps, and sliced batches (bitmaps at an offset).
 */
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { compileFilter, type Filter } from '../../../../src/engine/filter.js';
import { randomRows, RANDOM_SPEC } from '../ops/duck-reference.js';
import { batchedTable } from '../ops/step-tables.js';

const LEAVES: [column: string, literals: (number | string)[]][] = [
  ['v', [0, -50.5, 1e9]],
  ['f', [2, 0, 7]],
  ['k', [0, 3, -3]],
  ['i', [0, -200, 499]],
  ['t', ['2023-11-15T22:13:20Z', '2023-11-17T00:00:00Z']],
];
const OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'] as const;

function expectSameSelection(table: arrow.Table, leaf: Filter): void {
  const direct = compileFilter(leaf, table.schema)(table);
  const general = compileFilter({ and: [leaf] }, table.schema)(table);
  expect(Array.from(direct)).toEqual(Array.from(general));
}

describe('numeric comparisons straight to a selection', () => {
  it.each([
    [0, 10],
    [1, 1],
    [333, 7],
    [2000, 512],
  ])('match the general evaluator (%i rows in batches of %i)', (rows, batchRows) => {
    const data = randomRows(rows, rows + 7).map((r, n) => ({ ...r, f: n % 13 === 0 ? NaN : r.f }));
    const table = batchedTable(RANDOM_SPEC, data, batchRows);
    for (const [column, literals] of LEAVES) {
      for (const value of literals) for (const op of OPS) expectSameSelection(table, { column, op, value } as Filter);
      expectSameSelection(table, { column, op: 'between', value: [literals[0]!, literals[literals.length - 1]!] } as Filter);
    }
  });

  it('reads sliced batches (values and validity at an offset)', () => {
    const table = batchedTable(RANDOM_SPEC, randomRows(900, 3), 300);
    const sliced = new arrow.Table(table.batches.map((b, i) => b.slice(i * 3 + 1, 250)));
    for (const op of OPS) expectSameSelection(sliced, { column: 'v', op, value: 10 } as Filter);
  });
});
