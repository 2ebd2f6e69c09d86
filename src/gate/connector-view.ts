import type { Connector, ConnectorInfo, CredentialScope } from '../connectors/types.js';
import type { Principal } from '../identity/principal.js';
import { canonicalizePath } from '../policy/paths.js';
import { DataMcpError } from '../results/errors.js';
import type { CallAuthorization } from './authorize.js';
import { METHOD_ACTIONS, type GatedConnector } from './context.js';

function unsupported(info: ConnectorInfo, what: string): DataMcpError {
  return new DataMcpError('INVALID_ARGUMENT', `connector ${info.name} (${info.kind}) cannot ${what}`, `Its capabilities are: ${info.capabilities.join(', ')}.`);
}

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
  /**
   * A path that leads through a symbolic link (local folders) names another place too: policy
   * must allow the method there as well, or a link in a granted folder would lend its grant to
   * the folder it points at. One allowed action of the method's suffices, as for the path.
   */
  const guardTarget = async (connector: Connector, method: keyof typeof METHOD_ACTIONS, path: string): Promise<void> => {
    const target = await connector.linkTarget?.(path);
    if (target === undefined || target === path) return;
    const requests = METHOD_ACTIONS[method].map((action) => ({ action, resource: { type: 'Location' as const, connector: info.name, path: target } }));
    const allowed = requests.find((r) => authz.evaluate(r, true).allowed);
    authz.require([allowed ?? requests[0]!], true);
  };
  /** The connector, once `path` (already guarded) and any place it links to are allowed. */
  const through = async (method: keyof typeof METHOD_ACTIONS, path: string): Promise<Connector> => {
    const connector = await load();
    await guardTarget(connector, method, path);
    return connector;
  };
  return {
    info,
    async list(path, opts) {
      const p = guard('list', path);
      return (await through('list', p)).list(p, { ...options, limit: opts.limit, ...(opts.cursor ? { cursor: opts.cursor } : {}), ...(opts.recursive ? { recursive: true } : {}) });
    },
    async stat(path) {
      const p = guard('stat', path);
      return (await through('stat', p)).stat(p, options);
    },
    async open(path, hint) {
      const p = guard('open', path);
      return (await through('open', p)).open(p, hint?.optimistic ? { ...options, optimistic: true } : options);
    },
    async describeTable(path) {
      const p = guard('describeTable', path);
      const connector = await load();
      if (!connector.describeTable) throw unsupported(info, 'describe tables');
      return connector.describeTable(p, options);
    },
    async query(request, tables) {
      // Every table the SQL touches must be covered; a query naming no table needs the connector.
      if (tables.length === 0) guard('query', '');
      for (const table of tables) guard('query', table);
      const connector = await load();
      if (!connector.query) throw unsupported(info, 'run queries');
      return connector.query(request, options);
    },
    async write(path, data, opts) {
      const p = guard(opts.as ?? 'write', path);
      // Replacing an object destroys the old one: that is a delete as well as a write.
      if (!opts.createOnly) guard('delete', path);
      const connector = await through(opts.as ?? 'write', p);
      if (!opts.createOnly) await guardTarget(connector, 'delete', p);
      if (!connector.write) throw unsupported(info, 'write objects');
      return connector.write(p, data, { ...options, createOnly: opts.createOnly, ...(opts.contentType ? { contentType: opts.contentType } : {}) });
    },
    async putItems(table, items, opts) {
      const p = guard('write', table);
      if (!opts.createOnly) guard('delete', table);
      const connector = await load();
      if (!connector.putItems) throw unsupported(info, 'write items');
      return connector.putItems(p, items, { ...options, createOnly: opts.createOnly });
    },
    async delete(path) {
      const p = guard('delete', path);
      const connector = await through('delete', p);
      if (!connector.delete) throw unsupported(info, 'delete objects');
      return connector.delete(p, options);
    },
    options,
  };
}
