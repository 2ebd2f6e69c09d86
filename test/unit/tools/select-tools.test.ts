import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { annotationsFor } from '../../../src/tools/define-tool.js';
import { ALL_TOOLS, selectTools } from '../../../src/tools/index.js';

const config = (server: Record<string, unknown>) =>
  configSchema.parse({
    server: { toolsets: ['catalog', 'data'], ...server },
    auth: { mode: 'none', default_service_account: 'sa', service_accounts: [{ id: 'sa', roles: ['reader'] }] },
    connectors: { scratch: { kind: 'local', root: '.' } },
  });
const writeTools = (server: Record<string, unknown>) => selectTools(config(server)).map((t) => t.name).filter((n) => ['write_data', 'replace_data', 'delete_data'].includes(n));

describe('selectTools: write and destructive tiers', () => {
  it('allow_destructive defaults to false', () => {
    expect(config({}).server.allow_destructive).toBe(false);
  });

  it.each([
    [{}, []],
    [{ allow_destructive: true }, []],
    [{ read_only: false }, ['write_data']],
    [{ read_only: false, allow_destructive: true }, ['write_data', 'replace_data', 'delete_data']],
  ])('%j serves %j', (server, expected) => {
    expect(writeTools(server)).toEqual(expected);
  });

  it('write tools are never cached and carry honest annotations', () => {
    for (const name of ['write_data', 'replace_data', 'delete_data']) {
      const tool = ALL_TOOLS.find((t) => t.name === name)!;
      expect(tool.cache).toBeUndefined();
      expect(annotationsFor(tool)).toMatchObject({ readOnlyHint: false, destructiveHint: name !== 'write_data', idempotentHint: false });
    }
  });

  it('the write tools come right after query', () => {
    const names = ALL_TOOLS.map((t) => t.name);
    expect(names.slice(names.indexOf('query'), names.indexOf('query') + 4)).toEqual(['query', 'write_data', 'replace_data', 'delete_data']);
  });
});

describe('write handlers check the tier again', () => {
  const ctx = (server: Record<string, unknown>) => ({ config: config(server) });
  it('refuses writes on a read-only server and destructive calls unless enabled', async () => {
    const { checkTier } = await import('../../../src/tools/write-common.js');
    expect(() => checkTier(ctx({}), 'write')).toThrow(/does not allow writes/);
    expect(() => checkTier(ctx({ read_only: false }), 'write')).not.toThrow();
    expect(() => checkTier(ctx({ read_only: false }), 'destructive')).toThrow(/overwrites or deletes/);
    expect(() => checkTier(ctx({ read_only: false, allow_destructive: true }), 'destructive')).not.toThrow();
    expect(() => checkTier(ctx({ allow_destructive: true }), 'destructive')).toThrow();
  });
});
