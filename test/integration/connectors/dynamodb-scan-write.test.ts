import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryCommand, type AttributeValue, type BatchWriteItemCommandInput, type BatchWriteItemCommandOutput, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamodbConnectorConfig } from '../../../src/config/schema.js';
import { DynamodbConnector, type DynamodbConnectorOptions } from '../../../src/connectors/dynamodb/index.js';
import type { CallOptions, DynamoRequest, QueryRequest, QueryResult } from '../../../src/connectors/types.js';
import { collectBatches, columnValues, rowsOf } from '../../helpers/arrow-values.js';
import { failureOf } from '../../helpers/connector-contract.js';
import { DYNALITE_CREDENTIALS, dynaliteConfig, startDynalite, type DynaliteHandle } from '../../helpers/dynalite.js';

/** Scans (gated, capped), consumed capacity, cancellation, error scrubbing and putItems, against dynalite. */
const SCAN = 'ddbw-scan';
const ITEMS = 'ddbw-items';
const SCAN_ITEMS = 40;

const call = (signal = new AbortController().signal): CallOptions => ({ signal, credentials: { id: 'none' } });
const request = (dynamo: DynamoRequest, over: Partial<QueryRequest> = {}): QueryRequest => ({ sql: '', dynamo, params: {}, maxRows: 1000, dryRun: false, readOnly: true, timeoutMs: 20_000, ...over });
const scanOf = (over: Partial<DynamoRequest> = {}): DynamoRequest => ({ operation: 'scan', table: SCAN, ...over });
const write = (signal = new AbortController().signal, createOnly = false) => ({ ...call(signal), createOnly });

async function allPages(result: QueryResult): Promise<Table[]> {
  return [result.table, ...(result.more ? await collectBatches(result.more()) : [])];
}

