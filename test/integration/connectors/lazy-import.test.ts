import { describe, expect, it } from 'vitest';
import { probeLazyImports } from '../../helpers/lazy-import-probe.js';

interface Probe {
  infos: Array<{ name: string; kind: string }>;
  rootListing: { entries: Array<{ path: string }> };
  beforeControl: string[];
  control: string;
  afterControl: string[];
}

/**
 * Cold start must not pay for cloud SDKs (DESIGN §2). A fresh Node process refuses (and logs)
 * every `@aws-sdk/*` resolution; it imports the registry, describes the connectors, creates the
 * s3 connector and lists its root (buckets come from config), and lists a local folder. The log
 * must stay empty through all of that. As a control that the hook really sees SDK imports, the
 * child finally lists a bucket: that must try `@aws-sdk/client-s3`, be refused, and be logged.
 */
describe('connector registry: cloud SDKs load lazily', () => {
  it('importing the registry and describing or creating an s3 connector loads no @aws-sdk module', async () => {
    const result = await probeLazyImports<Probe>(
      ['@aws-sdk/'],
      `
      const { ConnectorRegistry } = await import(repo('src/connectors/registry.ts'));
      const registry = new ConnectorRegistry({
        defaultEnv: 'dev',
        connectors: {
          lake: { kind: 's3', buckets: ['b-one'], region: 'us-east-1', force_path_style: true, endpoint: 'http://127.0.0.1:9', annotations: {} },
          files: { kind: 'local', root: '.', annotations: {} },
        },
      });
      const options = { signal: new AbortController().signal, credentials: { id: 'none' }, limit: 10 };
      const infos = registry.list();
      const lake = await registry.get('lake');
      const rootListing = await lake.list('', options);
      await (await registry.get('files')).list('', options);
      const beforeControl = seen();
      const control = await lake.list('b-one/', options).then(() => 'listed', (e) => e.code);
      report({ infos, rootListing, beforeControl, control, afterControl: seen() });
      await registry.closeAll();`,
    );
    expect(result.infos.map((i) => `${i.name}:${i.kind}`)).toEqual(['files:local', 'lake:s3']);
    expect(result.rootListing.entries.map((e) => e.path)).toEqual(['b-one/']);
    expect(result.beforeControl).toEqual([]);
    expect(result.control).toBe('INTERNAL');
    expect(result.afterControl).toContain('@aws-sdk/client-s3');
  });
});
