/**
 * `filter → aggregate` fused (src/engine/fusion.ts): the filter picks its rows as usual (a
 * selection vector), and nothing is copied: for count, sum and avg by at most one key the
 * aggregate reads the selected rows where they lie (aggregateRows with a selection). Any other
 * aggregate gets only the columns it reads, and only the kept rows, copied, then runs unchanged.
 */
import * as arrow from 'apache-arrow';
import { compileFilter } from '../filter.js';
import type { FusedPair } from '../fusion.js';
import { aggregateRows, takesSelection, type AggregateStep } from '../ops/aggregate.js';
import type { FilterStep } from '../ops/filter.js';
import { takeRows } from '../take.js';

export function filterThenAggregate(filter: FilterStep, aggregate: AggregateStep): FusedPair {
  return (input, ctx) => {
    const rows = compileFilter(filter.where, input.schema)(input);
    ctx.signal.throwIfAborted();
    return {
      rows: rows.length,
      finish() {
        if (rows.length === input.numRows) return aggregateRows(aggregate, input, ctx);
        if (takesSelection(aggregate)) return aggregateRows(aggregate, input, ctx, rows);
        return aggregateRows(aggregate, takeRows(project(input, aggregateColumns(aggregate)), rows), ctx);
      },
    };
  };
}

/** Every input column an aggregate step reads. */
export function aggregateColumns(step: AggregateStep): Set<string> {
  const columns = new Set(step.by ?? []);
  for (const metric of step.metrics) if (metric.column !== undefined) columns.add(metric.column);
  return columns;
}

/** `table` with only the named columns (in table order), sharing their buffers. */
export function project(table: arrow.Table, names: ReadonlySet<string>): arrow.Table {
  const keep = table.schema.fields.flatMap((field, i) => (names.has(field.name) ? [i] : []));
  if (keep.length === table.schema.fields.length) return table;
  const schema = new arrow.Schema(keep.map((i) => table.schema.fields[i]!), table.schema.metadata);
  const batches = table.batches.map((batch) => {
    const children = keep.map((i) => batch.data.children[i]!);
    return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: batch.numRows, nullCount: 0, children }));
  });
  return batches.length > 0 ? new arrow.Table(schema, batches) : new arrow.Table(schema);
}
