import { describe, expect, it } from 'vitest';
import type { CallOptions, Connector } from '../../../src/connectors/types.js';
import { CallAuthorization } from '../../../src/gate/authorize.js';
import { gatedConnector } from '../../../src/gate/connector-view.js';
import type { Principal } from '../../../src/identity/principal.js';
import type { PolicyEngine } from '../../../src/policy/engine.js';
import type { Action } from '../../../src/policy/types.js';
import { DataMcpError } from '../../../src/results/errors.js';

const principal: Principal = { saId: 'sa', roles: ['reader'], attributes: {}, authMode: 'none', aws: { id: 'aws:none' }, gcp: { id: 'none' } };
const info = { name: 'lake', kind: 's3', env: 'dev', capabilities: ['list', 'stat', 'read_object'] as const } as never;

function authzAllowing(actions: Action[]): CallAuthorization {
  const policy = { isAuthorized: (_p: unknown, request: { action: Action }) => ({ allowed: actions.includes(request.action), policies: [], errors: [], memoized: false }) } as unknown as PolicyEngine;
  return new CallAuthorization(policy, principal, { env: 'dev', now: new Date(), tool: 't', agent: 'a' });
}

describe('gated connector: open', () => {
  const opened: Array<{ path: string; options: CallOptions }> = [];
  const connector = { open: (path: string, options: CallOptions) => (opened.push({ path, options }), Promise.resolve({ path, size: 0, read: () => Promise.resolve(new Uint8Array()) })) } as unknown as Connector;

  it('passes the optimistic hint through, with the call signal and credentials, only when asked', async () => {
    const authz = authzAllowing(['read']);
    authz.require([{ action: 'read', resource: { type: 'Location', connector: 'lake', path: 'data/' } }]);
    const signal = new AbortController().signal;
    const view = gatedConnector(info, () => Promise.resolve(connector), authz, principal, signal);
    await view.open('data/a.parquet', { optimistic: true });
    await view.open('data/b.parquet');
    expect(opened.map((o) => [o.path, o.options.optimistic, o.options.signal === signal])).toEqual([
      ['data/a.parquet', true, true],
      ['data/b.parquet', undefined, true],
    ]);
  });

  it('the hint never widens the guard: an ungranted path is refused before the connector is asked', async () => {
    opened.length = 0;
    const authz = authzAllowing(['read']);
    authz.require([{ action: 'read', resource: { type: 'Location', connector: 'lake', path: 'data/' } }]);
    const view = gatedConnector(info, () => Promise.resolve(connector), authz, principal, new AbortController().signal);
    const error = await view.open('secret/a.parquet', { optimistic: true }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataMcpError);
    expect((error as DataMcpError).code).toBe('POLICY_DENIED');
    expect(opened).toEqual([]);
  });
});
