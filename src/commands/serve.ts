import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig, type LoadOptions } from '../config/load.js';
import type { Logger } from '../logging/logger.js';
import { routeProcessWarnings } from '../logging/process-warnings.js';
import { isDataMcpError } from '../results/errors.js';
import { scrubText } from '../results/scrub.js';
import type { Runtime } from '../runtime.js';
import { createServer } from '../server.js';
import { selectTools } from '../tools/index.js';
import { PACKAGE_VERSION } from '../version.js';

/** How long to wait for the `initialized` notification before building the runtime anyway. */
const RUNTIME_START_FALLBACK_MS = 250;

/**
 * `data-mcp serve`: the stdio server. stdout carries only JSON-RPC; everything else goes to
 * stderr. The config is validated before anything is answered (a bad config never speaks
 * MCP). The runtime — policies compiled and strictly validated, audit log opened — is built
 * right after the handshake so a host sees the server at once; tool calls wait for it, and if
 * it fails the server says why on stderr and exits non-zero. Shuts down cleanly on SIGINT,
 * SIGTERM and when stdin closes, flushing the audit log with a final signed checkpoint.
 */
export async function runServe(options: LoadOptions, logger: Logger): Promise<void> {
  routeProcessWarnings(logger);
  const loaded = loadConfig(options);
  let runtime: Promise<Runtime> | undefined;
  const startRuntime = () => {
    runtime ??= import('../runtime.js').then(({ createRuntime }) => createRuntime(loaded, logger)).catch((err: unknown) => fail(err, logger));
    return runtime;
  };
  const server = createServer({ gate: async () => (await startRuntime()).gate, tools: selectTools(loaded.config), name: loaded.config.server.name, version: PACKAGE_VERSION });
  server.oninitialized = () => void startRuntime();
  const fallback = setTimeout(() => void startRuntime(), RUNTIME_START_FALLBACK_MS);
  let closing: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    closing ??= (async () => {
      clearTimeout(fallback);
      logger.info({ reason }, 'shutting down');
      // Build the runtime even if the handshake never finished: requests may already be queued.
      const rt = await startRuntime();
      // One macrotask lets handlers that were waiting for the runtime register with the gate.
      await new Promise((resolve) => setImmediate(resolve));
      // Let in-flight calls finish and be audited (their answers still go out), then close.
      await rt.gate.drain(5000);
      await server.close().catch(() => undefined);
      await rt.close().catch((err: unknown) => logger.error({ err: String(err) }, 'error while closing'));
      process.exit(0);
    })();
    return closing;
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.stdin.once('end', () => void shutdown('stdin closed'));
  process.stdin.once('close', () => void shutdown('stdin closed'));
  await server.connect(new StdioServerTransport());
  void startRuntime().then((rt) =>
    logger.info({ config: loaded.source, tools: rt.tools.length, policyVersion: rt.policy.version, cache: rt.cache.backend }, 'data-mcp serving on stdio'),
  );
}

/** A runtime that cannot start (policy, audit, keys) stops the server: fail closed, loudly. */
function fail(err: unknown, logger: Logger): never {
  const message = isDataMcpError(err) ? `${err.message}\nhint: ${err.hint}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`data-mcp: cannot start: ${scrubText(message)}\n`);
  logger.fatal({ err: scrubText(message) }, 'runtime failed to start');
  process.exit(isDataMcpError(err) && err.code === 'CONFIG_ERROR' ? 2 : 1);
}
