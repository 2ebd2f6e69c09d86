import type { AttributeValue, ConsumedCapacity, WriteRequest } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataMcpError, invalidArgument, limitExceeded } from '../../results/errors.js';
import { scrubText } from '../../results/scrub.js';
import { abortError } from '../abort.js';
import { plainValue, scalarTypeOf, toAttributeValue } from './attribute-values.js';
import type { DynamoHandle } from './client.js';
import { dynamoError, upstreamCodeOf } from './errors.js';
import type { TableShape } from './table-shape.js';

/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;
/** Items one call may write: bounded so a single call cannot run for hours. */
export const MAX_PUT_ITEMS = 10_000;

export interface RetryPolicy {
  /** Attempts per batch, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 50, maxDelayMs: 2_000 };

export interface PutContext {
  handle: DynamoHandle;
  shape: TableShape;
  connector: string;
  signal: AbortSignal;
  retry?: RetryPolicy;
}

export interface PutResult {
  written: number;
  consumedCapacity?: number;
}

type Item = Record<string, AttributeValue>;

const sumCapacity = (list: ConsumedCapacity[] | ConsumedCapacity | undefined): number =>
  (Array.isArray(list) ? list : list ? [list] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);

/**
 * Writes items to a table. Everything is validated before the first write (plain objects,
 * the key attributes present with their declared types, no key twice), so a bad item never
 * leaves half a batch behind. Then:
 * - createOnly: one PutItem per item, in order, each with `attribute_not_exists(<partition
 *   key>)`. The first item whose key exists stops the call: the items before it are written,
 *   it and the ones after are not (UPSTREAM_ERROR, detail `precondition: 'item_exists'`,
 *   `written`, `key`).
 * - otherwise: BatchWriteItem in chunks of 25 (an existing item with the same key is
 *   replaced), retrying UnprocessedItems with capped exponential backoff and full jitter.
 *   Items still unprocessed after the last attempt fail the call with UNAVAILABLE.
 * Any failure names how many items were written before it: writes are not transactional.
 */
export async function putItems(ctx: PutContext, rawItems: readonly unknown[], createOnly: boolean): Promise<PutResult> {
  const items = prepareItems(ctx.shape, rawItems);
  const state = { written: 0, capacity: 0 };
  try {
    if (createOnly) for (const item of items) await putIfAbsent(ctx, item, state);
    else for (let i = 0; i < items.length; i += BATCH_SIZE) await writeBatch(ctx, items.slice(i, i + BATCH_SIZE), state);
  } catch (error) {
    throw withProgress(error, state.written, ctx);
  }
  return { written: state.written, consumedCapacity: state.capacity };
}

function prepareItems(shape: TableShape, rawItems: readonly unknown[]): Item[] {
  if (!Array.isArray(rawItems)) throw invalidArgument('items must be a list of objects', 'Give items as [{"pk": ..., ...}, ...].');
  if (rawItems.length > MAX_PUT_ITEMS) throw limitExceeded(`${rawItems.length} items are more than one call writes (${MAX_PUT_ITEMS})`, 'Split the write into several calls.');
  const keyNames = [shape.keys.partition, ...(shape.keys.sort !== undefined ? [shape.keys.sort] : [])];
  const seen = new Set<string>();
  return rawItems.map((raw, i) => {
    const value = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? toAttributeValue(raw, `item ${i}`) : undefined;
    if (!value?.M) throw invalidArgument(`item ${i} is not an object`, 'Each item is an object of attribute names to values.');
    const item = value.M;
    for (const name of keyNames) {
      const attr = Object.hasOwn(item, name) ? item[name] : undefined;
      const declared = shape.attributeTypes.get(name);
      if (!attr || scalarTypeOf(attr) === undefined) throw invalidArgument(`item ${i} lacks key attribute "${name}" (or it is not a string, number or binary)`, `Every item needs ${keyNames.map((n) => `"${n}"`).join(' and ')}.`);
      if (declared && scalarTypeOf(attr) !== declared) throw invalidArgument(`item ${i}: key attribute "${name}" must be ${declared === 'N' ? 'a number' : declared === 'S' ? 'a string' : 'binary'}`, 'Describe the table to see the type of each key attribute.');
    }
    const identity = JSON.stringify(keyNames.map((n) => [scalarTypeOf(item[n]!), String(plainValue(item[n]!))]));
    if (seen.has(identity)) throw invalidArgument(`item ${i} has the same key as an earlier item`, 'Each key may appear once per write.');
    seen.add(identity);
    return item;
  });
}

async function putIfAbsent(ctx: PutContext, item: Item, state: { written: number; capacity: number }): Promise<void> {
  const { sdk, client } = ctx.handle;
  const { table, keys } = ctx.shape;
  try {
    const response = await client.send(
      new sdk.PutItemCommand({
        TableName: table,
        Item: item,
        // Evaluated against the item with this full primary key: it exists iff it has the partition key.
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': keys.partition },
        ReturnConsumedCapacity: 'TOTAL',
      }),
      { abortSignal: ctx.signal },
    );
    state.capacity += sumCapacity(response.ConsumedCapacity);
    state.written++;
  } catch (error) {
    if (upstreamCodeOf(error) !== 'ConditionalCheckFailedException' || ctx.signal.aborted) throw error;
    const key = Object.fromEntries([keys.partition, ...(keys.sort !== undefined ? [keys.sort] : [])].map((n) => [n, plainValue(item[n]!)]));
    throw new DataMcpError(
      'UPSTREAM_ERROR',
      scrubText(`an item with key ${JSON.stringify(key)} already exists in table "${table}"; create-only writes never replace items`),
      'Write with a new key, or ask for an overwrite (a destructive write) if replacing it is intended.',
      { connector: ctx.connector, operation: 'PutItem', precondition: 'item_exists', key: scrubText(JSON.stringify(key)) },
    );
  }
}

async function writeBatch(ctx: PutContext, batch: Item[], state: { written: number; capacity: number }): Promise<void> {
  const { sdk, client } = ctx.handle;
  const retry = ctx.retry ?? DEFAULT_RETRY;
  const table = ctx.shape.table;
  let pending: WriteRequest[] = batch.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 1; ; attempt++) {
    const response = await client.send(new sdk.BatchWriteItemCommand({ RequestItems: { [table]: pending }, ReturnConsumedCapacity: 'TOTAL' }), { abortSignal: ctx.signal });
    state.capacity += sumCapacity(response.ConsumedCapacity);
    const unprocessed = response.UnprocessedItems?.[table] ?? [];
    state.written += pending.length - unprocessed.length;
    if (unprocessed.length === 0) return;
    if (attempt >= retry.attempts) {
      throw new DataMcpError('UNAVAILABLE', `DynamoDB left ${unprocessed.length} item(s) unprocessed in table "${table}" after ${attempt} attempts`, 'The table is throttled; wait a little and write the remaining items again.', {
        connector: ctx.connector,
        operation: 'BatchWriteItem',
        unprocessed: unprocessed.length,
      });
    }
    pending = unprocessed;
    // Full jitter: concurrent writers that were throttled together do not retry together.
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    await sleep(Math.floor(Math.random() * ceiling), undefined, { signal: ctx.signal });
  }
}

/** Maps a failure and says how many items were written before it (writes are not transactional). */
function withProgress(error: unknown, written: number, ctx: PutContext): DataMcpError {
  const mapped = ctx.signal.aborted ? abortError(ctx.signal) : dynamoError(error, { connector: ctx.connector, operation: 'write', subject: `table "${ctx.shape.table}"`, signal: ctx.signal });
  const progress = written === 0 ? 'no item was written' : `${written} item(s) were written before the failure`;
  return new DataMcpError(mapped.code, `${mapped.message} (${progress})`, mapped.hint, { ...mapped.detail, written });
}
