import { describe, expect, it } from 'vitest';
import { isStaleAnswer, KnownVersions, markStale } from '../../../src/connectors/s3/known-versions.js';
import { DataMcpError } from '../../../src/results/errors.js';

describe('s3 known versions (optimistic open memory)', () => {
  it('remembers per credential scope, so another scope still opens for real', () => {
    const known = new KnownVersions();
    known.remember('aws:a', 'lake', 'x.parquet', { etag: '"e1"', size: 10 });
    expect(known.recall('aws:a', 'lake', 'x.parquet')).toEqual({ etag: '"e1"', size: 10 });
    expect(known.recall('aws:b', 'lake', 'x.parquet')).toBeUndefined();
    expect(known.recall('aws:a', 'lake', 'y.parquet')).toBeUndefined();
  });

  it('forgets a key for every scope, and keeps neither ETag-less nor empty objects', () => {
    const known = new KnownVersions();
    known.remember('aws:a', 'lake', 'x', { etag: '"e1"', size: 10 });
    known.remember('aws:b', 'lake', 'x', { etag: '"e1"', size: 10 });
    known.remember('aws:a', 'lake', 'keep', { etag: '"e2"', size: 5 });
    known.forget('lake', 'x');
    expect(known.recall('aws:a', 'lake', 'x')).toBeUndefined();
    expect(known.recall('aws:b', 'lake', 'x')).toBeUndefined();
    expect(known.recall('aws:a', 'lake', 'keep')).toBeDefined();
    // An empty object is never read, so nothing would ever validate a remembered version of it.
    known.remember('aws:a', 'lake', 'keep', { etag: '"e3"', size: 0 });
    expect(known.recall('aws:a', 'lake', 'keep')).toBeUndefined();
    known.remember('aws:a', 'lake', 'z', { size: 5 });
    expect(known.recall('aws:a', 'lake', 'z')).toBeUndefined();
  });

  it('a 412, 404 or 416 answer means stale; throttling or denial does not', () => {
    expect(isStaleAnswer({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } })).toBe(true);
    expect(isStaleAnswer({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } })).toBe(true);
    expect(isStaleAnswer({ name: 'InvalidRange', $metadata: { httpStatusCode: 416 } })).toBe(true);
    expect(isStaleAnswer({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } })).toBe(false);
    expect(isStaleAnswer({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe(false);
    expect(isStaleAnswer(new Error('socket hang up'))).toBe(false);
  });

  it('marks the mapped error stale without changing its public code, message or hint', () => {
    const plain = new DataMcpError('UPSTREAM_ERROR', 'changed', 'Read it again.', { httpStatusCode: 412 });
    const stale = markStale(plain);
    expect([stale.code, stale.message, stale.hint]).toEqual([plain.code, plain.message, plain.hint]);
    expect(stale.detail).toEqual({ httpStatusCode: 412, stale: true });
  });
});
