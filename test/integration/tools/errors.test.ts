import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/config/paths.js';
import { startHarness, textOf, type CallResult, type Harness } from '../../helpers/harness.js';
import { auditCalls, auditFor, BUNDLED_DEMO_DATA_DIR, errorOf } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function nestedNot(depth: number): unknown {
  let filter: unknown = { column: 'status', op: 'eq', value: 'shipped' };
  for (let i = 0; i < depth; i++) filter = { not: filter };
  return filter;
}

const BAD_PATHS: Array<[string, string]> = [
  ['parent segment', '../orders.csv'],
  ['bare ..', '..'],
  ['inner ..', 'events/../orders.csv'],
  ['dot segment', './orders.csv'],
  ['inner dot', 'events/./2026-09-01.jsonl'],
  ['double slash', 'events//2026-09-01.jsonl'],
  ['leading slash', '/orders.csv'],
  ['absolute host path', '/etc/passwd'],
  ['NUL', 'orders.csv\u0000.txt'],
  ['bidi override', '\u202eorders.csv'],
  ['zero-width', 'orders\u200b.csv'],
  ['backslash', 'events\\2026-09-01.jsonl'],
  ['backslash traversal', '..\\..\\etc\\passwd'],
  ['percent-encoded dots', '%2e%2e/orders.csv'],
  ['percent-encoded slash', 'events%2f2026-09-01.jsonl'],
  ['over-long', `${'a/'.repeat(600)}x.csv`],
  ['over-long single segment', 'x'.repeat(1025)],
  ['not NFC', 'cafe\u0301.csv'],
  ['control char', 'orders\u001b[2J.csv'],
];

type Case = [name: string, tool: string, args: Record<string, unknown>, code: string];

const CASES: Case[] = [
  ['unknown argument key', 'read_data', { connector: 'demo', path: 'orders.csv', sql: 'select 1' }, 'INVALID_ARGUMENT'],
  ['unknown key on a no-argument tool', 'whoami', { as: 'admin' }, 'INVALID_ARGUMENT'],
  ['unknown key in a filter leaf', 'read_data', { connector: 'demo', path: 'orders.csv', filter: { column: 'status', op: 'eq', value: 'x', eval: '1' } }, 'INVALID_ARGUMENT'],
  ['limit of the wrong type', 'read_data', { connector: 'demo', path: 'orders.csv', limit: '10' }, 'INVALID_ARGUMENT'],
  ['negative limit', 'read_data', { connector: 'demo', path: 'orders.csv', limit: -1 }, 'INVALID_ARGUMENT'],
  ['fractional limit', 'read_data', { connector: 'demo', path: 'orders.csv', limit: 1.5 }, 'INVALID_ARGUMENT'],
  ['connector of the wrong type', 'browse', { connector: 42 }, 'INVALID_ARGUMENT'],
  ['columns as a string', 'read_data', { connector: 'demo', path: 'orders.csv', columns: 'status' }, 'INVALID_ARGUMENT'],
  ['filter as a string', 'read_data', { connector: 'demo', path: 'orders.csv', filter: "status = 'x' OR 1=1" }, 'INVALID_ARGUMENT'],
  ['unknown filter op', 'read_data', { connector: 'demo', path: 'orders.csv', filter: { column: 'status', op: 'regex', value: '.*' } }, 'INVALID_ARGUMENT'],
  ['unknown format', 'describe', { connector: 'demo', path: 'orders.csv', format: 'xlsx' }, 'INVALID_ARGUMENT'],
  ['path as an array', 'describe', { connector: 'demo', path: ['orders.csv'] }, 'INVALID_ARGUMENT'],
  ['missing path', 'read_data', { connector: 'demo' }, 'INVALID_ARGUMENT'],
  ['missing connector', 'describe', { path: 'orders.csv' }, 'INVALID_ARGUMENT'],
  ['empty path', 'describe', { connector: 'demo', path: '' }, 'INVALID_ARGUMENT'],
  ['limit over server max_rows', 'read_data', { connector: 'demo', path: 'orders.csv', limit: 1_000_001 }, 'LIMIT_EXCEEDED'],
  ['limit far over max_rows', 'read_data', { connector: 'demo', path: 'orders.csv', limit: Number.MAX_SAFE_INTEGER }, 'LIMIT_EXCEEDED'],
  ['unknown connector (read)', 'read_data', { connector: 'nope', path: 'orders.csv' }, 'NOT_FOUND'],
  ['unknown connector (browse)', 'browse', { connector: 'warehouse' }, 'NOT_FOUND'],
  ['missing object', 'read_data', { connector: 'demo', path: 'no-such-file.csv' }, 'NOT_FOUND'],
  ['prefix given to read_data', 'read_data', { connector: 'demo', path: 'events/' }, 'INVALID_ARGUMENT'],
  ['prefix given to describe', 'describe', { connector: 'demo', path: 'events/' }, 'INVALID_ARGUMENT'],
  ['object given to browse', 'browse', { connector: 'demo', path: 'orders.csv' }, 'INVALID_ARGUMENT'],
  ['100 KB argument', 'read_data', { connector: 'demo', path: 'orders.csv', filter: { column: 'status', op: 'in', value: Array.from({ length: 1000 }, (_, i) => `${i}`.padEnd(100, 'x')) } }, 'INVALID_ARGUMENT'],
  ['100 KB unknown argument', 'whoami', { pad: 'x'.repeat(100 * 1024) }, 'INVALID_ARGUMENT'],
  ['deeply nested filter', 'read_data', { connector: 'demo', path: 'orders.csv', filter: nestedNot(50) }, 'INVALID_ARGUMENT'],
  ['very deeply nested filter', 'read_data', { connector: 'demo', path: 'orders.csv', filter: nestedNot(2000) }, 'INVALID_ARGUMENT'],
  ['too many filter nodes', 'read_data', { connector: 'demo', path: 'orders.csv', filter: { or: Array.from({ length: 500 }, (_, i) => ({ column: 'order_id', op: 'eq', value: i })) } }, 'INVALID_ARGUMENT'],
  ...BAD_PATHS.flatMap(([name, path]): Case[] => [
    [`read_data path: ${name}`, 'read_data', { connector: 'demo', path }, 'INVALID_ARGUMENT'],
    [`describe path: ${name}`, 'describe', { connector: 'demo', path }, 'INVALID_ARGUMENT'],
    [`browse path: ${name}`, 'browse', { connector: 'demo', path: path.endsWith('/') ? path : `${path}/` }, 'INVALID_ARGUMENT'],
  ]),
];

