import { DataMcpError } from '../results/errors.js';

/** Stable sub-reasons (in `detail.reason`) for a refused SQL text. Never renamed. */
export type SqlRefusalReason =
  | 'sql_empty'
  | 'sql_too_long'
  | 'sql_invalid_characters'
  | 'sql_parse_error'
  | 'sql_too_complex'
  | 'sql_multiple_statements'
  | 'sql_forbidden_statement'
  | 'sql_forbidden_function'
  | 'sql_write_not_allowed'
  | 'sql_ambiguous_literal'
  | 'sql_unsupported_parameter'
  | 'sql_unsupported_table_name';

const HINTS: Record<SqlRefusalReason, string> = {
  sql_empty: 'Send exactly one SELECT statement; the text was empty or only comments.',
  sql_too_long: 'Shorten the query (it is over the size limit); select fewer literals or split the work.',
  sql_invalid_characters: 'Remove NUL bytes, control characters and unpaired surrogates from the SQL text.',
  sql_parse_error: 'Send exactly one valid statement in the warehouse dialect; fix the syntax near the reported position.',
  sql_too_complex: 'Reduce nesting depth (parentheses, subqueries, chained operators) and retry.',
  sql_multiple_statements: 'Send exactly one SELECT statement, without stacked statements after a semicolon.',
  sql_forbidden_statement: 'Only SELECT / WITH … SELECT / VALUES / EXPLAIN (and DML where write is granted) may be sent; session, transaction, DDL, COPY/UNLOAD/EXPORT and scripting statements are not allowed.',
  sql_forbidden_function: 'Remove the refused function call; file, network, session, lock, sleep and dynamic-SQL functions are not allowed.',
  sql_write_not_allowed: 'This statement writes data but the policy did not grant write on the target; send a read-only SELECT instead.',
  sql_ambiguous_literal: 'Rewrite the literal: avoid backslashes in plain string literals (use chr(92) or E\'…\' on PostgreSQL), dollar quoting on Redshift, and nested /* */ comments.',
  sql_unsupported_parameter: 'Use :name parameters on PostgreSQL/Redshift (or only $1..$n) and @name on BigQuery; do not mix styles.',
  sql_unsupported_table_name: 'Name tables as table, dataset.table or project.dataset.table.',
};

/** A refused SQL text. Writes without a grant are a policy denial; everything else is a bad argument. */
export function sqlRefusal(reason: SqlRefusalReason, message: string, extra?: Record<string, unknown>): DataMcpError {
  const code = reason === 'sql_write_not_allowed' ? 'POLICY_DENIED' : 'INVALID_ARGUMENT';
  return new DataMcpError(code, message, HINTS[reason], { reason, ...extra });
}
