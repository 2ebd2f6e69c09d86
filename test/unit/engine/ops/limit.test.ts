import type * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { MAX_STEP_ROWS, limitProcessor, type LimitStep } from '../../../../src/engine/ops/limit.js';
import { batchedTable, errorOf, expectSameSchema, planContext, runContext, valuesOf } from './step-tables.js';

const ROWS = Array.from({ length: 10 }, (_, id) => ({ id, name: id % 3 === 0 ? null : `n${id % 4}`, ok: id % 2 === 0 }));
const SPEC = { id: 'int32', name: 'string', ok: 'bool' } as const;
const table = (batchRows = 3): arrow.Table => batchedTable(SPEC, ROWS, batchRows);

function limited(step: Omit<LimitStep, 'op'>, input = table()): arrow.Table {
  const parsed = limitProcessor.schema.parse({ op: 'limit', ...step });
  const planned = limitProcessor.plan(parsed, input.schema, planContext());
  const out = limitProcessor.run(parsed, input, runContext()) as arrow.Table;
  expectSameSchema(planned, out.schema);
  return out;
}

describe('limit step', () => {
  it('keeps the first rows, across batch boundaries, with every column', () => {
    const out = limited({ rows: 5 });
    expect(valuesOf(out, 'id')).toEqual([0, 1, 2, 3, 4]);
    expect(valuesOf(out, 'name')).toEqual([null, 'n1', 'n2', null, 'n0']);
    expect(valuesOf(out, 'ok')).toEqual([true, false, true, false, true]);
  });

  it('skips `offset` rows first, mid-batch (sliced bitmaps and bools stay right)', () => {
    const out = limited({ rows: 4, offset: 4 });
    expect(valuesOf(out, 'id')).toEqual([4, 5, 6, 7]);
    expect(valuesOf(out, 'name')).toEqual(['n0', 'n1', null, 'n3']);
    expect(valuesOf(out, 'ok')).toEqual([true, false, true, false]);
  });

  it('handles zero rows, counts past the end and empty inputs', () => {
    expect(limited({ rows: 0 }).numRows).toBe(0);
    expect(valuesOf(limited({ rows: 100, offset: 8 }), 'id')).toEqual([8, 9]);
    expect(limited({ rows: 5, offset: 10 }).numRows).toBe(0);
    expect(limited({ rows: 5, offset: MAX_STEP_ROWS }).numRows).toBe(0);
    expect(limited({ rows: 5 }, batchedTable(SPEC, [], 3)).numRows).toBe(0);
  });

  it('copies nothing: the output shares the input buffers', () => {
    const input = table(10);
    const out = limited({ rows: 3, offset: 2 }, input);
    expect(out.batches[0]!.data.children[0]!.values.buffer).toBe(input.batches[0]!.data.children[0]!.values.buffer);
  });
});

describe('limit plan errors', () => {
  const schema = table().schema;

  it.each([
    ['negative rows', { rows: -1 }, 'rows'],
    ['fractional rows', { rows: 2.5 }, 'rows'],
    ['rows above the bound', { rows: MAX_STEP_ROWS + 1 }, 'rows'],
    ['negative offset', { rows: 1, offset: -3 }, 'offset'],
  ])('%s: rejected by the schema and by plan, with a hint', (_name, fields, field) => {
    expect(limitProcessor.schema.safeParse({ op: 'limit', ...fields }).success).toBe(false);
    const err = errorOf(() => limitProcessor.plan({ op: 'limit', ...fields } as LimitStep, schema, planContext()));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain(`"${field}"`);
    expect(err.hint).toMatch(/whole number/);
  });

  it('rejects a missing count and unknown fields in the schema', () => {
    expect(limitProcessor.schema.safeParse({ op: 'limit' }).success).toBe(false);
    expect(limitProcessor.schema.safeParse({ op: 'limit', rows: 1, n: 2 }).success).toBe(false);
    expect(limitProcessor.schema.safeParse({ op: 'limit', rows: '10' }).success).toBe(false);
  });
});
