/**
 * `{op:'select', columns}`: keeps the named columns in the order given. Zero-copy: each output
 * batch holds the input batch's column data as it is.
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { invalidArgument } from '../../results/errors.js';
import type { Processor } from '../processor.js';
import { MAX_STEP_COLUMNS, columnName, fieldIndex, mapBatches } from './column-build.js';

export const selectStepSchema = z.strictObject({
  op: z.literal('select'),
  columns: z.array(columnName).min(1).max(MAX_STEP_COLUMNS).describe('Columns to keep, in output order (case-sensitive, each once).'),
});
export type SelectStep = z.infer<typeof selectStepSchema>;

function selectedFields(step: SelectStep, input: arrow.Schema): arrow.Field[] {
  const seen = new Set<string>();
  return step.columns.map((name) => {
    if (seen.has(name)) {
      throw invalidArgument(`Column ${JSON.stringify(name.slice(0, 200))} is listed twice in "columns".`, 'List each column once; to copy a column under a second name use derive: {"op":"derive","columns":{"copy":"name"}}.', { column: name.slice(0, 200) });
    }
    seen.add(name);
    return input.fields[fieldIndex(input, name, '"columns"')]!;
  });
}

export const selectProcessor: Processor<SelectStep> = {
  op: 'select',
  description: 'select: {op:"select", columns:[name, ...]} keeps these columns in this order (each once); others are dropped.',
  schema: selectStepSchema,
  plan(step, input) {
    return new arrow.Schema(selectedFields(step, input));
  },
  run(step, input, ctx) {
    const schema = new arrow.Schema(selectedFields(step, input.schema));
    return mapBatches(input, schema, ({ chunk }) => step.columns.map((name) => chunk(name)!), ctx.signal);
  },
};
