import type { AuthzRequest } from '../policy/types.js';
import { invalidArgument } from '../results/errors.js';
import type { AuthorizeEnv } from '../tools/define-tool.js';
import { planQuery, type QueryPlan } from '../tools/query-plan.js';
import { sourceRequests } from '../tools/read-source.js';
import { sourceKind, type SourceSpec } from './spec.js';

/**
 * What each source needs before anything runs: objects `read` (a glob `list` on its base, each
 * match `read` when expanded), SQL `query` on every table the guard finds. Session datasets
 * and result handles carry the grants they were made under; those are re-checked when opened.
 */
export async function sourceAuthorization(
  sources: Record<string, SourceSpec>,
  env: AuthorizeEnv,
): Promise<{ requests: AuthzRequest[]; queries: Map<string, QueryPlan> }> {
  const requests: AuthzRequest[] = [];
  const queries = new Map<string, QueryPlan>();
  for (const [name, source] of Object.entries(sources)) {
    const kind = sourceKind(source);
    if (kind === 'object' && 'path' in source) requests.push(...sourceRequests(source));
    if (kind === 'query' && 'sql' in source) {
      const planned = await planQuery(env.config, env.connector(source.connector), source.sql);
      if (!planned.plan.guarded.readOnly) {
        throw invalidArgument(`source "${name}": a probe source must be a read-only statement (this is a ${planned.plan.guarded.statementKind})`, 'Use a SELECT; write results with the probe destination instead.');
      }
      requests.push(...planned.requests);
      queries.set(name, planned.plan);
    }
  }
  return { requests, queries };
}
