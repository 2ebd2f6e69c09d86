import { generateKeyPairSync } from 'node:crypto';
import type * as FsModule from 'node:fs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { createLogger } from '../../../src/logging/logger.js';
import { createRuntime, type Runtime } from '../../../src/runtime.js';
import { createServer } from '../../../src/server.js';
import { errorCode, type CallResult } from '../../helpers/harness.js';
import { token } from '../tools/tokens.js';
import { recordFigure } from '../../security/figures.js';
import { captureProcessStderr, stderrCapture } from './stderr-capture.js';

/**
 * Canary secrets (issue 6, part 3). Config and env secrets are planted where an operator puts
 * them — AWS keys on s3 connectors via ${ENV}, a GCP service-account key file, a Redis password
 * in cache.redis_url, the HS256 secret — then every served tool is run (successes, denials, bad
 * paths, unreachable and hostile upstreams) and every byte that leaves is searched: results
 * (text, structuredContent, _meta), resource reads, progress notifications, stderr (the real
 * logger at debug level) and the audit file. Each canary must appear 0 times in each.
 *
 * A presigned-URL signature planted inside a CSV cell is data: reading it back is the product
 * working, so it is required to come back in the read_data result (which also proves the sinks
 * are searched at all) and required never to reach stderr or the audit file.
 */
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof FsModule>();
  const { capture } = await import('./stderr-capture.js');
  const writeSync = capture(real.writeSync);
  return { ...real, writeSync, default: { ...real, writeSync } };
});

const AKID = 'AKIACANARY7Q2W3E4R5T';
const AWS_SECRET = 'CanaryAwsSecret/0123456789+abcdefghijklm';
const REDIS_PASSWORD = 'CanaryRedisPw5eed9c0ffee77';
const JWT_SECRET = 'CanaryJwtHs256Secret-9f8e7d6c5b4a39281706';
const GCP_KEY_ID = 'canary0gcp0key0id0a1b2c3d4e5f60718293a4b5';
const DATA_SIGNATURE = 'CanaryDataSig0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e';
const ENV = { CANARY_AWS_KEY_ID: AKID, CANARY_AWS_SECRET: AWS_SECRET, CANARY_REDIS_PASSWORD: REDIS_PASSWORD, CANARY_JWT_SECRET: JWT_SECRET };

const sinks = { results: [] as string[], progress: [] as string[] };
let base: string;
let auditPath: string;
let pemLine: string;
let echo: HttpServer;
const echoed: string[] = [];
let runtime: Runtime;
let client: Client;
let server: ReturnType<typeof createServer>;
const served: string[] = [];
const codes: Record<string, Set<string>> = {};
let tokens: Record<'reader' | 'nogrant', string>;
let restoreStderr: () => void = () => undefined;

