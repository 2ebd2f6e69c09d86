import type { GuardedSql, GuardSqlOptions, SqlDialect } from './types.js';
import { DEFAULT_MAX_SQL_BYTES, SQL_DIALECTS } from './types.js';
import { checkInputBounds } from './input-bounds.js';
import { sqlRefusal } from './refusal.js';
import { guardPostgres } from './guard-postgres.js';
import { guardBigQuery } from './guard-bigquery.js';

/**
 * The SQL guard (DESIGN §9 "SQL from agents"). Parses the agent's text with the real parser of the
 * dialect, accepts exactly one statement, walks the whole tree, and fails closed on anything it
 * cannot parse. Returns what the statement does and which tables it touches, so the caller can
 * check each table as a Location before execution. Never rewrites the text (see `positionalSql`
 * for the one mapping of `:name` parameters on PostgreSQL/Redshift).
 *
 * Refusals are DataMcpError with a stable `detail.reason`: INVALID_ARGUMENT for bad or forbidden
 * SQL, POLICY_DENIED (`sql_write_not_allowed`) for a write when `allowWrite` is false.
 */
export async function guardSql(sql: string, dialect: SqlDialect, opts: GuardSqlOptions): Promise<GuardedSql> {
  if (!SQL_DIALECTS.includes(dialect)) throw sqlRefusal('sql_parse_error', `Unknown SQL dialect ${String(dialect)}.`);
  const text = checkInputBounds(sql, opts.maxLength ?? DEFAULT_MAX_SQL_BYTES);
  const guarded = dialect === 'bigquery'
    ? await guardBigQuery(text, opts.defaultSchema)
    : await guardPostgres(text, dialect, opts.defaultSchema);
  if (!guarded.readOnly && !opts.allowWrite) {
    throw sqlRefusal('sql_write_not_allowed', `This ${guarded.statementKind} statement writes data; write was not granted.`, {
      statement: guarded.statementKind,
      tables: guarded.tables.filter((t) => t.access === 'write').map((t) => [t.database, t.schema, t.name].filter(Boolean).join('.')),
    });
  }
  return guarded;
}