const STATUS: Record<string, string> = { INVALID_ARGUMENT: 'invalid', NOT_FOUND: 'failed', LIMIT_EXCEEDED: 'failed', POLICY_DENIED: 'denied' };

/** No stack frames and no host paths in anything the agent sees. */
function expectNoLeaks(result: CallResult): void {
  const everything = `${textOf(result)}\n${JSON.stringify(result._meta ?? {})}`;
  expect(everything).not.toMatch(/\n\s+at \S+ \(/);
  expect(everything).not.toMatch(/\.(ts|js):\d+/);
  expect(everything).not.toContain(BUNDLED_DEMO_DATA_DIR);
  expect(everything).not.toContain(PACKAGE_ROOT);
  expect(everything).not.toContain(tmpdir());
  expect(everything).not.toContain('ZodError');
}

describe('adversarial arguments', () => {
  it.each(CASES)('%s → %s', async (_name, tool, args, code) => {
    const before = auditCalls(h.auditPath).length;
    const result = await h.call(tool, args);
    const err = errorOf(result);
    expect(err.code).toBe(code);
    expect(err.hint.length).toBeGreaterThan(10);
    expectNoLeaks(result);
    const calls = auditCalls(h.auditPath);
    expect(calls.length).toBe(before + 1);
    const record = auditFor(h.auditPath, err.eventId);
    expect(record.tool).toBe(tool);
    expect(record.outcome.status).toBe(STATUS[code]);
    expect(record.outcome.errorCode).toBe(code);
    expect(record.principal?.sa).toBe('demo-reader');
    // The audit file holds bounded, redacted arguments, never a 100 KB blob.
    expect(JSON.stringify(record.arguments).length).toBeLessThan(20 * 1024);
  });

  it('an unknown tool → NOT_FOUND, audited once as invalid', async () => {
    const before = auditCalls(h.auditPath).length;
    const result = await h.call('drop_table', { table: 'orders' });
    const err = errorOf(result);
    expect(err.code).toBe('NOT_FOUND');
    expectNoLeaks(result);
    expect(auditCalls(h.auditPath).length).toBe(before + 1);
    const record = auditFor(h.auditPath, err.eventId);
    expect(record).toMatchObject({ tool: 'drop_table', outcome: { status: 'invalid', errorCode: 'NOT_FOUND' } });
  });

  it('an unknown tool with a huge name is cut in the error and the audit record', async () => {
    const name = `t${'x'.repeat(5000)}`;
    const err = errorOf(await h.call(name, {}));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message.length).toBeLessThan(400);
    expect(auditFor(h.auditPath, err.eventId).tool.length).toBeLessThanOrEqual(128);
  });

  it('a symlink or traversal cannot reach outside the data root via a glob', async () => {
    const err = errorOf(await h.call('read_data', { connector: 'demo', path: '../*/passwd' }));
    expect(err.code).toBe('INVALID_ARGUMENT');
  });

  it('a good call after all of this still works (the server is not wedged)', async () => {
    const result = await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 1 });
    expect(result.isError).toBeFalsy();
  });
});
