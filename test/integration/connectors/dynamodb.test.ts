import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamodbConnector } from '../../../src/connectors/dynamodb/index.js';
import type { CallOptions, Connector, DynamoRequest, ListEntry, ParamValue, QueryRequest, QueryResult } from '../../../src/connectors/types.js';
import { typeName } from '../../../src/formats/columns.js';
import { collectBatches, columnValues, rowsOf } from '../../helpers/arrow-values.js';
import { failureOf } from '../../helpers/connector-contract.js';
import { dynaliteConfig, startDynalite, type DynaliteHandle } from '../../helpers/dynalite.js';

/**
 * The dynamodb connector through the real SDK against dynalite (in-process): browse, describe,
 * get, query (sort ops, indexes, filters, projection), injection attempts, paging, types.
 * Scans, writes, cancellation and error scrubbing: dynamodb-scan-write.test.ts.
 */
const ORDERS = 'ddbt-orders';
const EVENTS = 'ddbt-events';
const LIST_TABLES = Array.from({ length: 12 }, (_, i) => `ddbt-list-${String(i).padStart(2, '0')}`);
const INJECT_PARTITION = "x') OR ('1'='1";
// `__proto__` is left to the unit tests: dynalite itself mangles items with an attribute of that name.
const WEIRD_NAMES = ['a:b', '#x', ') OR (', ' OR ', 'x.y', 'constructor', 'status) OR (attribute_exists(customer)'];

const call = (signal = new AbortController().signal): CallOptions => ({ signal, credentials: { id: 'none' } });
const request = (dynamo: DynamoRequest, over: Partial<QueryRequest> = {}): QueryRequest => ({ sql: '', dynamo, params: {}, maxRows: 1000, dryRun: false, readOnly: true, timeoutMs: 20_000, ...over });
const orderQuery = (over: Partial<DynamoRequest> = {}): DynamoRequest => ({ operation: 'query', table: ORDERS, partition: { name: 'customer', value: 'c1' }, ...over });

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });

function orderItem(i: number): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    customer: S('c1'),
    orderNo: N(i),
    status: S(i % 3 === 0 ? 'closed' : 'open'),
    total: N(i * 2.5),
    flag: { BOOL: i % 2 === 0 },
    tags: { SS: ['a', `t${i}`] },
    meta: { M: { depth: { M: { n: N(i) } } } },
  };
  if (i % 5 === 1) item.note = { NULL: true };
  else if (i % 5 !== 0) item.note = S(`note ${i}`);
  return item;
}

/** orderNo of items with a note that is present and not NULL. */
const withNote = Array.from({ length: 30 }, (_, k) => k + 1).filter((i) => i % 5 !== 0 && i % 5 !== 1);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