async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A hostile S3: every request gets a 403 whose XML echoes the request's Authorization header. */
async function startEchoS3(): Promise<number> {
  echo = createHttpServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    echoed.push(auth);
    req.resume();
    req.on('end', () => {
      res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': 'R1' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>Signature mismatch for ${auth}</Message><AWSAccessKeyId>${AKID}</AWSAccessKeyId><RequestId>R1</RequestId></Error>`);
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  return (echo.address() as { port: number }).port;
}

function writeFixtures(): { configPath: string; keyFile: string } {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-canary-'));
  const lake = join(base, 'lake');
  mkdirSync(join(lake, 'data'), { recursive: true });
  const rows = [1, 2, 3, 4, 5].map((i) => `${i},https://b.s3.amazonaws.com/k${i}?X-Amz-Expires=60&X-Amz-Signature=${DATA_SIGNATURE}`);
  writeFileSync(join(lake, 'data/signed.csv'), `id,url\n${rows.join('\n')}\n`);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  pemLine = pem.split('\n')[2]!;
  const keyFile = join(base, 'gcp-key.json');
  writeFileSync(keyFile, JSON.stringify({ type: 'service_account', project_id: 'canary-proj', private_key_id: GCP_KEY_ID, private_key: pem, client_email: 'sa@canary-proj.iam.gserviceaccount.com', token_uri: 'http://127.0.0.1:1/token' }));
  return { configPath: join(base, 'config.yaml'), keyFile };
}

function configYaml(keyFile: string, ports: { echo: number; dead: number; redis: number; pg: number; gcs: number }): string {
  const s3 = (name: string, port: number) => [
    `  ${name}:`, '    kind: s3', '    buckets: [canary-bucket]', '    region: us-east-1', `    endpoint: http://127.0.0.1:${port}`, '    force_path_style: true',
    '    credentials:', '      access_key_id: ${CANARY_AWS_KEY_ID}', '      secret_access_key: ${CANARY_AWS_SECRET}',
  ];
  return [
    'server:', '  env: dev', '  toolsets: [catalog, data, probe]', '  read_only: false', '  allow_destructive: true', '  result_budget: { max_rows: 2, max_bytes: 80000 }',
    '  limits: { call_timeout_ms: 2500 }',
    'auth:', '  mode: token', '  per_call_token: true', '  keys: { hs256_secret_env: CANARY_JWT_SECRET }', '  service_accounts:',
    `    - { id: reader, roles: [reader, writer, data-steward], gcp: { key_file: ${JSON.stringify(keyFile)} } }`,
    '    - { id: nogrant, roles: [nobody] }',
    'connectors:',
    `  lake: { kind: local, root: ${JSON.stringify(join(base, 'lake'))} }`,
    ...s3('s3echo', ports.echo), ...s3('s3dead', ports.dead),
    ...(['gcsdead', 'gcsecho'] as const).map(
      (name) => `  ${name}: { kind: gcs, buckets: [canary-gcs], project_id: canary-proj, api_endpoint: "http://127.0.0.1:${name === 'gcsecho' ? ports.echo : ports.gcs}", credentials: { key_file: ${JSON.stringify(keyFile)} } }`,
    ),
    `  pgdead: { kind: postgres, host: 127.0.0.1, port: ${ports.pg}, database: test, user: postgres, password: "\${CANARY_AWS_SECRET}" }`,
    'cache:', `  redis_url: "redis://:\${CANARY_REDIS_PASSWORD}@127.0.0.1:${ports.redis}/0"`, '  command_timeout_ms: 100',
    'audit:', `  path: ${JSON.stringify(join(base, 'audit.jsonl'))}`,
    '',
  ].join('\n');
}

/** One tool call as `who`, recording the whole result and any progress notifications. */
async function call(who: keyof typeof tokens | string, name: string, args: Record<string, unknown>): Promise<CallResult> {
  const meta = { 'data-mcp/token': who in tokens ? tokens[who as keyof typeof tokens] : who };
  const result = (await client.callTool({ name, arguments: args, _meta: meta }, undefined, { onprogress: (p) => sinks.progress.push(JSON.stringify(p)) })) as CallResult;
  sinks.results.push(JSON.stringify(result));
  (codes[name] ??= new Set()).add(errorCode(result) ?? (result.isError ? 'error' : 'ok'));
  return result;
}

async function read(uri: string, who: keyof typeof tokens = 'reader'): Promise<void> {
  const text = await client.readResource({ uri, _meta: { 'data-mcp/token': tokens[who] } }).then((r) => JSON.stringify(r), (err: unknown) => (err instanceof Error ? err.message : String(err)));
  sinks.results.push(text);
}

async function exercise(): Promise<void> {
  const probe = (sources: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ sources, ...extra });
  for (const who of ['reader', 'nogrant'] as const) {
    await call(who, 'whoami', {});
    await call(who, 'list_connectors', {});
  }
  for (const [connector, path] of [['lake', ''], ['lake', 'data/'], ['s3echo', 'canary-bucket/'], ['s3dead', 'canary-bucket/'], ['gcsdead', 'canary-gcs/'], ['gcsecho', 'canary-gcs/'], ['pgdead', ''], ['lake', '../../etc/']]) {
    await call('reader', 'browse', { connector, path });
  }
  for (const [connector, path] of [['lake', 'data/signed.csv'], ['s3echo', 'canary-bucket/x.csv'], ['lake', 'data/missing.csv'], ['pgdead', 'public.t']]) {
    await call('reader', 'describe', { connector, path });
  }
  const truncated = await call('reader', 'read_data', { connector: 'lake', path: 'data/signed.csv' });
  for (const [connector, path] of [['s3echo', 'canary-bucket/x.csv'], ['s3dead', 'canary-bucket/*.csv'], ['gcsecho', 'canary-gcs/x.csv'], ['lake', '/etc/passwd'], ['lake', 'data/missing.csv']]) {
    await call('reader', 'read_data', { connector, path });
  }
  await call('reader', 'summarize', { connector: 'lake', path: 'data/signed.csv' });
  await call('reader', 'summarize', { connector: 's3echo', path: 'canary-bucket/x.csv' });
  await call('reader', 'query', { connector: 'pgdead', sql: 'SELECT 1 AS one' });
  await call('reader', 'query', { connector: 'lake', sql: 'SELECT 1' });
  await call('reader', 'write_data', { connector: 'lake', path: 'out/a.csv', rows: [{ id: 1 }] });
  await call('reader', 'write_data', { connector: 's3echo', path: 'canary-bucket/out.csv', rows: [{ id: 1 }] });
  await call('reader', 'write_data', { connector: 'gcsecho', path: 'canary-gcs/out.csv', rows: [{ id: 1 }] });
  await call('reader', 'replace_data', { connector: 'lake', path: 'out/a.csv', rows: [{ id: 2 }] });
  await call('reader', 'replace_data', { connector: 's3dead', path: 'canary-bucket/out.csv', rows: [{ id: 2 }] });
  await call('reader', 'delete_data', { connector: 's3echo', path: 'canary-bucket/out.csv' });
  await call('reader', 'delete_data', { connector: 'lake', path: 'out/a.csv' });
  await call('reader', 'run_probe', probe({ a: { connector: 'lake', path: 'data/signed.csv' } }, { steps: [{ op: 'limit', rows: 1 }], destination: { connector: 'lake', path: 'out/probe.csv' } }));
  await call('reader', 'run_probe', probe({ a: { connector: 'lake', path: 'data/signed.csv' } }, { steps: [{ op: 'cast', columns: { url: 'int' } }] }));
  await call('reader', 'run_probe', probe({ a: { connector: 's3echo', path: 'canary-bucket/x.csv' }, b: { connector: 'pgdead', sql: 'SELECT 1' } }));
  await call('reader', 'run_probe', probe({ a: { result: 'result://not-a-handle' } }));
  const created = await call('reader', 'session_create', { label: 'canary' });
  const session = ((created.structuredContent?.session ?? {}) as { id?: string }).id ?? 'none';
  await call('reader', 'session_put', { session, key: 'note', value: { text: 'scratch' } });
  await call('reader', 'session_get', { session, key: 'note' });
  await call('reader', 'session_get', { session: 'no-such-session', key: 'note' });
  await call('reader', 'session_list', {});
  await call('reader', 'session_close', { session, archive: { connector: 's3echo', prefix: 'canary-bucket/archive/' } });
  await call('reader', 'session_close', { session });
  // Denied, invalid, unauthenticated and unknown.
  await call('nogrant', 'read_data', { connector: 'lake', path: 'data/signed.csv' });
  await call('nogrant', 'query', { connector: 'pgdead', sql: 'SELECT 1' });
  await call('reader', 'browse', { connector: 5 });
  await call('reader', 'no_such_tool', { secret_access_key: 'x' });
  await call(await token('reader', { secret: 'not-the-configured-secret-0123456789abcdef' }), 'whoami', {});
  await call('not-a-jwt', 'whoami', {});
  // Resources: the directory, a real handle of the truncated read, a bogus one.
  await read('connectors://');
  const handle = (truncated.structuredContent as { handle?: string } | undefined)?.handle;
  if (handle) await read(handle.startsWith('result://') ? handle : `result://${handle}`);
  await read('result://bogus-handle');
  await read('connectors://', 'nogrant');
}

beforeAll(async () => {
  restoreStderr = captureProcessStderr();
  const { configPath, keyFile } = writeFixtures();
  const ports = { echo: await startEchoS3(), dead: await closedPort(), redis: await closedPort(), pg: await closedPort(), gcs: await closedPort() };
  writeFileSync(configPath, configYaml(keyFile, ports));
  const loaded = loadConfig({ path: configPath, env: ENV });
  auditPath = loaded.auditPath;
  runtime = await createRuntime(loaded, createLogger('debug'), ENV);
  server = createServer({ gate: async () => runtime.gate, tools: runtime.tools, name: 'data-mcp', version: runtime.version });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  client = new Client({ name: 'canary', version: '1.0.0' });
  await client.connect(clientTransport);
  served.push(...(await client.listTools()).tools.map((t) => t.name));
  tokens = { reader: await token('reader', { secret: JWT_SECRET }), nogrant: await token('nogrant', { secret: JWT_SECRET }) };
  await exercise();
  await runtime.gate.drain(2000);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
  await runtime?.close();
  await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
  rmSync(base, { recursive: true, force: true });
  restoreStderr();
});

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

function sinkTexts(): Record<string, string> {
  return { results: sinks.results.join('\n'), progress: sinks.progress.join('\n'), stderr: stderrCapture.text(), audit: readFileSync(auditPath, 'utf8') };
}

describe('canary secrets', () => {
  it('ran every served tool, with successes and failures, against live and hostile upstreams', (ctx) => {
    expect(served.length).toBeGreaterThanOrEqual(16);
    recordFigure(ctx, 'canaries: tools exercised', served.length);
    recordFigure(ctx, 'canaries: calls and reads made', sinks.results.length);
    for (const name of served) expect(codes[name], `${name} was never called`).toBeDefined();
    const all = Object.values(codes).flatMap((s) => [...s]);
    for (const code of ['ok', 'POLICY_DENIED', 'INVALID_ARGUMENT', 'NOT_FOUND', 'AUTH_REQUIRED']) expect(all).toContain(code);
    expect(all.some((c) => ['UNAVAILABLE', 'UPSTREAM_ERROR', 'TIMEOUT', 'INTERNAL'].includes(c)), `upstream failures: ${all.join(',')}`).toBe(true);
    // Positive controls: the canary key id really was sent upstream, logs were written at debug,
    // and the sinks hold what they should (so a zero count below means something).
    expect(echoed.some((a) => a.includes(AKID))).toBe(true);
    const texts = sinkTexts();
    expect(texts.stderr).toContain('"msg":"policies loaded"');
    expect(texts.progress.length).toBeGreaterThan(0);
    expect(texts.audit.split('\n').length).toBeGreaterThan(40);
    expect(count(texts.results, DATA_SIGNATURE)).toBeGreaterThan(0);
  });

  const CANARIES: Array<[string, () => string, Array<keyof ReturnType<typeof sinkTexts>>]> = [
    ['AWS access key id (AKIA…)', () => AKID, ['results', 'progress', 'stderr', 'audit']],
    ['AWS secret access key (40 chars)', () => AWS_SECRET, ['results', 'progress', 'stderr', 'audit']],
    ['GCP private key (PEM body line)', () => pemLine, ['results', 'progress', 'stderr', 'audit']],
    ['GCP private_key_id', () => GCP_KEY_ID, ['results', 'progress', 'stderr', 'audit']],
    ['Redis password from cache.redis_url', () => REDIS_PASSWORD, ['results', 'progress', 'stderr', 'audit']],
    ['HS256 JWT secret', () => JWT_SECRET, ['results', 'progress', 'stderr', 'audit']],
    ['per-call bearer token (reader)', () => tokens.reader, ['results', 'progress', 'stderr', 'audit']],
    ['presigned-URL signature inside a data cell', () => DATA_SIGNATURE, ['stderr', 'audit']],
  ];
  for (const [label, value, where] of CANARIES) {
    it(`${label}: 0 occurrences in ${where.join(', ')}`, (ctx) => {
      const texts = sinkTexts();
      const counts = Object.fromEntries(where.map((sink) => [sink, count(texts[sink], value())]));
      recordFigure(ctx, 'canaries: secrets planted', 1);
      recordFigure(ctx, 'canaries: occurrences found', Object.values(counts).reduce((n, c) => n + c, 0));
      expect(counts).toEqual(Object.fromEntries(where.map((sink) => [sink, 0])));
    });
  }
});