/** An HTTP server that never answers (for cancellation) or answers every request with one fixed error. */
async function startFakeEndpoint(respond: 'hang' | { status: number; body: unknown }): Promise<{ endpoint: string; requests: string[]; received: Promise<void>; close(): Promise<void> }> {
  const requests: string[] = [];
  let signalReceived: () => void = () => undefined;
  const received = new Promise<void>((resolve) => (signalReceived = resolve));
  const server: Server = createServer((req, res) => {
    requests.push(String(req.headers['x-amz-target']));
    signalReceived();
    if (respond === 'hang') return;
    res.writeHead(respond.status, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify(respond.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('dynamodb connector: scans, capacity, cancellation, scrubbing, writes', () => {
  let dyn: DynaliteHandle;
  const open: DynamodbConnector[] = [];
  const make = (over: Partial<DynamodbConnectorConfig> = {}, options: DynamodbConnectorOptions = {}, endpoint = dyn.endpoint): DynamodbConnector => {
    const c = new DynamodbConnector('ddb', dynaliteConfig(endpoint, over), options);
    open.push(c);
    return c;
  };
  const countItems = async (): Promise<number> => {
    const result = await make({ scan: { enabled: true, max_items: 10_000 } }).query(request({ operation: 'scan', table: ITEMS }), call());
    return result.table.numRows;
  };
  const itemsOf = async (id: string): Promise<Record<string, unknown>[]> =>
    rowsOf((await make().query(request({ operation: 'query', table: ITEMS, partition: { name: 'id', value: id } }), call())).table);

  beforeAll(async () => {
    dyn = await startDynalite();
    await dyn.createTable({ TableName: SCAN, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    await dyn.createTable({
      TableName: ITEMS,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }],
    });
    await dyn.seed(SCAN, Array.from({ length: SCAN_ITEMS }, (_, i) => ({ id: { N: String(i) }, even: { BOOL: i % 2 === 0 } })));
  });

  afterAll(async () => {
    for (const c of open) await c.close();
    await dyn?.stop();
  });

  describe('scan', () => {
    it('is refused while the connector has scans disabled', async () => {
      const error = await failureOf(make().query(request(scanOf()), call()));
      expect(error.code).toBe('POLICY_DENIED');
      expect(error.hint).toContain('query');
    });

    it('reads every item exactly once across first rows and more(), with consumed capacity', async () => {
      const result = await make({ scan: { enabled: true, max_items: 1000 } }).query(request(scanOf(), { maxRows: 15 }), call());
      expect(result.table.numRows).toBe(15);
      expect(result.complete).toBe(false);
      expect(result.stats?.consumedCapacity).toBeGreaterThan(0);
      expect(result.upstream).toMatchObject({ scanMaxItems: '1000', scanCapped: 'false' });
      const ids = (await allPages(result)).flatMap((t) => columnValues(t, 'id') as number[]);
      expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: SCAN_ITEMS }, (_, i) => i));
    });

    it('stops at scan.max_items items read, across first rows and more()', async () => {
      const capped = make({ scan: { enabled: true, max_items: 25 } });
      const paged = await capped.query(request(scanOf(), { maxRows: 10 }), call());
      const ids = (await allPages(paged)).flatMap((t) => columnValues(t, 'id') as number[]);
      expect(ids).toHaveLength(25);
      expect(new Set(ids).size).toBe(25);

      const whole = await capped.query(request(scanOf(), { maxRows: 100 }), call());
      expect(whole.table.numRows).toBe(25);
      expect(whole.complete).toBe(false);
      expect(whole.more).toBeUndefined();
      expect(whole.upstream).toMatchObject({ scanMaxItems: '25', scanCapped: 'true' });
    });

    it('counts items read, not items returned, against the cap when filtering', async () => {
      const capped = make({ scan: { enabled: true, max_items: 20 } });
      const result = await capped.query(request(scanOf({ filter: { column: 'even', op: 'eq', value: true } }), { maxRows: 100 }), call());
      const ids = (await allPages(result)).flatMap((t) => columnValues(t, 'id') as number[]);
      // Scan order is the table's hash order: the cap covers the first 20 items in that order.
      const order = columnValues((await make({ scan: { enabled: true, max_items: 1000 } }).query(request(scanOf()), call())).table, 'id') as number[];
      expect(ids).toEqual(order.slice(0, 20).filter((id) => id % 2 === 0));
    });
  });

  describe('cancellation and errors', () => {
    it('an aborted signal is CANCELLED before any request', async () => {
      const controller = new AbortController();
      controller.abort();
      expect((await failureOf(make().query(request({ operation: 'get', table: SCAN, key: { id: 1 } }), call(controller.signal)))).code).toBe('CANCELLED');
      expect((await failureOf(make().list('', { ...call(controller.signal), limit: 5 }))).code).toBe('CANCELLED');
    });

    it('aborting an in-flight request cancels it: CANCELLED', async () => {
      const fake = await startFakeEndpoint('hang');
      try {
        const controller = new AbortController();
        const pending = make({}, {}, fake.endpoint).query(request({ operation: 'get', table: SCAN, key: { id: 1 } }), call(controller.signal));
        await fake.received;
        controller.abort();
        expect((await failureOf(pending)).code).toBe('CANCELLED');
      } finally {
        await fake.close();
      }
    });

    it('aborting during a Query (after DescribeTable) is CANCELLED', async () => {
      const controller = new AbortController();
      const hook = (client: DynamoDBClient) =>
        client.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'QueryCommand') controller.abort();
            return next(args);
          },
          { step: 'initialize', name: 'abortOnQuery' },
        );
      const c = make({}, { clientHook: hook });
      const error = await failureOf(c.query(request({ operation: 'query', table: SCAN, partition: { name: 'id', value: 1 } }), call(controller.signal)));
      expect(error.code).toBe('CANCELLED');
    });

    it('a request past timeoutMs is TIMEOUT', async () => {
      const fake = await startFakeEndpoint('hang');
      try {
        const error = await failureOf(make({}, {}, fake.endpoint).query(request({ operation: 'get', table: SCAN, key: { id: 1 } }, { timeoutMs: 50 }), call()));
        expect(error.code).toBe('TIMEOUT');
      } finally {
        await fake.close();
      }
    });

    it('never shows the secret key, even when the upstream echoes it', async () => {
      const fake = await startFakeEndpoint({
        status: 400,
        body: { __type: 'com.amazon.coral.service#UnrecognizedClientException', message: `bad signature for secret ${DYNALITE_CREDENTIALS.secretAccessKey}` },
      });
      try {
        const c = make({}, {}, fake.endpoint);
        for (const attempt of [c.describeTable(SCAN, call()), c.list('', { ...call(), limit: 5 })]) {
          const error = await failureOf(attempt);
          expect(error.code).toBe('UPSTREAM_ERROR');
          const shown = JSON.stringify({ message: error.message, hint: error.hint, detail: error.detail });
          expect(shown).not.toContain(DYNALITE_CREDENTIALS.secretAccessKey);
          expect(shown).toContain('UnrecognizedClientException');
        }
      } finally {
        await fake.close();
      }
    });

    it('maps throttling to UNAVAILABLE and a missing table to NOT_FOUND', async () => {
      const fake = await startFakeEndpoint({ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' } });
      try {
        expect((await failureOf(make({}, {}, fake.endpoint).describeTable(SCAN, call()))).code).toBe('UNAVAILABLE');
      } finally {
        await fake.close();
      }
      expect((await failureOf(make().query(request({ operation: 'get', table: 'ddbw-nothing', key: { id: 1 } }), call()))).code).toBe('NOT_FOUND');
    });
  });

  describe('putItems', () => {
    it('batch-writes more than 25 items, replacing same-key items, with consumed capacity', async () => {
      const items = Array.from({ length: 60 }, (_, n) => ({ id: 'batch', n, label: `item ${n}` }));
      const result = await make().putItems(ITEMS, items, write());
      expect(result.written).toBe(60);
      expect(result.consumedCapacity).toBeGreaterThan(0);
      expect((await itemsOf('batch')).map((r) => r.n)).toEqual(Array.from({ length: 60 }, (_, n) => n));
      await make().putItems(ITEMS, [{ id: 'batch', n: 0, label: 'replaced' }], write());
      expect((await itemsOf('batch'))[0]).toMatchObject({ n: 0, label: 'replaced' });
    });

    it('round-trips nested values, bytes, null and booleans', async () => {
      await make().putItems(ITEMS, [{ id: 'nested', n: 1, doc: { a: [1, 'two', { three: true }] }, raw: new Uint8Array([1, 2]), gone: null, ok: false }], write());
      expect(await itemsOf('nested')).toEqual([{ id: 'nested', n: 1, doc: '{"a":[1,"two",{"three":true}]}', gone: null, ok: false, raw: 'AQI=' }]);
    });

    it('create-only writes new items and stops at the first existing key, saying what was written', async () => {
      const c = make();
      expect((await c.putItems(ITEMS, [{ id: 'create', n: 1 }, { id: 'create', n: 2, v: 'original' }], write(undefined, true))).written).toBe(2);
      const error = await failureOf(c.putItems(ITEMS, [{ id: 'create', n: 3 }, { id: 'create', n: 2, v: 'clobber' }, { id: 'create', n: 4 }], write(undefined, true)));
      expect(error.code).toBe('UPSTREAM_ERROR');
      expect(error.detail).toMatchObject({ precondition: 'item_exists', written: 1 });
      expect(error.message).toContain('{"id":"create","n":2}');
      expect(error.message).toContain('1 item(s) were written');
      expect((await itemsOf('create')).map((r) => [r.n, r.v ?? null])).toEqual([[1, null], [2, 'original'], [3, null]]);
    });

    it('validates every item before writing any', async () => {
      const before = await countItems();
      for (const items of [
        [{ id: 'bad', n: 1 }, { id: 'bad' }],
        [{ id: 'bad', n: 1 }, { id: 'bad', n: 'one' }],
        [{ id: 'bad', n: 1 }, { id: 7, n: 2 }],
        [{ id: 'bad', n: 1 }, { id: 'bad', n: 1 }],
        [{ id: 'bad', n: 1 }, { id: 'bad', n: 2, x: Number.NaN }],
        [{ id: 'bad', n: 1 }, 'not an object'],
        [{ id: 'bad', n: 1 }, [1, 2]],
      ]) {
        const error = await failureOf(make().putItems(ITEMS, items as Array<Record<string, unknown>>, write()));
        expect(error.code, JSON.stringify(items)).toBe('INVALID_ARGUMENT');
      }
      expect((await failureOf(make().putItems('ddbw-nothing', [{ id: 'x', n: 1 }], write()))).code).toBe('NOT_FOUND');
      expect(await countItems()).toBe(before);
    });

    it('retries UnprocessedItems until every item is written', async () => {
      let batchCalls = 0;
      const hook = (client: DynamoDBClient) =>
        client.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName !== 'BatchWriteItemCommand') return next(args);
            batchCalls++;
            if (batchCalls !== 1) return next(args);
            // First attempt: hold back the last 10 requests (not sent) and report them unprocessed.
            const input = args.input as BatchWriteItemCommandInput;
            const requests = input.RequestItems![ITEMS]!;
            const held: WriteRequest[] = requests.slice(-10);
            args.input = { ...input, RequestItems: { [ITEMS]: requests.slice(0, -10) } };
            const result = await next(args);
            (result.output as BatchWriteItemCommandOutput).UnprocessedItems = { [ITEMS]: held };
            return result;
          },
          { step: 'initialize', name: 'simulateUnprocessed' },
        );
      const c = make({}, { clientHook: hook, retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 } });
      const result = await c.putItems(ITEMS, Array.from({ length: 30 }, (_, n) => ({ id: 'retry', n })), write());
      expect(result.written).toBe(30);
      expect(batchCalls).toBe(3); // two chunks (25 + 5) and one retry of the held-back 10
      expect((await itemsOf('retry')).map((r) => r.n)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    });

    it('gives up with UNAVAILABLE after the last attempt, saying how many were written', async () => {
      let batchCalls = 0;
      const hook = (client: DynamoDBClient) =>
        client.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName !== 'BatchWriteItemCommand') return next(args);
            batchCalls++;
            const input = args.input as BatchWriteItemCommandInput;
            // Always throttled: nothing is sent, everything comes back unprocessed.
            return { output: { UnprocessedItems: input.RequestItems, $metadata: {} }, response: {} } as Awaited<ReturnType<typeof next>>;
          },
          { step: 'initialize', name: 'alwaysUnprocessed' },
        );
      const c = make({}, { clientHook: hook, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
      const error = await failureOf(c.putItems(ITEMS, [{ id: 'throttled', n: 1 }], write()));
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toContain('no item was written');
      expect(batchCalls).toBe(3);
      expect(await itemsOf('throttled')).toEqual([]);
    });
  });

  it('the seeding client and the connector agree on what is stored (sanity check of the double)', async () => {
    const direct = await dyn.client.send(new QueryCommand({ TableName: ITEMS, KeyConditionExpression: 'id = :i', ExpressionAttributeValues: { ':i': { S: 'batch' } as AttributeValue } }));
    expect(direct.Count).toBe(60);
  });
});
