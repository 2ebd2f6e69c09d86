/**
 * The join step's shape and plan: key pairs resolved and type-checked on both sides, output
 * columns named, all before any data is read.
 *
 * Output: every left column, then the right side's non-key columns; a right column whose name
 * is taken gets `suffix` (default `_right`), and if that is taken too the plan refuses. Key
 * columns keep the left side's type, except in right and full joins where their values may
 * come from the right side: there, differing key types widen (int with float → float64, plain
 * with dictionary text → dictionary text).
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { typeName } from '../../formats/columns.js';
import { commonType } from '../../formats/unify.js';
import { invalidArgument } from '../../results/errors.js';
import { gatheredType } from '../gather.js';
import { keyKind } from '../keys.js';

export const JOIN_KINDS = ['inner', 'left', 'right', 'full'] as const;
export type JoinKind = (typeof JOIN_KINDS)[number];
export const MAX_JOIN_KEYS = 16;

const columnName = z.string().min(1).max(1024);

export interface JoinStep {
  op: 'join';
  right: string;
  on: (string | { left: string; right: string })[];
  how?: JoinKind | undefined;
  suffix?: string | undefined;
}

export const joinSchema: z.ZodType<JoinStep> = z.strictObject({
  op: z.literal('join'),
  right: z.string().min(1).max(256).describe('Name of the dataset to join with (a source or an earlier step).'),
  on: z
    .array(z.union([columnName, z.strictObject({ left: columnName, right: columnName })]))
    .min(1)
    .max(MAX_JOIN_KEYS)
    .describe('Key columns: a name present on both sides, or {left, right} when the names differ.'),
  how: z.enum(JOIN_KINDS).optional().describe('inner (default), left, right or full.'),
  suffix: z.string().min(1).max(64).optional().describe('Appended to right column names that clash; default "_right".'),
});

export interface JoinKey {
  left: string;
  right: string;
  /** Output type of the key column (the left column's place). */
  type: arrow.DataType;
}

export interface JoinPlan {
  how: JoinKind;
  keys: JoinKey[];
  /** Output type of every left column, in order. */
  leftTypes: arrow.DataType[];
  /** Right non-key columns: source name and output field. */
  rightColumns: { source: string; field: arrow.Field }[];
  schema: arrow.Schema;
}

export function planJoin(step: JoinStep, left: arrow.Schema, right: arrow.Schema): JoinPlan {
  const how = step.how ?? 'inner';
  const keys = step.on.map((k) => resolveKey(typeof k === 'string' ? { left: k, right: k } : k, left, right, how, step.right));
  const keyType = new Map(keys.map((k) => [k.left, k.type] as const));
  const leftTypes = left.fields.map((f) => keyType.get(f.name) ?? f.type);
  const leftNames = new Set(left.fields.map((f) => f.name));
  const rightKeys = new Set(keys.map((k) => k.right));
  const suffix = step.suffix ?? '_right';
  const rightColumns = right.fields
    .filter((f) => !rightKeys.has(f.name))
    .map((f) => ({ source: f.name, field: new arrow.Field(leftNames.has(f.name) ? `${f.name}${suffix}` : f.name, gatheredType(f.type), true) }));
  const taken = new Set(leftNames);
  for (const { source, field } of rightColumns) {
    if (taken.has(field.name)) {
      throw invalidArgument(
        `join would produce two columns named "${field.name}" (from right column "${source}").`,
        'Pick another "suffix", or rename or drop the clashing column on one side first.',
        { column: source },
      );
    }
    taken.add(field.name);
  }
  const fields = [...left.fields.map((f, i) => new arrow.Field(f.name, leftTypes[i]!, true)), ...rightColumns.map((c) => c.field)];
  return { how, keys, leftTypes, rightColumns, schema: new arrow.Schema(fields) };
}

function resolveKey(pair: { left: string; right: string }, left: arrow.Schema, right: arrow.Schema, how: JoinKind, rightName: string): JoinKey {
  const leftType = fieldType(left, pair.left, 'left input');
  const rightType = fieldType(right, pair.right, `right dataset "${rightName}"`);
  const lk = keyKind(leftType);
  const rk = keyKind(rightType);
  const units = (t: arrow.DataType): unknown => (arrow.DataType.isTimestamp(t) || arrow.DataType.isDate(t) ? t.unit : undefined);
  const compatible = lk !== undefined && rk !== undefined && (lk === rk || lk === 'null' || rk === 'null') && units(leftType) === units(rightType);
  if (!compatible) {
    throw invalidArgument(
      `Cannot join left column "${pair.left}" (${typeName(leftType)}) with right column "${pair.right}" (${typeName(rightType)}).`,
      'Join numbers with numbers, text with text, timestamps with timestamps (same unit) and dates with dates; cast one side first.',
      { left: pair.left, right: pair.right, leftType: typeName(leftType), rightType: typeName(rightType) },
    );
  }
  const coalesced = how === 'right' || how === 'full';
  return { left: pair.left, right: pair.right, type: coalesced ? commonType([leftType, rightType]) : leftType };
}

function fieldType(schema: arrow.Schema, name: string, side: string): arrow.DataType {
  const field = schema.fields.find((f) => f.name === name);
  if (field) return field.type;
  const available = schema.fields
    .slice(0, 50)
    .map((f) => JSON.stringify(f.name))
    .join(', ');
  throw invalidArgument(`join key "${name}" is not a column of the ${side}.`, `Available columns there: ${available}. Column names are case-sensitive.`, { column: name });
}
