import type { GuardedSql, SqlDialect } from './types.js';
import { pgParse, pgScan } from './pg-parser.js';
import { checkLexicalAmbiguity, mapNamedParams } from './pg-lexical.js';
import { analyzePgStatement } from './pg-analyze.js';
import { sqlRefusal } from './refusal.js';
import { isDataMcpError } from '../results/errors.js';

const COMMENT_TOKENS = new Set(['SQL_COMMENT', 'C_COMMENT']);
/** Redshift-only statements the PostgreSQL grammar cannot parse; named for a clearer refusal. */
const REDSHIFT_ONLY_STATEMENTS = new Set(['UNLOAD']);

/** PostgreSQL and Redshift: libpg_query tokens and parse tree. */
export async function guardPostgres(sql: string, dialect: SqlDialect, defaultSchema: string | undefined): Promise<GuardedSql> {
  const tokens = await pgScan(sql);
  const meaningful = tokens.filter((t) => !COMMENT_TOKENS.has(t.tokenName) && t.text !== ';');
  if (meaningful.length === 0) throw sqlRefusal('sql_empty', 'SQL has no statement (only comments or semicolons).');
  checkLexicalAmbiguity(tokens, dialect);
  const { params, positionalSql } = mapNamedParams(sql, tokens);

  let parsed;
  try {
    parsed = await pgParse(positionalSql);
  } catch (error) {
    const first = meaningful[0]!.text.toUpperCase();
    if (isDataMcpError(error) && error.detail?.reason === 'sql_parse_error' && REDSHIFT_ONLY_STATEMENTS.has(first)) {
      throw sqlRefusal('sql_forbidden_statement', `${first} is not allowed.`, { statement: first });
    }
    throw error;
  }
  const statements = parsed.stmts.filter((s) => s.stmt !== undefined);
  if (statements.length === 0) throw sqlRefusal('sql_empty', 'SQL has no statement.');
  if (statements.length > 1 || parsed.stmts.length > 1) {
    throw sqlRefusal('sql_multiple_statements', `SQL holds ${parsed.stmts.length} statements; exactly one is accepted.`, {
      statements: parsed.stmts.length,
    });
  }
  const analysis = analyzePgStatement(statements[0]!.stmt!, dialect, defaultSchema);
  return { ...analysis, sql, params, positionalSql };
}
