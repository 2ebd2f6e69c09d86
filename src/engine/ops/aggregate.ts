/**
 * The `aggregate` step (DESIGN §10): SQL GROUP BY over raw buffers. The input is read one batch
 * at a time: its rows' group ids are computed (src/engine/keys.ts) and every metric takes the
 * batch while those ids are hot in cache, into typed-array state per group (or, for one text
 * key and count/sum/avg, per dictionary code: aggregate-codes.ts). Groups come out in
 * order of first appearance in the input; nulls in key columns form a group, nulls in metric
 * columns are ignored, and a group whose metric column is all null gets null (count and
 * count_distinct give 0). With no `by` the output is one row, also for an empty input. Output
 * types are documented in aggregate-plan.ts.
 */
import * as arrow from 'apache-arrow';
import { throwIfAborted } from '../../results/abort.js';
import { gatherColumn } from '../gather.js';
import { columnChunks, groupStream, type Selected } from '../keys.js';
import type { Processor, RunContext } from '../processor.js';
import { takeData } from '../take.js';
import { codeRoad } from './aggregate-codes.js';
import { fit, type Accumulator } from './aggregate-metrics.js';
import { aggregateSchema, planAggregate, type AggregateStep } from './aggregate-plan.js';
import { prepareMetrics } from './aggregate-prepare.js';

export { AGGREGATE_FNS, aggregateSchema, type AggregateMetric, type AggregateStep } from './aggregate-plan.js';

export const aggregateProcessor: Processor<AggregateStep> = {
  op: 'aggregate',
  description:
    'aggregate: group rows by "by" columns (omit for one row) and compute "metrics" [{fn: count|count_distinct|sum|avg|min|max|stddev|median, column?, as?}]; nulls form one group and are ignored by metrics; groups in first-appearance order.',
  schema: aggregateSchema,
  plan: (step, input) => planAggregate(step, input).schema,
  run: (step, input, ctx) => aggregateRows(step, input, ctx),
};

/**
 * Whether `aggregateRows` can take a selection for this step: at most one key column and only
 * count, sum and avg (the metrics that never look back at rows by number).
 */
export function takesSelection(step: AggregateStep): boolean {
  return (step.by ?? []).length <= 1 && step.metrics.every((m) => m.fn === 'count' || m.fn === 'sum' || m.fn === 'avg');
}

/**
 * The aggregate of `input`, or with `selection` (table-wide rows, increasing: a fused filter's;
 * only where takesSelection) of just those rows, read in place: the answer is the aggregate of
 * takeRows(input, selection).
 */
export function aggregateRows(step: AggregateStep, input: arrow.Table, ctx: RunContext, selection?: Uint32Array): arrow.Table {
  const plan = planAggregate(step, input.schema);
  const groups = groupStream(input, plan.by.map((b) => b.name));
  const metrics = prepareMetrics(plan.metrics, (column) => columnChunks(input, column));
  // Accumulators shared by several metrics (count, sum and avg of one column) run once.
  const accumulators = [...new Map(metrics.map((m) => [m.accumulator, m.column] as const))];
  const columnAt = new Map(input.schema.fields.map((f, i) => [f.name, i] as const));
  let first = new Int32Array(16);
  let seen = 0;
  // Ids are numbered by first appearance, so a new group's id is always the next one.
  const recordFirst = (ids: Int32Array, base: number): void => {
    first = fit(first, groups.count);
    for (let i = 0; i < ids.length && seen < groups.count; i++) if (ids[i] === seen) first[seen++] = base + i;
  };
  const road = codeRoad(groups, accumulators.map(([a]) => a));
  const columnOf = new Map(accumulators);
  let base = 0;
  let start = 0;
  let picked = 0;
  input.batches.forEach((batch, b) => {
    throwIfAborted(ctx.signal);
    const chunkOf = (accumulator: Accumulator): arrow.Data | undefined => {
      const column = columnOf.get(accumulator);
      return column === undefined ? undefined : batch.data.children[columnAt.get(column)!];
    };
    const end = start + batch.numRows;
    let selected: Selected | undefined;
    if (selection) {
      const to = firstAtOrAbove(selection, picked, end);
      selected = { rows: selection.subarray(picked, to), start };
      picked = to;
    }
    start = end;
    const rows = selected ? selected.rows.length : batch.numRows;
    if (rows === 0) return;
    if (!road?.add(b, base, chunkOf, recordFirst, selected)) {
      const ids = selected ? groups.idsOfSelected!(b, selected) : groups.idsOf(b);
      recordFirst(ids, base);
      for (const [accumulator] of accumulators) {
        const data = chunkOf(accumulator);
        accumulator.add(data && selected ? takeData(data, selected.rows, selected.start) : data, ids, base, groups.count);
      }
    }
    base += rows;
  });
  const count = groups.count;
  const firstRows = fit(first, count).slice(0, count);
  if (plan.by.length === 0) firstRows.fill(-1);
  // Group first rows number the selected rows: the key values are read where those rows lie.
  else if (selection) for (let g = 0; g < count; g++) firstRows[g] = selection[firstRows[g]!]!;
  const columns = [...plan.by.map((b) => gatherColumn(columnChunks(input, b.name), b.type, firstRows)), ...metrics.map((m) => m.finish(count))];
  const struct = arrow.makeData({ type: new arrow.Struct(plan.schema.fields), length: count, nullCount: 0, children: columns });
  return new arrow.Table([new arrow.RecordBatch(plan.schema, struct)]);
}

/** The first position from `from` whose row is `row` or later (rows increase). */
function firstAtOrAbove(rows: Uint32Array, from: number, row: number): number {
  let lo = from;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]! < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
