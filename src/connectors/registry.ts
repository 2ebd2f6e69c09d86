import type { Config, ConnectorConfig } from '../config/schema.js';
import { notFound } from '../results/errors.js';
import { KIND_CAPABILITIES } from './capabilities.js';
import { createConnector, type ConnectorContext } from './kinds.js';
import type { Connector, ConnectorInfo } from './types.js';

export interface ConnectorRegistryOptions {
  /** `config.connectors`: name → connector config. */
  connectors: Record<string, ConnectorConfig>;
  /** `server.env`, used for connectors that declare no `env` of their own. */
  defaultEnv: string;
  context?: ConnectorContext;
}

/**
 * The configured connectors. Describing them (`info`, `list`) touches nothing; `get` creates a
 * connector on first use, once, and shares it. No SDK is imported by this module: connector
 * code is loaded through `kinds.ts`'s dynamic imports.
 */
export class ConnectorRegistry {
  private readonly configs: ReadonlyMap<string, ConnectorConfig>;
  private readonly defaultEnv: string;
  private readonly context: ConnectorContext;
  private readonly created = new Map<string, Promise<Connector>>();

  constructor(options: ConnectorRegistryOptions) {
    this.configs = new Map(Object.entries(options.connectors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    this.defaultEnv = options.defaultEnv;
    this.context = options.context ?? {};
  }

  static fromConfig(config: Pick<Config, 'connectors' | 'server'>, context?: ConnectorContext): ConnectorRegistry {
    return new ConnectorRegistry({ connectors: config.connectors, defaultEnv: config.server.env, ...(context ? { context } : {}) });
  }

  /** Configured names, sorted. */
  names(): string[] {
    return [...this.configs.keys()];
  }

  has(name: string): boolean {
    return this.configs.has(name);
  }

  info(name: string): ConnectorInfo {
    const config = this.configFor(name);
    return {
      name,
      kind: config.kind,
      env: config.env ?? this.defaultEnv,
      ...(config.description !== undefined ? { description: config.description } : {}),
      capabilities: [...KIND_CAPABILITIES[config.kind]],
    };
  }

  list(): ConnectorInfo[] {
    return this.names().map((name) => this.info(name));
  }

  /** The connector's config (for annotations, TTLs); never handed to tools verbatim. */
  configFor(name: string): ConnectorConfig {
    const config = this.configs.get(name);
    if (!config) {
      const known = this.names().map((n) => `"${n}"`).join(', ');
      throw notFound(`no connector named "${name}"`, `Configured connectors: ${known || '(none)'}. Call list_connectors to see them.`);
    }
    return config;
  }

  /** Creates the connector on first use; concurrent first calls share one creation. */
  get(name: string): Promise<Connector> {
    const existing = this.created.get(name);
    if (existing) return existing;
    let config: ConnectorConfig;
    try {
      config = this.configFor(name);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const creation = createConnector(name, config, this.context);
    this.created.set(name, creation);
    // A failed creation (say, a root folder that does not exist yet) is not remembered, so the
    // next call tries again instead of failing forever.
    creation.catch(() => {
      if (this.created.get(name) === creation) this.created.delete(name);
    });
    return creation;
  }

  /** Closes every connector created so far; later `get` calls create fresh ones. */
  async closeAll(): Promise<void> {
    const pending = [...this.created.values()];
    this.created.clear();
    // A connector that failed to create has nothing to close, so only close() errors count.
    const results = await Promise.allSettled(
      pending.map((p) => p.then((connector) => connector.close(), () => undefined)),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} connector(s) failed to close`);
  }
}
