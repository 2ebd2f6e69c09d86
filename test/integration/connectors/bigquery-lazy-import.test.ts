import { describe, expect, it } from 'vitest';
import { probeLazyImports } from '../../helpers/lazy-import-probe.js';

interface Probe {
  kinds: string[];
  rootListing: string[];
  refused: string;
  beforeControl: string[];
  control: string;
  afterControl: string[];
}

describe('bigquery connector: the BigQuery SDK loads lazily', () => {
  it('importing the registry, creating a bigquery connector, listing its allowlisted root and refusing a bad path loads no Google module', async () => {
    const result = await probeLazyImports<Probe>(
      ['@google-cloud/', 'google-auth-library', 'gaxios'],
      `
      const { ConnectorRegistry } = await import(repo('src/connectors/registry.ts'));
      const registry = new ConnectorRegistry({
        defaultEnv: 'dev',
        connectors: { wh: { kind: 'bigquery', project_id: 'lazy-proj', datasets: ['lazy_ds'], maximum_bytes_billed: 1000, usd_per_tib: 6.25, api_endpoint: 'http://127.0.0.1:9', annotations: {} } },
      });
      const options = { signal: new AbortController().signal, credentials: { id: 'gcp:default' }, limit: 10 };
      const kinds = registry.list().map((i) => i.kind);
      const wh = await registry.get('wh');
      const rootListing = (await wh.list('', options)).entries.map((e) => e.path);
      const refused = await wh.describeTable('other_ds/t', options).then(() => 'described', (e) => e.code);
      const beforeControl = seen();
      const control = await wh.list('lazy_ds/', options).then(() => 'listed', (e) => e.code);
      report({ kinds, rootListing, refused, beforeControl, control, afterControl: seen() });
      await registry.closeAll();`,
    );
    expect(result.kinds).toEqual(['bigquery']);
    expect(result.rootListing).toEqual(['lazy_ds/']);
    expect(result.refused).toBe('NOT_FOUND');
    expect(result.beforeControl).toEqual([]);
    // Control: listing a dataset needs the SDK, which the hook refuses (so the hook works).
    expect(result.control).toBe('INTERNAL');
    expect(result.afterControl).toContain('@google-cloud/bigquery');
  });
});
