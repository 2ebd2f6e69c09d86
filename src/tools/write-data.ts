import { defineTool } from './define-tool.js';
import { runWrite, writeInput, writeOutput, writeRequests } from './write-common.js';

export const writeData = defineTool({
  name: 'write_data',
  title: 'Write data (create-only)',
  description:
    'Create a new object from rows given inline (objects whose keys are columns, at most 10,000) or from another read (`from`: connector, path or glob, columns, filter, limit — as read_data). Writes csv, json, jsonl, parquet or arrow (from the extension, or `format`). Never replaces an existing object: an existing path is an error, unless it already holds exactly these bytes (a retried write), which is reported as alreadyExisted. For a DynamoDB connector, path is the table and rows are items (create-only puts).',
  toolset: 'data',
  risk: 'write',
  input: writeInput,
  output: writeOutput,
  authorize: (args, env) => writeRequests(args, ['write'], env),
  handler: (args, ctx) => runWrite(args, ctx, true),
});
