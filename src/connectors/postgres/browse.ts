import { notFound } from '../../results/errors.js';
import { isAddressable } from '../path-guard.js';
import type { ListEntry, ListPage, TableDescription } from '../types.js';
import { readableType } from './type-map.js';

/** Runs one catalog query (extended protocol, parameters bound) and returns its rows. */
export type CatalogQuery = <R>(sql: string, params: unknown[]) => Promise<R[]>;

/** Largest listing page; catalogs are cheap but results go to an agent. */
export const MAX_LIST_PAGE = 1000;

/**
 * Schemas the role can use, without system ones (every `pg_` schema and information_schema),
 * and only those in the allowlist when one is configured. Paged by name in byte order; the
 * cursor is the last name returned.
 */
export async function listSchemas(q: CatalogQuery, allowlist: readonly string[] | undefined, limit: number, cursor: string | undefined): Promise<ListPage> {
  const rows = await q<{ name: string }>(
    `SELECT n.nspname::text AS name
       FROM pg_catalog.pg_namespace n
      WHERE n.nspname::text NOT LIKE 'pg\\_%' AND n.nspname::text <> 'information_schema'
        AND ($1::text[] IS NULL OR n.nspname::text = ANY ($1::text[]))
        AND ($2::text IS NULL OR n.nspname::text COLLATE "C" > $2::text COLLATE "C")
        AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')
      ORDER BY n.nspname::text COLLATE "C"
      LIMIT $3`,
    [allowlist ?? null, cursor ?? null, limit + 1],
  );
  return page(rows, limit, (name) => ({ name, path: `${name}/`, kind: 'prefix' }));
}

/** Tables, partitioned tables (not their partitions), views, materialized views and foreign tables the role can SELECT. */
export async function listTables(q: CatalogQuery, schema: string, limit: number, cursor: string | undefined, connector: string): Promise<ListPage> {
  const exists = await q<{ usable: boolean }>(`SELECT pg_catalog.has_schema_privilege(oid, 'USAGE') AS usable FROM pg_catalog.pg_namespace WHERE nspname = $1`, [schema]);
  if (!exists[0]?.usable) throw notFound(`schema "${schema}" does not exist in connector "${connector}"`, 'Browse the connector root to see its schemas.');
  const rows = await q<{ name: string }>(
    `SELECT c.relname::text AS name
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
        AND ($2::text IS NULL OR c.relname::text COLLATE "C" > $2::text COLLATE "C")
        AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
      ORDER BY c.relname::text COLLATE "C"
      LIMIT $3`,
    [schema, cursor ?? null, limit + 1],
  );
  return page(rows, limit, (name) => ({ name, path: `${schema}/${name}`, kind: 'table' }));
}

function page(rows: Array<{ name: string }>, limit: number, entry: (name: string) => ListEntry): ListPage {
  const shown = rows.slice(0, limit);
  // Names that are not one addressable path segment ("a/b", "..", control characters) are left out: a
  // listing only shows what the connector would let the agent describe. The cursor still
  // moves past them.
  const entries = shown.filter((r) => !r.name.includes('/')).map((r) => entry(r.name)).filter((e) => isAddressable(e.path));
  const last = shown[shown.length - 1];
  return rows.length > limit && last ? { entries, nextCursor: last.name } : { entries };
}

interface TableRow {
  oid: number;
  reltuples: number;
  comment: string | null;
  primary_key: string[] | null;
}

interface ColumnRow {
  name: string;
  type_oid: number;
  typmod: number;
  pg_type: string;
  nullable: boolean;
}

/** Columns from pg_attribute, the primary key from pg_index, the row count from pg_class.reltuples (an estimate). */
export async function describeTable(q: CatalogQuery, schema: string, table: string, path: string, connector: string): Promise<TableDescription> {
  const [info] = await q<TableRow>(
    `SELECT c.oid, c.reltuples, pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
            (SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum))
               FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])
              WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
    [schema, table],
  );
  if (!info) throw notFound(`table "${path}" does not exist in connector "${connector}"`, `Browse "${schema}/" to see its tables.`);
  const columns = await q<ColumnRow>(
    `SELECT a.attname::text AS name, a.atttypid::int AS type_oid, a.atttypmod AS typmod,
            pg_catalog.format_type(a.atttypid, a.atttypmod) AS pg_type, NOT a.attnotnull AS nullable
       FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [info.oid],
  );
  // reltuples is the planner's estimate; -1 (PostgreSQL 14+) means never vacuumed or analyzed.
  const rowCount = info.reltuples >= 0 ? Math.round(info.reltuples) : undefined;
  return {
    path,
    columns: columns.map((c) => ({ name: c.name, type: readableType(c.type_oid, c.typmod, c.pg_type), nullable: c.nullable })),
    ...(rowCount !== undefined ? { rowCount } : {}),
    rowCountExact: false,
    ...(info.primary_key?.length ? { keys: info.primary_key.map((name) => ({ name, role: 'primary' as const })) } : {}),
    ...(info.comment ? { comment: info.comment } : {}),
  };
}
