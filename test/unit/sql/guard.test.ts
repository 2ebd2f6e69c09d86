import { describe, expect, it } from 'vitest';
import { guardSql } from '../../../src/sql/index.js';
import { DataMcpError } from '../../../src/results/errors.js';

async function refusal(promise: Promise<unknown>): Promise<DataMcpError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DataMcpError);
  return error as DataMcpError;
}

describe('guardSql API', () => {
  it('maps :name to $n for PostgreSQL, leaving casts, strings and comments alone', async () => {
    const sql = "SELECT a::int FROM t WHERE b = :b AND c = ':b' /* :b */ AND d = :é_not AND e = :c AND f = :b";
    const out = await guardSql(sql.replace(':é_not', ':d'), 'postgres', { allowWrite: false });
    expect(out.params).toEqual(['b', 'd', 'c']);
    expect(out.positionalSql).toBe("SELECT a::int FROM t WHERE b = $1 AND c = ':b' /* :b */ AND d = $2 AND e = $3 AND f = $1");
    expect(out.sql).toBe(sql.replace(':é_not', ':d'));
  });

  it('keeps byte offsets right after multi-byte characters', async () => {
    const out = await guardSql("SELECT 'ünïcødé', :p", 'redshift', { allowWrite: false });
    expect(out.positionalSql).toBe("SELECT 'ünïcødé', $1");
  });

  it('reports statement kind, read-only flag and unqualified tables without a default schema', async () => {
    const out = await guardSql('SELECT * FROM t', 'postgres', { allowWrite: false });
    expect(out).toMatchObject({ statementKind: 'select', readOnly: true, tables: [{ name: 't', access: 'read' }] });
    expect(out.tables[0]).not.toHaveProperty('schema');
    const explain = await guardSql('EXPLAIN SELECT 1', 'postgres', { allowWrite: false });
    expect(explain.statementKind).toBe('explain');
  });

  it('refuses writes without a grant as POLICY_DENIED with a hint for the model', async () => {
    const error = await refusal(guardSql('DELETE FROM s.t', 'postgres', { allowWrite: false }));
    expect(error.code).toBe('POLICY_DENIED');
    expect(error.detail).toMatchObject({ reason: 'sql_write_not_allowed', tables: ['s.t'] });
    expect(error.hint).toMatch(/SELECT/);
  });

  it('honours a custom size limit in UTF-8 bytes', async () => {
    const error = await refusal(guardSql("SELECT 'éé'", 'bigquery', { allowWrite: false, maxLength: 12 }));
    expect(error.detail).toMatchObject({ reason: 'sql_too_long', bytes: 13, maxBytes: 12 });
  });

  it('refuses an unknown dialect', async () => {
    const error = await refusal(guardSql('SELECT 1', 'mysql' as never, { allowWrite: false }));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('keeps working after pathological input', async () => {
    for (const dialect of ['postgres', 'bigquery'] as const) {
      for (let i = 0; i < 20; i++) {
        await refusal(guardSql('SELECT ' + '('.repeat(10_000 + i) + '1' + ')'.repeat(10_000 + i), dialect, { allowWrite: false }));
      }
      const out = await guardSql('SELECT a FROM d.t', dialect, { allowWrite: false });
      expect(out.tables).toEqual([{ schema: 'd', name: 't', access: 'read' }]);
    }
  });
});
