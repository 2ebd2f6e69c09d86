import { describe, expect, it } from 'vitest';
import { ClientPool } from '../../../src/connectors/client-pool.js';
import { planListing } from '../../../src/connectors/object-paths.js';
import { lazyModule } from '../../../src/connectors/sdk-loader.js';
import { awsErrorDetail, errorShape, isBusyStatus } from '../../../src/connectors/upstream-errors.js';
import { DataMcpError } from '../../../src/results/errors.js';

describe('lazyModule', () => {
  it('imports once for every caller, and retries after a failed import', async () => {
    let calls = 0;
    let fail = true;
    const load = lazyModule('Example SDK', () => {
      calls++;
      return fail ? Promise.reject(new Error('Cannot find package')) : Promise.resolve({ ok: calls });
    });
    const [a, b] = await Promise.allSettled([load(), load()]);
    expect(calls).toBe(1);
    for (const r of [a, b]) {
      expect(r.status).toBe('rejected');
      const error = (r as PromiseRejectedResult).reason as DataMcpError;
      expect(error).toBeInstanceOf(DataMcpError);
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toBe('the Example SDK could not be loaded');
      expect(error.hint).toBe('The server installation is incomplete; the operator should reinstall data-mcp.');
      expect(error.detail).toEqual({ cause: 'Cannot find package' });
    }
    fail = false;
    const first = await load();
    expect(await load()).toBe(first);
    expect(calls).toBe(2);
  });

  it('does not import until first called', () => {
    let calls = 0;
    lazyModule('Example SDK', () => Promise.resolve(++calls));
    expect(calls).toBe(0);
  });
});

describe('ClientPool', () => {
  it('builds one handle per key, even for concurrent first calls', async () => {
    const pool = new ClientPool<{ key: string }>();
    let builds = 0;
    const create = (key: string) => () => Promise.resolve({ key: `${key}#${++builds}` });
    const [a, b] = await Promise.all([pool.get('k1', create('k1')), pool.get('k1', create('k1'))]);
    expect(a).toBe(b);
    expect((await pool.get('k2', create('k2'))).key).toBe('k2#2');
    expect(builds).toBe(2);
  });

  it('forgets a failed build, so the next call builds again', async () => {
    const pool = new ClientPool<string>();
    await expect(pool.get('k', () => Promise.reject(new Error('no credentials')))).rejects.toThrow('no credentials');
    await Promise.resolve();
    expect(await pool.get('k', () => Promise.resolve('second'))).toBe('second');
  });

  it('drain returns the built handles (not the failed ones) and empties the pool', async () => {
    const pool = new ClientPool<string>();
    await pool.get('a', () => Promise.resolve('A'));
    pool.get('b', () => Promise.reject(new Error('boom'))).catch(() => undefined);
    expect(await pool.drain()).toEqual(['A']);
    expect(await pool.get('a', () => Promise.resolve('A2'))).toBe('A2');
    pool.clear();
    expect(await pool.get('a', () => Promise.resolve('A3'))).toBe('A3');
  });
});

describe('upstream error helpers', () => {
  it('reads any thrown value as an object and classifies busy statuses', () => {
    expect(errorShape<{ code?: string }>('text')).toEqual({});
    expect(errorShape<{ code?: string }>(null)).toEqual({});
    expect(errorShape<{ code?: string }>({ code: 'X' }).code).toBe('X');
    expect([429, 500, 503, 404, 403, undefined].map(isBusyStatus)).toEqual([true, true, true, false, false, false]);
  });

  it('builds the AWS detail with the request id, extras last, and scrubs it', () => {
    const detail = awsErrorDetail({ $metadata: { httpStatusCode: 403, requestId: 'req-1' } }, { connector: 'c', operation: 'Op' }, 'AccessDenied', { statementId: 's-1' });
    expect(Object.keys(detail)).toEqual(['connector', 'operation', 'upstreamCode', 'httpStatusCode', 'requestId', 'statementId']);
    expect(detail.requestId).toBe('req-1');
    const secret = awsErrorDetail({}, { connector: 'c', operation: 'Op' }, 'x', { url: 'postgres://u:hunter2secret@h/db' });
    expect(JSON.stringify(secret)).not.toContain('hunter2secret');
  });
});

describe('planListing (s3, gcs)', () => {
  const signal = new AbortController().signal;
  const base = { signal, credentials: { id: 'none' }, limit: 10 };

  it('lists the configured buckets at the root and refuses a recursive root listing', () => {
    expect(planListing('', base, ['b2', 'b1'], 'lake', 1000)).toEqual({ buckets: { entries: [{ name: 'b1', path: 'b1/', kind: 'container' }, { name: 'b2', path: 'b2/', kind: 'container' }] } });
    expect(() => planListing('', { ...base, recursive: true }, ['b1'], 'lake', 1000)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('turns a path into one bucket listing under a prefix, and refuses unconfigured buckets', () => {
    expect(planListing('b1/dir', { ...base, cursor: 'dir/x' }, ['b1'], 'lake', 1000)).toEqual({ objects: { bucket: 'b1', prefix: 'dir/', recursive: false, limit: 10, signal, cursor: 'dir/x' } });
    expect(() => planListing('other/', base, ['b1'], 'lake', 1000)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => planListing('b1/', { ...base, limit: 0 }, ['b1'], 'lake', 1000)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
