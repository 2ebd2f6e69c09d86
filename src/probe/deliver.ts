import type { Table } from 'apache-arrow';
import type { ToolContext } from '../gate/context.js';
import { checkTier, targetPath } from '../tools/write-common.js';
import type { z } from 'zod';
import type { destinationSpec } from './spec.js';

export interface Delivery {
  uri: string;
  format: string;
  rows: number;
  bytes: number;
  etag?: string;
  /** A create-only delivery found these exact bytes there already (a retry): nothing was written. */
  alreadyExisted: boolean;
}

/**
 * Writes a probe's result to its destination under the `deliver` grant: create-only unless the
 * caller asked to overwrite and the server serves the destructive tier (the view then also
 * needs `delete`). Encoding happens before the upload starts and the store's put is atomic
 * (multipart uploads are aborted on failure), so a failed delivery leaves nothing behind.
 */
export async function deliver(table: Table, destination: z.infer<typeof destinationSpec>, ctx: ToolContext): Promise<Delivery> {
  checkTier(ctx, destination.overwrite ? 'destructive' : 'write');
  const path = targetPath(destination.path);
  const [{ detectFormat }, { CONTENT_TYPES, writeTable }] = await Promise.all([import('../formats/detect.js'), import('../formats/write/index.js')]);
  const format = detectFormat(path, destination.format);
  const bytes = writeTable(table, format);
  const written = await ctx.connector(destination.connector).write(path, bytes, { createOnly: !destination.overwrite, contentType: CONTENT_TYPES[format], as: 'deliver' });
  return {
    uri: `${destination.connector}/${path}`,
    format,
    rows: table.numRows,
    bytes: bytes.byteLength,
    ...(written.etag ? { etag: written.etag } : {}),
    alreadyExisted: written.alreadyExisted === true,
  };
}
