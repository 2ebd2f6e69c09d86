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
import { columnChunks, groupStream, keyKind } from '../keys.js';
import type { Processor } from '../processor.js';
import { codeRoad } from './aggregate-codes.js';
import { DistinctCount, fit, float64Column, int64Column, RowCount, Stddev, SumCount, ValidCount, type Accumulator } from './aggregate-metrics.js';
import { extremeColumn, Median, NumberExtreme, TextExtreme } from './aggregate-order.js';
import { aggregateSchema, planAggregate, type AggregateStep, type ResolvedMetric } from './aggregate-plan.js';

export { AGGREGATE_FNS, aggregateSchema, type AggregateMetric, type AggregateStep } from './aggregate-plan.js';

export const aggregateProcessor: Processor<AggregateStep> = {
  op: 'aggregate',
  description:
    'aggregate: group rows by "by" columns (omit for one row) and compute "metrics" [{fn: count|count_distinct|sum|avg|min|max|stddev|median, column?, as?}]; nulls form one group and are ignored by metrics; groups in first-appearance order.',
  schema: aggregateSchema,
  plan: (step, input) => planAggregate(step, input).schema,
  run(step, input, ctx) {
    const plan = planAggregate(step, input.schema);
    const groups = groupStream(input, plan.by.map((b) => b.name));
    const sums = new Map<string, SumCount>();
    const metrics = plan.metrics.map((m) => prepare(m, input, sums));
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
    input.batches.forEach((batch, b) => {
      throwIfAborted(ctx.signal);
      const chunkOf = (accumulator: Accumulator): arrow.Data | undefined => {
        const column = columnOf.get(accumulator);
        return column === undefined ? undefined : batch.data.children[columnAt.get(column)!];
      };
      if (!road?.add(b, base, chunkOf, recordFirst)) {
        const ids = groups.idsOf(b);
        recordFirst(ids, base);
        for (const [accumulator] of accumulators) accumulator.add(chunkOf(accumulator), ids, base, groups.count);
      }
      base += batch.numRows;
    });
    const count = groups.count;
    const firstRows = fit(first, count).slice(0, count);
    if (plan.by.length === 0) firstRows.fill(-1);
    const columns = [...plan.by.map((b) => gatherColumn(columnChunks(input, b.name), b.type, firstRows)), ...metrics.map((m) => m.finish(count))];
    const struct = arrow.makeData({ type: new arrow.Struct(plan.schema.fields), length: count, nullCount: 0, children: columns });
    return new arrow.Table([new arrow.RecordBatch(plan.schema, struct)]);
  },
};

interface PreparedMetric {
  accumulator: Accumulator;
  column: string | undefined;
  finish(groups: number): arrow.Data;
}

/** The accumulator and output of one metric; `sums` holds this run's SumCount per column, shared by count, sum and avg. */
function prepare(metric: ResolvedMetric, input: arrow.Table, sums: Map<string, SumCount>): PreparedMetric {
  const column = metric.column;
  if (column === undefined) {
    const rows = new RowCount();
    return { accumulator: rows, column, finish: (g) => int64Column(fit(rows.counts, g), g) };
  }
  const inputType = metric.inputType!;
  const chunks = () => columnChunks(input, column);
  const sumCount = (): SumCount => {
    let accumulator = sums.get(column);
    if (!accumulator) sums.set(column, (accumulator = new SumCount()));
    return accumulator;
  };
  const isNumber = arrow.DataType.isInt(inputType) || arrow.DataType.isFloat(inputType);
  switch (metric.fn) {
    case 'count': {
      if (isNumber) {
        const s = sumCount();
        return { accumulator: s, column, finish: (g) => int64Column(fit(s.count, g), g) };
      }
      const valid = new ValidCount();
      return { accumulator: valid, column, finish: (g) => int64Column(fit(valid.counts, g), g) };
    }
    case 'count_distinct': {
      const distinct = new DistinctCount(keyKind(inputType)!, chunks());
      return { accumulator: distinct, column, finish: (g) => int64Column(fit(distinct.counts, g), g) };
    }
    case 'sum': {
      const s = sumCount();
      const has = (g: number): boolean => s.count[g]! > 0;
      return {
        accumulator: s,
        column,
        finish: (g) => (arrow.DataType.isInt(inputType) ? int64Column(fit(s.sum, g), g, has) : float64Column(fit(s.sum, g).slice(0, g), has)),
      };
    }
    case 'avg': {
      const s = sumCount();
      return { accumulator: s, column, finish: (g) => float64Column(Float64Array.from({ length: g }, (_, i) => s.sum[i]! / s.count[i]!), (i) => s.count[i]! > 0) };
    }
    case 'stddev': {
      const stddev = new Stddev();
      return { accumulator: stddev, column, finish: (g) => stddev.finish(g) };
    }
    case 'median': {
      const median = new Median();
      return { accumulator: median, column, finish: (g) => median.finish(g) };
    }
    case 'min':
    case 'max': {
      const max = metric.fn === 'max';
      const extreme = keyKind(inputType) === 'string' ? new TextExtreme(max) : new NumberExtreme(max);
      return { accumulator: extreme, column, finish: (g) => extremeColumn(extreme, chunks(), metric.type, g) };
    }
  }
}
