import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/audit/record.js';
import { cliEnv } from '../helpers/cli.js';
import { startRawServer, type RawServer, type RpcMessage } from '../helpers/raw-rpc.js';
import { recordFigure } from '../security/figures.js';
import { FAILING_CALLS, VALID_CALLS, type CallState } from './conformance-calls.js';
import { dishonesty, TOOL_FACTS, type Annotations } from './conformance-expectations.js';
import { prepareConformanceServer, type ConformanceServer } from './conformance-setup.js';

/**
 * MCP conformance of the built server with every toolset enabled, writes and the destructive
 * tier served, driven over raw stdio so every byte the server writes is seen (issue #6).
 */
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

interface ListedTool {
  name: string;
  title?: string;
  annotations?: Annotations & { title?: string };
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  _meta?: { 'data-mcp/error'?: { code: string } };
}

let setup: ConformanceServer;
let server: RawServer;
let tools: ListedTool[];
const outputValidators = new Map<string, ValidateFunction>();
const ajv = new Ajv2020({ allErrors: true, strict: false });

const serveArgs = () => ['--config', setup.configPath];
const toolsOf = (m: RpcMessage) => (m.result as { tools: ListedTool[] }).tools;

beforeAll(async () => {
  setup = await prepareConformanceServer();
  server = await startRawServer(serveArgs(), setup.env);
  tools = toolsOf(await server.request('tools/list'));
  for (const tool of tools) if (tool.outputSchema) outputValidators.set(tool.name, ajv.compile(tool.outputSchema));
});

