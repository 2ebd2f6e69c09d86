import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../helpers/harness.js';
import { createTestSchemas, pgConfig, type TestSchemas } from '../../../helpers/postgres.js';
import { assertUniqueIds, rows } from './case.js';
import { SQL_CASES } from './sql-cases.js';
import { attack, recordCase } from './verdict.js';

/**
 * The SQL table of the adversarial corpus against the machine's PostgreSQL, through a real MCP
 * client. The connector logs in as a superuser (trust auth), so the guard, the policy and the
 * read-only transaction are all that stand between the agent and the database: every case
 * also checks that nothing changed and that no restricted or hidden value came back.
 */
const SALARY_MARKER = 'salary-canary-7f3a';
const VAULT_MARKER = 'vault-canary-91c2';
const PWNED_FILE = '/tmp/data-mcp-pwned';

let db: TestSchemas;
let h: Harness;
let names: Record<string, string>;

/** Everything an attack could change, read as the admin. */
async function snapshot(): Promise<Record<string, unknown>> {
  const s = db.schema();
  const { rows: [row] } = await db.admin.query(
    `SELECT (SELECT count(*)::int FROM "${s}".canary) AS n,
            (SELECT coalesce(sum(v), 0)::int FROM "${s}".canary) AS total,
            (SELECT count(*)::int FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = ANY($1)) AS relations,
            (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace WHERE ns.nspname = ANY($1)) AS functions,
            (SELECT is_called FROM "${s}".seq) AS seq_called,
            (SELECT count(*)::int FROM pg_largeobject_metadata) AS large_objects`,
    [[s, db.schema('hr'), db.schema('hidden')]],
  );
  return row as Record<string, unknown>;
}

function expand(sql: string): string {
  return sql.replace(/\{(s|hr|HR|hrU|hidden)\}/g, (_m, key: string) => names[key]!);
}

beforeAll(async () => {
  db = await createTestSchemas(['', 'hr', 'hidden']);
  const [s, hr, hidden] = [db.schema(), db.schema('hr'), db.schema('hidden')];
  names = {
    s: `"${s}"`,
    hr: hr,
    HR: hr.toUpperCase(),
    // U&"\0064m_pg_…": the same schema name with its first letter written as a Unicode escape.
    hrU: `U&"\\0064${hr.slice(1)}"`,
    hidden: `"${hidden}"`,
  };
  await db.admin.query(`
    CREATE TABLE "${s}".orders AS SELECT g AS id, CASE WHEN g % 2 = 0 THEN 'north' ELSE 'south' END AS region, g * 10 AS amount FROM generate_series(1, 20) g;
    CREATE TABLE "${s}".canary (v int);
    INSERT INTO "${s}".canary VALUES (1), (2), (3);
    CREATE SEQUENCE "${s}".seq;
    CREATE TABLE "${hr}".salaries (who text, pay int);
    INSERT INTO "${hr}".salaries VALUES ('${SALARY_MARKER}', 100);
    CREATE TABLE "${hidden}".vault (secret text);
    INSERT INTO "${hidden}".vault VALUES ('${VAULT_MARKER}');`);
  h = await startHarness({
    config: {
      server: { env: 'dev', toolsets: ['catalog', 'data'], limits: { call_timeout_ms: 15_000 } },
      auth: { mode: 'none', default_service_account: 'analyst', service_accounts: [{ id: 'analyst', roles: ['reader'] }] },
      connectors: { db: { ...pgConfig({ schemas: [s, hr], statement_timeout_ms: 5_000 }), annotations: { [`${hr}/`]: { classification: 'restricted' } } } },
    },
  });
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
});

describe('adversarial corpus: SQL through the query tool', () => {
  assertUniqueIds(SQL_CASES);

  it.for(rows(SQL_CASES))('%s', async ([, c], context) => {
    const before = await snapshot();
    const args = { connector: 'db', ...c.input, sql: expand(c.input.sql) };
    const { result, verdict } = await attack(h, c, 'query', args);
    const after = await snapshot();
    const problems = [...verdict.problems];
    let bypass = verdict.bypass;
    const effect = (what: string) => {
      bypass = true;
      problems.push(what);
    };
    if (JSON.stringify(after) !== JSON.stringify(before)) effect(`the database changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    if (existsSync(PWNED_FILE)) effect(`${PWNED_FILE} was written`);
    const out = JSON.stringify(result);
    if (out.includes(SALARY_MARKER) || out.includes(VAULT_MARKER)) effect('a restricted or hidden value came back');
    if (!result.isError) {
      const tables = (result.structuredContent?.tables ?? []) as string[];
      const outside = tables.filter((t) => !t.startsWith(`${db.schema()}/`));
      if (outside.length > 0) effect(`read tables outside the grant: ${outside.join(', ')}`);
    }
    recordCase(context, c, bypass);
    expect(problems).toEqual([]);
  });

  it('a plain read still works after the corpus (the connection pool is not wedged)', async () => {
    const result = await h.call('query', { connector: 'db', sql: `SELECT count(*)::int AS n FROM "${db.schema()}".canary` });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent?.rows).toEqual([[3]]);
  });
});
