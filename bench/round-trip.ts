import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { BenchEnvironment, ServerCommand } from './servers.js';
import { msSince } from './stats.js';

type CallResult = Awaited<ReturnType<Client['callTool']>>;

/** One tool call to measure, and the check its answer must pass (a wrong answer voids the figure). */
export interface Probe {
  label: string;
  client: Client;
  tool: string;
  /** Fixed arguments, or a function that gives each call its own (e.g. distinct SQL to force cache misses). */
  args: Record<string, unknown> | (() => Record<string, unknown>);
  check(result: CallResult): string | undefined;
}

export async function connect(server: ServerCommand, bench: BenchEnvironment): Promise<Client> {
  const transport = new StdioClientTransport({ command: server.command, args: server.args, env: bench.env(), stderr: 'ignore' });
  const client = new Client({ name: 'data-mcp-bench', version: '1' });
  await client.connect(transport);
  bench.track(transport.pid);
  return client;
}

async function callOnce(probe: Probe): Promise<number> {
  const args = typeof probe.args === 'function' ? probe.args() : probe.args;
  const start = process.hrtime.bigint();
  const result = await probe.client.callTool({ name: probe.tool, arguments: args });
  const elapsed = msSince(start);
  const problem = result.isError ? `isError: ${JSON.stringify(result.content).slice(0, 300)}` : probe.check(result);
  if (problem) throw new Error(`${probe.label}: unexpected answer (${problem}); the figure would not measure what it claims`);
  return elapsed;
}

/**
 * Round trips over stdio with the SDK Client, in milliseconds. The probes are interleaved
 * (A B C A B C …) after a warm-up, so JIT state, GC and machine noise are shared alike. No
 * `tools/list` is sent, so the client validates no output schema for either server.
 */
export async function roundTrips(probes: readonly Probe[], warmup: number, n: number): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const probe of probes) await callOnce(probe);
  const samples = probes.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (const [index, probe] of probes.entries()) samples[index]?.push(await callOnce(probe));
  }
  return samples;
}

/** The answer of a 50-row read must be a cache hit: a bench that measures misses by accident is wrong. */
export function isCacheHitOf(rows: number): (result: CallResult) => string | undefined {
  return isCacheOf('hit', rows);
}

/** The answer must say `cache: <status>` and carry `rows` rows (a hit when a miss is measured voids the figure too). */
export function isCacheOf(status: 'hit' | 'miss', rows: number): (result: CallResult) => string | undefined {
  return (result) => {
    const structured = result.structuredContent as { cache?: unknown; returnedRows?: unknown } | undefined;
    if (structured?.cache !== status) return `cache is ${JSON.stringify(structured?.cache)}, not "${status}"`;
    if (structured.returnedRows !== rows) return `returned ${JSON.stringify(structured.returnedRows)} rows, not ${rows}`;
    return undefined;
  };
}

export function hasRows(rows: number): (result: CallResult) => string | undefined {
  return (result) => {
    const structured = result.structuredContent as { rows?: unknown[] } | undefined;
    return structured?.rows?.length === rows ? undefined : `expected ${rows} rows`;
  };
}

export function hasStructured(field: string): (result: CallResult) => string | undefined {
  return (result) => {
    const structured = result.structuredContent as Record<string, unknown> | undefined;
    return structured && field in structured ? undefined : `no structuredContent.${field}`;
  };
}
