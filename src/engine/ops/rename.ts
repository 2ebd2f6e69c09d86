/**
 * `{op:'rename', columns:{old: new}}`: renames columns in place. Names are swapped freely
 * ({a:"b", b:"a"} works) as long as no two output columns end up with the same name.
 * Zero-copy: only the schema changes.
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { invalidArgument } from '../../results/errors.js';
import type { Processor } from '../processor.js';
import { MAX_STEP_COLUMNS, columnMap, columnName, entriesOf, fieldIndex, mapBatches } from './column-build.js';

export const renameStepSchema = z.strictObject({
  op: z.literal('rename'),
  columns: columnMap(columnName, MAX_STEP_COLUMNS).describe('Map of current name → new name, e.g. {"cust_id":"customer_id"}.'),
});
export type RenameStep = z.infer<typeof renameStepSchema>;

function renamedSchema(step: RenameStep, input: arrow.Schema): arrow.Schema {
  const names = input.fields.map((f) => f.name);
  const renamed = new Set<number>();
  for (const [from, to] of entriesOf(step.columns)) {
    const index = fieldIndex(input, from, '"columns" (names to rename)');
    names[index] = to;
    renamed.add(index);
  }
  const owner = new Map<string, number>();
  names.forEach((name, i) => {
    const other = owner.get(name);
    if (other === undefined) {
      owner.set(name, i);
      return;
    }
    const [a, b] = renamed.has(i) ? [i, other] : [other, i];
    const what = (k: number): string => (renamed.has(k) ? `${JSON.stringify(input.fields[k]!.name)} → ${JSON.stringify(name)}` : `the existing column ${JSON.stringify(name)}`);
    throw invalidArgument(
      `Rename would give two columns the name ${JSON.stringify(name.slice(0, 200))}: ${what(a)} and ${what(b)}.`,
      'Pick a new name no other column has, or drop or rename the other column in the same step.',
      { column: name.slice(0, 200) },
    );
  });
  return new arrow.Schema(input.fields.map((f, i) => (renamed.has(i) ? f.clone({ name: names[i]! }) : f)), input.metadata);
}

export const renameProcessor: Processor<RenameStep> = {
  op: 'rename',
  description: 'rename: {op:"rename", columns:{old:"new", ...}} renames columns in place; renaming onto a name another output column keeps is refused.',
  schema: renameStepSchema,
  plan(step, input) {
    return renamedSchema(step, input);
  },
  run(step, input, ctx) {
    const schema = renamedSchema(step, input.schema);
    return mapBatches(input, schema, ({ batch }) => [...batch.data.children], ctx.signal);
  },
};
