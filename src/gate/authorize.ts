import type { Principal } from '../identity/principal.js';
import type { PolicyEngine } from '../policy/engine.js';
import { isWithinPrefix } from '../policy/paths.js';
import type { Action, AuthzContext, AuthzRequest, Decision } from '../policy/types.js';
import { resourceId } from '../policy/types.js';
import { DataMcpError } from '../results/errors.js';

export interface DecisionRecord {
  action: Action;
  resource: string;
  allowed: boolean;
  policies: string[];
  /** A check that grants nothing (whoami, filtering a listing): recorded, never a denial of the call. */
  check?: true;
}

/**
 * The policy step, and the ledger of what this call was allowed to touch. Connector views
 * consult `covers()` before every upstream operation, so a handler cannot reach a path no
 * allow decision covers.
 */
export class CallAuthorization {
  readonly decisions: DecisionRecord[] = [];
  private readonly granted: AuthzRequest[] = [];
  /** Requests granted mid-call (e.g. objects a glob matched): a cache hit must re-check them. */
  readonly dynamicGrants: AuthzRequest[] = [];

  constructor(
    private readonly policy: PolicyEngine,
    private readonly principal: Principal,
    private readonly context: AuthzContext,
  ) {}

  /** All must allow; the first deny throws POLICY_DENIED (after every decision is recorded). */
  require(requests: AuthzRequest[], dynamic = false): void {
    const denied: AuthzRequest[] = [];
    for (const request of requests) {
      const decision = this.evaluate(request);
      if (decision.allowed) {
        this.granted.push(request);
        if (dynamic) this.dynamicGrants.push(request);
      } else denied.push(request);
    }
    const first = denied[0];
    if (first) {
      throw new DataMcpError(
        'POLICY_DENIED',
        `policy does not allow ${first.action} on ${resourceId(first.resource)}${denied.length > 1 ? ` (and ${denied.length - 1} more)` : ''}`,
        'Your service account lacks this grant. Call whoami to see what you may do, or ask the operator for access.',
      );
    }
  }

  /** Evaluate without granting; `check` marks a look-up (whoami) rather than a requirement. */
  evaluate(request: AuthzRequest, check = false): Decision {
    let decision: Decision;
    try {
      decision = this.policy.isAuthorized(this.principal, request, this.context);
    } catch (err) {
      // Fail closed: any error in evaluation is a deny.
      decision = { allowed: false, policies: [], errors: [err instanceof Error ? err.message : String(err)], memoized: false };
    }
    this.decisions.push({ action: request.action, resource: resourceId(request.resource), allowed: decision.allowed, policies: decision.policies, ...(check ? { check: true as const } : {}) });
    return decision;
  }

  /** Does some allow decision of this call cover `action` on `path` in `connector`? */
  covers(connector: string, path: string, actions: Action[]): boolean {
    return this.granted.some((g) => {
      if (!actions.includes(g.action) || g.resource.connector !== connector) return false;
      if (g.resource.type === 'Connector') return true;
      const granted = g.resource.path;
      return granted === path || (granted.endsWith('/') && isWithinPrefix(path, granted)) || granted === '';
    });
  }

  /** Everything granted so far (static and mid-call), e.g. to store with a saved dataset. */
  grantedRequests(): AuthzRequest[] {
    return [...this.granted];
  }

  get anyDenied(): boolean {
    return this.decisions.some((d) => !d.allowed && !d.check);
  }
}
