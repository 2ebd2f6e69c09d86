import { defineTool } from './define-tool.js';
import { runWrite, writeInput, writeOutput, writeRequests } from './write-common.js';

/** Overwrite destroys the previous object, so it needs `delete` as well as `write`. */
export const replaceData = defineTool({
  name: 'replace_data',
  title: 'Replace data (overwrite)',
  description:
    'Like write_data, but replaces the object at path if one exists (the old content is lost). Needs both write and delete permission on the path. Prefer write_data to a new path unless overwriting is really intended.',
  toolset: 'data',
  risk: 'destructive',
  input: writeInput,
  output: writeOutput,
  authorize: (args, env) => writeRequests(args, ['write', 'delete'], env),
  handler: (args, ctx) => runWrite(args, ctx, false),
});
