import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorConfig } from '../../../src/config/schema.js';
import { ConnectorRegistry } from '../../../src/connectors/registry.js';
import { DataMcpError } from '../../../src/results/errors.js';

async function failureOf(promise: Promise<unknown>): Promise<DataMcpError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataMcpError);
  return error as DataMcpError;
}

describe('ConnectorRegistry', () => {
  let base: string;
  let connectors: Record<string, ConnectorConfig>;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'data-mcp-registry-'));
    await mkdir(join(base, 'files'));
    connectors = {
      zeta: { kind: 'local', root: join(base, 'files'), annotations: {} },
      lake: { kind: 's3', buckets: ['b-one'], region: 'eu-west-1', force_path_style: false, env: 'prod', description: 'the lake', annotations: {} },
      later: { kind: 'local', root: join(base, 'created-later'), annotations: {} },
    };
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('describes connectors sorted by name, with env defaults and static capabilities, without creating them', () => {
    const registry = new ConnectorRegistry({ connectors, defaultEnv: 'dev' });
    expect(registry.names()).toEqual(['lake', 'later', 'zeta']);
    expect(registry.list()).toEqual([
      { name: 'lake', kind: 's3', env: 'prod', description: 'the lake', capabilities: ['list', 'stat', 'read_object', 'write', 'delete'] },
      { name: 'later', kind: 'local', env: 'dev', capabilities: ['list', 'stat', 'read_object', 'write', 'delete'] },
      { name: 'zeta', kind: 'local', env: 'dev', capabilities: ['list', 'stat', 'read_object', 'write', 'delete'] },
    ]);
    // `later`'s root does not exist: describing it must not have tried to create it.
    expect(registry.info('later').kind).toBe('local');
  });

  it('answers NOT_FOUND for an unknown name, listing the configured ones', async () => {
    const registry = new ConnectorRegistry({ connectors, defaultEnv: 'dev' });
    expect(() => registry.info('nope')).toThrow(DataMcpError);
    const error = await failureOf(registry.get('nope'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.hint).toContain('"lake", "later", "zeta"');
    expect(registry.has('nope')).toBe(false);
    expect(registry.has('lake')).toBe(true);
  });

  it('creates a connector once, on first use, and shares it between concurrent callers', async () => {
    const registry = new ConnectorRegistry({ connectors, defaultEnv: 'dev' });
    const [a, b] = await Promise.all([registry.get('zeta'), registry.get('zeta')]);
    expect(a).toBe(b);
    expect(await registry.get('zeta')).toBe(a);
    expect(a.name).toBe('zeta');
    expect(a.kind).toBe('local');
    const lake = await registry.get('lake');
    expect([lake.kind, [...lake.capabilities]]).toEqual(['s3', ['list', 'stat', 'read_object', 'write', 'delete']]);
    await registry.closeAll();
    expect(await registry.get('zeta')).not.toBe(a);
    await registry.closeAll();
  });

  it('does not remember a failed creation: the next call tries again', async () => {
    const registry = new ConnectorRegistry({ connectors, defaultEnv: 'dev' });
    expect((await failureOf(registry.get('later'))).code).toBe('CONFIG_ERROR');
    await mkdir(join(base, 'created-later'));
    const connector = await registry.get('later');
    expect(connector.name).toBe('later');
    await registry.closeAll();
  });

  it('builds from a config object (server.env as the default env)', () => {
    const registry = ConnectorRegistry.fromConfig({ connectors, server: { env: 'staging' } as never });
    expect(registry.info('zeta').env).toBe('staging');
    expect(registry.info('lake').env).toBe('prod');
  });
});
