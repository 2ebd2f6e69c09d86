import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv, runCli, spawnServe } from '../helpers/cli.js';

/** JSON-RPC lines a client sends: initialize, initialized, a few calls. */
function session(): string {
  const messages = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-e2e', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'whoami', arguments: {} } },
    { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'read_data', arguments: { connector: 'demo', path: 'orders.csv', limit: 3 } } },
    { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'read_data', arguments: { connector: 'demo', path: '../../etc/passwd' } } },
    { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } },
  ];
  return messages.map((m) => JSON.stringify(m)).join('\n') + '\n';
}

describe('the built CLI over stdio', () => {
  it('writes nothing but JSON-RPC messages to stdout, answers every request, and exits 0 when stdin closes', async () => {
    const child = spawnServe();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Send the session, wait for all five responses, then close stdin.
    child.stdin.write(session());
    const deadline = Date.now() + 15_000;
    while ((stdout.match(/"id":\s*\d+/g) ?? []).length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.stdin.end();
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBe(6);
    const ids: number[] = [];
    for (const line of lines) {
      const msg = JSON.parse(line) as { jsonrpc: string; id?: number };
      expect(msg.jsonrpc).toBe('2.0');
      if (msg.id !== undefined) ids.push(msg.id);
    }
    expect(ids.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const byId = new Map(lines.map((l) => JSON.parse(l) as { id: number; result?: { isError?: boolean; _meta?: Record<string, { code: string }> } }).map((m) => [m.id, m]));
    expect(byId.get(4)?.result?.isError).toBeUndefined();
    expect(byId.get(5)?.result?.isError).toBe(true);
    expect(byId.get(5)?.result?._meta?.['data-mcp/error']?.code).toBe('INVALID_ARGUMENT');
    expect(byId.get(6)?.result?._meta?.['data-mcp/error']?.code).toBe('NOT_FOUND');
    // stderr carries structured logs, including the auth-mode warning of the embedded default.
    expect(stderr).toContain('auth.mode is \\"none\\"');
  });

  it('serves a real SDK client: list tools, call them, read a result handle', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'serve'], env: cliEnv(), stderr: 'pipe' });
    const client = new Client({ name: 'sdk-e2e', version: '1' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['whoami', 'list_connectors', 'browse', 'describe', 'read_data', 'summarize', 'query', 'run_probe', 'session_create', 'session_put', 'session_get', 'session_list', 'session_close']);
      const read = await client.callTool({ name: 'read_data', arguments: { connector: 'demo', path: 'orders.parquet', limit: 200 } });
      const structured = read.structuredContent as { truncated: boolean; handle: string; returnedRows: number; rowCount: number };
      expect(structured.rowCount).toBe(200);
      expect(structured.truncated).toBe(true);
      const page = await client.readResource({ uri: `${structured.handle}?offset=50&limit=25` });
      const body = JSON.parse((page.contents[0] as { text: string }).text) as { rows: unknown[]; offset: number };
      expect(body.offset).toBe(50);
      expect(body.rows).toHaveLength(25);
    } finally {
      await client.close();
    }
  });

  it('exits 0 on SIGTERM with a final audit checkpoint that verifies', async () => {
    const env = cliEnv();
    const child = spawnServe([], env);
    child.stdin.write(session().split('\n').slice(0, 4).join('\n') + '\n');
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const deadline = Date.now() + 15_000;
    while (!stdout.includes('"id":3') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
    const verify = await runCli(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/ok/i);
  });

  it('refuses to start on a malformed config, naming the key (exit 2, nothing on stdout)', async () => {
    const env = cliEnv();
    const { writeFileSync } = await import('node:fs');
    const path = `${env.XDG_STATE_HOME}/bad.yaml`;
    writeFileSync(path, 'auth:\n  mode: maybe\n  service_accounts: []\nconnectors: {}\n');
    const run = await runCli(['serve', '--config', path], env, '');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('auth.mode');
    expect(run.stderr).toContain('"none"');
  });

  it('stops with a non-zero exit naming the file when a policy does not validate (check refuses it too)', async () => {
    const env = cliEnv();
    const { mkdirSync, copyFileSync, writeFileSync } = await import('node:fs');
    const dir = `${env.XDG_STATE_HOME}/policies`;
    mkdirSync(dir);
    copyFileSync(new URL('../../policies/schema.cedarschema', import.meta.url), `${dir}/schema.cedarschema`);
    writeFileSync(`${dir}/broken.cedar`, 'permit (principal, action == DataMcp::Action::"fly", resource);\n');
    const config = `${env.XDG_STATE_HOME}/config.yaml`;
    writeFileSync(config, `auth: { mode: none, default_service_account: a, service_accounts: [{ id: a, roles: [reader] }] }\nconnectors: { demo: { kind: local, root: ${new URL('../../examples/data', import.meta.url).pathname} } }\npolicies: { dir: ${dir} }\n`);
    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    const served = await runCli(['serve', '--config', config], env, `${init}\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}\n`);
    expect(served.code).toBe(2);
    expect(served.stderr).toContain('broken.cedar');
    // Nothing but the handshake was answered: no tool ran without its policies.
    expect(served.stdout).not.toContain('"id":2');
    const checked = await runCli(['check', '--config', config], env);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toContain('broken.cedar');
  });

  it('check prints the tools that would be served', async () => {
    const run = await runCli(['check']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('tools served (13): whoami, list_connectors, browse, describe, read_data, summarize, query, run_probe, session_create, session_put, session_get, session_list, session_close');
  });

  it('demo walks the tour and exits 0', async () => {
    const run = await runCli(['demo'], cliEnv(), undefined, 60_000);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('━━ 1/');
    expect(run.stdout).toContain('(cache: hit)');
    // The probe step: three segments, revenue sorted descending.
    expect(run.stdout).toMatch(/Probe over orders \(10000 rows\), customers \(1000 rows\) → 3 step\(s\) → 3 row\(s\)/);
    expect(run.stdout).toContain('INVALID_ARGUMENT');
  });
});
