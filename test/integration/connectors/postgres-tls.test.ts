import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresConnector } from '../../../src/connectors/postgres/index.js';
import type { CallOptions, QueryRequest } from '../../../src/connectors/types.js';
import { failureOf } from '../../helpers/connector-contract.js';
import { pgConfig } from '../../helpers/postgres.js';
import { startPostgresServer, type PostgresServer } from '../../helpers/postgres-server.js';

/** Password authentication and the three TLS modes, against a private cluster (SCRAM + TLS). */
const call = (signal = new AbortController().signal): CallOptions => ({ signal, credentials: { id: 'none' } });
const request = (sql: string, extra: Partial<QueryRequest> = {}): QueryRequest => ({ sql, params: {}, maxRows: 100, dryRun: false, readOnly: true, timeoutMs: 10_000, ...extra });
const PASSWORD = 'Tls-Test-Pa55word!';

describe('postgres connector: passwords and TLS', () => {
  let server: PostgresServer;
  const open: PostgresConnector[] = [];
  const connect = (overrides: Parameters<typeof pgConfig>[0]) => {
    const c = new PostgresConnector('secure', pgConfig({ database: 'postgres', port: server.port, password: PASSWORD, ...overrides }));
    open.push(c);
    return c;
  };
  const usesTls = async (c: PostgresConnector) => {
    const r = await c.query(request('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'), call());
    return r.table.getChild('ssl')?.get(0) as boolean;
  };

  beforeAll(async () => {
    server = await startPostgresServer(PASSWORD);
  });

  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await server?.stop();
  });

  it('mode disable connects in plain text with the right password', async () => {
    expect(await usesTls(connect({ host: '127.0.0.1', ssl: { mode: 'disable' } }))).toBe(false);
  });

  it('mode require encrypts without verifying the certificate', async () => {
    expect(await usesTls(connect({ host: '127.0.0.1', ssl: { mode: 'require' } }))).toBe(true);
  });

  it('mode verify-full accepts a certificate from the CA file that names the host', async () => {
    expect(await usesTls(connect({ host: 'localhost', ssl: { mode: 'verify-full', ca_file: server.caFile } }))).toBe(true);
  });

  it('mode verify-full refuses a host the certificate does not name, and an unknown CA', async () => {
    const wrongHost = await failureOf(connect({ host: '127.0.0.1', ssl: { mode: 'verify-full', ca_file: server.caFile } }).query(request('SELECT 1'), call()));
    expect(wrongHost.code).toBe('UPSTREAM_ERROR');
    expect(wrongHost.message).toMatch(/TLS.*does not match certificate/);
    expect(wrongHost.hint).toMatch(/ssl/);
    const unknownCa = await failureOf(connect({ host: 'localhost', ssl: { mode: 'verify-full' } }).list('', { ...call(), limit: 5 }));
    expect(unknownCa.code).toBe('UPSTREAM_ERROR');
    expect(unknownCa.message).toMatch(/TLS.*unable to verify/);
  });

  it('a wrong password is UPSTREAM_ERROR and neither password appears anywhere in the error', async () => {
    const wrong = 'Wrong-Pa55word-xyz';
    const e = await failureOf(connect({ host: '127.0.0.1', password: wrong, ssl: { mode: 'require' } }).query(request('SELECT 1'), call()));
    expect(e.code).toBe('UPSTREAM_ERROR');
    expect(e.message).toMatch(/password authentication failed/);
    const text = `${e.message} ${e.hint} ${JSON.stringify(e.detail)} ${e.stack ?? ''}`;
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(PASSWORD);
  });

  it('an abort cancels a statement over TLS (the cancel request needs no TLS session)', async () => {
    const c = connect({ host: '127.0.0.1', ssl: { mode: 'require' } });
    const observer = connect({ host: '127.0.0.1', ssl: { mode: 'require' } });
    const controller = new AbortController();
    const pending = c.query(request('SELECT pg_sleep(10) AS tls_sleeper', { timeoutMs: 60_000 }), call(controller.signal));
    const active = async () => {
      const r = await observer.query(request(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%AS tls_sleeper%' AND pid <> pg_backend_pid()`), call());
      return r.table.getChild('n')?.get(0) as number;
    };
    await vi.waitFor(async () => expect(await active()).toBe(1), { timeout: 5_000, interval: 20 });
    controller.abort();
    expect((await failureOf(pending)).code).toBe('CANCELLED');
    expect(await active()).toBe(0);
  });
});
