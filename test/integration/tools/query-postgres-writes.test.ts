import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startHarness, type Harness } from '../../helpers/harness.js';
import { createTestSchemas, pgConfig, type TestSchemas } from '../../helpers/postgres.js';
import { auditCalls, errorOf } from './support.js';

/**
 * SQL writes and the destructive tier: INSERT adds rows and needs `write`; UPDATE, DELETE and
 * MERGE change or remove existing rows, so, like replace_data and delete_data, they also need
 * `server.allow_destructive` and the `delete` grant on every table they write.
 */
describe('query: SQL that changes existing rows is the destructive tier', () => {
  let db: TestSchemas;
  let s: string;
  const harnesses: Harness[] = [];

  async function server(allowDestructive: boolean, roles: string[]): Promise<Harness> {
    const h = await startHarness({
      config: {
        server: { env: 'dev', toolsets: ['catalog', 'data'], read_only: false, allow_destructive: allowDestructive },
        auth: { mode: 'none', default_service_account: 'sa', service_accounts: [{ id: 'sa', roles }] },
        connectors: { db: pgConfig({ schemas: [s] }) },
      },
    });
    harnesses.push(h);
    return h;
  }

  const total = async () => (await db.admin.query(`SELECT count(*)::int AS n, coalesce(sum(amount), 0)::int AS amount FROM "${s}".orders`)).rows[0] as { n: number; amount: number };

  beforeAll(async () => {
    db = await createTestSchemas();
    s = db.schema();
    await db.admin.query(`CREATE TABLE "${s}".orders (id int PRIMARY KEY, amount int); INSERT INTO "${s}".orders SELECT g, g FROM generate_series(1, 10) g;
      CREATE TABLE "${s}".staged (id int, amount int); INSERT INTO "${s}".staged VALUES (1, 100);`);
  });

  afterAll(async () => {
    for (const h of harnesses) await h.close();
    await db?.drop();
  });

  const destructive = () => [
    `UPDATE "${s}".orders SET amount = 0`,
    `DELETE FROM "${s}".orders WHERE id > 0`,
    `MERGE INTO "${s}".orders o USING "${s}".staged t ON o.id = t.id WHEN MATCHED THEN DELETE`,
  ];

  it('a writable server without the destructive tier runs INSERT but refuses UPDATE, DELETE and MERGE, audited, rows untouched', async () => {
    const h = await server(false, ['reader', 'writer', 'data-steward']);
    const inserted = await h.call('query', { connector: 'db', sql: `INSERT INTO "${s}".orders VALUES (11, 11)` });
    expect(inserted.isError).toBeFalsy();
    const before = await total();
    expect(before).toEqual({ n: 11, amount: 66 });
    for (const sql of destructive()) {
      const refused = await h.call('query', { connector: 'db', sql });
      expect(errorCode(refused), sql).toBe('POLICY_DENIED');
      expect(errorOf(refused).hint).toMatch(/allow_destructive/);
      expect(auditCalls(h.auditPath).at(-1)!.outcome.status).toBe('denied');
    }
    expect(await total()).toEqual(before);
  });

  it('with the tier on, a writer without delete is still refused (the request names delete)', async () => {
    const h = await server(true, ['reader', 'writer']);
    const before = await total();
    for (const sql of destructive()) {
      expect(errorCode(await h.call('query', { connector: 'db', sql })), sql).toBe('POLICY_DENIED');
      const record = auditCalls(h.auditPath).at(-1)!;
      expect(record.requests.find((r) => r.action === 'delete')?.allowed).toBe(false);
    }
    expect(await total()).toEqual(before);
  });

  it('with the tier on and delete granted, UPDATE runs', async () => {
    const h = await server(true, ['reader', 'writer', 'data-steward']);
    const result = await h.call('query', { connector: 'db', sql: `UPDATE "${s}".orders SET amount = 0 WHERE id = 11` });
    expect(result.isError).toBeFalsy();
    expect(await total()).toEqual({ n: 11, amount: 55 });
    expect(auditCalls(h.auditPath).at(-1)!.requests.map((r) => r.action).sort()).toEqual(['delete', 'query', 'write']);
  });
});
