import type { AuditLog } from '../audit/audit-log.js';
import { auditPrincipal, type Lineage } from '../audit/record.js';
import type { CacheStatus } from '../cache/types.js';
import type { Principal } from '../identity/principal.js';
import type { DecisionRecord } from './authorize.js';
import type { OutcomeStatus } from './errors.js';

export interface CallFacts {
  eventId: string;
  tool: string;
  client: { name: string; version: string };
  principal?: Principal;
  arguments: unknown;
  decisions: DecisionRecord[];
  status: OutcomeStatus;
  errorCode?: string;
  rows?: number;
  bytes?: number;
  cache?: CacheStatus;
  upstream?: Record<string, string>;
  lineage?: Lineage;
  durationMs: number;
}

/**
 * One record per mediated request. Denials and write-class calls are durable (fsynced before
 * the result returns); reads ride the group commit. The log redacts arguments before hashing.
 * A failure here rejects, and the caller fails the call.
 */
export async function writeAudit(audit: AuditLog, facts: CallFacts, durable: boolean): Promise<void> {
  // Look-ups (whoami's "what may I do") are recorded but decide nothing about the call.
  const deciding = facts.decisions.filter((d) => !d.check);
  const denied = deciding.some((d) => !d.allowed);
  const result = deciding.length === 0 ? 'none' : denied ? 'deny' : 'allow';
  await audit.append(
    {
      eventId: facts.eventId,
      principal: facts.principal ? auditPrincipal(facts.principal) : null,
      client: facts.client,
      tool: facts.tool,
      requests: facts.decisions.map((d) => ({ action: d.action, resource: d.resource, allowed: d.allowed, ...(d.check ? { check: true } : {}) })),
      decision: { result, policies: [...new Set(facts.decisions.flatMap((d) => d.policies))] },
      arguments: facts.arguments,
      outcome: {
        status: facts.status,
        ...(facts.errorCode ? { errorCode: facts.errorCode } : {}),
        ...(facts.rows !== undefined ? { rows: facts.rows } : {}),
        ...(facts.bytes !== undefined ? { bytes: facts.bytes } : {}),
        ...(facts.cache ? { cache: facts.cache } : {}),
        ...(facts.upstream ? { upstream: facts.upstream } : {}),
        ...(facts.lineage ? { lineage: facts.lineage } : {}),
      },
      durationMs: Math.round(facts.durationMs * 1000) / 1000,
    },
    { durable: durable || denied || facts.status === 'denied' },
  );
}
