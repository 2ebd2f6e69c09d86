import { describe, expect, it } from 'vitest';
import { bigqueryCredentialSource } from '../../../src/connectors/bigquery/credentials.js';
import { bigqueryError, scrubGoogleText } from '../../../src/connectors/bigquery/errors.js';
import { locate, locateTable } from '../../../src/connectors/bigquery/paths.js';
import { DataMcpError } from '../../../src/results/errors.js';

const ctx = (signal = new AbortController().signal) => ({ connector: 'bq', operation: 'query', target: 'the query', signal });
const apiError = (code: number | string, reason: string, message = 'upstream says no') => Object.assign(new Error(message), { code, errors: [{ reason, message }] });

describe('bigquery error mapping', () => {
  it('maps reasons and statuses to stable codes', () => {
    const cases: Array<[unknown, string]> = [
      [apiError(400, 'invalidQuery'), 'INVALID_ARGUMENT'],
      [apiError(400, 'bytesBilledLimitExceeded'), 'LIMIT_EXCEEDED'],
      [apiError(400, 'stopped'), 'CANCELLED'],
      [apiError(404, 'notFound'), 'NOT_FOUND'],
      [apiError(403, 'accessDenied'), 'UPSTREAM_ERROR'],
      [apiError(401, 'authError'), 'UPSTREAM_ERROR'],
      [apiError(403, 'rateLimitExceeded'), 'UNAVAILABLE'],
      [apiError(403, 'quotaExceeded'), 'UNAVAILABLE'],
      [apiError(500, 'backendError'), 'UNAVAILABLE'],
      [apiError(503, ''), 'UNAVAILABLE'],
      [apiError(400, 'resourcesExceeded'), 'LIMIT_EXCEEDED'],
      [apiError(400, 'accessDenied'), 'UPSTREAM_ERROR'],
      [apiError(418, 'notFound'), 'NOT_FOUND'],
      [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'UNAVAILABLE'],
      [new Error('something odd'), 'UPSTREAM_ERROR'],
      ['not even an error', 'UPSTREAM_ERROR'],
    ];
    for (const [error, code] of cases) {
      const mapped = bigqueryError(error, ctx());
      expect(mapped.code, JSON.stringify(error)).toBe(code);
      expect(mapped.hint.length).toBeGreaterThan(0);
    }
  });

  it('passes DataMcpErrors through and lets an aborted signal decide', () => {
    const own = new DataMcpError('NOT_FOUND', 'x', 'y');
    expect(bigqueryError(own, ctx())).toBe(own);
    const controller = new AbortController();
    controller.abort();
    expect(bigqueryError(apiError(500, 'backendError'), ctx(controller.signal)).code).toBe('CANCELLED');
    expect(bigqueryError(apiError(500, 'backendError'), ctx(AbortSignal.abort(new DOMException('late', 'TimeoutError')))).code).toBe('TIMEOUT');
  });

  it('scrubs bearer tokens, Google access tokens and known secret shapes from messages', () => {
    const leaky = 'denied for Authorization: Bearer ya29.a0AfH6SMBx-secret_token.value and key AKIAABCDEFGHIJKLMNOP, password=hunter22';
    const mapped = bigqueryError(apiError(403, 'accessDenied', leaky), ctx());
    for (const secret of ['ya29.a0AfH6SMBx', 'secret_token', 'AKIAABCDEFGHIJKLMNOP', 'hunter22']) expect(mapped.message).not.toContain(secret);
    expect(scrubGoogleText('token ya29.abc-DEF_123 end')).toBe('token [REDACTED] end');
    expect(scrubGoogleText('bearer abc.def')).toBe('Bearer [REDACTED]');
  });

  it('cuts long upstream messages short', () => {
    const mapped = bigqueryError(apiError(400, 'invalidQuery', 'x'.repeat(5000)), ctx());
    expect(mapped.message.length).toBeLessThan(600);
  });
});

describe('bigquery paths and credentials', () => {
  it('locates project, dataset and table levels, honouring the allowlist', () => {
    expect(locate('', undefined, 'bq')).toEqual({ level: 'project' });
    expect(locate('ds/', undefined, 'bq')).toEqual({ level: 'dataset', dataset: 'ds', isPrefix: true });
    expect(locate('ds/my table-1', undefined, 'bq')).toEqual({ level: 'table', dataset: 'ds', table: 'my table-1', isPrefix: false });
    expect(locateTable('ds/t', ['ds'], 'bq')).toEqual({ dataset: 'ds', table: 't' });
    expect(() => locate('other/', ['ds'], 'bq')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    for (const bad of ['ds.x/', 'ds/t$1', 'ds/t/u', 'ds/*', '../ds/', 'ds//t']) {
      expect(() => locate(bad, undefined, 'bq'), bad).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
    }
    expect(() => locateTable('ds/', undefined, 'bq')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
  });

  it("prefers the principal's material, then connector credentials, then ADC; refuses missing material", () => {
    const material = { kind: 'gcp' as const, impersonate: 'a@p.iam.gserviceaccount.com' };
    expect(bigqueryCredentialSource({ id: 'gcp:impersonate:a@p.iam.gserviceaccount.com', gcpMaterial: material }, {})).toEqual({ key: 'scope:gcp:impersonate:a@p.iam.gserviceaccount.com', material });
    expect(bigqueryCredentialSource({ id: 'gcp:default' }, { credentials: { key_file: '/k.json' } })).toEqual({ key: 'connector', material: { kind: 'gcp', keyFile: '/k.json' } });
    expect(bigqueryCredentialSource({ id: 'gcp:default' }, {})).toEqual({ key: 'adc' });
    expect(() => bigqueryCredentialSource({ id: 'gcp:key:abc' }, { credentials: { key_file: '/k.json' } })).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }) as Error);
  });
});
