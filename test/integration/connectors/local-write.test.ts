import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalConnector } from '../../../src/connectors/local/index.js';
import type { Connector, WriteOptions } from '../../../src/connectors/types.js';
import { failureOf as failure } from '../../helpers/connector-contract.js';

let base: string;
let root: string;
let outside: string;
let connector: Connector;
const opts = (createOnly: boolean): WriteOptions => ({ signal: new AbortController().signal, credentials: { id: 'none' }, createOnly });
const callOpts = () => ({ signal: new AbortController().signal, credentials: { id: 'none' } });
const bytes = (text: string) => new TextEncoder().encode(text);

/** Every name under a folder, hidden ones included (temp files are hidden). */
function allNames(dir: string): string[] {
  return readdirSync(dir, { recursive: true }) as string[];
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-local-write-'));
  root = join(base, 'root');
  outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'victim.txt'), 'outside data');
  symlinkSync(outside, join(root, 'escape'));
  mkdirSync(join(root, 'inside'));
  symlinkSync(join(root, 'inside'), join(root, 'alias'));
  symlinkSync(join(outside, 'victim.txt'), join(root, 'victim-link.txt'));
  writeFileSync(join(root, 'plain.txt'), 'x');
  connector = await createLocalConnector('scratch', { kind: 'local', root, annotations: {} }, { baseDir: base });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('local connector: atomic writes', () => {
  it('creates the file and its folders; no temp file remains', async () => {
    const result = await connector.write!('out/2026/a.csv', bytes('id\n1\n'), opts(true));
    expect(result).toMatchObject({ path: 'out/2026/a.csv', size: 5 });
    expect(readFileSync(join(root, 'out/2026/a.csv'), 'utf8')).toBe('id\n1\n');
    expect(allNames(join(root, 'out'))).toEqual(['2026', join('2026', 'a.csv')]);
  });

  it('create-only refuses an existing file with other bytes (reason exists) and leaves it intact', async () => {
    await connector.write!('c/exists.txt', bytes('first'), opts(true));
    const conflict = await failure(connector.write!('c/exists.txt', bytes('second'), opts(true)));
    expect(conflict.code).toBe('INVALID_ARGUMENT');
    expect(conflict.detail).toMatchObject({ reason: 'exists' });
    expect(conflict.hint).toContain('replace_data');
    expect(readFileSync(join(root, 'c/exists.txt'), 'utf8')).toBe('first');
    expect(allNames(join(root, 'c'))).toEqual(['exists.txt']);
  });

  it('a retry of the same bytes succeeds with alreadyExisted (sha256 + size)', async () => {
    await connector.write!('c/retry.txt', bytes('same'), opts(true));
    const again = await connector.write!('c/retry.txt', bytes('same'), opts(true));
    expect(again).toMatchObject({ size: 4, alreadyExisted: true });
    // Same size, other bytes: still a conflict.
    expect((await failure(connector.write!('c/retry.txt', bytes('diff'), opts(true)))).detail).toMatchObject({ reason: 'exists' });
  });

  it('overwrite replaces the file atomically', async () => {
    await connector.write!('c/over.txt', bytes('one'), opts(true));
    await connector.write!('c/over.txt', bytes('two!'), opts(false));
    expect(readFileSync(join(root, 'c/over.txt'), 'utf8')).toBe('two!');
  });

  it('a stream that fails mid-write leaves no file and no temp file', async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield bytes('partial data');
      throw new Error('source broke');
    }
    await expect(connector.write!('f/broken.csv', failing(), opts(true))).rejects.toThrow();
    expect(existsSync(join(root, 'f/broken.csv'))).toBe(false);
    expect(allNames(join(root, 'f'))).toEqual([]);
  });

  it('a cancelled write leaves nothing behind', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncIterable<Uint8Array> {
      yield bytes('a');
      controller.abort();
      yield bytes('b');
    }
    const error = await failure(connector.write!('f/cancelled.csv', slow(), { ...opts(true), signal: controller.signal }));
    expect(error.code).toBe('CANCELLED');
    expect(allNames(join(root, 'f'))).toEqual([]);
  });

  it('refuses to write through a folder link that leaves the root; nothing is created outside', async () => {
    const error = await failure(connector.write!('escape/new.txt', bytes('x'), opts(true)));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('escapes');
    expect(readdirSync(outside)).toEqual(['victim.txt']);
    const deeper = await failure(connector.write!('escape/sub/new.txt', bytes('x'), opts(true)));
    expect(deeper.code).toBe('INVALID_ARGUMENT');
    expect(readdirSync(outside)).toEqual(['victim.txt']);
  });

  it('follows links that stay inside the root', async () => {
    await connector.write!('alias/through-link.txt', bytes('ok'), opts(true));
    expect(readFileSync(join(root, 'inside/through-link.txt'), 'utf8')).toBe('ok');
  });

  it('never writes through a link at the target name', async () => {
    const conflict = await failure(connector.write!('victim-link.txt', bytes('outside data'), opts(true)));
    expect(conflict.detail).toMatchObject({ reason: 'exists' });
    await connector.write!('victim-link.txt', bytes('replaced'), opts(false));
    // The link itself was replaced by a file; the file outside is untouched.
    expect(lstatSync(join(root, 'victim-link.txt')).isFile()).toBe(true);
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('outside data');
  });

  it.each([
    ['../x.txt', 'INVALID_ARGUMENT'],
    ['/etc/passwd', 'INVALID_ARGUMENT'],
    ['a/./b.txt', 'INVALID_ARGUMENT'],
    ['a\\b.txt', 'INVALID_ARGUMENT'],
    ['.hidden/x.txt', 'INVALID_ARGUMENT'],
    ['a/.x.txt', 'INVALID_ARGUMENT'],
    ['folder/', 'INVALID_ARGUMENT'],
    ['', 'INVALID_ARGUMENT'],
    ['nul\u0000.txt', 'INVALID_ARGUMENT'],
    ['plain.txt/child.txt', 'INVALID_ARGUMENT'],
  ])('refuses %j with %s', async (path, code) => {
    expect((await failure(connector.write!(path, bytes('x'), opts(true)))).code).toBe(code);
  });

  it('deletes a file; missing is NOT_FOUND; folders and links are refused', async () => {
    await connector.write!('d/gone.txt', bytes('bye'), opts(true));
    await connector.delete!('d/gone.txt', callOpts());
    expect(existsSync(join(root, 'd/gone.txt'))).toBe(false);
    expect((await failure(connector.delete!('d/gone.txt', callOpts()))).code).toBe('NOT_FOUND');
    expect((await failure(connector.delete!('d', callOpts()))).code).toBe('INVALID_ARGUMENT');
    symlinkSync(join(outside, 'victim.txt'), join(root, 'd/link.txt'));
    expect((await failure(connector.delete!('d/link.txt', callOpts()))).code).toBe('INVALID_ARGUMENT');
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('outside data');
    expect((await failure(connector.delete!('escape/victim.txt', callOpts()))).code).toBe('INVALID_ARGUMENT');
    expect(existsSync(join(outside, 'victim.txt'))).toBe(true);
  });
});
