import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv, runCli } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = 'e2e-hs256-secret-0123456789abcdefghijklmnop';

function tokenConfig(dir: string): string {
  const path = join(dir, 'token.yaml');
  writeFileSync(
    path,
    [
      'server: { env: dev }',
      'auth:',
      '  mode: token',
      '  keys: { hs256_secret_env: E2E_JWT_SECRET }',
      '  service_accounts:',
      '    - { id: analyst, roles: [reader, analyst], attributes: { department: analytics } }',
      '    - { id: outsider, roles: [nobody] }',
      'connectors:',
      `  demo: { kind: local, root: ${join(ROOT, 'examples/data')} }`,
      '',
    ].join('\n'),
  );
  return path;
}

describe('CLI commands', () => {
  it('token issue mints a token that serve accepts; the token can narrow roles but not widen them', async () => {
    const env = cliEnv({ E2E_JWT_SECRET: SECRET });
    const config = tokenConfig(env.XDG_STATE_HOME!);
    const issued = await runCli(['token', 'issue', '--sa', 'analyst', '--ttl', '10m', '--config', config], env);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    // The secret never shows in what the command printed.
    expect(issued.stdout + issued.stderr).not.toContain(SECRET);

    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'serve', '--config', config], env: { ...env, DATA_MCP_TOKEN: token }, stderr: 'pipe' });
    const client = new Client({ name: 'token-e2e', version: '1' });
    await client.connect(transport);
    try {
      const who = await client.callTool({ name: 'whoami', arguments: {} });
      expect((who.structuredContent as { serviceAccount: string; authMode: string }).serviceAccount).toBe('analyst');
      expect((who.structuredContent as { authMode: string }).authMode).toBe('token');
    } finally {
      await client.close();
    }

    const widened = await runCli(['token', 'issue', '--sa', 'outsider', '--roles', 'reader', '--config', config], env);
    expect(widened.code).toBe(2);
    expect(widened.stderr).toContain('does not hold');
  });

  it('serve in token mode refuses calls without a token (AUTH_REQUIRED) but still answers', async () => {
    const env = cliEnv({ E2E_JWT_SECRET: SECRET });
    const config = tokenConfig(env.XDG_STATE_HOME!);
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'serve', '--config', config], env, stderr: 'pipe' });
    const client = new Client({ name: 'token-e2e', version: '1' });
    await client.connect(transport);
    try {
      const result = await client.callTool({ name: 'read_data', arguments: { connector: 'demo', path: 'orders.csv' } });
      expect(result.isError).toBe(true);
      expect((result._meta?.['data-mcp/error'] as { code: string }).code).toBe('AUTH_REQUIRED');
    } finally {
      await client.close();
    }
  });

  it('policy test runs the bundled cases and passes', async () => {
    const files = readdirSync(join(ROOT, 'policies/tests')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'policies/tests', f));
    const run = await runCli(['policy', 'test', ...files]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/passed/);
    expect(run.stdout).not.toMatch(/[1-9]\d* failed/);
  });

  it('audit verify passes on an honest log and names the first bad record of a tampered one', async () => {
    const env = cliEnv();
    const session = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'audit-e2e', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      ...[2, 3, 4].map((id) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'whoami', arguments: {} } })),
    ];
    const served = await runCli(['serve'], env, session.map((m) => JSON.stringify(m)).join('\n') + '\n');
    expect(served.code).toBe(0);
    const ok = await runCli(['audit', 'verify'], env);
    expect(ok.code).toBe(0);

    const logPath = join(env.XDG_STATE_HOME!, 'data-mcp', 'audit.jsonl');
    const lines = readFileSync(logPath, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"whoami"', '"browse"');
    writeFileSync(logPath, lines.join('\n'));
    const bad = await runCli(['audit', 'verify'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/line 2/i);
  });
});
