import type { SqlDialect } from '../../../../src/sql/index.js';
import type { SqlRefusalReason } from '../../../../src/sql/refusal.js';

/** One corpus entry: either an allowed statement with its exact table list, or a refusal reason. */
export interface CorpusCase {
  dialect: SqlDialect;
  sql: string;
  allowWrite: boolean;
  /** Tables as `[database.]schema.name:r|w`, any order. */
  tables?: string[];
  params?: string[];
  reason?: SqlRefusalReason;
}

/** Allowed (read-only unless `allowWrite`), touching exactly these tables. */
export const ok = (dialect: SqlDialect, sql: string, tables: string[], extra: Partial<CorpusCase> = {}): CorpusCase => ({
  dialect, sql, allowWrite: false, tables, ...extra,
});

/** Refused with this reason. */
export const no = (dialect: SqlDialect, sql: string, reason: SqlRefusalReason, extra: Partial<CorpusCase> = {}): CorpusCase => ({
  dialect, sql, allowWrite: false, reason, ...extra,
});

/** Both PostgreSQL and Redshift. */
export const pgBoth = (make: (d: SqlDialect) => CorpusCase): CorpusCase[] => [make('postgres'), make('redshift')];
