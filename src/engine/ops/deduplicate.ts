/**
 * The `deduplicate` step (DESIGN §10): distinct rows over some columns (default all), keeping
 * the first or the last occurrence of each, in the input's order. Rows are told apart as SQL
 * DISTINCT does: nulls equal each other, int and float compare by value, -0 equals 0. The key
 * columns become dense ids once (src/engine/keys.ts); the kept rows are gathered per batch,
 * so dictionaries and types pass through unchanged.
 */
import type * as arrow from 'apache-arrow';
import { z } from 'zod';
import { throwIfAborted } from '../../results/abort.js';
import { typeName } from '../../formats/columns.js';
import { invalidArgument } from '../../results/errors.js';
import { groupIds, keyKind } from '../keys.js';
import type { Processor } from '../processor.js';
import { takeRows } from '../take.js';

export interface DeduplicateStep {
  op: 'deduplicate';
  columns?: string[] | undefined;
  keep?: 'first' | 'last' | undefined;
}

export const deduplicateSchema: z.ZodType<DeduplicateStep> = z.strictObject({
  op: z.literal('deduplicate'),
  columns: z.array(z.string().min(1).max(1024)).min(1).max(64).optional().describe('Columns that make a row distinct; default all.'),
  keep: z.enum(['first', 'last']).optional().describe('Which occurrence to keep; default first.'),
});

export const deduplicateProcessor: Processor<DeduplicateStep> = {
  op: 'deduplicate',
  description: 'deduplicate: keep one row per distinct value of "columns" (default all columns); keep: first|last occurrence; order preserved; nulls count as equal.',
  schema: deduplicateSchema,
  plan(step, input) {
    keyColumns(step, input);
    return input;
  },
  run(step, input, ctx) {
    const columns = keyColumns(step, input.schema);
    const { ids, count } = groupIds(input, columns);
    throwIfAborted(ctx.signal);
    if (count === input.numRows) return input;
    const kept = new Int32Array(count).fill(-1);
    if (step.keep === 'last') {
      for (let i = 0; i < ids.length; i++) kept[ids[i]!] = i;
      kept.sort();
    } else {
      // Ids are numbered by first appearance, so first rows already ascend.
      for (let i = 0, next = 0; i < ids.length && next < count; i++) if (ids[i] === next) kept[next++] = i;
    }
    return takeRows(input, kept);
  },
};

function keyColumns(step: DeduplicateStep, schema: arrow.Schema): string[] {
  const types = new Map(schema.fields.map((f) => [f.name, f.type] as const));
  const columns = step.columns ?? [...types.keys()];
  for (const column of columns) {
    const type = types.get(column);
    if (!type) {
      const available = [...types.keys()].slice(0, 50).map((c) => JSON.stringify(c)).join(', ');
      throw invalidArgument(`deduplicate references unknown column "${column}".`, `Available columns: ${available}. Column names are case-sensitive.`, { column });
    }
    if (!keyKind(type)) {
      throw invalidArgument(
        `deduplicate cannot compare column "${column}" of type ${typeName(type)}.`,
        'Name the columns that identify a row in "columns" (number, text, bool, timestamp or date columns).',
        { column, type: typeName(type) },
      );
    }
  }
  return columns;
}
