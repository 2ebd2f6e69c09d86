import type { ErrorCode } from '../../../../src/results/errors.js';
import type { Harness } from '../../../helpers/harness.js';
import { allow, refuse, type AdversarialCase } from './case.js';

/**
 * Oversize, deeply nested and type-confused arguments. Connectors (argument.test.ts): `demo`
 * (the bundled demo folder, read-only for this SA) and `scratch` (an empty writable folder).
 */
export interface ArgumentInput {
  tool: string;
  /** Built lazily: some inputs are megabytes or 20 000 levels deep; some start from a real cursor. */
  args: (h: Harness) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** For allowed cases: what the result must (not) contain; returns a problem or undefined. */
  check?: (structured: Record<string, unknown>) => string | undefined;
}

function nest(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

const leaf = { column: 'status', op: 'eq', value: 'shipped' };
const read = (extra: Record<string, unknown>) => ({ connector: 'demo', path: 'orders.csv', ...extra });
const write = (extra: Record<string, unknown>) => ({ connector: 'scratch', path: 'out/new.csv', ...extra });
/** JSON.parse makes `__proto__` an own key, as a real JSON-RPC message would. */
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** A genuine nextCursor from a one-entry page of the demo root. */
async function realCursor(h: Harness): Promise<string> {
  const page = await h.call('browse', { connector: 'demo', limit: 1 });
  const cursor = page.structuredContent?.nextCursor;
  if (typeof cursor !== 'string') throw new Error('fixture: the demo root has a single entry');
  return cursor;
}

/**
 * The cursor with its last signature character swapped for its twin: base64url's final
 * character of a 16-byte value carries 2 data bits and 4 spare bits, so flipping the spare bits
 * decodes to the same bytes. Only a comparison of the exact text refuses it.
 */
async function twinCursor(h: Harness): Promise<Record<string, unknown>> {
  const cursor = await realCursor(h);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const twin = alphabet[alphabet.indexOf(cursor.at(-1)!) ^ 0b1111]!;
  return { connector: 'demo', cursor: `${cursor.slice(0, -1)}${twin}` };
}

type Row = [name: string, tool: string, args: ArgumentInput['args'], expect: ErrorCode | 'allowed', why: string, check?: ArgumentInput['check']];

const ROWS: Row[] = [
  // Oversize: refused before any work, never a slow death.
  ['huge-unknown-key', 'whoami', () => ({ pad: 'x'.repeat(100 * 1024) }), 'INVALID_ARGUMENT', '100 KB in an argument no tool takes'],
  ['huge-in-list', 'read_data', () => read({ filter: { column: 'status', op: 'in', value: Array.from({ length: 1000 }, (_, i) => `${i}`.padEnd(100, 'x')) } }), 'INVALID_ARGUMENT', 'a 100 KB filter'],
  ['huge-rows', 'write_data', () => write({ rows: Array.from({ length: 2000 }, (_, i) => ({ id: i, note: 'y'.repeat(40) })) }), 'INVALID_ARGUMENT', '80 KB of inline rows'],
  ['too-many-rows', 'write_data', () => write({ rows: Array.from({ length: 10_001 }, () => ({ a: 1 })) }), 'INVALID_ARGUMENT', 'over the inline row count'],
  ['one-huge-cell', 'write_data', () => write({ rows: [{ id: 1, blob: 'z'.repeat(70 * 1024) }] }), 'INVALID_ARGUMENT', 'one 70 KB cell'],
  ['huge-sql', 'query', () => ({ connector: 'demo', sql: `SELECT '${'q'.repeat(70 * 1024)}'` }), 'INVALID_ARGUMENT', '70 KB of SQL (under the SQL limit, over the argument limit)'],
  ['many-keys', 'read_data', () => read(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i]))), 'INVALID_ARGUMENT', 'thousands of unknown keys'],
  ['too-many-columns', 'read_data', () => read({ columns: Array.from({ length: 501 }, (_, i) => `c${i}`) }), 'INVALID_ARGUMENT', 'over the column-list limit'],
  ['long-column-name', 'read_data', () => read({ columns: ['c'.repeat(257)] }), 'INVALID_ARGUMENT', 'a column name over 256 characters'],
  ['long-param', 'query', () => ({ connector: 'demo', sql: 'SELECT :a', params: { a: 'p'.repeat(10_001) } }), 'INVALID_ARGUMENT', 'a parameter over 10 000 characters'],
  ['long-connector', 'read_data', () => ({ connector: 'd'.repeat(65), path: 'orders.csv' }), 'INVALID_ARGUMENT', 'a connector name over 64 characters'],
  ['long-cursor', 'browse', () => ({ connector: 'demo', cursor: 'c'.repeat(4097) }), 'INVALID_ARGUMENT', 'a cursor over 4096 characters'],
  ['forged-cursor', 'browse', () => ({ connector: 'demo', cursor: 'eyJjIjoiZGVtbyIsInAiOiIiLCJ1IjoiLi4vIn0' }), 'INVALID_ARGUMENT', 'a cursor not minted by this server (pointing at "../")'],
  ['cursor-twin-spelling', 'browse', (h) => twinCursor(h), 'INVALID_ARGUMENT', 'a real cursor whose signature is re-spelled (same bytes, other text)'],
  ['cursor-other-listing', 'browse', async (h) => ({ connector: 'demo', path: 'events/', cursor: await realCursor(h) }), 'INVALID_ARGUMENT', "a real cursor replayed on another listing"],
  ['page-too-big', 'browse', () => ({ connector: 'demo', limit: 1001 }), 'INVALID_ARGUMENT', 'over the page-size limit'],
  ['limit-over-max', 'read_data', () => read({ limit: 1_000_000_000 }), 'LIMIT_EXCEEDED', 'a billion rows'],
  ['limit-unsafe-integer', 'read_data', () => read({ limit: 1e300 }), 'INVALID_ARGUMENT', 'an integer beyond 2^53'],
  // Deep nesting: refused with a code, never a stack overflow.
  ['deep-array-unknown-key', 'whoami', () => ({ x: nest(20_000, 1, (v) => [v]) }), 'INVALID_ARGUMENT', '20 000 nested arrays'],
  ['deep-object-unknown-key', 'list_connectors', () => ({ x: nest(20_000, 1, (v) => ({ v })) }), 'INVALID_ARGUMENT', '20 000 nested objects'],
  ['deep-not-5000', 'read_data', () => read({ filter: nest(5000, leaf, (v) => ({ not: v })) }), 'INVALID_ARGUMENT', '5 000 nested not'],
  ['deep-and-2000', 'read_data', () => read({ filter: nest(2000, leaf, (v) => ({ and: [v] })) }), 'INVALID_ARGUMENT', '2 000 nested and-lists'],
  ['deep-not-9', 'read_data', () => read({ filter: nest(9, leaf, (v) => ({ not: v })) }), 'INVALID_ARGUMENT', 'just over the filter depth limit'],
  ['wide-or', 'read_data', () => read({ filter: { or: Array.from({ length: 1000 }, (_, i) => ({ column: 'order_id', op: 'eq', value: i })) } }), 'INVALID_ARGUMENT', 'a thousand or-branches'],
  ['deep-row-value', 'write_data', () => write({ rows: [{ id: 1, doc: nest(5000, 1, (v) => ({ v })) }] }), 'INVALID_ARGUMENT', 'a row cell nested 5 000 deep'],
  ['deep-param', 'query', () => ({ connector: 'demo', sql: 'SELECT :a', params: { a: nest(3, 1, (v) => ({ v })) } }), 'INVALID_ARGUMENT', 'a parameter that is an object'],
  ['deep-meta-free', 'describe', () => ({ connector: 'demo', path: 'orders.csv', format: nest(100, 'csv', (v) => [v]) }), 'INVALID_ARGUMENT', 'an enum argument nested 100 deep'],
  // Type confusion and prototype games.
  ['path-object', 'read_data', () => ({ connector: 'demo', path: { toString: 'orders.csv' } }), 'INVALID_ARGUMENT', 'an object where a string belongs'],
  ['limit-null', 'read_data', () => read({ limit: null }), 'INVALID_ARGUMENT', 'null where a number belongs (NaN over JSON)'],
  ['limit-zero', 'read_data', () => read({ limit: 0 }), 'INVALID_ARGUMENT', 'a zero page'],
  ['limit-infinity', 'read_data', () => read({ limit: Infinity }), 'INVALID_ARGUMENT', 'Infinity'],
  ['filter-operator-object', 'read_data', () => read({ filter: { column: 'amount', op: 'eq', value: { $gt: 0 } } }), 'INVALID_ARGUMENT', 'a NoSQL operator object as a value'],
  ['filter-op-eval', 'read_data', () => read({ filter: { column: 'status', op: 'eval', value: 'process.exit()' } }), 'INVALID_ARGUMENT', 'an op that would be code'],
  ['filter-sql-string', 'read_data', () => read({ filter: "1=1; DROP TABLE orders" }), 'INVALID_ARGUMENT', 'SQL where a typed filter belongs'],
  ['filter-column-proto', 'read_data', () => read({ filter: { column: '__proto__', op: 'eq', value: 1 } }), 'INVALID_ARGUMENT', 'a prototype key as a column'],
  ['filter-column-constructor', 'read_data', () => read({ filter: { column: 'constructor', op: 'is_null' } }), 'INVALID_ARGUMENT', 'an Object.prototype name as a column'],
  ['columns-proto', 'read_data', () => read({ columns: ['__proto__'] }), 'INVALID_ARGUMENT', 'a prototype key as a projected column'],
  ['constructor-prototype', 'whoami', () => json('{"constructor":{"prototype":{"admin":true}}}'), 'INVALID_ARGUMENT', 'the constructor.prototype pollution shape'],
  ['connector-proto', 'read_data', () => ({ connector: '__proto__', path: 'orders.csv' }), 'NOT_FOUND', 'a prototype key as a connector name'],
  ['connector-constructor', 'browse', () => ({ connector: 'constructor' }), 'NOT_FOUND', 'an Object.prototype name as a connector'],
  ['connector-tostring', 'describe', () => ({ connector: 'toString', path: 'orders.csv' }), 'NOT_FOUND', 'an Object.prototype method as a connector'],
  ['connector-traversal', 'read_data', () => ({ connector: '../demo', path: 'orders.csv' }), 'NOT_FOUND', 'traversal in a connector name'],
  ['connector-nul', 'read_data', () => ({ connector: 'demo\u0000', path: 'orders.csv' }), 'NOT_FOUND', 'NUL after a real connector name'],
  ['connector-homoglyph', 'read_data', () => ({ connector: 'd\u0435mo', path: 'orders.csv' }), 'NOT_FOUND', 'Cyrillic е in a connector name'],
  ['format-injection', 'read_data', () => read({ format: 'csv; rm -rf /' }), 'INVALID_ARGUMENT', 'a shell string as a format'],
  ['query-on-folder', 'query', () => ({ connector: 'demo', sql: 'SELECT 1' }), 'INVALID_ARGUMENT', 'SQL against a connector that is not a warehouse'],
  ['rows-and-from', 'write_data', () => write({ rows: [{ a: 1 }], from: { connector: 'demo', path: 'orders.csv' } }), 'INVALID_ARGUMENT', 'two sources at once'],
  ['write-to-readonly', 'write_data', () => ({ connector: 'demo', path: 'planted.csv', rows: [{ a: 1 }] }), 'POLICY_DENIED', 'a write where only reading is granted'],
  ['copy-escape-source', 'write_data', () => write({ from: { connector: 'demo', path: '../../../etc/passwd' } }), 'INVALID_ARGUMENT', 'a copy whose source climbs out'],
  ['unknown-tool-traversal', '../whoami', () => ({}), 'NOT_FOUND', 'a tool name with traversal'],
  ['unknown-tool-hidden', 'delete_data', () => ({ connector: 'scratch', path: 'x.csv' }), 'NOT_FOUND', 'a destructive tool that is not served'],
  // Legitimate-but-odd: must work and stay inside the grant.
  ['unicode-row', 'write_data', () => write({ path: 'out/unicode.csv', rows: [{ id: 1, note: 'zoë 李 \u202e إ' }] }), 'allowed', 'odd Unicode in data is data'],
  [
    'own-proto-key',
    'read_data',
    () => json('{"connector":"demo","path":"orders.csv","__proto__":{"limit":1000000000,"path":"../../etc/passwd"}}'),
    'allowed',
    'an own __proto__ key (as JSON.parse makes it) is dropped: it cannot supply inherited arguments',
    (out) => (out.path === 'orders.csv' && Number(out.returnedRows) <= 50 ? undefined : `the __proto__ key took effect: ${String(out.path)}, ${String(out.returnedRows)} rows`),
  ],
  [
    'row-proto-key',
    'write_data',
    () => write({ path: 'out/proto.csv', rows: [json('{"__proto__":{"polluted":true},"id":1}')] }),
    'allowed',
    'a row with an own __proto__ key writes its real columns only and pollutes nothing',
    (out) => (out.rows === 1 && out.destination === 'scratch/out/proto.csv' ? undefined : `unexpected write: ${JSON.stringify(out)}`),
  ],
  ['filter-at-depth-limit', 'read_data', () => read({ filter: nest(7, leaf, (v) => ({ not: v })), limit: 1 }), 'allowed', 'a filter exactly at the depth limit still works'],
];

export const ARGUMENT_CASES: Array<AdversarialCase<ArgumentInput>> = ROWS.map(([name, tool, args, expect, why, check]) => ({
  id: `argument/${name}`,
  category: 'argument',
  input: { tool, args, ...(check ? { check } : {}) },
  expect: expect === 'allowed' ? allow('a normal result') : refuse(expect),
  why,
}));
