import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedConfig } from '../../src/config/embedded.js';
import { validate, type LoadedConfig } from '../../src/config/load.js';
import { BUNDLED_POLICIES_DIR } from '../../src/config/paths.js';
import { createLogger } from '../../src/logging/logger.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { createServer } from '../../src/server.js';

export interface Harness {
  client: Client;
  runtime: Runtime;
  auditPath: string;
  dir: string;
  /** Calls a tool and returns the raw result (errors are results, not throws). */
  call(name: string, args?: Record<string, unknown>, meta?: Record<string, unknown>): Promise<CallResult>;
  close(): Promise<void>;
}

export interface CallResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

export interface HarnessOptions {
  /** Raw config object (pre-validation); defaults to the embedded demo config. */
  config?: Record<string, unknown>;
  policiesDir?: string;
  env?: NodeJS.ProcessEnv;
  clientName?: string;
  runtime?: RuntimeOptions;
}

/**
 * The in-memory harness: a real MCP Client talking to the real server over InMemoryTransport,
 * with a private audit log in a temp dir. Integration tests drive the product through this.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'data-mcp-test-'));
  const auditPath = join(dir, 'audit.jsonl');
  const env = options.env ?? {};
  const raw = options.config ?? embeddedConfig(env);
  const config = validate(raw, 'test');
  const loaded: LoadedConfig = { config, source: 'test', embedded: !options.config, policiesDir: options.policiesDir ?? BUNDLED_POLICIES_DIR, auditPath };
  const runtime = await createRuntime(loaded, createLogger('silent'), env, options.runtime);
  const server = createServer({ gate: async () => runtime.gate, tools: runtime.tools, name: 'data-mcp', version: runtime.version });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: options.clientName ?? 'vitest', version: '1.0.0' });
  await client.connect(clientTransport);
  return {
    client,
    runtime,
    auditPath,
    dir,
    async call(name, args = {}, meta) {
      return (await client.callTool({ name, arguments: args, ...(meta ? { _meta: meta } : {}) })) as CallResult;
    },
    async close() {
      await client.close();
      await server.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The error code of an error result, from `_meta["data-mcp/error"]`. */
export function errorCode(result: CallResult): string | undefined {
  const meta = result._meta?.['data-mcp/error'] as { code?: string } | undefined;
  return result.isError ? meta?.code : undefined;
}

export function textOf(result: CallResult): string {
  return result.content.map((c) => c.text ?? '').join('\n');
}
