/**
 * `{op:'limit', rows, offset?}`: the first `rows` rows after skipping `offset`. Arrow slices
 * share buffers, so this copies nothing whatever the size.
 */
import type * as arrow from 'apache-arrow';
import { z } from 'zod';
import { invalidArgument } from '../../results/errors.js';
import type { Processor } from '../processor.js';

/** Upper bound of any row count a step names (far above any configured `maxRows`). */
export const MAX_STEP_ROWS = 1_000_000_000;

const rowCount = z.number().int().min(0).max(MAX_STEP_ROWS);

export const limitStepSchema = z.strictObject({
  op: z.literal('limit'),
  rows: rowCount.describe('How many rows to keep (0 or more).'),
  offset: rowCount.optional().describe('Rows to skip first (default 0).'),
});
export type LimitStep = z.infer<typeof limitStepSchema>;

/**
 * Checks a row count again at plan time: steps may reach `plan` without going through the
 * schema (pipelines, tests), and the agent deserves a hint rather than a silent clamp.
 */
export function checkRowCount(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > MAX_STEP_ROWS) {
    throw invalidArgument(`"${field}" must be a whole number from ${min} to ${MAX_STEP_ROWS}, got ${String(value)}.`, `Give "${field}" as a whole number, e.g. ${Math.max(min, 100)}.`, { field, value });
  }
}

export const limitProcessor: Processor<LimitStep> = {
  op: 'limit',
  description: 'limit: {op:"limit", rows, offset?} keeps `rows` rows after skipping `offset` (default 0), in input order.',
  schema: limitStepSchema,
  plan(step, input) {
    checkRowCount('rows', step.rows, 0);
    if (step.offset !== undefined) checkRowCount('offset', step.offset, 0);
    return input;
  },
  run(step, input: arrow.Table) {
    const begin = Math.min(step.offset ?? 0, input.numRows);
    return input.slice(begin, Math.min(input.numRows, begin + step.rows));
  },
};
