/**
 * `{op:'derive', columns:{name: "expression"}}`: computes columns from a small, safe
 * expression language (src/engine/expr: a hand-written parser, no eval). Columns are derived
 * in the order given and each may use the ones before it; a name that already exists is
 * replaced in place, a new one is appended. Every expression is parsed and type-checked at
 * plan time, then evaluated a whole column at a time per batch.
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { DataMcpError } from '../../results/errors.js';
import { MAX_EXPRESSION_LENGTH, compileExpression, exprErrorToInvalid, ExprError, type CompiledExpression } from '../expr/index.js';
import type { Processor } from '../processor.js';
import { columnMap, entriesOf, mapBatches } from './column-build.js';

export const MAX_DERIVED_COLUMNS = 100;

export const deriveStepSchema = z.strictObject({
  op: z.literal('derive'),
  columns: columnMap(z.string().min(1).max(MAX_EXPRESSION_LENGTH), MAX_DERIVED_COLUMNS).describe(
    'Map of new column name → expression, e.g. {"total":"price * qty", "label":"upper(region) || \'-\' || year(ordered_at)"}.',
  ),
});
export type DeriveStep = z.infer<typeof deriveStepSchema>;

interface Derived {
  name: string;
  compiled: CompiledExpression;
}

interface DerivePlan {
  schema: arrow.Schema;
  derived: Derived[];
  /** Per output column: the input column index it keeps, or the derived name it takes. */
  sources: (number | string)[];
}

function planDerive(step: DeriveStep, input: arrow.Schema): DerivePlan {
  const fields = [...input.fields];
  const sources: (number | string)[] = fields.map((_, i) => i);
  const derived: Derived[] = [];
  for (const [name, text] of entriesOf(step.columns)) {
    let compiled: CompiledExpression;
    try {
      compiled = compileExpression(text, fields);
    } catch (err) {
      if (err instanceof ExprError) throw exprErrorToInvalid(err, `derive ${JSON.stringify(name.slice(0, 200))}`, text);
      throw err;
    }
    const field = new arrow.Field(name, compiled.type, true);
    const at = fields.findIndex((f) => f.name === name);
    if (at >= 0) {
      fields[at] = field;
      sources[at] = name;
    } else {
      fields.push(field);
      sources.push(name);
    }
    derived.push({ name, compiled });
  }
  return { schema: new arrow.Schema(fields), derived, sources };
}

export const deriveProcessor: Processor<DeriveStep> = {
  op: 'derive',
  description:
    'derive: {op:"derive", columns:{name:"expression", ...}} adds computed columns (a name that exists is replaced in place), in order; later ones may use earlier ones. ' +
    "Expressions: numbers, 'text' ('' for a quote), true/false/null, columns bare or \"double-quoted\"; + - * / % on numbers (→ float64; division by 0 → null); || and concat() join values as text; " +
    "= != < <= > >= (times compare with 'ISO-8601' text); is [not] null; and/or/not; lower upper trim length substr(s, start from 1[, len]) coalesce(a, b, …) abs round(x[, digits]) floor ceil " +
    "year month day (→ int32) date_trunc('minute|hour|day|week|month|quarter|year', t) (UTC, weeks from Monday) if(cond, a, b). " +
    'A null input gives null (SQL; concat too), except in coalesce and if. A bare column name copies the column.',
  schema: deriveStepSchema,
  plan(step, input) {
    return planDerive(step, input).schema;
  },
  run(step, input, ctx) {
    const { schema, derived, sources } = planDerive(step, input.schema);
    return mapBatches(
      input,
      schema,
      ({ batch, chunk }) => {
        const current = new Map<string, arrow.Data>();
        for (const f of batch.schema.fields) if (!current.has(f.name)) current.set(f.name, chunk(f.name)!);
        const read = (name: string): arrow.Data => {
          const data = current.get(name);
          if (data === undefined) throw new DataMcpError('INTERNAL', `Column "${name}" is missing from a batch.`, 'Retry; if it persists, report it.');
          return data;
        };
        for (const { name, compiled } of derived) current.set(name, compiled.evaluate(read, batch.numRows));
        return sources.map((source) => (typeof source === 'number' ? batch.data.children[source]! : read(source)));
      },
      ctx.signal,
    );
  },
};
