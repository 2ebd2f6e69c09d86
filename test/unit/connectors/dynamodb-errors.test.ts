import { describe, expect, it } from 'vitest';
import { dynamoError } from '../../../src/connectors/dynamodb/errors.js';
import { decodeCursor, locateTable } from '../../../src/connectors/dynamodb/paths.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { registerSecret } from '../../../src/results/scrub.js';

const ctx = (signal = new AbortController().signal) => ({ connector: 'ddb', operation: 'Query', subject: 'table "orders"', signal });
const sdkError = (name: string, status: number | undefined, message = `${name} happened`) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: 'RID-1' } });

describe('dynamodb error mapping', () => {
  it.each([
    ['ResourceNotFoundException', 400, 'NOT_FOUND'],
    ['ValidationException', 400, 'INVALID_ARGUMENT'],
    ['AccessDeniedException', 400, 'UPSTREAM_ERROR'],
    ['UnrecognizedClientException', 400, 'UPSTREAM_ERROR'],
    ['ExpiredTokenException', 400, 'UPSTREAM_ERROR'],
    ['ProvisionedThroughputExceededException', 400, 'UNAVAILABLE'],
    ['ThrottlingException', 400, 'UNAVAILABLE'],
    ['RequestLimitExceeded', 400, 'UNAVAILABLE'],
    ['InternalServerError', 500, 'UNAVAILABLE'],
    ['TimeoutError', undefined, 'TIMEOUT'],
    ['SomethingNew', 400, 'UPSTREAM_ERROR'],
  ])('%s (%s) → %s', (name, status, code) => {
    const error = dynamoError(sdkError(name, status), ctx());
    expect(error.code).toBe(code);
    expect(error.hint.length).toBeGreaterThan(0);
    expect(error.detail).toMatchObject({ connector: 'ddb', operation: 'Query', upstreamCode: name, requestId: 'RID-1' });
  });

  it('an aborted signal wins: CANCELLED, or TIMEOUT for a timeout signal', () => {
    const controller = new AbortController();
    controller.abort();
    expect(dynamoError(sdkError('AbortError', undefined), ctx(controller.signal)).code).toBe('CANCELLED');
    const timedOut = new AbortController();
    timedOut.abort(new DOMException('late', 'TimeoutError'));
    expect(dynamoError(sdkError('AbortError', undefined), ctx(timedOut.signal)).code).toBe('TIMEOUT');
  });

  it('scrubs registered secrets and credential shapes from upstream messages', () => {
    registerSecret('ddb-unit-secret-XYZ123456');
    const error = dynamoError(sdkError('ValidationException', 400, 'oops ddb-unit-secret-XYZ123456 AKIAABCDEFGHIJKLMNOP'), ctx());
    const shown = JSON.stringify({ m: error.message, d: error.detail });
    expect(shown).not.toContain('ddb-unit-secret-XYZ123456');
    expect(shown).not.toContain('AKIAABCDEFGHIJKLMNOP');
  });

  it('passes DataMcpErrors through and maps non-errors', () => {
    const own = new DataMcpError('NOT_FOUND', 'x', 'y');
    expect(dynamoError(own, ctx())).toBe(own);
    expect(dynamoError('weird', ctx()).code).toBe('UPSTREAM_ERROR');
  });
});

describe('dynamodb paths', () => {
  it('accepts one valid table name inside the allowlist', () => {
    expect(locateTable('orders', undefined, 'ddb')).toBe('orders');
    expect(locateTable('a.b-c_1', ['a.b-c_1'], 'ddb')).toBe('a.b-c_1');
    expect(() => locateTable('other', ['orders'], 'ddb')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    for (const bad of ['', 'ab', 'a/b', '/orders', 'orders/', '..', 'or ders', 'x'.repeat(256), 'ord\u0000ers']) {
      expect(() => locateTable(bad, undefined, 'ddb'), bad).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
    }
  });

  it('accepts only table names as cursors', () => {
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor('orders')).toBe('orders');
    expect(() => decodeCursor('a b')).toThrow(DataMcpError);
  });
});
