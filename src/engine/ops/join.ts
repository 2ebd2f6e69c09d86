/**
 * The `join` step (DESIGN §10): a multi-key hash join of the input (left) with a named dataset
 * (right), inner, left, right or full. SQL semantics: a null key never matches; int and float
 * keys compare by value. Rows come out in left-table order (each left row followed by its
 * matches in right order), then, for right and full joins, the unmatched right rows with their
 * key values in the key columns. Matching indexes the smaller side (join-match.ts), or, for one
 * unique integer key of narrow range on the right, indexes it by value (join-direct.ts). Output
 * is built per left batch on raw buffers: left columns pass through untouched when each left
 * row appears once (a lookup join), otherwise their codes and values are gathered; right text
 * columns stay dictionary-encoded. Every row is counted before any is built, so a join that
 * would exceed `limits.maxRows` fails first, cheaply.
 */
import * as arrow from 'apache-arrow';
import { throwIfAborted } from '../../results/abort.js';
import { nullColumn } from '../../formats/columns.js';
import { castData } from '../../formats/unify.js';
import { limitExceeded } from '../../results/errors.js';
import { gatherColumn, gatheredType } from '../gather.js';
import { columnChunks } from '../keys.js';
import type { Processor, RunContext } from '../processor.js';
import { takeData } from '../take.js';
import { keyedBatch, keyedColumn } from './join-lookup.js';
import { directSource } from './join-direct.js';
import { hashSource, matchJoin, type JoinSource } from './join-match.js';
import { joinSchema, planJoin, type JoinPlan, type JoinStep } from './join-plan.js';

export { JOIN_KINDS, joinSchema, type JoinKind, type JoinStep } from './join-plan.js';

export const joinProcessor: Processor<JoinStep> = {
  op: 'join',
  description:
    'join: hash-join the input (left) with dataset "right" on keys "on" ([name] or [{left, right}]); how: inner|left|right|full; null keys never match; clashing right columns get "suffix" (default "_right").',
  schema: joinSchema,
  references: (step) => [step.right],
  plan: (step, input, ctx) => planJoin(step, input, ctx.schemaOf(step.right)).schema,
  run(step, input, ctx) {
    const { plan, right, source } = prepareJoin(step, input, ctx);
    return materializeJoin(plan, input, right, source, ctx);
  },
};

export interface PreparedJoin {
  plan: JoinPlan;
  right: arrow.Table;
  source: JoinSource;
}

/** The join's plan and matched rows, with nothing built yet; refuses a join over `limits.maxRows`. */
export function prepareJoin(step: JoinStep, input: arrow.Table, ctx: RunContext): PreparedJoin {
  const right = ctx.tableOf(step.right);
  const plan = planJoin(step, input.schema, right.schema);
  const source =
    directSource(plan, input, right) ?? hashSource(matchJoin(input, plan.keys.map((k) => k.left), right, plan.keys.map((k) => k.right), plan.how));
  const total = source.countIfOver(ctx.limits.maxRows);
  if (total !== undefined) {
    throw limitExceeded(
      `join with "${step.right}" would produce ${total} rows, over the limit of ${ctx.limits.maxRows}.`,
      'Filter or aggregate a side first (for example deduplicate the right side on the join keys), or join on more columns so keys match fewer rows.',
    );
  }
  throwIfAborted(ctx.signal);
  return { plan, right, source };
}

/** Builds the join's output table from prepared matches, one output batch per left batch. */
export function materializeJoin(plan: JoinPlan, left: arrow.Table, right: arrow.Table, source: JoinSource, ctx: RunContext): arrow.Table {
  const fields = plan.schema.fields;
  const rightChunks = plan.rightColumns.map((c) => columnChunks(right, c.source));
  // A lookup join gathers each right column once per key, then by left key id: no pair lists.
  const rightOfKey = source.rightOfKey;
  const keyed = rightOfKey && plan.rightColumns.map((column, c) => keyedColumn(rightChunks[c]!, column.field.type, rightOfKey));
  const batches: arrow.RecordBatch[] = [];
  const emit = (children: arrow.Data[], length: number): void => {
    const struct = arrow.makeData({ type: new arrow.Struct(fields), length, nullCount: 0, children });
    batches.push(new arrow.RecordBatch(plan.schema, struct));
  };
  let start = 0;
  left.batches.forEach((batch, b) => {
    throwIfAborted(ctx.signal);
    const end = start + batch.numRows;
    const pairs = source.batch(b, start, end);
    start = end;
    if (pairs.right.length === 0) return;
    const children = plan.leftTypes.map((type, c) => {
      const data = batch.data.children[c]!;
      return castTo(pairs.identity ? data : takeData(data, pairs.left), type);
    });
    plan.rightColumns.forEach((column, c) => children.push(keyed ? keyedBatch(keyed[c]!, pairs.right, pairs.complete) : gatherColumn(rightChunks[c]!, column.field.type, pairs.right)));
    emit(children, pairs.right.length);
  });
  const unmatched = source.unmatchedRight();
  if (unmatched.length > 0) {
    const keyOf = new Map(plan.keys.map((k) => [k.left, k.right] as const));
    const children = left.schema.fields.map((field, c) => {
      const type = plan.leftTypes[c]!;
      const rightKey = keyOf.get(field.name);
      if (rightKey === undefined) return allNull(type, unmatched.length);
      const rightType = right.schema.fields.find((f) => f.name === rightKey)!.type;
      return castTo(gatherColumn(columnChunks(right, rightKey), gatheredType(rightType), unmatched), type);
    });
    plan.rightColumns.forEach((column, c) => children.push(gatherColumn(rightChunks[c]!, column.field.type, unmatched)));
    emit(children, unmatched.length);
  }
  return batches.length > 0 ? new arrow.Table(plan.schema, batches) : new arrow.Table(plan.schema);
}

/** `data` as `type`: buffers shared when only the type object differs (dictionary ids). */
function castTo(data: arrow.Data, type: arrow.DataType): arrow.Data {
  if (data.type === type) return data;
  const cast = castData(data, type);
  return cast.type === type ? cast : cast.clone(type);
}

/** A column of nulls of `type`: typed arrays for the common types, the slow generic builder for the rest. */
function allNull(type: arrow.DataType, length: number): arrow.Data {
  const T = arrow.DataType;
  const common = T.isInt(type) || T.isFloat(type) || T.isBool(type) || T.isUtf8(type) || T.isTimestamp(type) || T.isDate(type) || T.isNull(type);
  const codes = T.isDictionary(type) && gatheredType(type) === type;
  return common || codes ? gatherColumn([], type, new Int32Array(length).fill(-1)) : nullColumn(type, length);
}
