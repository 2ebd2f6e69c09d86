/**
 * The accumulator and the output column of each aggregate metric (aggregate.ts), shared with
 * the fused join → aggregate road (join-aggregate.ts), which fills the same accumulators from
 * per-key partials and so builds exactly the same output types.
 */
import * as arrow from 'apache-arrow';
import { keyKind } from '../keys.js';
import { DistinctCount, fit, float64Column, int64Column, RowCount, Stddev, SumCount, ValidCount, type Accumulator } from './aggregate-metrics.js';
import { extremeColumn, Median, NumberExtreme, TextExtreme } from './aggregate-order.js';
import type { ResolvedMetric } from './aggregate-plan.js';

export interface PreparedMetric {
  accumulator: Accumulator;
  column: string | undefined;
  finish(groups: number): arrow.Data;
}

/** Every metric's accumulator and output; `chunksOf` gives an input column's chunks (read only by the metrics that need the whole column). */
export function prepareMetrics(metrics: readonly ResolvedMetric[], chunksOf: (column: string) => readonly arrow.Data[]): PreparedMetric[] {
  const sums = new Map<string, SumCount>();
  return metrics.map((m) => prepare(m, chunksOf, sums));
}

/** The accumulator and output of one metric; `sums` holds this run's SumCount per column, shared by count, sum and avg. */
function prepare(metric: ResolvedMetric, chunksOf: (column: string) => readonly arrow.Data[], sums: Map<string, SumCount>): PreparedMetric {
  const column = metric.column;
  if (column === undefined) {
    const rows = new RowCount();
    return { accumulator: rows, column, finish: (g) => int64Column(fit(rows.counts, g), g) };
  }
  const inputType = metric.inputType!;
  const chunks = () => chunksOf(column);
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
