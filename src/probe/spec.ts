/**
 * The shape of a probe (DESIGN §10): named sources, ordered steps, an optional destination.
 * Steps are checked here only for their routing fields; each step's own fields are parsed by
 * its processor when the probe is planned, so errors name the step and its op.
 */
import { z } from 'zod';
import { filterSchema } from '../engine/filter-schema.js';
import { columnsArg, connectorArg, formatArg, sourcePathArg } from '../tools/common.js';

export const datasetName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a dataset name: letters, digits and "_", starting with a letter or "_"');

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a parameter name: letters, digits, underscore');
const paramValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

const objectSource = z
  .object({
    connector: connectorArg,
    path: sourcePathArg,
    format: formatArg,
    columns: columnsArg.optional().describe('Columns to fetch (default: all). Fetch only what the steps need.'),
    filter: filterSchema.optional().describe('Typed predicate applied while reading (Parquet skips row groups with it).'),
    limit: z.number().int().min(1).optional().describe('Read at most this many rows (the result is then marked incomplete).'),
  })
  .strict();

const querySource = z
  .object({
    connector: connectorArg,
    sql: z.string().min(1).max(100_000).describe('One read-only SQL statement (postgres, redshift, bigquery), guarded like query.'),
    params: z.record(paramName, paramValue).optional(),
  })
  .strict();

const sessionSource = z
  .object({
    session: z.string().min(1).max(64).describe('A session id from session_create.'),
    dataset: datasetName.describe('A dataset saved into that session with save_as.'),
  })
  .strict();

const resultSource = z
  .object({ result: z.string().min(1).max(4096).describe('A result:// handle an earlier call returned to you.') })
  .strict();

export const sourceSpec = z.union([objectSource, querySource, sessionSource, resultSource]);
export type SourceSpec = z.infer<typeof sourceSpec>;
export type ObjectSource = z.infer<typeof objectSource>;
export type QuerySource = z.infer<typeof querySource>;

export const stepSpec = z
  .looseObject({
    op: z.string().min(1).max(64).describe('The step kind (see the tool description).'),
    input: datasetName.optional().describe('Dataset the step reads (default: the previous step\'s output, or the first source).'),
    as: datasetName.optional().describe('Also name this step\'s output, so later steps (join, union) can use it.'),
  })
  .describe('One step: {"op": ..., ...fields of that op}.');
export type StepSpec = z.infer<typeof stepSpec>;

export const destinationSpec = z
  .object({
    connector: connectorArg,
    path: z.string().min(1).max(1024).describe('Object to create, e.g. "exports/2026-09-revenue.parquet".'),
    format: formatArg,
    overwrite: z.boolean().default(false).describe('Replace an existing object (destructive: only when the server allows it and policy grants delete).'),
  })
  .strict();

export const probeInput = z
  .object({
    sources: z
      .record(datasetName, sourceSpec)
      .refine((s) => Object.keys(s).length > 0, { message: 'name at least one source' })
      .describe('Named inputs: {"orders": {"connector": "lake", "path": "2025/09/*/*.parquet"}, "customers": {"connector": "bq", "sql": "SELECT ..."}}. Also {"session", "dataset"} or {"result": "result://..."}.'),
    steps: z.array(stepSpec).max(200).default([]),
    destination: destinationSpec.optional().describe('Also deliver the result to this object (csv, jsonl, json, parquet, arrow; create-only by default).'),
    save_as: z
      .object({ session: z.string().min(1).max(64), dataset: datasetName })
      .strict()
      .optional()
      .describe('Also keep the result in a session as a dataset.'),
    cache_ttl_seconds: z.number().int().min(0).max(86_400).optional().describe('How long the result may be reused (default: the server\'s; 0 = always recompute).'),
  })
  .strict();
export type ProbeArgs = z.infer<typeof probeInput>;

export function sourceKind(source: SourceSpec): 'object' | 'query' | 'session' | 'result' {
  if ('sql' in source) return 'query';
  if ('path' in source) return 'object';
  if ('session' in source) return 'session';
  return 'result';
}
