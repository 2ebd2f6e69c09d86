import { loadConfig, type LoadOptions } from '../config/load.js';
import { loadTokenKeys } from '../identity/keys.js';
import { PolicyEngine } from '../policy/engine.js';
import { selectTools } from '../tools/index.js';

/**
 * `data-mcp check`: everything `serve` validates at start (config, keys, policies), without
 * serving. Returns the report lines; throws the first problem found.
 */
export async function runCheck(options: LoadOptions): Promise<string[]> {
  const loaded = loadConfig(options);
  const { config } = loaded;
  if (config.auth.mode === 'token') loadTokenKeys(config.auth, options.env ?? process.env);
  const policy = await PolicyEngine.load({ dir: loaded.policiesDir, config });
  const tools = selectTools(config);
  return [
    `config: ${loaded.source} — ok`,
    `policies: ${loaded.policiesDir} — ${policy.policyIds.length} policies valid (version ${policy.version})`,
    `auth: ${config.auth.mode}${config.auth.mode === 'none' ? ` (every call runs as ${config.auth.default_service_account})` : ''}; ${config.auth.service_accounts.length} service account(s)`,
    `connectors: ${Object.entries(config.connectors).map(([name, c]) => `${name} (${c.kind})`).join(', ')}`,
    `cache: ${config.cache.redis_url ? 'redis (memory fallback)' : 'memory'}`,
    `audit: ${loaded.auditPath}`,
    `tools served (${tools.length}): ${tools.map((t) => t.name).join(', ')}`,
  ];
}
