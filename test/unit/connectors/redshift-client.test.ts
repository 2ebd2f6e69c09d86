import { describe, expect, it } from 'vitest';
import type { RedshiftConnectorConfig } from '../../../src/config/schema.js';
import { RedshiftClientPool } from '../../../src/connectors/redshift/client.js';
import type { CredentialScope } from '../../../src/connectors/types.js';

const config: RedshiftConnectorConfig = { kind: 'redshift', region: 'eu-west-1', database: 'dev', workgroup_name: 'wg', endpoint: 'http://127.0.0.1:9', poll_interval_ms: 250, statement_timeout_ms: 60_000, annotations: {} };
const scope = (id: string, key: string): CredentialScope => ({ id, material: { kind: 'aws', accessKeyId: key, secretAccessKey: `${key}-secret-value` } });

describe('redshift client pool', () => {
  it('keeps one Data API client per credential scope, with the shared AWS credential rules', async () => {
    const pool = new RedshiftClientPool(config);
    const a = await pool.get(scope('aws:static:a', 'AKIDA'));
    expect(await pool.get(scope('aws:static:a', 'AKIDA'))).toBe(a);
    const b = await pool.get(scope('aws:static:b', 'AKIDB'));
    expect(b.client).not.toBe(a.client);
    expect(await a.client.config.region()).toBe('eu-west-1');
    expect(await (a.client.config.credentials as () => Promise<{ accessKeyId: string }>)()).toMatchObject({ accessKeyId: 'AKIDA' });
    // A scope that only overrides the region gets its own client in that region.
    const regional = await pool.get({ id: 'aws:default', material: { kind: 'aws', region: 'us-west-2' } });
    expect(await regional.client.config.region()).toBe('us-west-2');
    await pool.destroyAll();
  });
});
