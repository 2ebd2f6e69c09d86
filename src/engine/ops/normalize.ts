/**
 * `{op:'normalize', column_names?, trim?, case?, scale?}`: tidies a table in one step. Text
 * edits (trim, then case) run once per dictionary entry; scaling needs the whole column, so it
 * reads every batch for its statistics before writing any. `trim`, `case` and `scale` name
 * columns as they are in the input; `column_names` renames last.
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { invalidArgument } from '../../results/errors.js';
import { readColumn, readNumbers } from '../expr/read-column.js';
import { arrowTypeFor, exprTypeOf, isNumeric } from '../expr/types.js';
import type { StrVec } from '../expr/vectors.js';
import { writeColumn, writeStrings } from '../expr/write-column.js';
import type { Processor } from '../processor.js';
import { MAX_STEP_COLUMNS, columnMap, columnName, entriesOf, fieldIndex, mapBatches } from './column-build.js';

export const normalizeStepSchema = z.strictObject({
  op: z.literal('normalize'),
  column_names: z.enum(['snake_case', 'lower']).optional().describe('Standardize every column name: "Order Date"/"orderDate" → "order_date" (snake_case), or lower-case only.'),
  trim: z.array(columnName).min(1).max(MAX_STEP_COLUMNS).optional().describe('Text columns whose values lose leading and trailing whitespace.'),
  case: columnMap(z.enum(['lower', 'upper']), MAX_STEP_COLUMNS).optional().describe('Map of text column → "lower" or "upper".'),
  scale: columnMap(z.enum(['minmax', 'zscore']), MAX_STEP_COLUMNS).optional().describe('Map of numeric column → "minmax" (to [0, 1]) or "zscore" (population standard deviation); the result is float64.'),
});
export type NormalizeStep = z.infer<typeof normalizeStepSchema>;

type Scale = 'minmax' | 'zscore';
interface TextEdit {
  trim: boolean;
  case: 'lower' | 'upper' | undefined;
}

interface NormalizePlan {
  schema: arrow.Schema;
  text: Map<number, TextEdit>;
  scale: Map<number, Scale>;
}

function planNormalize(step: NormalizeStep, input: arrow.Schema): NormalizePlan {
  if (!step.column_names && !step.trim && !step.case && !step.scale) {
    throw invalidArgument('normalize has nothing to do.', 'Give at least one of column_names ("snake_case"|"lower"), trim ([columns]), case ({column: "lower"|"upper"}), scale ({column: "minmax"|"zscore"}).');
  }
  const text = new Map<number, TextEdit>();
  const scale = new Map<number, Scale>();
  const editOf = (name: string, where: string): TextEdit | undefined => {
    const index = fieldIndex(input, name, where);
    const type = exprTypeOf(input.fields[index]!.type);
    if (type === 'null') return undefined;
    if (type !== 'string') throw wrongType(name, input, index, where, 'text');
    const edit = text.get(index) ?? { trim: false, case: undefined };
    text.set(index, edit);
    return edit;
  };
  for (const name of step.trim ?? []) {
    const edit = editOf(name, '"trim"');
    if (edit) edit.trim = true;
  }
  for (const [name, mode] of entriesOf(step.case ?? {})) {
    const edit = editOf(name, '"case"');
    if (edit) edit.case = mode;
  }
  for (const [name, mode] of entriesOf(step.scale ?? {})) {
    const index = fieldIndex(input, name, '"scale"');
    const type = exprTypeOf(input.fields[index]!.type);
    if (type === 'null') continue;
    if (type === undefined || !isNumeric(type)) throw wrongType(name, input, index, '"scale"', 'numeric');
    scale.set(index, mode);
  }
  const names = standardNames(step.column_names, input);
  const fields = input.fields.map((f, i) => {
    const type = text.has(i) ? arrowTypeFor('string') : scale.has(i) ? arrowTypeFor('float64') : f.type;
    return type === f.type && names[i] === f.name ? f : new arrow.Field(names[i]!, type, true, f.metadata);
  });
  return { schema: new arrow.Schema(fields, input.metadata), text, scale };
}

function wrongType(name: string, input: arrow.Schema, index: number, where: string, wanted: string) {
  const type = input.fields[index]!.type;
  const candidates = input.fields.filter((f) => (wanted === 'text' ? exprTypeOf(f.type) === 'string' : isNumeric(exprTypeOf(f.type) ?? 'null'))).map((f) => JSON.stringify(f.name));
  return invalidArgument(
    `${where} needs ${wanted} columns; ${JSON.stringify(name.slice(0, 200))} is ${arrow.DataType.isNull(type) ? 'null' : type.toString()}.`,
    `${wanted === 'text' ? 'Text' : 'Numeric'} columns here: ${candidates.slice(0, 50).join(', ') || '(none)'}. Cast the column first if it holds ${wanted} as another type.`,
    { column: name.slice(0, 200) },
  );
}

function standardNames(mode: NormalizeStep['column_names'], input: arrow.Schema): string[] {
  const names = input.fields.map((f, i) => (mode === 'snake_case' ? snakeCase(f.name) || `column_${i + 1}` : mode === 'lower' ? f.name.toLowerCase() : f.name));
  if (mode === undefined) return names;
  const first = new Map<string, number>();
  names.forEach((name, i) => {
    const other = first.get(name);
    if (other === undefined) first.set(name, i);
    else {
      throw invalidArgument(
        `column_names "${mode}" would give ${JSON.stringify(input.fields[other]!.name)} and ${JSON.stringify(input.fields[i]!.name)} the same name ${JSON.stringify(name)}.`,
        'Rename or drop one of them in an earlier step (rename/select), then normalize the names.',
        { column: name.slice(0, 200) },
      );
    }
  });
  return names;
}

/** "Order Date" → order_date, "customerID" → customer_id, "HTTPServer2" → http_server2. */
export function snakeCase(name: string): string {
  const chars = Array.from(name);
  let out = '';
  let gap = false;
  const isUpper = (c: string | undefined): boolean => c !== undefined && c !== c.toLowerCase();
  const isLower = (c: string | undefined): boolean => c !== undefined && c !== c.toUpperCase();
  const isWord = (c: string): boolean => /^[\p{L}\p{N}]$/u.test(c);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (!isWord(c)) {
      gap = out.length > 0;
      continue;
    }
    const prev = chars[i - 1];
    // A capital starts a word after a lower-case letter or digit (orderId), or ends a run of capitals (HTTPServer).
    const camel = isUpper(c) && prev !== undefined && isWord(prev) && (!isUpper(prev) || isLower(chars[i + 1]));
    if ((gap || camel) && out.length > 0) out += '_';
    gap = false;
    out += c.toLowerCase();
  }
  return out;
}

