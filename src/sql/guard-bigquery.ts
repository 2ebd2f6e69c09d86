import type { GuardedSql } from './types.js';
import { bqParse } from './bq-parser.js';
import { analyzeBigQueryStatement } from './bq-analyze.js';
import { sqlRefusal } from './refusal.js';

/** BigQuery: sqlparser-rs tree; parameters are BigQuery's native `@name`. */
export async function guardBigQuery(sql: string, defaultSchema: string | undefined): Promise<GuardedSql> {
  const statements = await bqParse(sql);
  if (statements.length === 0) throw sqlRefusal('sql_empty', 'SQL has no statement (only comments or semicolons).');
  if (statements.length > 1) {
    throw sqlRefusal('sql_multiple_statements', `SQL holds ${statements.length} statements; exactly one is accepted.`, {
      statements: statements.length,
    });
  }
  const { params, ...analysis } = analyzeBigQueryStatement(statements[0]!, defaultSchema);
  return { ...analysis, sql, params };
}
