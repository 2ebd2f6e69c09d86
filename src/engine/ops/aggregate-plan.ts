/**
 * The aggregate step's shape and its plan: every column, function and output name is checked
 * against the input schema before any data is read, and each metric's output type is fixed
 * here (run builds exactly these types).
 *
 * Output types: count and count_distinct → int64; sum of an integer column → int64 (exact while
 * |sum| < 2^53), of a float column → float64; avg, stddev (sample, n − 1) and median → float64;
 * min and max keep the column's type (text comes out dictionary-encoded).
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { typeName } from '../../formats/columns.js';
import { invalidArgument } from '../../results/errors.js';
import { gatheredType } from '../gather.js';
import { keyKind } from '../keys.js';

export const AGGREGATE_FNS = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'stddev', 'median'] as const;
export type AggregateFn = (typeof AGGREGATE_FNS)[number];

export const MAX_GROUP_COLUMNS = 32;
export const MAX_METRICS = 64;

const columnName = z.string().min(1).max(1024);

export interface AggregateMetric {
  fn: AggregateFn;
  column?: string | undefined;
  as?: string | undefined;
}

export interface AggregateStep {
  op: 'aggregate';
  by?: string[] | undefined;
  metrics: AggregateMetric[];
}

export const aggregateSchema: z.ZodType<AggregateStep> = z.strictObject({
  op: z.literal('aggregate'),
  by: z.array(columnName).max(MAX_GROUP_COLUMNS).optional().describe('Group-by columns; omit for one row over the whole input.'),
  metrics: z
    .array(
      z.strictObject({
        fn: z.enum(AGGREGATE_FNS),
        column: columnName.optional().describe('Input column; count without one counts rows.'),
        as: z.string().min(1).max(256).optional().describe('Output name; default `<fn>_<column>` (`count` for a bare count).'),
      }),
    )
    .max(MAX_METRICS),
});

export interface ResolvedMetric {
  fn: AggregateFn;
  column: string | undefined;
  name: string;
  /** The input column's type (undefined for a bare count). */
  inputType: arrow.DataType | undefined;
  type: arrow.DataType;
}

export interface AggregatePlan {
  by: { name: string; inputType: arrow.DataType; type: arrow.DataType }[];
  metrics: ResolvedMetric[];
  schema: arrow.Schema;
}

const isNumeric = (t: arrow.DataType): boolean => arrow.DataType.isInt(t) || arrow.DataType.isFloat(t);

export function planAggregate(step: AggregateStep, input: arrow.Schema): AggregatePlan {
  const types = new Map(input.fields.map((f) => [f.name, f.type] as const));
  const typeOf = (column: string, role: string): arrow.DataType => {
    const type = types.get(column);
    if (type) return type;
    const available = [...types.keys()].slice(0, 50).map((c) => JSON.stringify(c)).join(', ');
    throw invalidArgument(`aggregate ${role} references unknown column "${column}".`, `Available columns: ${available}. Column names are case-sensitive.`, { column });
  };
  const by = (step.by ?? []).map((name) => {
    const inputType = typeOf(name, '"by"');
    if (!keyKind(inputType)) {
      throw invalidArgument(`Cannot group by column "${name}" of type ${typeName(inputType)}.`, 'Group by number, text, bool, timestamp or date columns.', { column: name });
    }
    return { name, inputType, type: gatheredType(inputType) };
  });
  if (by.length === 0 && step.metrics.length === 0) {
    throw invalidArgument('aggregate needs "by" columns or at least one metric.', 'Add metrics such as {"fn": "count"}, or group-by columns in "by".');
  }
  const metrics = step.metrics.map((m) => resolveMetric(m, m.column === undefined ? undefined : typeOf(m.column, `metric "${m.fn}"`)));
  const names = [...by.map((b) => b.name), ...metrics.map((m) => m.name)];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw invalidArgument(`aggregate would produce two columns named "${name}".`, 'Give metrics distinct names with "as", and list each "by" column once.', { column: name });
    }
    seen.add(name);
  }
  const fields = [...by.map((b) => new arrow.Field(b.name, b.type, true)), ...metrics.map((m) => new arrow.Field(m.name, m.type, true))];
  return { by, metrics, schema: new arrow.Schema(fields) };
}

function resolveMetric(metric: AggregateMetric, inputType: arrow.DataType | undefined): ResolvedMetric {
  const { fn, column } = metric;
  const name = metric.as ?? (column === undefined ? fn : `${fn}_${column}`);
  const resolved = (type: arrow.DataType): ResolvedMetric => ({ fn, column, name, inputType, type });
  if (fn === 'count' && column === undefined) return resolved(new arrow.Int64());
  if (column === undefined || inputType === undefined) {
    throw invalidArgument(`Metric "${fn}" needs a "column".`, 'Name the input column, e.g. {"fn": "sum", "column": "amount"}; only count works without one.');
  }
  const refuse = (wanted: string): never => {
    throw invalidArgument(`Metric "${fn}" cannot use column "${column}" of type ${typeName(inputType)}.`, `"${fn}" needs ${wanted}; cast the column first or pick another.`, { column, type: typeName(inputType) });
  };
  switch (fn) {
    case 'count':
      return resolved(new arrow.Int64());
    case 'count_distinct':
      return keyKind(inputType) ? resolved(new arrow.Int64()) : refuse('a number, text, bool, timestamp or date column');
    case 'sum':
      if (!isNumeric(inputType)) return refuse('a numeric column');
      return resolved(arrow.DataType.isInt(inputType) ? new arrow.Int64() : new arrow.Float64());
    case 'avg':
    case 'stddev':
    case 'median':
      return isNumeric(inputType) ? resolved(new arrow.Float64()) : refuse('a numeric column');
    case 'min':
    case 'max':
      return keyKind(inputType) ? resolved(gatheredType(inputType)) : refuse('a number, text, bool, timestamp or date column');
  }
}
