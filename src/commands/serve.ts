import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig, type LoadOptions } from '../config/load.js';
import type { Logger } from '../logging/logger.js';
import { createRuntime } from '../runtime.js';
import { createServer } from '../server.js';

/**
 * `data-mcp serve`: the stdio server. stdout carries only JSON-RPC; everything else goes to
 * stderr. Shuts down cleanly on SIGINT, SIGTERM and when stdin closes (the host went away),
 * flushing the audit log with a final signed checkpoint.
 */
export async function runServe(options: LoadOptions, logger: Logger): Promise<void> {
  const loaded = loadConfig(options);
  const runtime = await createRuntime(loaded, logger);
  const server = createServer({ gate: runtime.gate, tools: runtime.tools, name: loaded.config.server.name, version: runtime.version });
  const transport = new StdioServerTransport();
  let closing: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    closing ??= (async () => {
      logger.info({ reason }, 'shutting down');
      // Let in-flight calls finish and be audited (their answers still go out), then close.
      await runtime.gate.drain(5000);
      await server.close().catch(() => undefined);
      await runtime.close().catch((err: unknown) => logger.error({ err: String(err) }, 'error while closing'));
      process.exit(0);
    })();
    return closing;
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.stdin.once('end', () => void shutdown('stdin closed'));
  process.stdin.once('close', () => void shutdown('stdin closed'));
  await server.connect(transport);
  logger.info({ config: loaded.source, tools: runtime.tools.length, policyVersion: runtime.policy.version, cache: runtime.cache.backend }, 'data-mcp serving on stdio');
}
