import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalConnector } from '../../../src/connectors/local/index.js';
import type { CallOptions, Connector } from '../../../src/connectors/types.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { contractFixtures, failureOf, runConnectorContract } from '../../helpers/connector-contract.js';

async function writeTree(root: string, files: Array<{ path: string; bytes: Uint8Array | string }>): Promise<void> {
  for (const f of files) {
    await mkdir(dirname(join(root, f.path)), { recursive: true });
    await writeFile(join(root, f.path), f.bytes);
  }
}

const call = (): CallOptions => ({ signal: new AbortController().signal, credentials: { id: 'none' } });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (e: unknown) => (e instanceof DataMcpError ? e.code : `non-DataMcpError: ${String(e)}`),
  );
}

runConnectorContract('local', async () => {
  const root = await mkdtemp(join(tmpdir(), 'data-mcp-local-contract-'));
  await writeTree(root, contractFixtures().map((f) => ({ path: `fixtures/${f.path}`, bytes: f.bytes })));
  const connector = await createLocalConnector('files', { kind: 'local', root, annotations: {} }, {});
  return { connector, fixturePrefix: 'fixtures/', cleanup: () => rm(root, { recursive: true, force: true }) };
});

/**
 * Symlink policy (see src/connectors/local/resolve.ts): links that resolve inside the root are
 * followed — operators arrange data folders with them — and links that lead outside, directly
 * or through a linked folder, are refused with INVALID_ARGUMENT and never listed. Recursive
 * listings do not descend into linked folders (no cycles, no duplicates).
 */
