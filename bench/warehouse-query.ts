import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORDER_COLUMNS, type BenchDatabase } from './pg-fixture.js';
import { connect, hasRows, isCacheOf, roundTrips } from './round-trip.js';
import { DATA_MCP_SERVER, ECHO_SERVER, type BenchEnvironment, type ServerCommand } from './servers.js';
import { summarize, type Summary } from './stats.js';

export interface QueryRoundTrips {
  /** The echo floor measured beside the hits (its own series: it shares their noise). */
  echo: Summary;
  hit: Summary;
  /** Reference: distinct SQL per call, so every call parses, authorizes and runs on PostgreSQL. */
  miss: Summary;
  bytes: { echo: number; query: number };
}

export interface QuerySizes {
  warmup: number;
  n: number;
  missWarmup: number;
  missN: number;
}

const CONNECTOR = 'warehouse';
/** Rows in the table: a few thousand, so a 50-row page is a real LIMIT, not the whole table. */
export const QUERY_TABLE_ROWS = 5_000;

/**
 * A config for `data-mcp serve --config`: a postgres connector over the bench schema, auth
 * mode none with a `reader` service account, the memory cache, and the audit log in the
 * bench's private state dir.
 */
function writeConfig(db: BenchDatabase, bench: BenchEnvironment): string {
  const config = {
    server: { env: 'dev', toolsets: ['catalog', 'data'] },
    auth: { mode: 'none', default_service_account: 'reader', service_accounts: [{ id: 'reader', roles: ['reader'] }] },
    connectors: { [CONNECTOR]: db.connectorConfig() },
    audit: { path: join(bench.stateDir, 'query-audit.jsonl') },
  };
  const path = join(bench.stateDir, 'query-config.yaml');
  // JSON is YAML: the server's loader reads it as a config file like any other.
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

async function responseBytes(client: Client, tool: string, args: Record<string, unknown>): Promise<number> {
  return Buffer.byteLength(JSON.stringify(await client.callTool({ name: tool, arguments: args })));
}

/**
 * `query` over stdio against `node dist/cli.js serve --config …` on PostgreSQL. Cache hits of
 * a 50-row SELECT are interleaved with echo calls (each answer checked to say `cache: "hit"`
 * with 50 rows); then cache misses — a different `WHERE order_id > n` per call — interleaved
 * with echo again, as a reference figure. The SQL guard and the policy run on every call,
 * hits included (authorization needs the tables the SQL names).
 */
export async function queryRoundTrips(db: BenchDatabase, bench: BenchEnvironment, sizes: QuerySizes): Promise<QueryRoundTrips> {
  await db.createOrders('orders', QUERY_TABLE_ROWS);
  const server: ServerCommand = { label: 'data-mcp (postgres)', command: DATA_MCP_SERVER.command, args: [...DATA_MCP_SERVER.args, '--config', writeConfig(db, bench)] };
  const echo = await connect(ECHO_SERVER, bench);
  const dataMcp = await connect(server, bench);
  try {
    const hitArgs = { connector: CONNECTOR, sql: `SELECT ${ORDER_COLUMNS} FROM ${db.table('orders')} ORDER BY order_id LIMIT 50` };
    // The first call fills the cache; every measured one must then be a hit.
    const first = await dataMcp.callTool({ name: 'query', arguments: hitArgs });
    if (first.isError) throw new Error(`query failed on the bench server: ${JSON.stringify(first.content).slice(0, 500)}`);
    const bytes = { echo: await responseBytes(echo, 'echo', {}), query: await responseBytes(dataMcp, 'query', hitArgs) };
    const echoProbe = { label: 'echo', client: echo, tool: 'echo', args: {}, check: hasRows(50) };
    const [e, hit] = await roundTrips([echoProbe, { label: 'query (hit)', client: dataMcp, tool: 'query', args: hitArgs, check: isCacheOf('hit', 50) }], sizes.warmup, sizes.n);

    let bound = 0;
    const missArgs = () => ({ connector: CONNECTOR, sql: `SELECT ${ORDER_COLUMNS} FROM ${db.table('orders')} WHERE order_id > ${++bound} ORDER BY order_id LIMIT 50` });
    if (sizes.missWarmup + sizes.missN >= QUERY_TABLE_ROWS - 50) throw new Error('too many cache-miss calls for the table: later ones would return fewer than 50 rows');
    const [, miss] = await roundTrips([echoProbe, { label: 'query (miss)', client: dataMcp, tool: 'query', args: missArgs, check: isCacheOf('miss', 50) }], sizes.missWarmup, sizes.missN);
    return { echo: summarize(e!), hit: summarize(hit!), miss: summarize(miss!), bytes };
  } finally {
    await Promise.all([echo.close(), dataMcp.close()]);
  }
}
