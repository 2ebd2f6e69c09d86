import { z } from 'zod';
import { connectorArg, pathArg, requestFor } from './common.js';
import { defineTool } from './define-tool.js';
import { checkTier, targetPath } from './write-common.js';

export const deleteData = defineTool({
  name: 'delete_data',
  title: 'Delete an object',
  description: 'Delete one object (not a prefix, not a glob). The content is lost. Needs delete permission on the path; NOT_FOUND when nothing is there.',
  toolset: 'data',
  risk: 'destructive',
  input: z.object({ connector: connectorArg, path: pathArg.min(1).describe('The object to delete, e.g. "bucket/out/old.csv".') }).strict(),
  output: z.object({ connector: z.string(), path: z.string(), deleted: z.boolean(), destination: z.string() }),
  authorize: (args) => [requestFor('delete', args.connector, targetPath(args.path))],
  async handler(args, ctx) {
    checkTier(ctx, 'destructive');
    const path = targetPath(args.path);
    await ctx.connector(args.connector).delete(path);
    const destination = `${args.connector}/${path}`;
    return { structured: { connector: args.connector, path, deleted: true, destination }, summary: `Deleted ${destination}.`, noStore: true };
  },
});
