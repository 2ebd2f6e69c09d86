import type { ClientBase } from 'pg';
import { redshiftTypeName, typmodFacts } from './redshift-double-values.js';

/**
 * The catalog operations of the Redshift Data API test double (ListDatabases, ListSchemas,
 * ListTables, DescribeTable) answered from PostgreSQL's catalogs. Patterns are SQL LIKE
 * patterns, as in the real API; NextToken is an opaque offset.
 */
export type CatalogInput = Record<string, unknown>;

export class DoubleError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function pageWindow(input: CatalogInput, op: string): { offset: number; max: number } {
  const max = typeof input.MaxResults === 'number' && input.MaxResults > 0 ? Math.min(input.MaxResults, 1000) : 1000;
  const token = str(input.NextToken);
  if (token === undefined) return { offset: 0, max };
  const parsed = /^(\w+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!parsed || parsed[1] !== op) throw new DoubleError('ValidationException', 'Invalid NextToken');
  return { offset: Number(parsed[2]), max };
}

export function pageOf<T>(rows: T[], window: { offset: number; max: number }, op: string): { items: T[]; NextToken?: string } {
  const items = rows.slice(window.offset, window.offset + window.max);
  const end = window.offset + items.length;
  return end < rows.length ? { items, NextToken: Buffer.from(`${op}:${end}`).toString('base64url') } : { items };
}

export async function listDatabases(db: ClientBase, input: CatalogInput) {
  const { rows } = await db.query<{ datname: string }>('SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname');
  const page = pageOf(rows.map((r) => r.datname), pageWindow(input, 'db'), 'db');
  return { Databases: page.items, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
}

export async function listSchemas(db: ClientBase, input: CatalogInput) {
  const pattern = str(input.SchemaPattern) ?? '%';
  const { rows } = await db.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY nspname', [pattern]);
  const page = pageOf(rows.map((r) => r.nspname), pageWindow(input, 'schemas'), 'schemas');
  return { Schemas: page.items, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
}

const KIND: Record<string, string> = { r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', f: 'EXTERNAL TABLE' };

export async function listTables(db: ClientBase, input: CatalogInput) {
  const { rows } = await db.query<{ name: string; schema: string; relkind: string }>(
    `SELECT c.relname AS name, n.nspname AS schema, c.relkind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r','p','v','m','f') AND n.nspname LIKE $1 AND c.relname LIKE $2
      ORDER BY n.nspname, c.relname`,
    [str(input.SchemaPattern) ?? '%', str(input.TablePattern) ?? '%'],
  );
  const page = pageOf(rows, pageWindow(input, 'tables'), 'tables');
  return { Tables: page.items.map((r) => ({ name: r.name, schema: r.schema, type: KIND[r.relkind] ?? 'TABLE' })), ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
}

/** A missing table answers with an empty ColumnList, not an error. */
export async function describeTable(db: ClientBase, input: CatalogInput) {
  const schema = str(input.Schema) ?? 'public';
  const table = str(input.Table);
  if (!table) throw new DoubleError('ValidationException', 'Table is required by this test double');
  const { rows } = await db.query<{ name: string; typname: string; typmod: number; notnull: boolean; def: string | null }>(
    `SELECT a.attname AS name, t.typname, a.atttypmod AS typmod, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [schema, table],
  );
  const page = pageOf(rows, pageWindow(input, 'columns'), 'columns');
  const ColumnList = page.items.map((r) => ({
    name: r.name,
    label: r.name,
    typeName: redshiftTypeName(r.typname),
    nullable: r.notnull ? 0 : 1,
    schemaName: schema,
    tableName: table,
    ...typmodFacts(r.typname, r.typmod),
    ...(r.def !== null ? { columnDefault: r.def } : {}),
  }));
  return { TableName: table, ColumnList, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
}
