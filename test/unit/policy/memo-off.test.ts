import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/identity/principal.js';
import { PolicyEngine } from '../../../src/policy/engine.js';
import type { PolicyConfig } from '../../../src/policy/entities.js';
import type { AuthzContext, AuthzRequest } from '../../../src/policy/types.js';

// `memo: false` exists for the benchmark's raw figure: same answers, never from the memo.
const BUNDLED = new URL('../../../policies/', import.meta.url).pathname;
const config: PolicyConfig = {
  server: { env: 'dev' },
  connectors: { lake: { kind: 's3', annotations: { 'reports/': { classification: 'restricted' } } }, demo: { kind: 'local' } },
};
const reader: Principal = { saId: 'sa', roles: ['reader'], attributes: {}, authMode: 'none', aws: { id: 'none' }, gcp: { id: 'none' } };
const ctx: AuthzContext = { env: 'dev', now: new Date('2026-01-15T10:00:00Z'), tool: 'read_data', agent: 'test' };
const requests: AuthzRequest[] = [
  { action: 'read', resource: { type: 'Location', connector: 'demo', path: 'orders.parquet' } },
  { action: 'read', resource: { type: 'Location', connector: 'lake', path: 'reports/q1.csv' } },
  { action: 'write', resource: { type: 'Location', connector: 'demo', path: 'out.csv' } },
];

describe('PolicyEngine memo option', () => {
  it('decides like the memoizing engine but never answers from a memo', async () => {
    const raw = await PolicyEngine.load({ dir: BUNDLED, config, memo: false });
    const memo = await PolicyEngine.load({ dir: BUNDLED, config });
    for (const request of requests) {
      const first = memo.isAuthorized(reader, request, ctx);
      const second = memo.isAuthorized(reader, request, ctx);
      expect(first.memoized).toBe(false);
      expect(second.memoized).toBe(true);
      for (let i = 0; i < 3; i++) {
        const decision = raw.isAuthorized(reader, request, ctx);
        expect(decision.memoized).toBe(false);
        expect({ allowed: decision.allowed, policies: decision.policies }).toEqual({ allowed: first.allowed, policies: first.policies });
      }
    }
    expect(requests.map((r) => raw.isAuthorized(reader, r, ctx).allowed)).toEqual([true, false, false]);
  });
});
