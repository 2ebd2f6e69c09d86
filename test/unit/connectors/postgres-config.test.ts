import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../../src/connectors/postgres/explain.js';
import { locateListing, locateTable, schemaVisible } from '../../../src/connectors/postgres/paths.js';
import { effectiveTimeout } from '../../../src/connectors/postgres/query.js';
import { sslOptions } from '../../../src/connectors/postgres/tls.js';
import { quoteIdentifier, transactionPreamble } from '../../../src/connectors/postgres/transaction.js';
import { DataMcpError } from '../../../src/results/errors.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return e instanceof DataMcpError ? e.code : 'OTHER';
  }
  return 'NONE';
};

describe('postgres TLS options', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-pg-tls-'));
    await writeFile(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('maps the three modes', () => {
    expect(sslOptions({ mode: 'disable' }, 'pg')).toBe(false);
    expect(sslOptions({ mode: 'require' }, 'pg')).toEqual({ rejectUnauthorized: false });
    expect(sslOptions({ mode: 'verify-full' }, 'pg')).toEqual({ rejectUnauthorized: true });
    expect(sslOptions({ mode: 'verify-full', ca_file: join(dir, 'ca.pem') }, 'pg')).toMatchObject({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
  });

  it('an unreadable CA file or a CA file with TLS disabled is CONFIG_ERROR', () => {
    expect(codeOf(() => sslOptions({ mode: 'verify-full', ca_file: join(dir, 'missing.pem') }, 'pg'))).toBe('CONFIG_ERROR');
    expect(codeOf(() => sslOptions({ mode: 'disable', ca_file: join(dir, 'ca.pem') }, 'pg'))).toBe('CONFIG_ERROR');
  });
});

describe('postgres transaction preamble and timeouts', () => {
  it('opens a read-only or read-write transaction with local timeouts', () => {
    expect(transactionPreamble({ readOnly: true, timeoutMs: 1500.7, idleMs: 60_000, schemas: undefined })).toBe(
      'BEGIN TRANSACTION READ ONLY; SET LOCAL statement_timeout = 1500; SET LOCAL idle_in_transaction_session_timeout = 90000',
    );
    expect(transactionPreamble({ readOnly: false, timeoutMs: 10, idleMs: 1, schemas: [] })).toMatch(/^BEGIN TRANSACTION READ WRITE; /);
  });

  it('quotes allowlisted schema names as identifiers in search_path', () => {
    const sql = transactionPreamble({ readOnly: true, timeoutMs: 10, idleMs: 1, schemas: ['sales', 'we"ird; DROP'] });
    expect(sql.endsWith('SET LOCAL search_path = "sales", "we""ird; DROP"')).toBe(true);
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });

  it('refuses non-positive numbers rather than writing them into SQL', () => {
    expect(() => transactionPreamble({ readOnly: true, timeoutMs: 0, idleMs: 1, schemas: undefined })).toThrow(RangeError);
    expect(() => transactionPreamble({ readOnly: true, timeoutMs: Number.NaN, idleMs: 1, schemas: undefined })).toThrow(RangeError);
  });

  it('the timeout is the lower of the ceiling and the request; a bad request value falls back to the ceiling', () => {
    expect(effectiveTimeout(30_000, 5_000)).toBe(5_000);
    expect(effectiveTimeout(30_000, 60_000)).toBe(30_000);
    expect(effectiveTimeout(30_000, 0)).toBe(30_000);
    expect(effectiveTimeout(30_000, Number.NaN)).toBe(30_000);
    expect(effectiveTimeout(30_000, 1.9)).toBe(1);
  });
});

describe('postgres paths', () => {
  it('the root, a schema and a table', () => {
    expect(locateListing('', undefined, 'pg')).toBeUndefined();
    expect(locateListing('sales/', undefined, 'pg')).toBe('sales');
    expect(locateListing('sales', undefined, 'pg')).toBe('sales');
    expect(locateTable('sales/orders', undefined, 'pg')).toEqual({ schema: 'sales', table: 'orders' });
    expect(locateTable('Sales/Orders', undefined, 'pg')).toEqual({ schema: 'Sales', table: 'Orders' });
  });

  it('system schemas and schemas outside the allowlist are NOT_FOUND', () => {
    for (const s of ['pg_catalog', 'pg_toast', 'pg_temp_3', 'information_schema']) expect(schemaVisible(s, undefined)).toBe(false);
    expect(codeOf(() => locateListing('hr/', ['sales'], 'pg'))).toBe('NOT_FOUND');
    expect(codeOf(() => locateTable('hr/people', ['sales'], 'pg'))).toBe('NOT_FOUND');
    expect(codeOf(() => locateTable('pg_catalog/pg_authid', undefined, 'pg'))).toBe('NOT_FOUND');
  });

  it('malformed paths are INVALID_ARGUMENT', () => {
    for (const p of ['sales/orders/', 'sales/orders/x', 'sales', '', '../sales/orders', 'sales/../orders', '/sales/orders', 'sales\\orders', 'sa\u0001les/o']) {
      expect(codeOf(() => locateTable(p, undefined, 'pg'))).toBe('INVALID_ARGUMENT');
    }
    expect(codeOf(() => locateListing('sales/orders/', undefined, 'pg'))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => locateListing('sales/orders', undefined, 'pg'))).toBe('INVALID_ARGUMENT');
  });
});

describe('postgres EXPLAIN parsing', () => {
  it('reads the top plan node', () => {
    expect(parsePlan('[{"Plan": {"Node Type": "Seq Scan", "Plan Rows": 42, "Total Cost": 12.5}}]')).toEqual({ estimatedRows: 42, planCost: 12.5 });
    expect(parsePlan(null)).toEqual({});
    expect(parsePlan('[{}]')).toEqual({});
  });
});
