import { describe, expect, it } from 'vitest';
import { probeLazyImports } from '../../helpers/lazy-import-probe.js';

interface Probe {
  kinds: string[];
  rootListing: string[];
  beforeControl: string[];
  control: string;
  afterControl: string[];
}

describe('gcs connector: the Cloud Storage SDK loads lazily', () => {
  it('importing the registry, describing, creating a gcs connector and listing its root loads no Google module', async () => {
    const result = await probeLazyImports<Probe>(
      ['@google-cloud/', 'google-auth-library', 'gaxios'],
      `
      const { ConnectorRegistry } = await import(repo('src/connectors/registry.ts'));
      const registry = new ConnectorRegistry({
        defaultEnv: 'dev',
        connectors: { lake: { kind: 'gcs', buckets: ['gcs-lazy-one'], api_endpoint: 'http://127.0.0.1:9', annotations: {} } },
      });
      const options = { signal: new AbortController().signal, credentials: { id: 'gcp:default' }, limit: 10 };
      const kinds = registry.list().map((i) => i.kind);
      const lake = await registry.get('lake');
      const rootListing = (await lake.list('', options)).entries.map((e) => e.path);
      const beforeControl = seen();
      const control = await lake.list('gcs-lazy-one/', options).then(() => 'listed', (e) => e.code);
      report({ kinds, rootListing, beforeControl, control, afterControl: seen() });
      await registry.closeAll();`,
    );
    expect(result.kinds).toEqual(['gcs']);
    expect(result.rootListing).toEqual(['gcs-lazy-one/']);
    expect(result.beforeControl).toEqual([]);
    // Control: listing a bucket needs the SDK, which the hook refuses (so the hook works).
    expect(result.control).toBe('INTERNAL');
    expect(result.afterControl).toContain('@google-cloud/storage');
  });
});
