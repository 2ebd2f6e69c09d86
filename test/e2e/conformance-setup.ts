import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_DEMO_DATA_DIR } from '../../src/config/paths.js';
import { TOOLSETS } from '../../src/config/schema.js';
import { cliEnv } from '../helpers/cli.js';
import { createTestSchemas, PG_DATABASE, PG_HOST, PG_PORT, PG_USER, type TestSchemas } from '../helpers/postgres.js';

/**
 * The widest server the config allows: every toolset, writable, the destructive tier served,
 * one service account granted everything the bundled policies grant (so every tool can succeed),
 * a writable scratch folder, the demo data, and the machine's PostgreSQL in a private schema
 * holding a small table and a view that sleeps (the guard refuses pg_sleep in agent SQL, but an
 * operator's view may be slow: that is the slow call cancellation is tested on).
 */
export interface ConformanceServer {
  env: Record<string, string>;
  configPath: string;
  schema: string;
  db: TestSchemas;
}

export async function prepareConformanceServer(): Promise<ConformanceServer> {
  const db = await createTestSchemas();
  const schema = db.schema();
  await db.admin.query(`CREATE TABLE "${schema}".items (id int PRIMARY KEY, name text)`);
  await db.admin.query(`INSERT INTO "${schema}".items SELECT g, 'item ' || g FROM generate_series(1, 120) g`);
  await db.admin.query(`CREATE VIEW "${schema}".slow AS SELECT pg_sleep(30) IS NULL AS slept, 1 AS one`);
  const env = cliEnv();
  const scratch = join(env.XDG_STATE_HOME as string, 'scratch');
  mkdirSync(scratch);
  const config = {
    server: { env: 'dev', toolsets: [...TOOLSETS], read_only: false, allow_destructive: true },
    auth: {
      mode: 'none',
      default_service_account: 'full',
      service_accounts: [{ id: 'full', roles: ['reader', 'restricted-reader', 'writer', 'data-steward'] }],
    },
    connectors: {
      demo: { kind: 'local', root: BUNDLED_DEMO_DATA_DIR, annotations: { '': { classification: 'public' } } },
      scratch: { kind: 'local', root: scratch },
      pg: { kind: 'postgres', host: PG_HOST, port: PG_PORT, database: PG_DATABASE, user: PG_USER, schemas: [schema], statement_timeout_ms: 60_000 },
    },
  };
  // JSON is YAML: no serializer needed.
  const configPath = join(env.XDG_STATE_HOME as string, 'conformance.yaml');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { env, configPath, schema, db };
}
