/** The warehouse SQL dialects the guard understands. Redshift is parsed with the PostgreSQL grammar. */
export type SqlDialect = 'postgres' | 'redshift' | 'bigquery';

export const SQL_DIALECTS: readonly SqlDialect[] = ['postgres', 'redshift', 'bigquery'];

/** What the single statement does. Only 'select' and 'explain' can be read-only. */
export type SqlStatementKind =
  | 'select'
  | 'explain'
  | 'select_into'
  | 'insert'
  | 'update'
  | 'delete'
  | 'merge'
  | 'create_table_as';

export interface SqlTableRef {
  /** PostgreSQL/Redshift catalog, BigQuery project. */
  database?: string;
  /** PostgreSQL/Redshift schema, BigQuery dataset. */
  schema?: string;
  name: string;
  access: 'read' | 'write';
}

export interface GuardSqlOptions {
  /** True only when the policy granted `write` on the target; otherwise writes are refused. */
  allowWrite: boolean;
  /** Schema (BigQuery: dataset) that unqualified table names resolve to. */
  defaultSchema?: string;
  /** Largest accepted SQL text in UTF-8 bytes (default 100 KiB). */
  maxLength?: number;
}

export interface GuardedSql {
  statementKind: SqlStatementKind;
  readOnly: boolean;
  /** Every referenced table (CTE names excluded), deduplicated; 'write' wins over 'read'. */
  tables: SqlTableRef[];
  /** The original text, unchanged. */
  sql: string;
  /** Named parameters in order of first use (`:name` for PostgreSQL/Redshift, `@name` for BigQuery). */
  params: string[];
  /**
   * PostgreSQL/Redshift only: the text to execute, with each `:name` replaced by `$n` (n = index in
   * `params` + 1). This — not `sql` — is the text the guard parsed and approved.
   */
  positionalSql?: string;
}

export const DEFAULT_MAX_SQL_BYTES = 100 * 1024;
/** Parse trees deeper than this are refused: they are never legitimate and strain every consumer. */
export const MAX_TREE_DEPTH = 1000;
