import { DataMcpError } from '../../results/errors.js';
import { isAddressable } from '../path-guard.js';
import type { ListEntry, ListPage, TableDescription } from '../types.js';
import type { RedshiftHandle } from './client.js';
import { redshiftColumnType } from './column-types.js';
import { encodeCursor, schemaVisible } from './paths.js';
import type { RedshiftTarget } from './target.js';

/** The Data API's ceiling for MaxResults on ListSchemas / ListTables / DescribeTable. */
export const MAX_REDSHIFT_PAGE = 1000;
/** Upstream requests one listing page may take when filtering leaves pages thin. */
const MAX_REQUESTS_PER_PAGE = 10;
/** Redshift tables have at most 1600 columns: two pages of 1000. Guard against a looping token. */
const MAX_DESCRIBE_PAGES = 5;

export interface Listing {
  handle: RedshiftHandle;
  target: RedshiftTarget;
  /** The listed path: `""` (schemas) or `schema/` (tables). */
  path: string;
  limit: number;
  token: string | undefined;
  signal: AbortSignal;
}

type Fetch = (maxResults: number, token: string | undefined) => Promise<{ entries: ListEntry[]; next: string | undefined }>;

/**
 * Collects up to `limit` entries from upstream pages. Each request asks only for what is
 * still missing, so a page never ends mid-upstream-page and the NextToken stays exact.
 */
async function collect(listing: Listing, fetch: Fetch): Promise<ListPage> {
  const entries: ListEntry[] = [];
  let token = listing.token;
  for (let request = 0; request < MAX_REQUESTS_PER_PAGE && entries.length < listing.limit; request++) {
    const page = await fetch(listing.limit - entries.length, token);
    entries.push(...page.entries);
    token = page.next;
    if (token === undefined) break;
  }
  return token === undefined ? { entries } : { entries, nextCursor: encodeCursor(listing.path, token) };
}

/** Schemas of the database (ListSchemas), without system schemas and outside the allowlist. */
export function listSchemas(listing: Listing, allowlist: readonly string[] | undefined): Promise<ListPage> {
  const { sdk, client } = listing.handle;
  return collect(listing, async (max, token) => {
    const out = await client.send(new sdk.ListSchemasCommand({ ...listing.target, MaxResults: max, ...(token ? { NextToken: token } : {}) }), { abortSignal: listing.signal });
    const entries = (out.Schemas ?? [])
      .filter((s) => schemaVisible(s, allowlist) && !s.includes('/') && isAddressable(`${s}/`))
      .map((s): ListEntry => ({ name: s, path: `${s}/`, kind: 'prefix' }));
    return { entries, next: out.NextToken || undefined };
  });
}

/**
 * Tables and views of one schema (ListTables). SchemaPattern is a LIKE pattern ("_" matches
 * any character), so rows of other schemas are dropped by exact name here.
 */
export function listTables(listing: Listing, schema: string): Promise<ListPage> {
  const { sdk, client } = listing.handle;
  return collect(listing, async (max, token) => {
    const out = await client.send(new sdk.ListTablesCommand({ ...listing.target, SchemaPattern: schema, MaxResults: max, ...(token ? { NextToken: token } : {}) }), { abortSignal: listing.signal });
    const entries = (out.Tables ?? [])
      .filter((t) => t.schema === schema && t.name !== undefined && !t.name.includes('/') && isAddressable(`${schema}/${t.name}`))
      .map((t): ListEntry => ({ name: t.name!, path: `${schema}/${t.name!}`, kind: 'table' }));
    return { entries, next: out.NextToken || undefined };
  });
}

export interface TableRef {
  handle: RedshiftHandle;
  target: RedshiftTarget;
  schema: string;
  table: string;
  connector: string;
  signal: AbortSignal;
}

/**
 * Columns from DescribeTable (every page). The Data API reports no row count, and counting
 * would scan the table, so the description carries none (`rowCountExact: false`).
 */
export async function describeTable(ref: TableRef): Promise<TableDescription> {
  const { sdk, client } = ref.handle;
  const columns: TableDescription['columns'] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_DESCRIBE_PAGES; page++) {
    const out = await client.send(
      new sdk.DescribeTableCommand({ ...ref.target, Schema: ref.schema, Table: ref.table, MaxResults: MAX_REDSHIFT_PAGE, ...(token ? { NextToken: token } : {}) }),
      { abortSignal: ref.signal },
    );
    for (const c of out.ColumnList ?? []) {
      // Some deployments echo schema/table per column; keep only the asked-for table's.
      if ((c.schemaName && c.schemaName !== ref.schema) || (c.tableName && c.tableName !== ref.table) || !c.name) continue;
      const nullable = c.nullable === 0 ? false : c.nullable === 1 ? true : undefined;
      columns.push({ name: c.name, type: redshiftColumnType(c.typeName, c.precision).readable, ...(nullable !== undefined ? { nullable } : {}) });
    }
    token = out.NextToken || undefined;
    if (token === undefined) break;
  }
  const path = `${ref.schema}/${ref.table}`;
  if (columns.length === 0) {
    throw new DataMcpError('NOT_FOUND', `table "${path}" does not exist in connector "${ref.connector}"`, `Browse "${ref.schema}/" to see its tables.`);
  }
  return { path, columns, rowCountExact: false };
}
