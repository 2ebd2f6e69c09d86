import { AuditLog } from './audit/audit-log.js';
import { createCache } from './cache/resilient.js';
import { SingleFlight } from './cache/single-flight.js';
import type { Cache } from './cache/types.js';
import type { LoadedConfig } from './config/load.js';
import { PACKAGE_VERSION } from './version.js';
import { ConnectorRegistry } from './connectors/registry.js';
import type { ConnectorContext } from './connectors/kinds.js';
import { Gate } from './gate/compose.js';
import { loadTokenKeys } from './identity/keys.js';
import { IdentityResolver } from './identity/resolver.js';
import type { Logger } from './logging/logger.js';
import { PolicyEngine } from './policy/engine.js';
import { createOpaqueTokens } from './results/handles.js';
import { ResultStore } from './results/result-store.js';
import { LiveResults } from './results/live-results.js';
import { SessionStore } from './sessions/store.js';
import type { ProcessorRegistry } from './engine/registry.js';
import { selectTools } from './tools/index.js';
import type { ToolDefinition } from './tools/define-tool.js';

export interface Runtime {
  gate: Gate;
  tools: ToolDefinition[];
  version: string;
  policy: PolicyEngine;
  cache: Cache;
  audit: AuditLog;
  close(): Promise<void>;
}

export { PACKAGE_VERSION };

/**
 * Builds every room from a loaded config. Policy validation and audit opening failures stop
 * the server here, before it answers anything (fail closed).
 */
export interface RuntimeOptions {
  /** Connector test seams; only tests set them (never config or tool arguments). */
  connectorSeams?: ConnectorContext['seams'];
}

/**
 * Built-in processors load on first use (they pull in Arrow, which start-up must not pay
 * for). Custom processor modules load now: a module that does not fit stops the server.
 */
async function processorLoader(modules: readonly string[]): Promise<() => Promise<ProcessorRegistry>> {
  if (modules.length === 0) {
    let registry: Promise<ProcessorRegistry> | undefined;
    return () => (registry ??= import('./engine/registry.js').then((m) => m.processorRegistry()));
  }
  const [{ processorRegistry, BUILTIN_PROCESSORS }, { loadCustomProcessors }] = await Promise.all([import('./engine/registry.js'), import('./engine/custom-processors.js')]);
  const custom = await loadCustomProcessors(modules, new Set(BUILTIN_PROCESSORS.map((p) => p.op)));
  const registry = processorRegistry(custom);
  return () => Promise.resolve(registry);
}

export async function createRuntime(loaded: LoadedConfig, logger: Logger, env: NodeJS.ProcessEnv = process.env, options: RuntimeOptions = {}): Promise<Runtime> {
  const { config } = loaded;
  // First: a processor module that does not fit stops the server before anything is opened.
  const processors = await processorLoader(config.probe.processors);
  const keys = config.auth.mode === 'token' ? loadTokenKeys(config.auth, env) : {};
  const identity = new IdentityResolver(config.auth, keys, env.DATA_MCP_TOKEN || undefined);
  const policy = await PolicyEngine.load({ dir: loaded.policiesDir, config, logger });
  const audit = await AuditLog.open({
    path: loaded.auditPath,
    ...(config.audit.checkpoint_key_file ? { checkpointKeyFile: config.audit.checkpoint_key_file } : {}),
    checkpointEvery: config.audit.checkpoint_every,
    checkpointSeconds: config.audit.checkpoint_seconds,
    fsync: config.audit.fsync,
    rotateBytes: config.audit.rotate_bytes,
    logger,
  });
  const cache = await createCache(config.cache, logger);
  const registry = ConnectorRegistry.fromConfig(config, { logger, ...(options.connectorSeams ? { seams: options.connectorSeams } : {}) });
  const tokens = createOpaqueTokens(config.server.handle_secret, config.server.handle_ttl_seconds);
  const results = new ResultStore(cache, config.server.handle_ttl_seconds);
  const live = new LiveResults({ ttlSeconds: config.server.handle_ttl_seconds, maxRows: config.server.limits.max_rows, maxEntries: 32, maxPerSource: 2 });
  const sessions = new SessionStore(cache, {
    ttlSeconds: config.sessions.ttl_seconds,
    maxTtlSeconds: config.sessions.max_ttl_seconds,
    maxPerPrincipal: config.sessions.max_per_principal,
    maxBytes: config.sessions.max_bytes,
  });
  const gate = new Gate({ loaded, identity, policy, cache, flight: new SingleFlight(), audit, registry, tokens, results, live, sessions, processors, logger });
  if (config.auth.mode === 'none') {
    logger.warn({ serviceAccount: config.auth.default_service_account }, 'auth.mode is "none": every call runs as this service account');
  }
  return {
    gate,
    tools: selectTools(config),
    version: PACKAGE_VERSION,
    policy,
    cache,
    audit,
    async close() {
      live.close();
      await registry.closeAll();
      await cache.close();
      await audit.close();
    },
  };
}