afterAll(async () => {
  await server?.close();
  // A failed cancellation must not leave the slow view's statement holding the schema.
  await setup?.db.admin.query(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND position($1 in query) > 0`, [setup.schema]);
  await setup?.db.drop();
});

/** The raw response line of request `id`, with the id written as 0 so two lines can be compared byte for byte. */
function rawLineOf(s: RawServer, id: number): string {
  const line = s.lines.find((l) => (JSON.parse(l) as RpcMessage).id === id);
  if (!line) throw new Error(`no response line for id ${id}`);
  return line.replace(`"id":${id}`, '"id":0');
}

async function callTool(name: string, args: Record<string, unknown>, meta?: Record<string, unknown>): Promise<ToolResult> {
  const response = await server.request('tools/call', { name, arguments: args, ...(meta ? { _meta: meta } : {}) });
  expect(response.error, `${name} answered a JSON-RPC error: ${JSON.stringify(response.error)}`).toBeUndefined();
  return response.result as unknown as ToolResult;
}

/** Validates structuredContent against the tool's outputSchema; returns 1 when a validation ran. */
function validateOutput(name: string, result: ToolResult): number {
  if (result.structuredContent === undefined) return 0;
  const validate = outputValidators.get(name);
  if (!validate) throw new Error(`${name} returned structuredContent but declares no outputSchema`);
  expect(validate(result.structuredContent), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  return 1;
}

// Two of these launch another server (Cedar compiles in ~1-3 s on a busy 2-core machine).
describe('listings', { timeout: 60_000 }, () => {
  it('tools/list (and the resource listings) are byte-identical within one process and across launches', async () => {
    const methods = ['tools/list', 'resources/list', 'resources/templates/list'];
    const firstRun: string[] = [];
    for (const [i, method] of methods.entries()) {
      await server.request(method, undefined, 10 + i);
      await server.request(method, undefined, 20 + i);
      expect(rawLineOf(server, 20 + i)).toBe(rawLineOf(server, 10 + i));
      firstRun.push(rawLineOf(server, 10 + i));
    }
    // Its own state dir: two servers may not share one audit log (the second would refuse to start).
    const second = await startRawServer(serveArgs(), cliEnv());
    try {
      for (const [i, method] of methods.entries()) {
        await second.request(method, undefined, 30 + i);
        expect(rawLineOf(second, 30 + i)).toBe(firstRun[i]);
      }
    } finally {
      expect(await second.close(), second.stderr().slice(-2000)).toBe(0);
    }
  });

  it('lists every tool, with valid names and JSON Schemas; resources likewise; prompts are not offered', async (ctx) => {
    expect(tools.map((t) => t.name).sort()).toEqual(Object.keys(TOOL_FACTS).sort());
    for (const tool of tools) {
      expect(tool.name).toMatch(NAME);
      expect(tool.inputSchema.type).toBe('object');
      expect(() => ajv.compile(tool.inputSchema), `${tool.name} inputSchema`).not.toThrow();
      expect(tool.outputSchema?.type, `${tool.name} outputSchema`).toBe('object');
    }
    const resources = (await server.request('resources/list')).result as { resources: Array<{ name: string; uri: string }> };
    const templates = (await server.request('resources/templates/list')).result as { resourceTemplates: Array<{ name: string }> };
    for (const r of [...resources.resources, ...templates.resourceTemplates]) expect(r.name).toMatch(NAME);
    // No prompts capability is declared, so prompts/list is an unknown method (not a crash, not an empty lie).
    const prompts = await server.request('prompts/list');
    expect(prompts.error?.code).toBe(-32601);
    recordFigure(ctx, 'conformance: tools checked', tools.length);
  });

  it('annotates every tool, honestly, on the fully enabled server and on a read-only one', async () => {
    const problems: string[] = [];
    for (const tool of tools) {
      const a = tool.annotations;
      expect(a, `${tool.name} has no annotations`).toBeDefined();
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) expect(typeof a?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      problems.push(...dishonesty(tool.name, a ?? {}, true));
    }
    // The embedded default is read-only: the same tools must then claim (and be) read-only.
    const readOnly = await startRawServer([]);
    try {
      for (const tool of toolsOf(await readOnly.request('tools/list'))) problems.push(...dishonesty(tool.name, tool.annotations ?? {}, false));
    } finally {
      expect(await readOnly.close(), readOnly.stderr().slice(-2000)).toBe(0);
    }
    expect(problems).toEqual([]);
  });
});

describe('tools/call', () => {
  it('every tool succeeds with valid arguments, and its structuredContent validates against its outputSchema', async (ctx) => {
    const state: CallState = { schema: setup.schema };
    const called = new Set<string>();
    let validations = 0;
    for (const planned of VALID_CALLS) {
      const args = planned.args(state);
      const tool = tools.find((t) => t.name === planned.tool)!;
      const validateInput = ajv.compile(tool.inputSchema);
      expect(validateInput(args), `${planned.tool} args vs inputSchema: ${ajv.errorsText(validateInput.errors)}`).toBe(true);
      const result = await callTool(planned.tool, args);
      expect(result.isError, `${planned.tool}: ${result.content[0]?.text}`).toBeFalsy();
      expect(result.structuredContent, `${planned.tool} success without structuredContent`).toBeDefined();
      expect(result.content.length).toBeGreaterThan(0);
      validations += validateOutput(planned.tool, result);
      planned.keep?.(result.structuredContent!, state);
      called.add(planned.tool);
    }
    expect([...called].sort()).toEqual(tools.map((t) => t.name).sort());
    recordFigure(ctx, 'conformance: outputSchema validations', validations);
  });

  it('every tool fails with a stable code as an isError result: no structuredContent, text naming the code', async (ctx) => {
    let validations = 0;
    for (const failing of FAILING_CALLS) {
      const result = await callTool(failing.tool, failing.args);
      expect(result.isError, `${failing.tool} ${JSON.stringify(failing.args)}`).toBe(true);
      expect(result._meta?.['data-mcp/error']?.code, `${failing.tool}: ${result.content[0]?.text}`).toBe(failing.code);
      expect(result.content[0]?.text).toMatch(new RegExp(`^${failing.code}: `));
      // The spec lets an error result omit structuredContent; this server always does, and if it ever sends one it must validate.
      expect(result.structuredContent).toBeUndefined();
      validations += validateOutput(failing.tool, result);
    }
    expect(new Set(FAILING_CALLS.map((f) => f.tool)).size).toBe(tools.length);
    recordFigure(ctx, 'conformance: error results checked', FAILING_CALLS.length + validations);
  });
});

describe('progress and cancellation', () => {
  it.each([
    ['read_data over a glob', 'read_data', { connector: 'demo', path: 'events/*.jsonl', columns: ['event_id', 'type'], limit: 7 }, 'progress-read'],
    ['run_probe', 'run_probe', { sources: { e: { connector: 'demo', path: 'events/*.jsonl' } }, steps: [{ op: 'aggregate', by: ['type'], metrics: [{ fn: 'count' }] }] }, 42],
  ] as const)('%s: progress strictly increases, stays within total, and ends before the response', async (_label, tool, args, token) => {
    const result = await callTool(tool, args as Record<string, unknown>, { progressToken: token });
    expect(result.isError, result.content[0]?.text).toBeFalsy();
    const notes = server.notificationsFor(token);
    expect(notes.length).toBeGreaterThan(0);
    const values = notes.map((n) => n.params as { progress: number; total?: number });
    for (const [i, v] of values.entries()) {
      if (i > 0) expect(v.progress).toBeGreaterThan(values[i - 1]!.progress);
      if (v.total !== undefined) expect(v.progress).toBeLessThanOrEqual(v.total);
    }
    const responseIndex = server.messages.findIndex((m) => m.result === (result as unknown));
    for (const note of notes) expect(server.messages.indexOf(note)).toBeLessThan(responseIndex);
  });

  it('notifications/cancelled stops the statement, sends no response, and is audited as cancelled', async () => {
    const id = 777;
    const marker = `"${setup.schema}".slow`;
    server.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'query', arguments: { connector: 'pg', sql: `SELECT slept, one FROM ${marker}` } } });
    // Matched on the view's name: the truncated query of an earlier test still holds a cursor (also "active").
    const active = () => setup.db.admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' AND position($1 in query) > 0`, [marker]);
    await until(async () => (await active()).rows[0]!.n === 1, 'the slow statement never became active');
    server.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'conformance test' } });
    // The view sleeps 30 s, longer than this bound: the statement ends in time only if the cancel reached it.
    await until(async () => (await active()).rows[0]!.n === 0, 'the statement kept running after the cancel');
    const auditPath = join(setup.env.XDG_STATE_HOME as string, 'data-mcp', 'audit.jsonl');
    const cancelled = () =>
      readFileSync(auditPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CallRecord)
        .find((r) => r.type === 'call' && r.tool === 'query' && JSON.stringify(r.arguments).includes('.slow'));
    await until(async () => cancelled() !== undefined, 'no audit record for the cancelled call');
    expect(cancelled()?.outcome).toMatchObject({ status: 'cancelled', errorCode: 'CANCELLED' });
    // A later request is answered; the cancelled one never is (MCP: no response after a cancel).
    expect((await server.request('ping')).result).toEqual({});
    expect(server.messages.filter((m) => m.id === id)).toEqual([]);
  });
});

describe('the wire', () => {
  it('stdout carries only JSON-RPC 2.0, through bad input and shutdown, and the server exits 0 when stdin closes', async () => {
    server.sendRaw('{this is not json\n');
    server.sendRaw('{"hello":"not a JSON-RPC message"}\n');
    server.sendRaw('\n');
    expect((await server.request('ping')).result).toEqual({});
    const failed = await callTool('read_data', { connector: 'demo', path: '/etc/passwd' });
    expect(failed.isError).toBe(true);
    expect(await server.close(), server.stderr().slice(-2000)).toBe(0);
    expect(server.lines.length).toBeGreaterThan(0);
    for (const line of server.lines) {
      const message = JSON.parse(line) as RpcMessage;
      expect(message.jsonrpc, line.slice(0, 200)).toBe('2.0');
      const isResponse = message.id !== undefined && (message.result !== undefined || message.error !== undefined);
      const isNotification = message.id === undefined && typeof message.method === 'string';
      expect(isResponse || isNotification, line.slice(0, 200)).toBe(true);
    }
  });
});

/** Polls `test` until it holds; fails (naming `what`) after a generous bound. */
async function until(test: () => Promise<boolean>, what: string, withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 50));
  }
}
