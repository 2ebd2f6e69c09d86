import { z } from 'zod';
import { formatArg, connectorArg, requestFor } from './common.js';
import { defineTool } from './define-tool.js';
import { checkTier, targetPath } from './write-common.js';

const archiveSpec = z
  .object({
    connector: connectorArg,
    prefix: z.string().min(1).max(900).describe('Folder to write into, e.g. "archive/2026-11-22/"; each dataset becomes <prefix><name>.<format>, values <prefix>values.json.'),
    format: formatArg.describe('Format of the dataset files (default parquet).'),
  })
  .strict();

export const sessionClose = defineTool({
  name: 'session_close',
  title: 'Close a session',
  description: 'Close one of your sessions and drop what it holds. With archive, first deliver every dataset (and the values as JSON) to objects under a prefix; that needs the "deliver" grant there, a writable server, and creates files only (never overwrites).',
  toolset: 'probe',
  risk: 'read',
  scratch: true,
  selfService: true,
  // Drops everything the session held; its archive writes to a connector (open world).
  replaces: 'always',
  reachesConnectors: true,
  input: z.object({ session: z.string().min(1).max(64), archive: archiveSpec.optional() }).strict(),
  output: z.object({ session: z.string(), archived: z.array(z.object({ uri: z.string(), rows: z.number().optional(), bytes: z.number() })) }),
  // The archive's objects are named by the session's contents, so they are authorized in the handler.
  authorize: () => [],
  async handler(args, ctx) {
    const manifest = await ctx.sessions.get(args.session);
    const archived: Array<{ uri: string; rows?: number; bytes: number }> = [];
    if (args.archive) {
      checkTier(ctx, 'write');
      const { connector } = args.archive;
      const prefix = args.archive.prefix.endsWith('/') ? args.archive.prefix : `${args.archive.prefix}/`;
      const [{ CONTENT_TYPES, writeTable }] = await Promise.all([import('../formats/write/index.js')]);
      const format = args.archive.format ?? 'parquet';
      const targets = manifest.datasets.map((d) => targetPath(`${prefix}${d.name}.${format}`));
      const valuesPath = targetPath(`${prefix}values.json`);
      const hasValues = Object.keys(manifest.values).length > 0;
      // Every target is authorized before the first byte is written: all or nothing on policy.
      ctx.authorize([...targets, ...(hasValues ? [valuesPath] : [])].map((p) => requestFor('deliver', connector, p)));
      const target = ctx.connector(connector);
      for (const [i, dataset] of manifest.datasets.entries()) {
        const { table, requests } = await ctx.sessions.getDataset(manifest.id, dataset.name);
        ctx.authorize(requests);
        const bytes = writeTable(table, format);
        await target.write(targets[i]!, bytes, { createOnly: true, contentType: CONTENT_TYPES[format], as: 'deliver' });
        archived.push({ uri: `${connector}/${targets[i]}`, rows: table.numRows, bytes: bytes.byteLength });
      }
      if (hasValues) {
        const bytes = Buffer.from(JSON.stringify(manifest.values, null, 2));
        await target.write(valuesPath, bytes, { createOnly: true, contentType: 'application/json', as: 'deliver' });
        archived.push({ uri: `${connector}/${valuesPath}`, bytes: bytes.byteLength });
      }
    }
    await ctx.sessions.close(manifest.id);
    const summary = `Closed session ${manifest.id}${archived.length ? `; archived ${archived.length} object(s) under ${args.archive!.connector}/${args.archive!.prefix}` : ''}.`;
    return { structured: { session: manifest.id, archived }, summary, noStore: true, wrote: archived.length ? [args.archive!.connector] : [] };
  },
});
