import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataMcpError, type ErrorCode } from '../../src/results/errors.js';
import type { CallOptions, Connector, CredentialScope, ListEntry, ListOptions } from '../../src/connectors/types.js';

/**
 * The contract every connector passes (DESIGN §9). A test file provides a connector whose
 * `fixturePrefix` (a connector path ending in "/") holds exactly `contractFixtures()`:
 *
 *   a.csv  big.bin (1 MiB + 3 bytes, known pseudo-random bytes)  c.txt  d.txt
 *   sub/b.json  sub/deeper/e.txt
 */
export interface ContractTarget {
  connector: Connector;
  fixturePrefix: string;
  /** Credential scope for calls; `{ id: 'none' }` when absent. */
  credentials?: CredentialScope;
  cleanup(): Promise<void>;
}

export interface ContractFixture {
  path: string;
  bytes: Uint8Array;
}

const text = (s: string) => new TextEncoder().encode(s);

/** Deterministic bytes with no repeating period a range bug could hide behind (xorshift32). */
export function knownBytes(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export function contractFixtures(): ContractFixture[] {
  return [
    { path: 'a.csv', bytes: text('id,name\n1,alpha\n2,beta\n') },
    { path: 'big.bin', bytes: knownBytes(1024 * 1024 + 3) },
    { path: 'c.txt', bytes: text('see\n') },
    { path: 'd.txt', bytes: text('dee\n') },
    { path: 'sub/b.json', bytes: text('{"b":true}\n') },
    { path: 'sub/deeper/e.txt', bytes: text('deep\n') },
  ];
}

/** Awaits a promise that must reject with a DataMcpError, and returns that error. */
export async function failureOf(promise: Promise<unknown>): Promise<DataMcpError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a DataMcpError').toBeInstanceOf(DataMcpError);
  return error as DataMcpError;
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<DataMcpError> {
  const error = await failureOf(promise);
  expect(error.code).toBe(code);
  expect(error.hint.length).toBeGreaterThan(0);
  return error;
}

export function runConnectorContract(name: string, setup: () => Promise<ContractTarget>): void {
  describe(`connector contract: ${name}`, () => {
    let target: ContractTarget;
    let prefix: string;
    const fixtures = contractFixtures();
    const bytesOf = (path: string) => fixtures.find((f) => f.path === path)?.bytes ?? new Uint8Array();
    const call = (signal: AbortSignal = new AbortController().signal): CallOptions => ({ signal, credentials: target.credentials ?? { id: 'none' } });
    const listing = (limit: number, extra: Partial<ListOptions> = {}): ListOptions => ({ ...call(), limit, ...extra });

    async function listAll(path: string, limit: number, recursive = false): Promise<ListEntry[]> {
      const all: ListEntry[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 100; page++) {
        const result = await target.connector.list(path, listing(limit, { recursive, ...(cursor !== undefined ? { cursor } : {}) }));
        expect(result.entries.length).toBeLessThanOrEqual(limit);
        all.push(...result.entries);
        if (result.nextCursor === undefined) return all;
        cursor = result.nextCursor;
      }
      throw new Error('listing did not end within 100 pages');
    }

    beforeAll(async () => {
      target = await setup();
      prefix = target.fixturePrefix;
    });
    afterAll(async () => {
      await target?.cleanup();
    });

    it('declares list, stat and read_object', () => {
      for (const capability of ['list', 'stat', 'read_object'] as const) expect(target.connector.capabilities.has(capability)).toBe(true);
    });

    it('lists one level: folders as prefixes, files as objects with sizes, sorted by path', async () => {
      const page = await target.connector.list(prefix, listing(100));
      expect(page.nextCursor).toBeUndefined();
      expect(page.entries.map((e) => [e.path, e.kind, e.name])).toEqual([
        [`${prefix}a.csv`, 'object', 'a.csv'],
        [`${prefix}big.bin`, 'object', 'big.bin'],
        [`${prefix}c.txt`, 'object', 'c.txt'],
        [`${prefix}d.txt`, 'object', 'd.txt'],
        [`${prefix}sub/`, 'prefix', 'sub'],
      ]);
      for (const entry of page.entries.filter((e) => e.kind === 'object')) {
        expect(entry.size).toBe(bytesOf(entry.path.slice(prefix.length)).byteLength);
        expect(entry.etag).toBeTruthy();
        expect(Number.isNaN(Date.parse(entry.modified ?? ''))).toBe(false);
      }
    });

    it('lists a folder the same with or without its trailing slash', async () => {
      const withSlash = await target.connector.list(`${prefix}sub/`, listing(100));
      const without = await target.connector.list(`${prefix}sub`, listing(100));
      expect(withSlash.entries.map((e) => e.path)).toEqual([`${prefix}sub/b.json`, `${prefix}sub/deeper/`]);
      expect(without.entries).toEqual(withSlash.entries);
    });

    it.each([1, 2, 3])('pages a one-level listing with limit %i: every entry exactly once, in order', async (limit) => {
      const whole = await target.connector.list(prefix, listing(100));
      const paged = await listAll(prefix, limit);
      expect(paged.map((e) => e.path)).toEqual(whole.entries.map((e) => e.path));
    });

    it('lists recursively: every object below the prefix and no prefixes', async () => {
      const page = await target.connector.list(prefix, listing(100, { recursive: true }));
      expect(page.nextCursor).toBeUndefined();
      expect(page.entries.map((e) => e.path)).toEqual(fixtures.map((f) => prefix + f.path).sort());
      expect(page.entries.every((e) => e.kind === 'object')).toBe(true);
      expect(page.entries.find((e) => e.path.endsWith('e.txt'))?.size).toBe(bytesOf('sub/deeper/e.txt').byteLength);
    });

    it.each([1, 2, 4])('pages a recursive listing with limit %i: every object exactly once', async (limit) => {
      const paged = await listAll(prefix, limit, true);
      expect(paged.map((e) => e.path)).toEqual(fixtures.map((f) => prefix + f.path).sort());
    });

    it('stats an object: path, exact size, etag', async () => {
      for (const path of ['a.csv', 'big.bin', 'sub/deeper/e.txt']) {
        const stat = await target.connector.stat(prefix + path, call());
        expect(stat.path).toBe(prefix + path);
        expect(stat.size).toBe(bytesOf(path).byteLength);
        expect(stat.etag).toBeTruthy();
      }
    });

    it('reads byte ranges exactly: first bytes, a middle range, the last 8 bytes, the whole object', async () => {
      const expected = bytesOf('big.bin');
      const source = await target.connector.open(`${prefix}big.bin`, call());
      expect(source.size).toBe(expected.byteLength);
      expect(source.path).toBe(`${prefix}big.bin`);
      const size = source.size;
      expect(await source.read(0, 16)).toEqual(expected.slice(0, 16));
      expect(await source.read(0, 1)).toEqual(expected.slice(0, 1));
      expect(await source.read(500_000, 500_123)).toEqual(expected.slice(500_000, 500_123));
      expect(await source.read(size - 8, size)).toEqual(expected.slice(size - 8));
      expect(await source.read(size - 1, size)).toEqual(expected.slice(size - 1));
      expect(await source.read(7, 7)).toEqual(new Uint8Array(0));
      expect(Buffer.from(await source.read(0, size)).equals(Buffer.from(expected))).toBe(true);
    });

    it('clamps a range that runs past the end, like slice', async () => {
      const expected = bytesOf('a.csv');
      const source = await target.connector.open(`${prefix}a.csv`, call());
      expect(await source.read(0, source.size)).toEqual(expected);
      expect(await source.read(4, source.size + 100)).toEqual(expected.slice(4));
      expect(await source.read(source.size + 5, source.size + 10)).toEqual(new Uint8Array(0));
    });

    it('refuses malformed byte ranges with INVALID_ARGUMENT', async () => {
      const source = await target.connector.open(`${prefix}a.csv`, call());
      await expectCode(source.read(-1, 4), 'INVALID_ARGUMENT');
      await expectCode(source.read(5, 2), 'INVALID_ARGUMENT');
      await expectCode(source.read(0.5, 2), 'INVALID_ARGUMENT');
      await expectCode(source.read(0, Number.NaN), 'INVALID_ARGUMENT');
    });

    it('answers NOT_FOUND for missing objects, with a hint to browse', async () => {
      const error = await expectCode(target.connector.stat(`${prefix}missing.csv`, call()), 'NOT_FOUND');
      expect(error.hint).toMatch(/browse/i);
      await expectCode(target.connector.open(`${prefix}sub/missing.json`, call()), 'NOT_FOUND');
      await expectCode(target.connector.stat(`${prefix}nothing/here.csv`, call()), 'NOT_FOUND');
    });

    it('refuses stat and open of a folder with INVALID_ARGUMENT', async () => {
      await expectCode(target.connector.stat(`${prefix}sub/`, call()), 'INVALID_ARGUMENT');
      await expectCode(target.connector.open(`${prefix}sub/`, call()), 'INVALID_ARGUMENT');
    });

    const unsafe = (p: string) => [
      `${p}../a.csv`,
      `${p}sub/../../a.csv`,
      '..',
      '../',
      `${p}./a.csv`,
      `${p}a\u0000.csv`,
      `${p}a\n.csv`,
      `${p}a\u007f.csv`,
      '/etc/passwd',
      `${p}sub\\b.json`,
      `${p}sub//b.json`,
      'C:/Windows/win.ini',
      `${p}${'x'.repeat(5000)}`,
    ];

    it('refuses traversal, NUL, control characters, absolute paths and backslashes with INVALID_ARGUMENT', async () => {
      for (const path of unsafe(prefix)) {
        await expectCode(target.connector.stat(path, call()), 'INVALID_ARGUMENT');
        await expectCode(target.connector.open(path, call()), 'INVALID_ARGUMENT');
        await expectCode(target.connector.list(path.endsWith('/') ? path : `${path}/`, listing(10)), 'INVALID_ARGUMENT');
      }
    });

    it('refuses a page size that is not a positive integer', async () => {
      for (const limit of [0, -1, 1.5, Number.NaN]) await expectCode(target.connector.list(prefix, listing(limit)), 'INVALID_ARGUMENT');
    });

    it('answers CANCELLED when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      await expectCode(target.connector.list(prefix, { ...call(controller.signal), limit: 10 }), 'CANCELLED');
      await expectCode(target.connector.stat(`${prefix}a.csv`, call(controller.signal)), 'CANCELLED');
      await expectCode(target.connector.open(`${prefix}a.csv`, call(controller.signal)), 'CANCELLED');
    });

    it('answers CANCELLED for reads after the call was cancelled', async () => {
      const controller = new AbortController();
      const source = await target.connector.open(`${prefix}big.bin`, call(controller.signal));
      controller.abort();
      await expectCode(source.read(0, 1024), 'CANCELLED');
    });

    it('answers TIMEOUT when the signal was aborted by a timeout', async () => {
      const signal = AbortSignal.abort(new DOMException('deadline passed', 'TimeoutError'));
      await expectCode(target.connector.stat(`${prefix}a.csv`, call(signal)), 'TIMEOUT');
      await expectCode(target.connector.list(prefix, { ...call(signal), limit: 10 }), 'TIMEOUT');
    });
  });
}
