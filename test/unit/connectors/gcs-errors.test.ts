import { describe, expect, it } from 'vitest';
import { gcsError, untilAborted } from '../../../src/connectors/gcs/errors.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { registerSecret } from '../../../src/results/scrub.js';

const ctx = (extra: { signal?: AbortSignal; pinned?: boolean } = {}) => ({ connector: 'lake', operation: 'objects.get', path: 'bucket/dir/file.csv', signal: extra.signal ?? new AbortController().signal, ...(extra.pinned ? { pinned: true } : {}) });

/** The SDK's ApiError: HTTP status in `code`, reasons in `errors`, the raw response alongside. */
function apiError(code: number | string, message = `status ${String(code)}`, reason?: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { code, ...(reason ? { errors: [{ reason, message }] } : {}), ...extra });
}

describe('gcs error mapping', () => {
  it.each([
    [404, 'NOT_FOUND'],
    [403, 'UPSTREAM_ERROR'],
    [401, 'UPSTREAM_ERROR'],
    [412, 'INVALID_ARGUMENT'],
    [416, 'INVALID_ARGUMENT'],
    [408, 'TIMEOUT'],
    [429, 'UNAVAILABLE'],
    [500, 'UNAVAILABLE'],
    [503, 'UNAVAILABLE'],
    [400, 'UPSTREAM_ERROR'],
    ['ECONNREFUSED', 'UNAVAILABLE'],
    ['ECONNRESET', 'UNAVAILABLE'],
    ['ETIMEDOUT', 'TIMEOUT'],
  ] as const)('maps %s to %s', (code, expected) => {
    const error = gcsError(apiError(code), ctx());
    expect(error).toBeInstanceOf(DataMcpError);
    expect(error.code).toBe(expected);
    expect(error.hint.length).toBeGreaterThan(0);
  });

  it('reads the status of gaxios errors (resumable uploads) from `status` or `response.status`', () => {
    expect(gcsError(Object.assign(new Error('Request failed with status code 412'), { status: 412 }), ctx()).detail).toMatchObject({ precondition: 'object_exists' });
    expect(gcsError(Object.assign(new Error('Request failed'), { response: { status: 404 } }), ctx()).code).toBe('NOT_FOUND');
  });

  it('gives a create-only conflict its own message and detail', () => {
    const error = gcsError(apiError(412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet'), { ...ctx(), operation: 'objects.insert' });
    expect(error.message).toContain('already exists');
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.hint).toContain('replace_data');
    expect(error.detail).toMatchObject({ reason: 'exists', precondition: 'object_exists', httpStatusCode: 412, upstreamReason: 'conditionNotMet' });
  });

  it('maps 404/412 on a pinned read to "changed while it was being read"', () => {
    for (const status of [404, 412]) {
      const error = gcsError(apiError(status), ctx({ pinned: true }));
      expect(error.code).toBe('UPSTREAM_ERROR');
      expect(error.detail).toMatchObject({ precondition: 'generation_changed' });
    }
  });

  it('names credential problems without a status (ADC missing) as credential problems', () => {
    const error = gcsError(new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication'), ctx());
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.hint).toMatch(/credentials/);
  });

  it('scrubs registered secrets and credential shapes, and never copies the SDK response', () => {
    registerSecret('my-very-private-gcs-secret');
    const error = gcsError(
      apiError(403, 'denied my-very-private-gcs-secret Bearer-less token=ya29.a0AfH6SMBx', 'forbidden', { response: { headers: { authorization: 'Bearer ya29.zzz', 'x-guploader-uploadid': 'UP-1' } } }),
      ctx(),
    );
    const all = JSON.stringify({ m: error.message, h: error.hint, d: error.detail });
    expect(all).not.toContain('my-very-private-gcs-secret');
    expect(all).not.toContain('ya29');
    expect(error.detail).toMatchObject({ requestId: 'UP-1', httpStatusCode: 403 });
  });

  it('prefers the signal: an aborted call is CANCELLED or TIMEOUT whatever the SDK threw', () => {
    expect(gcsError(apiError(500), ctx({ signal: AbortSignal.abort() })).code).toBe('CANCELLED');
    expect(gcsError(apiError(500), ctx({ signal: AbortSignal.abort(new DOMException('late', 'TimeoutError')) })).code).toBe('TIMEOUT');
  });

  it('passes DataMcpErrors through unchanged', () => {
    const original = new DataMcpError('INVALID_ARGUMENT', 'x', 'y');
    expect(gcsError(original, ctx())).toBe(original);
  });

  it('untilAborted settles on the signal even when the SDK call never does', async () => {
    const controller = new AbortController();
    const pending = untilAborted(new Promise<never>(() => undefined), controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });
});
