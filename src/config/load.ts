import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configError, DataMcpError, isDataMcpError } from '../results/errors.js';
import { registerSecret } from '../results/scrub.js';
import { embeddedConfig } from './embedded.js';
import { interpolateEnv } from './interpolate.js';
import { BUNDLED_POLICIES_DIR, stateDir } from './paths.js';
import { configSchema, type Config, type Toolset } from './schema.js';

export interface LoadOptions {
  /** Config file; falls back to DATA_MCP_CONFIG, then the embedded default. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  /** Command-line flags win over the file (defaults → yaml → env → flags). */
  toolsets?: Toolset[];
  readOnly?: boolean;
}

export interface LoadedConfig {
  config: Config;
  /** Where it came from, for `check` and `whoami`. */
  source: string;
  embedded: boolean;
  policiesDir: string;
  auditPath: string;
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? (env.DATA_MCP_CONFIG || undefined);
  const raw = path ? readYaml(path) : embeddedConfig(env);
  const baseDir = path ? dirname(resolve(path)) : process.cwd();
  const interpolated = interpolateEnv(raw, env);
  const config = validate(interpolated, path ?? 'embedded default');
  if (options.toolsets) config.server.toolsets = options.toolsets;
  if (options.readOnly !== undefined) config.server.read_only = options.readOnly;
  resolveRelativePaths(config, baseDir);
  registerConfigSecrets(config, env);
  return {
    config,
    source: path ? resolve(path) : 'embedded default',
    embedded: !path,
    policiesDir: config.policies.dir ?? BUNDLED_POLICIES_DIR,
    auditPath: config.audit.path ?? join(stateDir(env), 'audit.jsonl'),
  };
}

/** A config is a page of YAML; anything far larger is a mistake or an attack on the parser. */
const MAX_CONFIG_BYTES = 1024 * 1024;

function readYaml(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw configError(`cannot read config file ${path} (${code})`, 'Check the --config path or DATA_MCP_CONFIG.');
  }
  if (bytes.length > MAX_CONFIG_BYTES) {
    throw configError(`config file ${path} is ${bytes.length} bytes; the limit is ${MAX_CONFIG_BYTES} bytes`, 'Point --config at the data-mcp YAML file.');
  }
  let text: string;
  try {
    // fatal: invalid bytes are refused, not silently replaced with U+FFFD inside a value.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw configError(`config file ${path} is not valid UTF-8`, 'Save the config file as UTF-8.');
  }
  const notYaml = (message: string) => configError(`config file ${path} is not valid YAML: ${message.split('\n')[0]}`, 'Fix the YAML syntax at the line shown.');
  try {
    const doc = parseDocument(text, { prettyErrors: true, strict: true, uniqueKeys: true });
    if (doc.errors.length > 0) throw notYaml(doc.errors[0]!.message);
    // A warning (an unknown tag such as !js/function) would reach stderr as a raw Node warning
    // and leave a value the operator did not mean: the file is refused instead.
    if (doc.warnings.length > 0) throw notYaml(doc.warnings[0]!.message);
    // maxAliasCount bounds "billion laughs" alias expansion in a hostile file.
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    if (isDataMcpError(err)) throw err;
    throw notYaml(err instanceof Error ? err.message : String(err));
  }
}

export function validate(value: unknown, source: string): Config {
  const parsed = configSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw configError(`invalid config (${source}):\n${formatIssues(parsed.error.issues)}`, 'See config.example.yaml for every key and its allowed values.');
}

export function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 20)
    .map((issue) => {
      const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      const unknownKeys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      return `  - ${key}: ${issue.message}${unknownKeys}`;
    })
    .join('\n');
}

function resolveRelativePaths(config: Config, baseDir: string): void {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  for (const connector of Object.values(config.connectors)) {
    if (connector.kind === 'local') connector.root = abs(connector.root);
  }
  if (config.policies.dir) config.policies.dir = abs(config.policies.dir);
  config.probe.processors = config.probe.processors.map(abs);
  if (config.audit.path) config.audit.path = abs(config.audit.path);
  if (config.audit.checkpoint_key_file) config.audit.checkpoint_key_file = abs(config.audit.checkpoint_key_file);
  const keys = config.auth.keys;
  if (keys.ed25519_public_key_file) keys.ed25519_public_key_file = abs(keys.ed25519_public_key_file);
  if (keys.ed25519_private_key_file) keys.ed25519_private_key_file = abs(keys.ed25519_private_key_file);
  for (const sa of config.auth.service_accounts) if (sa.gcp?.key_file) sa.gcp.key_file = abs(sa.gcp.key_file);
}

/** Everything secret the config names is registered with the scrubber before any log line. */
function registerConfigSecrets(config: Config, env: NodeJS.ProcessEnv): void {
  registerSecret(config.server.handle_secret);
  if (config.auth.keys.hs256_secret_env) registerSecret(env[config.auth.keys.hs256_secret_env]);
  registerSecret(env.DATA_MCP_TOKEN);
  for (const sa of config.auth.service_accounts) registerSecret(sa.aws?.secret_access_key);
  for (const c of Object.values(config.connectors)) if (c.kind === 's3') registerSecret(c.credentials?.secret_access_key);
  const redisPassword = config.cache.redis_url ? safePassword(config.cache.redis_url) : undefined;
  registerSecret(redisPassword);
}

function safePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

export { DataMcpError };
