/**
 * `join → aggregate` fused (src/engine/fusion.ts) for the common star-schema question: a lookup
 * join (no key repeats on the right), inner or left, then a group by right-side columns of
 * count, sum and avg over left columns. Every joined row of one join key falls in the same
 * group, so the left values are summed per key (key-partials.ts) straight from the left
 * batches, and the keys are then folded into groups: the joined rows are never built. Groups
 * keep the order the joined rows would give them (keys are taken by their first joined row).
 * Any other join or aggregate runs the two steps apart, with the join's matching done once.
 */
import * as arrow from 'apache-arrow';
import { throwIfAborted } from '../../results/abort.js';
import { DataMcpError } from '../../results/errors.js';
import type { FusedPair } from '../fusion.js';
import { gatherColumn } from '../gather.js';
import { columnChunks, groupIds } from '../keys.js';
import { fit, RowCount, SumCount } from '../ops/aggregate-metrics.js';
import { planAggregate, type AggregatePlan } from '../ops/aggregate-plan.js';
import { prepareMetrics } from '../ops/aggregate-prepare.js';
import { aggregateProcessor, type AggregateStep } from '../ops/aggregate.js';
import type { JoinPlan } from '../ops/join-plan.js';
import { materializeJoin, prepareJoin, type JoinStep } from '../ops/join.js';
import { KeyPartials } from './key-partials.js';

interface KeyedShape {
  /** Index among the join plan's right columns of each `by` column. */
  by: number[];
  /** Left column index of each summed column (count, sum and avg of one column share it). */
  summed: number[];
}

export function joinThenAggregate(join: JoinStep, aggregate: AggregateStep): FusedPair {
  return (input, ctx) => {
    const { plan, right, source } = prepareJoin(join, input, ctx);
    const aggregatePlan = planAggregate(aggregate, plan.schema);
    const rightOfKey = source.rightOfKey;
    const shape = rightOfKey && source.keysOf && keyedShape(plan, aggregatePlan, input.schema);
    if (!rightOfKey || !source.keysOf || !shape) {
      const table = materializeJoin(plan, input, right, source, ctx);
      return { rows: table.numRows, table, finish: () => aggregateProcessor.run(aggregate, table, ctx) };
    }
    const partials = new KeyPartials(rightOfKey.length, shape.summed.length);
    let start = 0;
    input.batches.forEach((batch, b) => {
      throwIfAborted(ctx.signal);
      const end = start + batch.numRows;
      partials.add(source.keysOf!(b, start, end), shape.summed.map((c) => batch.data.children[c]!), start);
      start = end;
    });
    const slots = partials.usedSlots();
    // Which slots' rows are joined rows: a key with its right row, or (left join) any other.
    const rightRows = slots.map((s) => (s < rightOfKey.length ? rightOfKey[s]! : -1));
    const kept = plan.how === 'left' ? slots : slots.filter((_, i) => rightRows[i]! >= 0);
    const keptRows = plan.how === 'left' ? rightRows : rightRows.filter((r) => r >= 0);
    let rows = 0;
    for (const s of kept) rows += partials.rowsOf(s);
    return { rows, finish: () => foldKeys(partials, kept, keptRows, shape, plan, right, aggregatePlan, input.schema) };
  };
}

/** The fused road's shape, when the join and the aggregate fit it. */
function keyedShape(join: JoinPlan, aggregate: AggregatePlan, left: arrow.Schema): KeyedShape | undefined {
  if (join.how !== 'inner' && join.how !== 'left') return undefined;
  const by = aggregate.by.map((b) => join.rightColumns.findIndex((c) => c.field.name === b.name));
  if (by.some((c) => c < 0)) return undefined;
  const summed: number[] = [];
  for (const metric of aggregate.metrics) {
    if (metric.fn !== 'count' && metric.fn !== 'sum' && metric.fn !== 'avg') return undefined;
    if (metric.column === undefined) continue;
    const c = left.fields.findIndex((f) => f.name === metric.column);
    const type = left.fields[c]?.type;
    if (!type || !(arrow.DataType.isInt(type) || arrow.DataType.isFloat(type))) return undefined;
    if (!summed.includes(c)) summed.push(c);
  }
  return { by, summed };
}

/** Groups of the used keys (by their right rows' `by` values), then every metric folded per group. */
function foldKeys(partials: KeyPartials, slots: Int32Array, rightRows: Int32Array, shape: KeyedShape, join: JoinPlan, right: arrow.Table, aggregate: AggregatePlan, left: arrow.Schema): arrow.Table {
  // One row per slot, in first-joined-row order; a slot with no right row has null `by` values.
  const keyColumns = shape.by.map((c) => gatherColumn(columnChunks(right, join.rightColumns[c]!.source), join.rightColumns[c]!.field.type, rightRows));
  const fields = aggregate.by.map((b, i) => new arrow.Field(b.name, keyColumns[i]!.type, true));
  const keyTable = new arrow.Table([new arrow.RecordBatch(new arrow.Schema(fields), arrow.makeData({ type: new arrow.Struct(fields), length: slots.length, nullCount: 0, children: keyColumns }))]);
  const groups = aggregate.by.length === 0 ? { ids: new Int32Array(slots.length), count: 1 } : groupIds(keyTable, aggregate.by.map((b) => b.name));
  const count = groups.count;
  const metrics = prepareMetrics(aggregate.metrics, () => {
    throw new DataMcpError('INTERNAL', 'a fused aggregate read a whole column', 'Retry; if it persists, report it.');
  });
  const summedAt = new Map(shape.summed.map((c, k) => [left.fields[c]!.name, k] as const));
  for (const [m, metric] of metrics.entries()) {
    const { accumulator } = metric;
    if (accumulator instanceof RowCount) {
      const counts = (accumulator.counts = fit(accumulator.counts, count));
      slots.forEach((s, i) => (counts[groups.ids[i]!]! += partials.rowsOf(s)));
    } else if (accumulator instanceof SumCount && metrics.findIndex((x) => x.accumulator === accumulator) === m) {
      const k = summedAt.get(aggregate.metrics[m]!.column!)!;
      const sum = (accumulator.sum = fit(accumulator.sum, count));
      const valid = (accumulator.count = fit(accumulator.count, count));
      slots.forEach((s, i) => {
        sum[groups.ids[i]!]! += partials.sumOf(k, s);
        valid[groups.ids[i]!]! += partials.countOf(k, s);
      });
    }
  }
  const firstRows = new Int32Array(count).fill(-1);
  if (aggregate.by.length > 0) for (let i = slots.length - 1; i >= 0; i--) firstRows[groups.ids[i]!] = i;
  const columns = [...aggregate.by.map((b, i) => gatherColumn([keyColumns[i]!], b.type, firstRows)), ...metrics.map((m) => m.finish(count))];
  const struct = arrow.makeData({ type: new arrow.Struct(aggregate.schema.fields), length: count, nullCount: 0, children: columns });
  return new arrow.Table([new arrow.RecordBatch(aggregate.schema, struct)]);
}
