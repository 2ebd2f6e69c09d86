import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { runTour, type TourResult } from '../demo/tour.js';
import { PACKAGE_VERSION } from '../version.js';

/**
 * `data-mcp demo`: spawns `data-mcp serve` on the embedded default (no config) as a real MCP
 * host would, and drives it with the SDK client through the tour.
 */
export async function runDemo(cliPath: string, print: (text: string) => void): Promise<{ failures: number }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'DATA_MCP_CONFIG') env[k] = v;
  env.DATA_MCP_LOG_LEVEL ??= 'warn';
  const transport = new StdioClientTransport({ command: process.execPath, args: [cliPath, 'serve'], env, stderr: 'inherit' });
  const client = new Client({ name: 'data-mcp-demo', version: PACKAGE_VERSION });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    print(`Connected to data-mcp ${client.getServerVersion()?.version ?? ''} over stdio: ${tools.length} tools (${tools.map((t) => t.name).join(', ')}).`);
    return await runTour(async (name, args) => (await client.callTool({ name, arguments: args })) as TourResult, print);
  } finally {
    await client.close();
  }
}
