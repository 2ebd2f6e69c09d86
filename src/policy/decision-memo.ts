import { LRUCache } from 'lru-cache';
import { principalScope, type Principal } from '../identity/principal.js';
import type { Decision } from './types.js';
import { resourceId, type AuthzRequest } from './types.js';

/**
 * In-process memo of decisions for one policy version (a new engine, a new memo). The key
 * holds everything a decision depends on: the principal's scope (SA, effective roles,
 * credential scopes) and attributes, the action, the canonical resource id and the context
 * fields policies can observe (see ContextBuilder). Entities come from config, which is fixed
 * for the engine's lifetime.
 */
export class DecisionMemo {
  private readonly cache: LRUCache<string, Decision>;

  constructor(max = 10_000) {
    this.cache = new LRUCache({ max });
  }

  key(principal: Principal, request: AuthzRequest, contextKey: string): string {
    return `${principalScope(principal)}\u0001${JSON.stringify(principal.attributes)}\u0001${request.action}\u0001${resourceId(request.resource)}\u0001${contextKey}`;
  }

  get(key: string): Decision | undefined {
    return this.cache.get(key);
  }

  /** Stores a frozen copy flagged `memoized`; hits return that same object, never a fresh decision. */
  set(key: string, decision: Decision): void {
    this.cache.set(
      key,
      Object.freeze({
        allowed: decision.allowed,
        policies: Object.freeze([...decision.policies]) as string[],
        errors: Object.freeze([...decision.errors]) as string[],
        memoized: true,
      }),
    );
  }

  get size(): number {
    return this.cache.size;
  }
}
