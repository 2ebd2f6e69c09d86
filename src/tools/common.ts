import { z } from 'zod';
import { canonicalizePath } from '../policy/paths.js';
import type { Action, AuthzRequest } from '../policy/types.js';

/** Argument pieces shared by tools, with descriptions written for the model. */
export const connectorArg = z
  .string()
  .min(1)
  .max(64)
  .describe('Connector name, as listed by list_connectors (e.g. "demo").');

export const pathArg = z
  .string()
  .max(1024)
  .describe('Path inside the connector, no leading slash: "orders.csv", "events/", "bucket/prefix/file.parquet". Empty = the root.');

/** An object path or a glob, for tools that read sources (read_data, summarize, write_data's from). */
export const sourcePathArg = z
  .string()
  .min(1)
  .max(1024)
  .describe('An object path, or a glob with * ** ? [] {} (matched below its literal prefix).');

export const columnsArg = z.array(z.string().min(1).max(256)).min(1).max(500);

export const formatArg = z
  .enum(['csv', 'json', 'jsonl', 'parquet', 'arrow'])
  .optional()
  .describe('File format; detected from the extension when omitted.');

/** The request for `action` on a path: the connector itself at the root, else a Location. */
export function requestFor(action: Action, connector: string, rawPath: string): AuthzRequest {
  const path = canonicalizePath(rawPath, { allowEmpty: true });
  return path === '' ? { action, resource: { type: 'Connector', connector } } : { action, resource: { type: 'Location', connector, path } };
}

/** Output fields every data-table result carries (filled by the gate's shaping step). */
export const dataOutputShape = {
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  rowCount: z.number().int().describe('Rows in the full result.'),
  returnedRows: z.number().int().describe('Rows included here (the result budget may cut).'),
  truncated: z.boolean().describe('True when rows were cut by the result budget; read `handle` for the rest.'),
  handle: z.string().optional().describe('result:// resource with the full result, when truncated.'),
  cache: z.enum(['hit', 'miss', 'bypass']).optional(),
  cacheAgeMs: z.number().optional(),
};

export const cacheOutputShape = {
  cache: z.enum(['hit', 'miss', 'bypass']).optional(),
  cacheAgeMs: z.number().optional(),
};
