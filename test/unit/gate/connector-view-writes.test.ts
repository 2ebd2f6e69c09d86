import { describe, expect, it } from 'vitest';
import type { Connector, WriteOptions } from '../../../src/connectors/types.js';
import { CallAuthorization } from '../../../src/gate/authorize.js';
import { gatedConnector } from '../../../src/gate/connector-view.js';
import { METHOD_ACTIONS } from '../../../src/gate/context.js';
import type { Principal } from '../../../src/identity/principal.js';
import type { PolicyEngine } from '../../../src/policy/engine.js';
import type { Action } from '../../../src/policy/types.js';
import { DataMcpError } from '../../../src/results/errors.js';

const principal: Principal = { saId: 'sa', roles: ['writer'], attributes: {}, authMode: 'none', aws: { id: 'none' }, gcp: { id: 'none' } };
const info = { name: 'lake', kind: 'local', env: 'dev', capabilities: ['list', 'stat', 'read_object', 'write', 'delete'] as const } as never;

/** A policy that allows exactly the listed actions, everywhere. */
function authzAllowing(actions: Action[]): CallAuthorization {
  const policy = { isAuthorized: (_p: unknown, request: { action: Action }) => ({ allowed: actions.includes(request.action), policies: [], errors: [], memoized: false }) } as unknown as PolicyEngine;
  return new CallAuthorization(policy, principal, { env: 'dev', now: new Date(), tool: 't', agent: 'a' });
}

function recordingConnector() {
  const calls: string[] = [];
  const connector = {
    write: (path: string, _data: unknown, options: WriteOptions) => {
      calls.push(`write ${path} createOnly=${options.createOnly}`);
      return Promise.resolve({ path, size: 1 });
    },
    delete: (path: string) => {
      calls.push(`delete ${path}`);
      return Promise.resolve();
    },
  } as unknown as Connector;
  return { connector, calls };
}

async function refusal(promise: Promise<unknown>): Promise<DataMcpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DataMcpError);
  return error as DataMcpError;
}

describe('gated connector: writes and deletes', () => {
  it('maps write → write and delete → delete', () => {
    expect(METHOD_ACTIONS.write).toEqual(['write']);
    expect(METHOD_ACTIONS.delete).toEqual(['delete']);
  });

  it('a create-only write needs write on the path', async () => {
    const authz = authzAllowing(['write']);
    authz.require([{ action: 'write', resource: { type: 'Location', connector: 'lake', path: 'out/' } }]);
    const { connector, calls } = recordingConnector();
    const view = gatedConnector(info, () => Promise.resolve(connector), authz, principal, new AbortController().signal);
    await view.write('out/a.csv', new Uint8Array(1), { createOnly: true });
    expect(calls).toEqual(['write out/a.csv createOnly=true']);
    expect((await refusal(view.write('elsewhere/a.csv', new Uint8Array(1), { createOnly: true }))).code).toBe('POLICY_DENIED');
  });

  it('an overwrite also needs delete on the path (it destroys the old object)', async () => {
    const authz = authzAllowing(['write', 'delete']);
    authz.require([{ action: 'write', resource: { type: 'Location', connector: 'lake', path: 'out/a.csv' } }]);
    const { connector, calls } = recordingConnector();
    const view = gatedConnector(info, () => Promise.resolve(connector), authz, principal, new AbortController().signal);
    const denied = await refusal(view.write('out/a.csv', new Uint8Array(1), { createOnly: false }));
    expect(denied.code).toBe('POLICY_DENIED');
    expect(denied.message).toContain('delete');
    expect(calls).toEqual([]);
    authz.require([{ action: 'delete', resource: { type: 'Location', connector: 'lake', path: 'out/a.csv' } }]);
    await view.write('out/a.csv', new Uint8Array(1), { createOnly: false });
    expect(calls).toEqual(['write out/a.csv createOnly=false']);
  });

  it('delete needs delete; write does not imply it; paths are canonicalized first', async () => {
    const authz = authzAllowing(['write', 'delete']);
    authz.require([{ action: 'write', resource: { type: 'Location', connector: 'lake', path: 'out/' } }]);
    const { connector, calls } = recordingConnector();
    const view = gatedConnector(info, () => Promise.resolve(connector), authz, principal, new AbortController().signal);
    expect((await refusal(view.delete('out/a.csv'))).code).toBe('POLICY_DENIED');
    authz.require([{ action: 'delete', resource: { type: 'Location', connector: 'lake', path: 'out/a.csv' } }]);
    await view.delete('out/a.csv');
    expect(calls).toEqual(['delete out/a.csv']);
    expect((await refusal(view.delete('out/../secret.csv'))).code).toBe('INVALID_ARGUMENT');
  });

  it('a connector without write or delete is refused clearly', async () => {
    const authz = authzAllowing(['write', 'delete']);
    authz.require([{ action: 'write', resource: { type: 'Connector', connector: 'lake' } }, { action: 'delete', resource: { type: 'Connector', connector: 'lake' } }]);
    const view = gatedConnector(info, () => Promise.resolve({} as Connector), authz, principal, new AbortController().signal);
    expect((await refusal(view.write('a.csv', new Uint8Array(1), { createOnly: true }))).message).toContain('cannot write');
    expect((await refusal(view.delete('a.csv'))).message).toContain('cannot delete');
    expect((await refusal(view.putItems('tbl', [], { createOnly: true }))).message).toContain('cannot write items');
  });
});
