import type { Connector, ConnectorInfo, CredentialScope } from '../connectors/types.js';
import type { Principal } from '../identity/principal.js';
import { canonicalizePath } from '../policy/paths.js';
import { DataMcpError } from '../results/errors.js';
import type { CallAuthorization } from './authorize.js';
import { METHOD_ACTIONS, type GatedConnector } from './context.js';

/** The credentials a connector kind runs under for this principal. */
export function credentialsFor(kind: string, principal: Principal): CredentialScope {
  if (kind === 's3' || kind === 'dynamodb' || kind === 'redshift') return principal.aws;
  if (kind === 'gcs' || kind === 'bigquery') return principal.gcp;
  return { id: 'none' };
}

/**
 * A connector as a handler sees it: credentials bound to the principal, the call's abort
 * signal attached, and every method refused unless an allow decision of this call covers it.
 */
export function gatedConnector(
  info: ConnectorInfo,
  load: () => Promise<Connector>,
  authz: CallAuthorization,
  principal: Principal,
  signal: AbortSignal,
): GatedConnector {
  const options = { signal, credentials: credentialsFor(info.kind, principal) };
  const guard = (method: keyof typeof METHOD_ACTIONS, rawPath: string): string => {
    const path = canonicalizePath(rawPath, { allowEmpty: true });
    if (!authz.covers(info.name, path, METHOD_ACTIONS[method])) {
      throw new DataMcpError('POLICY_DENIED', `no allow decision covers ${method} on ${info.name}/${path}`, 'The call was not authorized for this path.');
    }
    if (signal.aborted) throw new DataMcpError('CANCELLED', 'the call was cancelled', 'Retry when ready.');
    return path;
  };
  return {
    info,
    async list(path, opts) {
      const p = guard('list', path);
      return (await load()).list(p, { ...options, limit: opts.limit, ...(opts.cursor ? { cursor: opts.cursor } : {}), ...(opts.recursive ? { recursive: true } : {}) });
    },
    async stat(path) {
      const p = guard('stat', path);
      return (await load()).stat(p, options);
    },
    async open(path) {
      const p = guard('open', path);
      return (await load()).open(p, options);
    },
  };
}
