export { guardSql } from './guard.js';
export type { GuardedSql, GuardSqlOptions, SqlDialect, SqlStatementKind, SqlTableRef } from './types.js';
export { SQL_DIALECTS, DEFAULT_MAX_SQL_BYTES } from './types.js';
export type { SqlRefusalReason } from './refusal.js';
