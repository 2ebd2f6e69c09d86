import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { recordFigure } from '../security/figures.js';
import { TOOL_FACTS } from './conformance-expectations.js';
import { prepareConformanceServer, type ConformanceServer } from './conformance-setup.js';

/**
 * Smoke test with an independent client: the MCP Inspector CLI drives the built server over
 * stdio, so conformance is not judged only by the SDK this server is built on.
 */
const run = promisify(execFile);
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * inspector-cli 0.21.2 finds its own package.json with `fs.existsSync("../package.json")`, which
 * resolves against the CWD, then imports that path relative to its module. Only with the CWD
 * set to its `build/` folder do both name the same file; anywhere else it imports a path that
 * does not exist and exits before connecting.
 */
const INSPECTOR_BUILD = dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli'));

let setup: ConformanceServer;

beforeAll(async () => {
  setup = await prepareConformanceServer();
});

afterAll(async () => {
  await setup?.db.drop();
});

/** Runs the Inspector in CLI mode against the built server (configured through the environment). */
async function inspector(...method: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // The Inspector passes only a default environment to the server, plus these -e pairs.
  const envArgs = ['-e', `DATA_MCP_CONFIG=${setup.configPath}`, '-e', `XDG_STATE_HOME=${setup.env.XDG_STATE_HOME}`];
  try {
    const { stdout, stderr } = await run(process.execPath, ['cli.js', '--cli', process.execPath, CLI, ...envArgs, ...method], { cwd: INSPECTOR_BUILD, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Each Inspector run starts a server (Cedar compiles in ~1-3 s on a busy 2-core machine) and stops it.
describe('MCP Inspector CLI against the built server', { timeout: 90_000 }, () => {
  it('tools/list: every tool, named and annotated', async (ctx) => {
    const out = await inspector('--method', 'tools/list');
    expect(out.code, out.stderr).toBe(0);
    const { tools } = JSON.parse(out.stdout) as { tools: Array<{ name: string; annotations?: Record<string, boolean>; outputSchema?: unknown }> };
    expect(tools.map((t) => t.name).sort()).toEqual(Object.keys(TOOL_FACTS).sort());
    for (const tool of tools) {
      expect(tool.name).toMatch(NAME);
      expect(tool.annotations).toBeDefined();
      expect(tool.outputSchema).toBeDefined();
    }
    recordFigure(ctx, 'conformance: inspector calls', 1);
  });

  it('tools/call whoami and read_data: structured results', async (ctx) => {
    const who = await inspector('--method', 'tools/call', '--tool-name', 'whoami');
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ structuredContent: { serviceAccount: 'full', readOnly: false } });
    const read = await inspector('--method', 'tools/call', '--tool-name', 'read_data', '--tool-arg', 'connector=demo', '--tool-arg', 'path=orders.csv', '--tool-arg', 'limit=3');
    expect(read.code, read.stderr).toBe(0);
    const result = JSON.parse(read.stdout) as { isError?: boolean; structuredContent: { rowCount: number; rows: unknown[] } };
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.rowCount).toBe(3);
    recordFigure(ctx, 'conformance: inspector calls', 2);
  });

  it('resources/list and resources/templates/list; prompts/list is refused as an unknown method', async (ctx) => {
    const resources = await inspector('--method', 'resources/list');
    expect(resources.code, resources.stderr).toBe(0);
    expect(JSON.parse(resources.stdout)).toMatchObject({ resources: [{ uri: 'connectors://' }] });
    const templates = await inspector('--method', 'resources/templates/list');
    expect(templates.code, templates.stderr).toBe(0);
    expect(JSON.parse(templates.stdout)).toMatchObject({ resourceTemplates: [{ uriTemplate: expect.stringMatching(/^result:\/\//) }] });
    // The server declares no prompts capability: the Inspector reports JSON-RPC -32601 and exits 1.
    const prompts = await inspector('--method', 'prompts/list');
    expect(prompts.code).toBe(1);
    expect(prompts.stderr).toContain('-32601');
    recordFigure(ctx, 'conformance: inspector calls', 3);
  });
});
