import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';

/** A write through the server retires cached reads of that connector: no stale answer after it. */
describe('cache after writes', () => {
  let root: string;
  let h: Harness;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'data-mcp-wtr-'));
    h = await startHarness({
      config: {
        server: { env: 'dev', toolsets: ['catalog', 'data'], read_only: false, allow_destructive: true },
        auth: { mode: 'none', default_service_account: 'steward', service_accounts: [{ id: 'steward', roles: ['reader', 'writer', 'data-steward'] }] },
        connectors: { scratch: { kind: 'local', root } },
      },
    });
  });

  afterAll(async () => {
    await h?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the new content after replace_data, not the cached old one', async () => {
    const write = await h.call('write_data', { connector: 'scratch', path: 'prices.csv', rows: [{ sku: 'a', price: 1 }] });
    expect(write.isError).toBeFalsy();
    const read = () => h.call('read_data', { connector: 'scratch', path: 'prices.csv' });
    expect((await read()).structuredContent?.rows).toEqual([['a', 1]]);
    expect((await read()).structuredContent?.cache).toBe('hit');
    const replace = await h.call('replace_data', { connector: 'scratch', path: 'prices.csv', rows: [{ sku: 'a', price: 2 }] });
    expect(replace.isError).toBeFalsy();
    const after = await read();
    expect(after.structuredContent?.cache).toBe('miss');
    expect(after.structuredContent?.rows).toEqual([['a', 2]]);
  });
});
