import type { ParamValue, QueryResult } from '../types.js';
import type { PgRuntime } from './pool.js';
import { closeCursor, readRows, TEXT_TYPES, type TextCursor } from './read.js';
import type { PgSession } from './session.js';

interface PlanNode {
  'Plan Rows'?: number;
  'Total Cost'?: number;
}

/**
 * Dry run: `EXPLAIN (FORMAT JSON)` of the statement, sent with the extended protocol like the
 * query itself (so the parameters bind and a second statement is still refused). EXPLAIN
 * without ANALYZE plans but never executes, and it runs inside the same transaction.
 */
export async function explainEstimate(session: PgSession, runtime: PgRuntime, sql: string, values: ParamValue[], signal: AbortSignal): Promise<NonNullable<QueryResult['estimate']>> {
  const cursor: TextCursor = session.client.query(new runtime.Cursor(`EXPLAIN (FORMAT JSON) ${sql}`, values, { rowMode: 'array', types: TEXT_TYPES }));
  const { rows } = await session.step(signal, () => readRows(cursor, 10));
  await closeCursor(cursor);
  return parsePlan(rows[0]?.[0] ?? null);
}

export function parsePlan(json: string | null): NonNullable<QueryResult['estimate']> {
  if (json === null) return {};
  const parsed = JSON.parse(json) as Array<{ Plan?: PlanNode }>;
  const plan = parsed[0]?.Plan;
  return {
    ...(typeof plan?.['Plan Rows'] === 'number' ? { estimatedRows: plan['Plan Rows'] } : {}),
    ...(typeof plan?.['Total Cost'] === 'number' ? { planCost: plan['Total Cost'] } : {}),
  };
}
