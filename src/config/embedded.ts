import { BUNDLED_DEMO_DATA_DIR } from './paths.js';

/**
 * The embedded default: what runs with no config and no cloud account. One read-only
 * service account bound to every call (auth mode `none`), a `local` connector over the
 * bundled demo data, the in-memory cache (Redis when REDIS_URL is set).
 */
export function embeddedConfig(env: NodeJS.ProcessEnv): Record<string, unknown> {
  return {
    server: { name: 'data-mcp', env: 'demo', toolsets: ['catalog', 'data', 'probe'], read_only: true },
    auth: {
      mode: 'none',
      default_service_account: 'demo-reader',
      service_accounts: [
        {
          id: 'demo-reader',
          description: 'Read-only demo identity of the embedded default',
          roles: ['reader'],
          attributes: { department: 'analytics', tier: 'demo' },
        },
      ],
    },
    connectors: {
      demo: {
        kind: 'local',
        root: BUNDLED_DEMO_DATA_DIR,
        description: 'Bundled demo datasets: orders, customers and a few days of events',
        annotations: { '': { classification: 'public', department: 'analytics' } },
      },
    },
    cache: env.REDIS_URL ? { redis_url: env.REDIS_URL } : {},
  };
}
