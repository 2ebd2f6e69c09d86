import type { ParamValue, QueryRequest } from '../connectors/types.js';
import { invalidArgument } from '../results/errors.js';
import type { QueryPlan } from './query-plan.js';

/** Every parameter the SQL names must be given, and nothing else. */
export function checkParams(plan: QueryPlan, given: Record<string, ParamValue>): Record<string, ParamValue> {
  const missing = plan.guarded.params.filter((name) => !(name in given));
  if (missing.length > 0) throw invalidArgument(`missing values for parameter(s): ${missing.join(', ')}`, 'Pass every :name / @name used in the SQL in params.');
  const unused = Object.keys(given).filter((name) => !plan.guarded.params.includes(name));
  if (unused.length > 0) throw invalidArgument(`params not used by the SQL: ${unused.join(', ')}`, 'Remove them, or reference them in the SQL.');
  return given;
}

/** The connector request for guarded SQL (shared by query and probe sources). */
export function queryRequestFor(
  plan: QueryPlan,
  given: Record<string, ParamValue>,
  options: { maxRows: number; timeoutMs: number; dryRun?: boolean; maxBytesBilled?: number },
): QueryRequest {
  const params = checkParams(plan, given);
  return {
    // PostgreSQL executes the exact text the guard parsed ($n placeholders); Redshift and
    // BigQuery bind named parameters natively.
    sql: plan.dialect === 'postgres' ? (plan.guarded.positionalSql ?? plan.guarded.sql) : plan.guarded.sql,
    params,
    ...(plan.dialect === 'postgres' ? { positionalParams: plan.guarded.params.map((name) => params[name] ?? null) } : {}),
    maxRows: options.maxRows,
    dryRun: options.dryRun ?? false,
    ...(options.maxBytesBilled ? { maxBytesBilled: options.maxBytesBilled } : {}),
    readOnly: plan.guarded.readOnly,
    timeoutMs: options.timeoutMs,
  };
}
