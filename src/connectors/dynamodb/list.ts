import type { ListEntry, ListPage } from '../types.js';
import type { DynamoHandle } from './client.js';
import { decodeCursor, isTableName } from './paths.js';

/** ListTables returns at most 100 names per request. */
export const MAX_DYNAMO_PAGE = 100;

export interface TableListing {
  handle: DynamoHandle;
  limit: number;
  cursor?: string | undefined;
  allowlist?: readonly string[] | undefined;
  signal: AbortSignal;
}

/**
 * Tables as `table` entries, following ListTables pages (alphabetical) until `limit` entries
 * are in hand. With an allowlist, names outside it are skipped — so a page may need several
 * upstream requests. The cursor is the last name examined: ListTables resumes after it.
 */
export async function listTables(listing: TableListing): Promise<ListPage> {
  const { sdk, client } = listing.handle;
  const entries: ListEntry[] = [];
  let start = decodeCursor(listing.cursor);
  for (;;) {
    const wanted = listing.limit - entries.length;
    const response = await client.send(
      new sdk.ListTablesCommand({
        // With an allowlist most names may be skipped: read full pages rather than many tiny ones.
        Limit: listing.allowlist ? MAX_DYNAMO_PAGE : Math.min(wanted, MAX_DYNAMO_PAGE),
        ...(start !== undefined ? { ExclusiveStartTableName: start } : {}),
      }),
      { abortSignal: listing.signal },
    );
    const names = response.TableNames ?? [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      start = name;
      if (!isTableName(name) || (listing.allowlist && !listing.allowlist.includes(name))) continue;
      entries.push({ name, path: name, kind: 'table' });
      if (entries.length === listing.limit) {
        const more = i < names.length - 1 || response.LastEvaluatedTableName !== undefined;
        return more ? { entries, nextCursor: name } : { entries };
      }
    }
    if (response.LastEvaluatedTableName === undefined) return { entries };
    start = response.LastEvaluatedTableName;
  }
}
