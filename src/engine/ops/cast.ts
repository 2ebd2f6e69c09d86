/**
 * `{op:'cast', columns:{name: type}, on_error?}`: converts columns to another type (the names
 * `typeName` prints). The conversion rules live in src/engine/expr/cast-values.ts; which
 * source types may go to which target is checked at plan time. A column already of the
 * target type is kept as it is.
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { typeName } from '../../formats/columns.js';
import { invalidArgument } from '../../results/errors.js';
import { castVec, wantedFor } from '../expr/cast-values.js';
import { readColumn } from '../expr/read-column.js';
import { arrowTypeFor, exprTypeOf, type ExprType } from '../expr/types.js';
import { writeColumn } from '../expr/write-column.js';
import type { Processor } from '../processor.js';
import { MAX_STEP_COLUMNS, columnMap, entriesOf, fieldIndex, mapBatches, sameType } from './column-build.js';

export const CAST_TARGETS = ['int32', 'int64', 'float64', 'string', 'bool', 'timestamp', 'date'] as const;
export type CastTarget = (typeof CAST_TARGETS)[number];

export const castStepSchema = z.strictObject({
  op: z.literal('cast'),
  columns: columnMap(z.enum(CAST_TARGETS), MAX_STEP_COLUMNS).describe('Map of column → target type, e.g. {"amount":"float64","ordered_at":"timestamp"}.'),
  on_error: z.enum(['fail', 'null']).optional().describe('"fail" (default): a value that does not convert fails the step; "null": it becomes null.'),
});
export type CastStep = z.infer<typeof castStepSchema>;

const ALL: readonly CastTarget[] = CAST_TARGETS;
const FROM_TIME: readonly CastTarget[] = ['timestamp', 'date', 'string', 'int64', 'float64'];
const ALLOWED: Record<ExprType, readonly CastTarget[]> = {
  int32: ALL,
  float64: ALL,
  string: ALL,
  null: ALL,
  bool: ['int32', 'int64', 'float64', 'string', 'bool'],
  timestamp: FROM_TIME,
  date: FROM_TIME,
};

interface CastColumn {
  index: number;
  from: ExprType;
  to: CastTarget;
  /** The input already has the target type: its data is kept. */
  keep: boolean;
}

function planCast(step: CastStep, input: arrow.Schema): { schema: arrow.Schema; casts: CastColumn[] } {
  const fields = [...input.fields];
  const casts: CastColumn[] = [];
  for (const [name, to] of entriesOf(step.columns)) {
    if (!(CAST_TARGETS as readonly string[]).includes(to)) {
      throw invalidArgument(`Unknown target type ${JSON.stringify(String(to).slice(0, 40))} for column ${JSON.stringify(name.slice(0, 200))}.`, `Target types: ${CAST_TARGETS.join(', ')}.`, { column: name.slice(0, 200) });
    }
    const index = fieldIndex(input, name, '"columns"');
    const field = input.fields[index]!;
    const from = exprTypeOf(field.type);
    if (from === undefined || !ALLOWED[from].includes(to)) {
      const allowed = from === undefined ? 'none (cast reads number, text, bool, timestamp and date columns)' : ALLOWED[from].join(', ');
      throw invalidArgument(`Column ${JSON.stringify(name.slice(0, 200))} (${typeName(field.type)}) cannot be cast to ${to}.`, `From ${typeName(field.type)} it can become: ${allowed}.`, { column: name.slice(0, 200), from: typeName(field.type), to });
    }
    const target = arrowTypeFor(to);
    const keep = sameType(field.type, target);
    fields[index] = keep ? field : new arrow.Field(field.name, target, true, field.metadata);
    casts.push({ index, from, to, keep });
  }
  return { schema: new arrow.Schema(fields, input.metadata), casts };
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

export const castProcessor: Processor<CastStep> = {
  op: 'cast',
  description:
    'cast: {op:"cast", columns:{name:"int32|int64|float64|string|bool|timestamp|date"}, on_error?:"fail"|"null"} converts columns. ' +
    'Text is trimmed and parsed (numbers; bools true/false/1/0/yes/no in any case; ISO-8601 times, UTC when no zone); blank text → null. ' +
    'To int: truncated toward zero, must fit (int64: within ±2^53). Numbers ↔ times are epoch milliseconds; timestamp → date keeps the UTC day. ' +
    'To string: numbers as 1 / 2.5, bools as true/false, ISO-8601 times. A value that does not convert fails the step (naming column, row and value) unless on_error is "null".',
  schema: castStepSchema,
  plan(step, input) {
    return planCast(step, input).schema;
  },
  run(step, input, ctx) {
    const { schema, casts } = planCast(step, input.schema);
    const byIndex = new Map(casts.map((c) => [c.index, c]));
    const nullOnError = step.on_error === 'null';
    return mapBatches(
      input,
      schema,
      ({ batch, startRow }) =>
        batch.data.children.map((data, index) => {
          const cast = byIndex.get(index);
          if (cast === undefined || cast.keep) return data;
          const n = data.length;
          const outcome = castVec(readColumn(data, cast.from), cast.from, cast.to, nullOnError, n);
          if (outcome.firstBad >= 0) {
            const name = schema.fields[index]!.name;
            const row = startRow + outcome.firstBad + 1;
            throw invalidArgument(
              `Cast of column ${JSON.stringify(name.slice(0, 200))} to ${cast.to} failed at row ${row} (counting from 1): ${preview(outcome.badText)} is not ${wantedFor(cast.to)}.`,
              'Fix or filter out such rows first, or pass on_error: "null" to turn values that do not convert into nulls.',
              { column: name.slice(0, 200), row, to: cast.to },
            );
          }
          return writeColumn(outcome.vec, cast.to, n);
        }),
      ctx.signal,
    );
  },
};
