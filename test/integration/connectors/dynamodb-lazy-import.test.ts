import { describe, expect, it } from 'vitest';
import { probeLazyImports } from '../../helpers/lazy-import-probe.js';

/**
 * Cold start must not pay for the DynamoDB SDK (DESIGN §2): describing and creating a dynamodb
 * connector through the registry, and a call the connector refuses before any request (a
 * disabled scan), load no `@aws-sdk/*` module. As a control, the first real call must try
 * `@aws-sdk/client-dynamodb`, be refused, and fail as INTERNAL.
 */
describe('dynamodb connector: the SDK loads lazily', () => {
  it('creating a dynamodb connector loads no @aws-sdk module; its first call does', async () => {
    const result = await probeLazyImports<{ kinds: string[]; refused: string; before: string[]; control: string; after: string[] }>(
      ['@aws-sdk/'],
      `
      const { ConnectorRegistry } = await import(repo('src/connectors/registry.ts'));
      const registry = new ConnectorRegistry({
        defaultEnv: 'dev',
        connectors: { ddb: { kind: 'dynamodb', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', scan: { enabled: false, max_items: 10 }, annotations: {} } },
      });
      const options = { signal: new AbortController().signal, credentials: { id: 'none' } };
      const kinds = registry.list().map((i) => i.kind);
      const ddb = await registry.get('ddb');
      const scan = { sql: '', params: {}, maxRows: 5, dryRun: false, readOnly: true, timeoutMs: 1000, dynamo: { operation: 'scan', table: 'orders' } };
      const refused = await ddb.query(scan, options).then(() => 'ran', (e) => e.code);
      const before = seen();
      const control = await ddb.list('', { ...options, limit: 5 }).then(() => 'listed', (e) => e.code);
      report({ kinds, refused, before, control, after: seen() });
      await registry.closeAll();`,
    );
    expect(result.kinds).toEqual(['dynamodb']);
    expect(result.refused).toBe('POLICY_DENIED');
    expect(result.before).toEqual([]);
    expect(result.control).toBe('INTERNAL');
    expect(result.after).toContain('@aws-sdk/client-dynamodb');
  });
});
