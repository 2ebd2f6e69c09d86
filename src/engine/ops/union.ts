/**
 * `{op:'union', with:[...], mode?:'by_name'}`: the input's rows followed by each named
 * dataset's rows (UNION ALL BY NAME: duplicates are kept). Columns are matched by name, in
 * order of first appearance; a column a dataset lacks is null there. Types reconcile as
 * `unifyTables` does for the batches of one source: agreeing types stay, mixed numbers widen
 * to float64, any other mix (e.g. timestamp with string, bool with int) becomes text.
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { commonType, unifyTables } from '../../formats/unify.js';
import { limitExceeded } from '../../results/errors.js';
import type { Processor } from '../processor.js';

export const MAX_UNION_INPUTS = 32;

export const unionStepSchema = z.strictObject({
  op: z.literal('union'),
  with: z.array(z.string().min(1).max(256)).min(1).max(MAX_UNION_INPUTS).describe('Names of datasets (sources or earlier steps\' "as") whose rows are appended.'),
  mode: z.literal('by_name').optional().describe('Columns are matched by name (the only mode).'),
});
export type UnionStep = z.infer<typeof unionStepSchema>;

export const unionProcessor: Processor<UnionStep> = {
  op: 'union',
  description: 'union: {op:"union", with:[dataset, ...]} appends the rows of other datasets, matching columns by name (missing → null; mixed numbers → float64; other type mixes → text). Duplicates are kept.',
  schema: unionStepSchema,
  references: (step) => [...step.with],
  plan(step, input, ctx) {
    return unionSchema([input, ...step.with.map((name) => ctx.schemaOf(name))]);
  },
  run(step, input, ctx) {
    const tables = [input, ...step.with.map((name) => ctx.tableOf(name))];
    const rows = tables.reduce((sum, t) => sum + t.numRows, 0);
    if (rows > ctx.limits.maxRows) {
      throw limitExceeded(`Union would produce ${rows} rows, above the limit of ${ctx.limits.maxRows}.`, 'Filter or sample the datasets before the union, or union fewer of them.');
    }
    // unifyTables derives names and types exactly as unionSchema does, so plan and run agree.
    return unifyTables(tables);
  },
};

/** The schema `unifyTables` gives these inputs: names in order of first appearance, common types, all nullable. */
export function unionSchema(schemas: readonly arrow.Schema[]): arrow.Schema {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const schema of schemas) {
    for (const field of schema.fields) {
      if (!seen.has(field.name)) {
        seen.add(field.name);
        names.push(field.name);
      }
    }
  }
  return new arrow.Schema(names.map((name) => new arrow.Field(name, commonType(schemas.map((s) => s.fields.find((f) => f.name === name)?.type)), true)));
}