function editText(vec: StrVec, edit: TextEdit): StrVec {
  const dict = vec.dict.map((s) => {
    const t = edit.trim ? s.trim() : s;
    return edit.case === 'lower' ? t.toLowerCase() : edit.case === 'upper' ? t.toUpperCase() : t;
  });
  return { ...vec, dict };
}

interface Stats {
  offset: number;
  divisor: number;
}

/**
 * min/max, or mean and population standard deviation, over every batch in one pass. Sums are
 * of values shifted by the first one, which keeps the variance accurate for large offsets.
 */
function scaleStats(input: arrow.Table, index: number, mode: Scale, signal: AbortSignal): Stats {
  let count = 0;
  let shift = NaN;
  let sum = 0;
  let squares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const batch of input.batches) {
    signal.throwIfAborted();
    const { values, valid } = readNumbers(batch.data.children[index]!);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if ((valid !== null && valid[i] === 0) || !Number.isFinite(v)) continue;
      if (count === 0) shift = v;
      if (v < min) min = v;
      if (v > max) max = v;
      const d = v - shift;
      sum += d;
      squares += d * d;
      count++;
    }
  }
  if (count === 0) return { offset: 0, divisor: 0 };
  if (mode === 'minmax') return { offset: min, divisor: max - min };
  const variance = Math.max(0, (squares - (sum * sum) / count) / count);
  return { offset: shift + sum / count, divisor: min === max ? 0 : Math.sqrt(variance) };
}

export const normalizeProcessor: Processor<NormalizeStep> = {
  op: 'normalize',
  description:
    'normalize: {op:"normalize", column_names?:"snake_case"|"lower", trim?:[text columns], case?:{column:"lower"|"upper"}, scale?:{column:"minmax"|"zscore"}} tidies names and values. ' +
    'trim/case/scale name input columns; names are renamed last (a clash is refused). Scaling gives float64: minmax → [0, 1], zscore uses the population standard deviation; a constant column scales to 0; nulls stay null.',
  schema: normalizeStepSchema,
  plan(step, input) {
    return planNormalize(step, input).schema;
  },
  run(step, input, ctx) {
    const { schema, text, scale } = planNormalize(step, input.schema);
    const stats = new Map([...scale].map(([index, mode]) => [index, scaleStats(input, index, mode, ctx.signal)] as const));
    return mapBatches(
      input,
      schema,
      ({ batch }) =>
        batch.data.children.map((data, index) => {
          const n = data.length;
          const edit = text.get(index);
          if (edit) return writeStrings(editText(readColumn(data, 'string') as StrVec, edit), n);
          const stat = stats.get(index);
          if (!stat) return data;
          const { values, valid } = readNumbers(data);
          const out = new Float64Array(n);
          // A constant (or empty) column has nothing to scale by: every value becomes 0.
          if (stat.divisor !== 0) for (let i = 0; i < n; i++) out[i] = (values[i]! - stat.offset) / stat.divisor;
          return writeColumn({ kind: 'num', values: out, valid }, 'float64', n);
        }),
      ctx.signal,
    );
  },
};
