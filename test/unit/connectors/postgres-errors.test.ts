import { describe, expect, it } from 'vitest';
import { pgError } from '../../../src/connectors/postgres/errors.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { registerSecret } from '../../../src/results/scrub.js';

/** The mapping of node-postgres failures to stable codes, with what each message may carry. */
const live = new AbortController().signal;
const ctx = { connector: 'pg', operation: 'query', signal: live, timeoutMs: 1500 };
const dbError = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, severity: 'ERROR', ...extra });

describe('postgres error mapping', () => {
  it('SQL errors are INVALID_ARGUMENT with the engine message and position', () => {
    const e = pgError(dbError('42P01', 'relation "nope" does not exist', { position: '15' }), ctx);
    expect(e.code).toBe('INVALID_ARGUMENT');
    // The engine's text is framed as untrusted data (it can echo values); the position is ours.
    expect(e.message).toMatch(/<untrusted-data-[0-9a-f]{16}> relation "nope" does not exist <\/untrusted-data-[0-9a-f]{16}> \(at character 15\)/);
    expect(e.detail).toMatchObject({ sqlstate: '42P01', connector: 'pg' });
    for (const code of ['42601', '42703', '22012', '0A000', '23505', '54001', '08P01', '21000']) {
      expect(pgError(dbError(code, 'x'), ctx).code).toBe('INVALID_ARGUMENT');
    }
    expect(pgError(dbError('42601', 'cannot insert multiple commands into a prepared statement'), ctx).hint).toMatch(/one SQL statement/);
  });

  it('57014 is TIMEOUT unless the connector cancelled it; then the signal decides', () => {
    expect(pgError(dbError('57014', 'canceling statement due to statement timeout'), ctx).code).toBe('TIMEOUT');
    expect(pgError(dbError('57014', 'canceling statement due to statement timeout'), ctx).message).toContain('1500 ms');
    const user = new AbortController();
    user.abort();
    expect(pgError(dbError('57014', 'canceling statement due to user request'), { ...ctx, signal: user.signal, cancelled: true }).code).toBe('CANCELLED');
    const timed = new AbortController();
    timed.abort(new DOMException('late', 'TimeoutError'));
    expect(pgError(dbError('57014', 'x'), { ...ctx, signal: timed.signal, cancelled: true }).code).toBe('TIMEOUT');
  });

  it('read-only violations say so', () => {
    const e = pgError(dbError('25006', 'cannot execute INSERT in a read-only transaction'), ctx);
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/read-only/);
    expect(e.hint).toMatch(/SELECT/);
  });

  it('login, privilege and database problems are UPSTREAM_ERROR for the operator', () => {
    for (const code of ['28P01', '28000', '42501', '3D000']) {
      const e = pgError(dbError(code, 'x'), ctx);
      expect(e.code).toBe('UPSTREAM_ERROR');
      expect(e.hint).toMatch(/operator/);
    }
  });

  it('transient server states and network failures are UNAVAILABLE', () => {
    for (const code of ['40001', '40P01', '53300', '57P01', '57P03', '08006', '55P03']) expect(pgError(dbError(code, 'x'), ctx).code).toBe('UNAVAILABLE');
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT']) {
      expect(pgError(Object.assign(new Error(`connect ${code} 10.0.0.1:5432`), { code }), ctx).code).toBe('UNAVAILABLE');
    }
    expect(pgError(new Error('timeout exceeded when trying to connect'), ctx).code).toBe('UNAVAILABLE');
    expect(pgError(new Error('Connection terminated unexpectedly'), ctx).code).toBe('UNAVAILABLE');
  });

  it('TLS failures are UPSTREAM_ERROR pointing at the ssl settings', () => {
    const e = pgError(Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), ctx);
    expect(e.code).toBe('UPSTREAM_ERROR');
    expect(e.hint).toMatch(/ssl\.mode/);
    expect(pgError(new Error('The server does not support SSL connections'), ctx).code).toBe('UPSTREAM_ERROR');
  });

  it('scrubs secrets and connection strings out of any message', () => {
    registerSecret('pg-unit-secret-value');
    const e = pgError(dbError('22P02', 'invalid input syntax: "pg-unit-secret-value" from postgres://app:hunter22@db:5432/x'), ctx);
    expect(e.message).not.toContain('pg-unit-secret-value');
    expect(e.message).not.toContain('hunter22');
  });

  it('an aborted signal wins over whatever the driver threw; DataMcpErrors pass through', () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(pgError(new Error('Connection terminated'), { ...ctx, signal: aborted.signal }).code).toBe('CANCELLED');
    const own = new DataMcpError('NOT_FOUND', 'x', 'y');
    expect(pgError(own, ctx)).toBe(own);
    expect(pgError('a string', ctx).code).toBe('UPSTREAM_ERROR');
  });
});
