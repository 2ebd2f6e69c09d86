/**
 * `{op:'sort', by:[{column, order?, nulls?}], limit?}`: a stable multi-key sort over raw
 * buffers (ties keep input order). Defaults match DuckDB: ascending, NULLS LAST in both
 * directions, NaN above every number; strings in code-point (UTF-8 byte) order. With `limit`
 * only the best `limit` rows are kept, found with a bounded heap in O(n log k) rather than by
 * sorting everything.
 *
 * The output is ONE batch gathered from all input batches (`gatherColumn`): `takeRows` would
 * start a new batch at every switch of source batch, nearly one per row for a sorted table.
 * Gathering merges per-batch dictionaries, so column types follow `gatheredType` (unchanged
 * for the usual Dictionary<Utf8, Int32>; narrower dictionary indices widen to Int32, large
 * text becomes Utf8) and plan says so.
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { typeName } from '../../formats/columns.js';
import { invalidArgument } from '../../results/errors.js';
import { gatherColumn, gatheredType } from '../gather.js';
import { keyKind } from '../key-columns.js';
import type { Processor, RunContext } from '../processor.js';
import { MAX_STEP_ROWS, checkRowCount } from './limit.js';
import { buildSortKeys, type SortSpec } from './sort-keys.js';
import { topKOrder } from './sort-order.js';
import { radixSortOrder } from './sort-radix.js';

export const MAX_SORT_KEYS = 16;

export const sortStepSchema = z.strictObject({
  op: z.literal('sort'),
  by: z
    .array(
      z.strictObject({
        column: z.string().min(1).max(1024).describe('Column name (case-sensitive).'),
        order: z.enum(['asc', 'desc']).optional().describe('Default asc.'),
        nulls: z.enum(['first', 'last']).optional().describe('Default last (as DuckDB), whatever the order.'),
      }),
    )
    .min(1)
    .max(MAX_SORT_KEYS)
    .describe('Sort keys, most significant first.'),
  limit: z.number().int().min(1).max(MAX_STEP_ROWS).optional().describe('Keep only the first `limit` rows of the order (top-k; much faster than sorting everything).'),
});
export type SortStep = z.infer<typeof sortStepSchema>;

/** Below this share of the input, top-k beats a full sort followed by a cut. */
const TOP_K_SHARE = 0.25;

export const sortProcessor: Processor<SortStep> = {
  op: 'sort',
  description:
    'sort: {op:"sort", by:[{column, order?:"asc"|"desc", nulls?:"first"|"last"}], limit?} orders rows (stable; default asc, nulls last, strings by code point); with limit keeps only the top rows.',
  schema: sortStepSchema,
  plan(step, input) {
    if (step.by.length === 0 || step.by.length > MAX_SORT_KEYS) {
      throw invalidArgument(`"by" must list 1 to ${MAX_SORT_KEYS} sort keys, got ${step.by.length}.`, 'Example: "by": [{"column": "amount", "order": "desc"}].', { keys: step.by.length });
    }
    if (step.limit !== undefined) checkRowCount('limit', step.limit, 1);
    for (const key of step.by) checkKey(key.column, input);
    return sortedSchema(input);
  },
  run(step, input, ctx) {
    return sortTable(input, step.by.map(toSpec), step.limit, ctx);
  },
};

function toSpec(key: SortStep['by'][number]): SortSpec {
  return { column: key.column, desc: key.order === 'desc', nullsFirst: key.nulls === 'first' };
}

function checkKey(column: string, schema: arrow.Schema): void {
  const field = schema.fields.find((f) => f.name === column);
  if (!field) {
    const available = schema.fields.slice(0, 50).map((f) => JSON.stringify(f.name)).join(', ');
    throw invalidArgument(`Sort by unknown column "${column}".`, `Available columns: ${available}. Column names are case-sensitive.`, { column });
  }
  if (keyKind(field.type) === undefined) {
    throw invalidArgument(`Column "${column}" (${typeName(field.type)}) cannot be sorted.`, 'Sort by number, string, bool, timestamp or date columns; cast the column first.', { column, type: typeName(field.type) });
  }
}

function sortTable(input: arrow.Table, specs: readonly SortSpec[], limit: number | undefined, ctx: Pick<RunContext, 'signal'>): arrow.Table {
  const n = input.numRows;
  const k = Math.min(limit ?? n, n);
  let order: Uint32Array = new Uint32Array(0);
  if (k > 0) {
    const keys = buildSortKeys(input, specs);
    ctx.signal.throwIfAborted();
    order = k < n * TOP_K_SHARE ? topKOrder(keys, input.batches.map((b) => b.numRows), k, ctx.signal) : radixSortOrder(keys, n, ctx.signal).subarray(0, k);
  }
  return gatherTable(input, order);
}

/** The input schema with each type as `gatherColumn` produces it. */
function sortedSchema(schema: arrow.Schema): arrow.Schema {
  const fields = schema.fields.map((f) => {
    const type = gatheredType(f.type);
    return type === f.type ? f : new arrow.Field(f.name, type, f.nullable, f.metadata);
  });
  return fields.every((f, i) => f === schema.fields[i]) ? schema : new arrow.Schema(fields, schema.metadata);
}

function gatherTable(input: arrow.Table, order: Uint32Array): arrow.Table {
  const schema = sortedSchema(input.schema);
  // Row numbers stay below 2^31 (Arrow lengths are int32), so the same bits read as Int32.
  const rows = new Int32Array(order.buffer, order.byteOffset, order.length);
  const children = schema.fields.map((field, c) => gatherColumn(input.batches.map((b) => b.data.children[c]!), field.type, rows));
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
}
