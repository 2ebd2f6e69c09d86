import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PostgresConnectorConfig } from '../../src/config/schema.js';

/**
 * The machine's PostgreSQL (127.0.0.1:5432, trust auth, database `test`; see
 * shared/notes/test-backends.md). Each test file works in schemas of its own, named
 * `dm_pg_<random>`, so files can run in parallel; `drop()` removes them.
 */
export const PG_HOST = '127.0.0.1';
export const PG_PORT = 5432;
export const PG_DATABASE = 'test';
export const PG_USER = 'postgres';

export function pgConfig(overrides: Partial<PostgresConnectorConfig> = {}): PostgresConnectorConfig {
  return {
    kind: 'postgres',
    host: PG_HOST,
    port: PG_PORT,
    database: PG_DATABASE,
    user: PG_USER,
    ssl: { mode: 'disable' },
    pool_max: 5,
    statement_timeout_ms: 30_000,
    annotations: {},
    ...overrides,
  };
}

export interface TestSchemas {
  /** Unique token (also usable as a SQL comment marker to find this file's backends). */
  token: string;
  schema(suffix?: string): string;
  admin: pg.Client;
  drop(): Promise<void>;
}

/** Connects an admin client and creates the given schemas (`dm_pg_<token>` + `_suffix`). */
export async function createTestSchemas(suffixes: string[] = ['']): Promise<TestSchemas> {
  const token = randomBytes(5).toString('hex');
  const name = (suffix = '') => `dm_pg_${token}${suffix ? `_${suffix}` : ''}`;
  const admin = new pg.Client({ host: PG_HOST, port: PG_PORT, database: PG_DATABASE, user: PG_USER });
  await admin.connect();
  for (const s of suffixes) await admin.query(`CREATE SCHEMA "${name(s)}"`);
  return {
    token,
    schema: name,
    admin,
    drop: async () => {
      for (const s of suffixes) await admin.query(`DROP SCHEMA IF EXISTS "${name(s)}" CASCADE`);
      await admin.end();
    },
  };
}

/** Backends (other than the admin's) whose current or last statement contains `marker`. */
export async function backendsRunning(admin: pg.Client, marker: string, state: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = $2 AND position($1 in query) > 0`,
    [marker, state],
  );
  return rows[0]?.n ?? -1;
}
