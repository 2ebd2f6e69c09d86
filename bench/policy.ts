import { embeddedConfig } from '../src/config/embedded.js';
import { validate } from '../src/config/load.js';
import { BUNDLED_POLICIES_DIR } from '../src/config/paths.js';
import { IdentityResolver } from '../src/identity/resolver.js';
import { PolicyEngine } from '../src/policy/engine.js';
import type { AuthzContext, AuthzRequest } from '../src/policy/types.js';

export interface PolicySamples {
  /** Microseconds per decision, Cedar evaluated every time (engine loaded with `memo: false`). */
  raw: number[];
  /** Microseconds per decision answered from the in-process memo. */
  memoized: number[];
}

/** The request of a `read_data` on demo/orders.parquet, as the gate would ask it. */
export const POLICY_REQUEST: AuthzRequest = { action: 'read', resource: { type: 'Location', connector: 'demo', path: 'orders.parquet' } };

/**
 * Policy decisions in-process on the embedded default: its config (validated like the server
 * does), the bundled policies, and the principal the identity resolver gives every call in
 * auth mode none. The context is a fresh one per decision, like the gate's per call.
 */
export async function policyDecisions(warmup: number, n: number): Promise<PolicySamples> {
  const config = validate(embeddedConfig({}), 'embedded default');
  const principal = await new IdentityResolver(config.auth, {}, undefined).resolve();
  const raw = await PolicyEngine.load({ dir: BUNDLED_POLICIES_DIR, config, memo: false });
  const memo = await PolicyEngine.load({ dir: BUNDLED_POLICIES_DIR, config });
  const context = (): AuthzContext => ({ env: config.server.env, now: new Date(), tool: 'read_data', agent: 'data-mcp-bench' });

  // Samples until `count` decisions of the expected kind were timed. With the memo, the first
  // decision of each minute (`now` is minute-grained in the key) is a miss: it is not a memoized
  // decision, so it is left out rather than counted as one.
  const sample = (engine: PolicyEngine, count: number, memoized: boolean): number[] => {
    const out: number[] = [];
    while (out.length < count) {
      const ctx = context();
      const start = process.hrtime.bigint();
      const decision = engine.isAuthorized(principal, POLICY_REQUEST, ctx);
      const micros = Number(process.hrtime.bigint() - start) / 1e3;
      if (!decision.allowed || decision.errors.length > 0) throw new Error(`expected an allow, got ${JSON.stringify(decision)}`);
      if (!memoized && decision.memoized) throw new Error('the raw engine answered from a memo');
      if (decision.memoized === memoized) out.push(micros);
    }
    return out;
  };

  sample(raw, warmup, false);
  sample(memo, warmup, true);
  return { raw: sample(raw, n, false), memoized: sample(memo, n, true) };
}