describe('local connector: adversarial paths and symlinks', () => {
  let base: string;
  let root: string;
  let outside: string;
  let connector: Connector;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'data-mcp-local-adv-'));
    root = join(base, 'root');
    outside = join(base, 'outside');
    await writeTree(outside, [{ path: 'secret.txt', bytes: 'outside secret' }]);
    await writeTree(root, [
      { path: 'data/a.csv', bytes: 'id\n1\n' },
      { path: 'data/nested/n.txt', bytes: 'n' },
      { path: '.env', bytes: 'TOKEN=hidden' },
      { path: '.git/config', bytes: '[core]' },
      { path: 'data/.hidden.csv', bytes: 'x' },
      { path: 'data/.private/p.csv', bytes: 'x' },
      { path: 'visible.txt', bytes: 'hello' },
    ]);
    await symlink('/etc', join(root, 'etc-link'));
    await symlink('/etc/passwd', join(root, 'passwd-link'));
    await symlink(outside, join(root, 'outside-dir'));
    await symlink('../../outside', join(root, 'data', 'relative-escape'));
    await symlink(join(root, 'data', 'a.csv'), join(root, 'alias.csv'));
    await symlink('data', join(root, 'alias-dir'));
    await symlink('.env', join(root, 'env-alias'));
    await symlink(join(root, 'does-not-exist'), join(root, 'dangling'));
    await symlink('..', join(root, 'data', 'up'));
    connector = await createLocalConnector('files', { kind: 'local', root, annotations: {} }, {});
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('lists only visible, in-root entries: no dot-files, no escaping or dangling links', async () => {
    const page = await connector.list('', { ...call(), limit: 100 });
    expect(page.entries.map((e) => `${e.kind}:${e.path}`)).toEqual([
      'prefix:alias-dir/',
      'object:alias.csv',
      'prefix:data/',
      'object:visible.txt',
    ]);
    const data = await connector.list('data/', { ...call(), limit: 100 });
    // `data/up` points at the root itself: inside, so shown as a folder (but not walked recursively).
    expect(data.entries.map((e) => e.path)).toEqual(['data/a.csv', 'data/nested/', 'data/up/']);
  });

  it('refuses a symlink to /etc inside the root, and paths through it', async () => {
    expect(await codeOf(connector.list('etc-link/', { ...call(), limit: 10 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(connector.stat('etc-link/passwd', call()))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(connector.open('etc-link/hostname', call()))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(connector.open('passwd-link', call()))).toBe('INVALID_ARGUMENT');
    const error = await failureOf(connector.stat('passwd-link', call()));
    expect(error.message).toMatch(/escapes the connector root/);
    expect(error.message).not.toContain(root);
  });

  it('refuses symlinked folders that escape the root (absolute and relative links)', async () => {
    expect(await codeOf(connector.open('outside-dir/secret.txt', call()))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(connector.list('outside-dir/', { ...call(), limit: 10 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(connector.open('data/relative-escape/secret.txt', call()))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(connector.list('data/relative-escape', { ...call(), limit: 10 }))).toBe('INVALID_ARGUMENT');
  });

  it('follows symlinks that stay inside the root', async () => {
    const source = await connector.open('alias.csv', call());
    expect(new TextDecoder().decode(await source.read(0, source.size))).toBe('id\n1\n');
    const aliased = await connector.list('alias-dir/', { ...call(), limit: 10 });
    expect(aliased.entries.map((e) => e.path)).toEqual(['alias-dir/a.csv', 'alias-dir/nested/', 'alias-dir/up/']);
    expect((await connector.stat('alias-dir/nested/n.txt', call())).size).toBe(1);
  });

  it('walks recursively without descending into linked folders (no cycles, no duplicates)', async () => {
    const page = await connector.list('', { ...call(), limit: 100, recursive: true });
    expect(page.entries.map((e) => e.path)).toEqual(['alias.csv', 'data/a.csv', 'data/nested/n.txt', 'visible.txt']);
  });

  it('hides dot-files and dot-folders, and links that lead to them', async () => {
    for (const path of ['.env', '.git/config', 'data/.hidden.csv', 'data/.private/p.csv', 'env-alias']) {
      expect(await codeOf(connector.stat(path, call()))).toBe('NOT_FOUND');
    }
    expect(await codeOf(connector.list('.git/', { ...call(), limit: 10 }))).toBe('NOT_FOUND');
  });

  it('answers NOT_FOUND for a dangling link', async () => {
    expect(await codeOf(connector.stat('dangling', call()))).toBe('NOT_FOUND');
  });

  it('refuses ../ in every position', async () => {
    for (const path of ['../outside/secret.txt', 'data/../../outside/secret.txt', 'data/..', '../']) {
      expect(await codeOf(connector.stat(path, call()))).toBe('INVALID_ARGUMENT');
    }
  });

  it('refuses to list a file', async () => {
    expect(await codeOf(connector.list('visible.txt', { ...call(), limit: 10 }))).toBe('INVALID_ARGUMENT');
  });

  it('answers NOT_FOUND for a missing folder, with a hint naming the parent', async () => {
    const error = await failureOf(connector.list('data/nope/', { ...call(), limit: 10 }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.hint).toContain('"data/"');
    expect(error.message).not.toContain(root);
  });

  it('does not leak file descriptors across many reads', async () => {
    const fdCount = async () => (await readdir('/proc/self/fd')).length;
    const source = await connector.open('data/a.csv', call());
    await source.read(0, 1);
    const before = await fdCount();
    for (let i = 0; i < 200; i++) await source.read(i % 4, 5);
    await Promise.all(Array.from({ length: 50 }, () => source.read(0, 2)));
    await source.read(-1, 0).catch(() => undefined);
    expect(await fdCount()).toBe(before);
  });

  it('refuses to read a file that changed after it was opened', async () => {
    await writeTree(root, [{ path: 'data/changing.csv', bytes: 'one\n' }]);
    const source = await connector.open('data/changing.csv', call());
    await writeFile(join(root, 'data/changing.csv'), 'one\ntwo\n');
    await utimes(join(root, 'data/changing.csv'), new Date(), new Date(Date.now() + 5000));
    expect(await codeOf(source.read(0, 4))).toBe('UPSTREAM_ERROR');
  });
});

describe('local connector: root configuration', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'data-mcp-local-root-'));
    await writeTree(base, [{ path: 'real/x.txt', bytes: 'x' }, { path: 'a-file', bytes: 'f' }]);
    await symlink(join(base, 'real'), join(base, 'linked-root'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('resolves a relative root from the base directory', async () => {
    const connector = await createLocalConnector('files', { kind: 'local', root: 'real', annotations: {} }, { baseDir: base });
    expect((await connector.list('', { ...call(), limit: 10 })).entries.map((e) => e.path)).toEqual(['x.txt']);
  });

  it('accepts a root that is itself a symlink to a folder', async () => {
    const connector = await createLocalConnector('files', { kind: 'local', root: join(base, 'linked-root'), annotations: {} }, {});
    expect((await connector.stat('x.txt', call())).size).toBe(1);
  });

  it('fails with CONFIG_ERROR when the root is missing or not a folder', async () => {
    expect(await codeOf(createLocalConnector('files', { kind: 'local', root: join(base, 'missing'), annotations: {} }, {}))).toBe('CONFIG_ERROR');
    expect(await codeOf(createLocalConnector('files', { kind: 'local', root: join(base, 'a-file'), annotations: {} }, {}))).toBe('CONFIG_ERROR');
  });
});
