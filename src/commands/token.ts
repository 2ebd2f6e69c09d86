import { loadConfig, type LoadOptions } from '../config/load.js';
import { loadTokenKeys } from '../identity/keys.js';
import { issueToken } from '../identity/token.js';
import { configError } from '../results/errors.js';
import { parseDuration } from './options.js';

/** `data-mcp token issue --sa ID --ttl 8h [--roles a,b]`: mints a token for a configured SA. */
export async function runTokenIssue(options: LoadOptions & { sa: string; ttl: string; roles?: string }): Promise<string> {
  const { config } = loadConfig(options);
  const sa = config.auth.service_accounts.find((s) => s.id === options.sa);
  if (!sa) throw configError(`no service account "${options.sa}" in the config`, `Known: ${config.auth.service_accounts.map((s) => s.id).join(', ')}.`);
  const roles = options.roles?.split(',').map((r) => r.trim()).filter(Boolean);
  const widened = roles?.filter((r) => !sa.roles.includes(r)) ?? [];
  if (widened.length > 0) throw configError(`--roles names roles ${sa.id} does not hold: ${widened.join(', ')}`, `A token can only narrow: pick from ${sa.roles.join(', ')}.`);
  const keys = loadTokenKeys(config.auth, options.env ?? process.env, true);
  return issueToken({ sa: sa.id, ttlSeconds: parseDuration(options.ttl), ...(roles ? { roles } : {}), auth: config.auth, keys });
}