describe('dynamodb connector through the real SDK and dynalite', () => {
  let dyn: DynaliteHandle;
  let connector: DynamodbConnector;

  const run = (dynamo: DynamoRequest, over: Partial<QueryRequest> = {}, c: DynamodbConnector = connector): Promise<QueryResult> => c.query(request(dynamo, over), call());
  const orderNos = async (dynamo: DynamoRequest): Promise<number[]> => columnValues((await run(dynamo)).table, 'orderNo') as number[];

  async function everyPage(result: QueryResult): Promise<Table[]> {
    return [result.table, ...(result.more ? await collectBatches(result.more()) : [])];
  }

  beforeAll(async () => {
    dyn = await startDynalite();
    await dyn.createTable({
      TableName: ORDERS,
      AttributeDefinitions: [
        { AttributeName: 'customer', AttributeType: 'S' },
        { AttributeName: 'orderNo', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'total', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'orderNo', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'orderNo', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
      LocalSecondaryIndexes: [{ IndexName: 'byTotal', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    });
    await dyn.createTable({
      TableName: EVENTS,
      AttributeDefinitions: [{ AttributeName: 'device', AttributeType: 'S' }, { AttributeName: 'ts', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'device', KeyType: 'HASH' }, { AttributeName: 'ts', KeyType: 'RANGE' }],
    });
    for (const name of LIST_TABLES) await dyn.createTable({ TableName: name, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });

    const weird: Record<string, AttributeValue> = { customer: S('c3'), orderNo: N(1) };
    WEIRD_NAMES.forEach((name, i) => Object.defineProperty(weird, name, { value: S(`w${i}`), enumerable: true, writable: true, configurable: true }));
    await dyn.seed(ORDERS, [
      ...range(1, 30).map(orderItem),
      ...range(1, 3).map((i) => ({ customer: S('c2'), orderNo: N(i), status: S('open'), total: N(i) })),
      { customer: S(INJECT_PARTITION), orderNo: N(1), status: S('open'), total: N(1) },
      weird,
      { customer: S('c4'), orderNo: N(1), big: { N: '9007199254740993' }, huge: { N: '12345678901234567890123456789' }, exact: N(0.1), raw: { B: new Uint8Array([0, 1, 255]) } },
      { customer: S('c4'), orderNo: N(2), big: N(-5), huge: N(1), exact: N(2), raw: { B: new Uint8Array([7]) } },
    ]);
    await dyn.seed(EVENTS, ['2026-02-27', '2026-03-01', '2026-03-15', '2026-03-31', '2026-04-01'].map((ts) => ({ device: S('d1'), ts: S(ts) })));
    connector = new DynamodbConnector('ddb', dynaliteConfig(dyn.endpoint));
  });

  afterAll(async () => {
    await connector?.close();
    await dyn?.stop();
  });

  describe('browse', () => {
    async function listAll(c: DynamodbConnector, limit: number): Promise<ListEntry[]> {
      const all: ListEntry[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await c.list('', { ...call(), limit, ...(cursor !== undefined ? { cursor } : {}) });
        expect(page.entries.length).toBeLessThanOrEqual(limit);
        all.push(...page.entries);
        cursor = page.nextCursor;
        if (cursor === undefined) return all;
      }
      throw new Error('listing never ended');
    }

    it('lists every table once as a table entry, across pages', async () => {
      const entries = await listAll(connector, 5);
      const names = entries.map((e) => e.name);
      expect(names).toEqual([...new Set(names)]);
      expect(names.sort()).toEqual([EVENTS, ...LIST_TABLES, ORDERS].sort());
      for (const e of entries) expect(e).toEqual({ name: e.name, path: e.name, kind: 'table' });
    });

    it('shows only allowlisted tables that exist, and hides the rest as NOT_FOUND', async () => {
      const limited = new DynamodbConnector('ddb-limited', dynaliteConfig(dyn.endpoint, { tables: ['ddbt-list-03', 'ddbt-list-07', ORDERS, 'ddbt-missing'] }));
      try {
        expect((await listAll(limited, 1)).map((e) => e.name)).toEqual(['ddbt-list-03', 'ddbt-list-07', ORDERS]);
        expect((await failureOf(limited.describeTable(EVENTS, call()))).code).toBe('NOT_FOUND');
        expect((await failureOf(limited.query(request({ operation: 'query', table: EVENTS, partition: { name: 'device', value: 'd1' } }), call()))).code).toBe('NOT_FOUND');
        expect((await failureOf(limited.describeTable('ddbt-missing', call()))).code).toBe('NOT_FOUND');
      } finally {
        await limited.close();
      }
    });

    it('refuses table paths, recursion, foreign cursors, stat and open', async () => {
      expect((await failureOf(connector.list(ORDERS, { ...call(), limit: 10 }))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(connector.list(`${ORDERS}/`, { ...call(), limit: 10 }))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(connector.list('', { ...call(), limit: 10, recursive: true }))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(connector.list('', { ...call(), limit: 10, cursor: '../../etc' }))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(connector.list('', { ...call(), limit: 0 }))).code).toBe('INVALID_ARGUMENT');
      const generic: Connector = connector;
      expect((await failureOf(generic.stat(ORDERS, call()))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(generic.open(ORDERS, call()))).code).toBe('INVALID_ARGUMENT');
    });
  });

  describe('describe', () => {
    it('gives key attributes with roles, declared types, indexes and an estimated count', async () => {
      const d = await connector.describeTable(ORDERS, call());
      expect(d.path).toBe(ORDERS);
      expect(d.keys).toEqual([{ name: 'customer', role: 'partition' }, { name: 'orderNo', role: 'sort' }]);
      expect(d.columns).toEqual([
        { name: 'customer', type: 'string', nullable: false },
        { name: 'orderNo', type: 'decimal', nullable: false },
        { name: 'status', type: 'string', nullable: true },
        { name: 'total', type: 'decimal', nullable: true },
      ]);
      expect(d.rowCountExact).toBe(false);
      expect(typeof d.rowCount).toBe('number');
      expect(d.comment).toContain('global secondary index "byStatus" (keys: status, orderNo');
      expect(d.comment).toContain('local secondary index "byTotal" (keys: customer, total');
    });

    it('refuses paths that are not one valid table name', async () => {
      expect((await failureOf(connector.describeTable('ddbt-nothing', call()))).code).toBe('NOT_FOUND');
      for (const bad of ['a/b', '../x', 'ab', `${ORDERS}/`, 'bad name!', '']) expect((await failureOf(connector.describeTable(bad, call()))).code).toBe('INVALID_ARGUMENT');
    });
  });

  describe('get', () => {
    it('reads one item by its full key, key attributes first, with consumed capacity', async () => {
      const result = await run({ operation: 'get', table: ORDERS, key: { customer: 'c1', orderNo: 7 } });
      expect(result.complete).toBe(true);
      expect(result.table.schema.fields.map((f) => f.name).slice(0, 2)).toEqual(['customer', 'orderNo']);
      const [row] = rowsOf(result.table);
      expect(row).toMatchObject({ customer: 'c1', orderNo: 7, status: 'open', total: 17.5, flag: false, note: 'note 7' });
      expect(result.stats?.consumedCapacity).toBeGreaterThan(0);
      expect(result.upstream.requestId).toBeTruthy();
    });

    it('returns no rows for a missing item, and honours projection', async () => {
      expect((await run({ operation: 'get', table: ORDERS, key: { customer: 'c1', orderNo: 999 } })).table.numRows).toBe(0);
      const projected = await run({ operation: 'get', table: ORDERS, key: { customer: 'c1', orderNo: 3 }, projection: ['status', 'total'] });
      expect(rowsOf(projected.table)).toEqual([{ status: 'closed', total: 7.5 }]);
    });

    it('refuses a key that is not exactly the key attributes, naming them', async () => {
      const keys: Array<Record<string, ParamValue>> = [{ customer: 'c1' }, { customer: 'c1', orderNo: 1, status: 'open' }, { cust: 'c1', orderNo: 1 }];
      for (const key of keys) {
        const error = await failureOf(run({ operation: 'get', table: ORDERS, key }));
        expect(error.code).toBe('INVALID_ARGUMENT');
        expect(error.message).toContain('"customer" (partition) and "orderNo" (sort)');
      }
      expect((await failureOf(run({ operation: 'get', table: ORDERS, key: { customer: 'c1', orderNo: 'seven' } }))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(run({ operation: 'get', table: ORDERS, key: { customer: 5, orderNo: 1 } }))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(run({ operation: 'get', table: ORDERS, key: { customer: 'c1', orderNo: 1 }, filter: { column: 'x', op: 'eq', value: 1 } }))).code).toBe('INVALID_ARGUMENT');
    });
  });

  describe('query', () => {
    it.each([
      ['eq', 5, undefined, [5]],
      ['lt', 4, undefined, [1, 2, 3]],
      ['lte', 4, undefined, [1, 2, 3, 4]],
      ['gt', 27, undefined, [28, 29, 30]],
      ['gte', 28, undefined, [28, 29, 30]],
      ['between', 10, 12, [10, 11, 12]],
    ] as const)('sort %s', async (op, value, value2, expected) => {
      expect(await orderNos(orderQuery({ sort: { name: 'orderNo', op, value, ...(value2 !== undefined ? { value2 } : {}) } }))).toEqual(expected);
    });

    it('sort begins_with on a string sort key', async () => {
      const result = await run({ operation: 'query', table: EVENTS, partition: { name: 'device', value: 'd1' }, sort: { name: 'ts', op: 'begins_with', value: '2026-03' } });
      expect(columnValues(result.table, 'ts')).toEqual(['2026-03-01', '2026-03-15', '2026-03-31']);
    });

    it('refuses wrong key names, wrong types and impossible sort conditions', async () => {
      const wrongPartition = await failureOf(run(orderQuery({ partition: { name: 'status', value: 'open' } })));
      expect(wrongPartition.code).toBe('INVALID_ARGUMENT');
      expect(wrongPartition.hint).toContain('"customer" (partition)');
      expect((await failureOf(run(orderQuery({ sort: { name: 'total', op: 'eq', value: 1 } })))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(run(orderQuery({ sort: { name: 'orderNo', op: 'begins_with', value: '1' } })))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(run(orderQuery({ sort: { name: 'orderNo', op: 'between', value: 1 } })))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(run(orderQuery({ partition: { name: 'customer', value: 7 } })))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(run({ operation: 'query', table: ORDERS }))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(run(orderQuery({ key: { customer: 'c1' } })))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(connector.query({ ...request(orderQuery()), dynamo: undefined, sql: 'SELECT 1' } as QueryRequest, call()))).code).toBe('INVALID_ARGUMENT');
      expect((await failureOf(run(orderQuery(), { maxRows: 0 }))).code).toBe('INVALID_ARGUMENT');
    });

    it('queries a global and a local secondary index', async () => {
      const closed = await run({ operation: 'query', table: ORDERS, index: 'byStatus', partition: { name: 'status', value: 'closed' } });
      expect(closed.table.schema.fields.map((f) => f.name).slice(0, 3)).toEqual(['customer', 'orderNo', 'status']);
      expect(columnValues(closed.table, 'orderNo')).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
      const byTotal = await run({ operation: 'query', table: ORDERS, index: 'byTotal', partition: { name: 'customer', value: 'c1' }, sort: { name: 'total', op: 'between', value: 10, value2: 20 } });
      expect(columnValues(byTotal.table, 'orderNo')).toEqual([4, 5, 6, 7, 8]);
    });

    it('refuses unknown indexes (listing the real ones) and consistent reads on a GSI', async () => {
      const unknown = await failureOf(run(orderQuery({ index: 'byNothing' })));
      expect(unknown.code).toBe('INVALID_ARGUMENT');
      expect(unknown.hint).toContain('byStatus');
      expect((await failureOf(run({ operation: 'query', table: ORDERS, index: 'byStatus', partition: { name: 'status', value: 'open' }, consistentRead: true }))).code).toBe('INVALID_ARGUMENT');
      expect(await orderNos(orderQuery({ consistentRead: true, sort: { name: 'orderNo', op: 'lt', value: 3 } }))).toEqual([1, 2]);
    });

    it('projects attributes in the order asked', async () => {
      const result = await run(orderQuery({ projection: ['total', 'customer'], sort: { name: 'orderNo', op: 'eq', value: 2 } }));
      expect(result.table.schema.fields.map((f) => f.name)).toEqual(['total', 'customer']);
      expect(rowsOf(result.table)).toEqual([{ total: 5, customer: 'c1' }]);
    });
  });

  describe('filters (shared DSL, SQL null semantics)', () => {
    const filtered = (filter: unknown) => orderNos(orderQuery({ filter }));
    const all = range(1, 30);

    it.each([
      ['eq bool', { column: 'flag', op: 'eq', value: true }, all.filter((i) => i % 2 === 0)],
      ['ne', { column: 'status', op: 'ne', value: 'open' }, all.filter((i) => i % 3 === 0)],
      ['lt', { column: 'total', op: 'lt', value: 10 }, [1, 2, 3]],
      ['lte', { column: 'total', op: 'lte', value: 10 }, [1, 2, 3, 4]],
      ['gt', { column: 'total', op: 'gt', value: 70 }, [29, 30]],
      ['gte', { column: 'total', op: 'gte', value: 70 }, [28, 29, 30]],
      ['between', { column: 'total', op: 'between', value: [5, 10] }, [2, 3, 4]],
      ['in', { column: 'note', op: 'in', value: ['note 2', 'note 3', 'nope'] }, [2, 3]],
      ['not_in skips missing and NULL', { column: 'note', op: 'not_in', value: ['note 2', 'note 3'] }, withNote.filter((i) => i !== 2 && i !== 3)],
      ['ne skips missing and NULL', { column: 'note', op: 'ne', value: 'note 2' }, withNote.filter((i) => i !== 2)],
      ['not eq equals ne', { not: { column: 'note', op: 'eq', value: 'note 2' } }, withNote.filter((i) => i !== 2)],
      ['is_null: missing or NULL', { column: 'note', op: 'is_null' }, all.filter((i) => i % 5 === 0 || i % 5 === 1)],
      ['is_not_null', { column: 'note', op: 'is_not_null' }, withNote],
      ['not is_null', { not: { column: 'note', op: 'is_null' } }, withNote],
      ['contains', { column: 'note', op: 'contains', value: '2' }, [2, 12, 22, 23, 24, 27, 28, 29]],
      ['contains a set member', { column: 'tags', op: 'contains', value: 't7' }, [7]],
      ['starts_with', { column: 'note', op: 'starts_with', value: 'note 1' }, [12, 13, 14, 17, 18, 19]],
      ['and', { and: [{ column: 'flag', op: 'eq', value: true }, { column: 'total', op: 'lt', value: 20 }] }, [2, 4, 6]],
      ['or', { or: [{ column: 'total', op: 'lt', value: 5 }, { column: 'total', op: 'gt', value: 72 }] }, [1, 29, 30]],
      ['not (a or b)', { not: { or: [{ column: 'total', op: 'gt', value: 5 }, { column: 'flag', op: 'eq', value: true }] } }, [1]],
      ['not over unknown stays unknown', { not: { and: [{ column: 'note', op: 'eq', value: 'x' }, { column: 'total', op: 'gt', value: 0 }] } }, withNote],
      ['type mismatch is false', { column: 'total', op: 'eq', value: '5' }, []],
      ['number vs missing attribute', { column: 'nothing', op: 'gt', value: 0 }, []],
    ])('%s', async (_label, filter, expected) => {
      expect(await filtered(filter)).toEqual(expected);
    });

    it('splits "in" lists longer than DynamoDB\'s 100 operands', async () => {
      const values = [...range(1000, 1149).map((n) => `note ${n}`), 'note 4', 'note 9'];
      expect(await filtered({ column: 'note', op: 'in', value: values })).toEqual([4, 9]);
    });

    it('refuses what DynamoDB cannot express, and malformed filters', async () => {
      for (const filter of [
        { column: 'note', op: 'ends_with', value: '3' },
        { column: 'flag', op: 'lt', value: true },
        { column: 'note', op: 'contains', value: 3 },
        { column: 'note', op: 'in', value: [] },
        { column: 'note', op: 'between', value: [1] },
        { column: 'note', op: 'eq' },
        { column: 'note', op: 'is_null', value: 'x' },
        { column: 'note', op: 'regex', value: '.*' },
        { column: 'note', op: 'eq', value: 'x', extra: 1 },
        { and: [] },
        'status = "open"',
      ]) {
        const error = await failureOf(filtered(filter));
        expect(error.code, JSON.stringify(filter)).toBe('INVALID_ARGUMENT');
      }
      let deep: unknown = { column: 'note', op: 'eq', value: 'x' };
      for (let i = 0; i < 20; i++) deep = { not: deep };
      expect((await failureOf(filtered(deep))).code).toBe('INVALID_ARGUMENT');
    });

    it('a filter on a key attribute is DynamoDB\'s validation error, as INVALID_ARGUMENT', async () => {
      const error = await failureOf(filtered({ column: 'orderNo', op: 'eq', value: 1 }));
      expect(error.code).toBe('INVALID_ARGUMENT');
    });
  });

  describe('injection attempts are data, never syntax', () => {
    it('a partition value shaped like an expression matches only itself', async () => {
      const result = await run({ operation: 'query', table: ORDERS, partition: { name: 'customer', value: INJECT_PARTITION } });
      expect(columnValues(result.table, 'customer')).toEqual([INJECT_PARTITION]);
      expect((await run({ operation: 'get', table: ORDERS, key: { customer: INJECT_PARTITION, orderNo: 1 } })).table.numRows).toBe(1);
    });

    it('attribute names with ":", "#", ")", " OR " and "." are plain names in filters and projections', async () => {
      const weird = (filter: unknown, projection?: string[]) => run({ operation: 'query', table: ORDERS, partition: { name: 'customer', value: 'c3' }, filter, ...(projection ? { projection } : {}) });
      for (const [i, name] of WEIRD_NAMES.entries()) {
        expect((await weird({ column: name, op: 'eq', value: `w${i}` })).table.numRows, name).toBe(1);
        expect((await weird({ column: name, op: 'eq', value: `w${i}x` })).table.numRows, name).toBe(0);
      }
      const projected = await weird(undefined, WEIRD_NAMES);
      expect(projected.table.schema.fields.map((f) => f.name)).toEqual(WEIRD_NAMES);
      expect(WEIRD_NAMES.map((n) => columnValues(projected.table, n)[0])).toEqual(WEIRD_NAMES.map((_, i) => `w${i}`));
    });

    it('values shaped like placeholders or expressions match nothing else', async () => {
      for (const value of [':v0', '#n0', "open' OR '1'='1", 'open) OR (attribute_exists(customer)', ' OR attribute_exists(status)']) {
        expect(await filtered2(value)).toEqual([]);
      }
      async function filtered2(value: string) {
        return orderNos(orderQuery({ filter: { column: 'status', op: 'eq', value } }));
      }
      const names = await orderNos(orderQuery({ filter: { column: 'status) OR (attribute_exists(customer)', op: 'eq', value: 'x' } }));
      expect(names).toEqual([]);
      expect((await failureOf(run(orderQuery({ sort: { name: 'orderNo) OR (attribute_exists(customer', op: 'eq', value: 1 } })))).code).toBe('INVALID_ARGUMENT');
    });
  });

  describe('paging', () => {
    it('reads up to maxRows, then more() yields every remaining item exactly once', async () => {
      const first = await run(orderQuery(), { maxRows: 7 });
      expect(first.table.numRows).toBe(7);
      expect(first.complete).toBe(false);
      const pages = await everyPage(first);
      expect(pages.length).toBeGreaterThan(2);
      expect(pages.flatMap((t) => columnValues(t, 'orderNo'))).toEqual(range(1, 30));
    });

    it('pages a filtered query without losing or repeating matches', async () => {
      const first = await run(orderQuery({ filter: { column: 'flag', op: 'eq', value: true } }), { maxRows: 4 });
      expect(first.table.numRows).toBe(4);
      const pages = await everyPage(first);
      expect(pages.flatMap((t) => columnValues(t, 'orderNo'))).toEqual(range(1, 30).filter((i) => i % 2 === 0));
    });

    it('a result that fits is complete with no more()', async () => {
      const result = await run(orderQuery(), { maxRows: 30 });
      expect(result.table.numRows).toBe(30);
      expect(result.complete).toBe(true);
      expect(result.more).toBeUndefined();
      expect(result.stats?.consumedCapacity).toBeGreaterThan(0);
    });

    it('dry run validates and reads nothing', async () => {
      const result = await run(orderQuery(), { dryRun: true });
      expect(result.table.numRows).toBe(0);
      expect(result.complete).toBe(true);
      expect((await failureOf(run(orderQuery({ partition: { name: 'nope', value: 'x' } }), { dryRun: true }))).code).toBe('INVALID_ARGUMENT');
    });
  });

  describe('item types → Arrow', () => {
    it('maps N, S, BOOL, NULL, sets and maps', async () => {
      const result = await run(orderQuery({ sort: { name: 'orderNo', op: 'between', value: 1, value2: 2 } }));
      const types = Object.fromEntries(result.table.schema.fields.map((f) => [f.name, typeName(f.type)]));
      expect(types).toMatchObject({ customer: 'string', orderNo: 'int32', status: 'string', total: 'float64', flag: 'bool', tags: 'string', meta: 'string', note: 'string' });
      expect(rowsOf(result.table)).toEqual([
        { customer: 'c1', orderNo: 1, flag: false, meta: '{"depth":{"n":1}}', note: null, status: 'open', tags: '["a","t1"]', total: 2.5 },
        { customer: 'c1', orderNo: 2, flag: true, meta: '{"depth":{"n":2}}', note: 'note 2', status: 'open', tags: '["a","t2"]', total: 5 },
      ]);
    });

    it('keeps big integers exact (int64), never rounds 38-digit numbers, and shows binary as base64', async () => {
      const result = await run({ operation: 'query', table: ORDERS, partition: { name: 'customer', value: 'c4' } });
      const types = Object.fromEntries(result.table.schema.fields.map((f) => [f.name, typeName(f.type)]));
      expect(types).toMatchObject({ big: 'int64', huge: 'string', exact: 'float64', raw: 'string' });
      expect(columnValues(result.table, 'big')).toEqual([9007199254740993n, -5n]);
      expect(columnValues(result.table, 'huge')).toEqual(['12345678901234567890123456789', '1']);
      expect(columnValues(result.table, 'exact')).toEqual([0.1, 2]);
      expect(columnValues(result.table, 'raw')).toEqual(['AAH/', 'Bw==']);
    });
  });
});
