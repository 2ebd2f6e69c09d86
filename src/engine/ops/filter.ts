/**
 * `{op:'filter', where}`: keeps the rows for which the typed predicate DSL (filter-schema.ts)
 * is definitely true (SQL three-valued logic: nulls never match a comparison). Planning
 * compiles the filter against the schema, which checks every column, op and literal.
 */
import { z } from 'zod';
import { compileFilter, filterSchema, takeRows } from '../filter.js';
import type { Processor } from '../processor.js';

export const filterStepSchema = z.strictObject({
  op: z.literal('filter'),
  where: filterSchema.describe('Typed predicate, e.g. {"and":[{"column":"status","op":"eq","value":"shipped"},{"column":"amount","op":"gt","value":100}]}.'),
});
export type FilterStep = z.infer<typeof filterStepSchema>;

export const filterProcessor: Processor<FilterStep> = {
  op: 'filter',
  description: 'filter: {op:"filter", where:<predicate>} keeps rows where the predicate is true (leaves {column, op, value}; and/or/not; nulls never match comparisons, use is_null).',
  schema: filterStepSchema,
  plan(step, input) {
    compileFilter(step.where, input);
    return input;
  },
  run(step, input, ctx) {
    const rows = compileFilter(step.where, input.schema)(input);
    ctx.signal.throwIfAborted();
    // Every row kept: the input is the answer, no copy.
    return rows.length === input.numRows ? input : takeRows(input, rows);
  },
};
