import * as cedar from './cedar.js';
import type { Context } from './cedar.js';
import { join } from 'node:path';
import type { Principal } from '../identity/principal.js';
import type { Logger } from '../logging/logger.js';
import { configError } from '../results/errors.js';
import { cedarErrorText } from './cedar-diagnostics.js';
import { DecisionMemo } from './decision-memo.js';
import { ENTITY_TYPES, EntityBuilder, type PolicyConfig } from './entities.js';
import { loadPolicySet, referencedNames, SCHEMA_FILE, type LoadedPolicy } from './policy-set.js';
import { ContextBuilder, type BuiltContext } from './request-context.js';
import { assertServerShapesConform } from './schema-conformance.js';
import { ACTIONS, type AuthzContext, type AuthzRequest, type Decision } from './types.js';

export interface PolicyExplanation extends Decision {
  request: AuthzRequest;
  /** The policies that determined the decision, with their source. */
  determining: Array<Pick<LoadedPolicy, 'id' | 'effect' | 'file' | 'line' | 'text'>>;
}

export interface AuthorizeAllResult {
  allowed: boolean;
  decisions: Array<AuthzRequest & Decision>;
}

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(ACTIONS);

/**
 * The policy decision point: Cedar in-process, policies pre-parsed once per version, decisions
 * memoized per version. Deny by default and fail closed: any evaluation error is a deny.
 */
export class PolicyEngine {
  readonly policyIds: readonly string[];
  private readonly byId: Map<string, LoadedPolicy>;
  private readonly reportedErrors = new Set<string>();

  private constructor(
    readonly version: string,
    policies: LoadedPolicy[],
    private readonly policySetId: string,
    private readonly entities: EntityBuilder,
    private readonly contexts: ContextBuilder,
    private readonly logger: Logger | undefined,
    /** Absent when memoization is off: every decision is evaluated by Cedar. */
    private readonly memo: DecisionMemo | undefined,
  ) {
    this.policyIds = Object.freeze(policies.map((p) => p.id));
    this.byId = new Map(policies.map((p) => [p.id, p]));
  }

  /**
   * `memo: false` turns the decision memo off (default on). The server never does; it exists so
   * the benchmark can measure a raw Cedar decision through the same code path.
   */
  static async load(opts: { dir: string; config: PolicyConfig; logger?: Logger; memo?: boolean }): Promise<PolicyEngine> {
    const set = await loadPolicySet(opts.dir);
    assertServerShapesConform(set.schemaText, join(opts.dir, SCHEMA_FILE));
    // Pre-parsed policy sets live in the wasm module, keyed by id; one id per version means
    // engines of different versions coexist and a reload never evaluates a half-swapped set.
    const policySetId = `data-mcp:${set.version}`;
    const preparsed = cedar.preparsePolicySet(policySetId, {
      staticPolicies: Object.fromEntries(set.policies.map((p) => [p.id, p.text])),
    });
    if (preparsed.type === 'failure') {
      throw configError(`Policy load failed: ${cedarErrorText(preparsed.errors)}`, 'Fix the policy files and restart.');
    }
    const isReferenced = referencedNames(set.policies);
    const engine = new PolicyEngine(
      set.version,
      set.policies,
      policySetId,
      new EntityBuilder(opts.config, isReferenced),
      new ContextBuilder(isReferenced),
      opts.logger,
      opts.memo === false ? undefined : new DecisionMemo(),
    );
    for (const warning of set.warnings) opts.logger?.warn({ warning }, 'policy validation warning');
    opts.logger?.info({ policyVersion: set.version, policies: set.policies.length, dir: opts.dir }, 'policies loaded');
    return engine;
  }

  isAuthorized(principal: Principal, request: AuthzRequest, context: AuthzContext): Decision {
    let built: BuiltContext;
    try {
      built = this.contexts.build(context);
    } catch (err) {
      return this.deny([errorText(err)]);
    }
    if (!this.memo) return this.evaluate(principal, request, built.cedar);
    const memoKey = this.memo.key(principal, request, built.key);
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const decision = this.evaluate(principal, request, built.cedar);
    // Errors are not memoized: they are rare, and the next attempt should report them afresh.
    if (decision.errors.length === 0) this.memo.set(memoKey, decision);
    return decision;
  }

  /** A tool call maps to several requests; all must allow. Every request is decided, for the audit. */
  authorizeAll(principal: Principal, requests: readonly AuthzRequest[], context: AuthzContext): AuthorizeAllResult {
    const decisions = requests.map((request) => ({ ...request, ...this.isAuthorized(principal, request, context) }));
    return { allowed: decisions.length > 0 && decisions.every((d) => d.allowed), decisions };
  }

  /** A fresh (never memoized) decision with the source of the policies that determined it. */
  explain(principal: Principal, request: AuthzRequest, context: AuthzContext): PolicyExplanation {
    let decision: Decision;
    try {
      decision = this.evaluate(principal, request, this.contexts.build(context).cedar);
    } catch (err) {
      decision = this.deny([errorText(err)]);
    }
    const determining = decision.policies.flatMap((id) => {
      const p = this.byId.get(id);
      return p ? [{ id: p.id, effect: p.effect, file: p.file, line: p.line, text: p.text }] : [];
    });
    return { ...decision, request, determining };
  }

  private evaluate(principal: Principal, request: AuthzRequest, context: Context): Decision {
    try {
      if (!KNOWN_ACTIONS.has(request.action)) return this.deny([`unknown action "${String(request.action)}"`]);
      const resource = this.entities.resource(request.resource);
      const answer = cedar.statefulIsAuthorized({
        principal: { type: ENTITY_TYPES.serviceAccount, id: principal.saId },
        action: { type: ENTITY_TYPES.action, id: request.action },
        resource: resource.uid,
        context,
        preparsedPolicySetId: this.policySetId,
        entities: [this.entities.principalEntity(principal), resource.evaluation],
      });
      if (answer.type === 'failure') return this.deny(answer.errors.map((e) => e.message));
      const { decision, diagnostics } = answer.response;
      if (diagnostics.errors.length > 0) {
        const errors = diagnostics.errors.map((e) => `policy "${e.policyId}": ${e.error.message}`);
        return this.deny(errors, diagnostics.reason);
      }
      return { allowed: decision === 'allow', policies: diagnostics.reason, errors: [], memoized: false };
    } catch (err) {
      return this.deny([errorText(err)]);
    }
  }

  private deny(errors: string[], policies: string[] = []): Decision {
    for (const error of errors) {
      // An erroring policy would otherwise log on every call; once per distinct message is enough.
      if (this.reportedErrors.size < 1000 && !this.reportedErrors.has(error)) {
        this.reportedErrors.add(error);
        this.logger?.warn({ error, policyVersion: this.version }, 'policy evaluation error: denied');
      }
    }
    return { allowed: false, policies, errors, memoized: false };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
