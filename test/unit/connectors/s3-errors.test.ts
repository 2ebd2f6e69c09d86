import { describe, expect, it } from 'vitest';
import { s3Error } from '../../../src/connectors/s3/errors.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { registerSecret } from '../../../src/results/scrub.js';

const ctx = (signal = new AbortController().signal) => ({ connector: 'lake', operation: 'GetObject', path: 'bucket/dir/file.csv', signal });

function sdkError(name: string, status: number | undefined, message = `${name} happened`, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: 'RID-1', extendedRequestId: 'XRID-1' }, ...extra });
}

describe('s3 error mapping', () => {
  it.each([
    ['NoSuchKey', 404, 'NOT_FOUND'],
    ['NotFound', 404, 'NOT_FOUND'],
    ['NoSuchBucket', 404, 'NOT_FOUND'],
    ['AccessDenied', 403, 'UPSTREAM_ERROR'],
    ['Forbidden', 403, 'UPSTREAM_ERROR'],
    ['InvalidAccessKeyId', 403, 'UPSTREAM_ERROR'],
    ['ExpiredToken', 400, 'UPSTREAM_ERROR'],
    ['CredentialsProviderError', undefined, 'UPSTREAM_ERROR'],
    ['SlowDown', 503, 'UNAVAILABLE'],
    ['ThrottlingException', 400, 'UNAVAILABLE'],
    ['InternalError', 500, 'UNAVAILABLE'],
    ['SomethingElse', 502, 'UNAVAILABLE'],
    ['TimeoutError', undefined, 'TIMEOUT'],
    ['RequestTimeout', 400, 'TIMEOUT'],
    ['PreconditionFailed', 412, 'UPSTREAM_ERROR'],
    ['InvalidRange', 416, 'INVALID_ARGUMENT'],
    ['Weird', 400, 'UPSTREAM_ERROR'],
  ])('%s (HTTP %s) becomes %s', (name, status, expected) => {
    const error = s3Error(sdkError(name, status), ctx());
    expect(error).toBeInstanceOf(DataMcpError);
    expect(error.code).toBe(expected);
    expect(error.hint.length).toBeGreaterThan(10);
    expect(error.detail).toMatchObject({ requestId: 'RID-1', extendedRequestId: 'XRID-1', upstreamCode: name, connector: 'lake' });
  });

  it('an archived object (403 InvalidObjectState) says restore it, not fix the credentials', () => {
    const error = s3Error(sdkError('InvalidObjectState', 403, 'The operation is not valid for the object storage class'), ctx());
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('"bucket/dir/file.csv"');
    expect(error.message).toContain('archived');
    expect(error.hint).toMatch(/restore/i);
    expect(error.hint).not.toMatch(/credentials/);
  });

  it('hints at browsing the parent prefix for missing objects and at credentials for denials', () => {
    expect(s3Error(sdkError('NoSuchKey', 404), ctx()).hint).toContain('"bucket/dir/"');
    expect(s3Error(sdkError('AccessDenied', 403), ctx()).hint).toMatch(/service account's AWS credentials/);
  });

  it('maps network failures to UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(s3Error(refused, ctx()).code).toBe('UNAVAILABLE');
  });

  it('lets the abort reason decide between CANCELLED and TIMEOUT', () => {
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(s3Error(abort, ctx(AbortSignal.abort())).code).toBe('CANCELLED');
    expect(s3Error(abort, ctx(AbortSignal.abort(new DOMException('t', 'TimeoutError')))).code).toBe('TIMEOUT');
  });

  it('passes DataMcpErrors through unchanged', () => {
    const original = new DataMcpError('INVALID_ARGUMENT', 'x', 'y');
    expect(s3Error(original, ctx())).toBe(original);
  });

  it('scrubs keys, registered secrets, signatures and URL passwords from message and detail', () => {
    const secret = 'Zk3hP0q9Wm2ExampleSecretValue/abc+def';
    registerSecret(secret);
    const message = `denied AKIAIOSFODNN7EXAMPLE ${secret} https://b.s3.amazonaws.com/k?X-Amz-Signature=0123abcd&x=1 http://user:hunter22@minio:9000/`;
    const error = s3Error(sdkError('AccessDenied', 403, message, { $metadata: { httpStatusCode: 403, requestId: `rid-${secret}` } }), ctx());
    const all = JSON.stringify({ m: error.message, h: error.hint, d: error.detail });
    for (const leaked of ['AKIAIOSFODNN7EXAMPLE', secret, '0123abcd', 'hunter22']) expect(all).not.toContain(leaked);
    expect(error.message).toContain('[REDACTED]');
  });

  it('keeps upstream messages short', () => {
    const error = s3Error(sdkError('Weird', 400, 'x'.repeat(5000)), ctx());
    expect(error.message.length).toBeLessThan(500);
  });
});
