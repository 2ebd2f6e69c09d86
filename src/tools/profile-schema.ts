import { z } from 'zod';

const valueSchema = z.union([z.string(), z.number(), z.boolean()]);

/** Output schema of one column profile (mirrors `ColumnProfile`). */
export const columnProfileSchema = z.object({
  name: z.string(),
  type: z.string(),
  count: z.number().int().describe('Non-null values.'),
  nulls: z.number().int(),
  distinct: z.number().int().nullable().describe('Distinct non-null values (null: type not profiled).'),
  distinctMethod: z.enum(['exact', 'hll']).nullable().describe('"hll" = HyperLogLog estimate, see distinctError.'),
  distinctError: z.number().nullable().describe('Relative standard error of an hll estimate (about 0.008).'),
  min: valueSchema.nullable(),
  max: valueSchema.nullable(),
  mean: z.number().nullable(),
  stddev: z.number().nullable().describe('Sample standard deviation (n - 1).'),
  quantiles: z.object({ p25: valueSchema, p50: valueSchema, p75: valueSchema }).nullable(),
  quantileMethod: z.enum(['exact', 'reservoir']).nullable().describe('"reservoir" = from a uniform sample of the values.'),
  top: z.array(z.object({ value: valueSchema, count: z.number().int() })).nullable(),
  topMethod: z.enum(['exact', 'misra_gries']).nullable(),
  topMaxUndercount: z.number().int().nullable().describe('With misra_gries: a top count may be this much below the true count.'),
});
