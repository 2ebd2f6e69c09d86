import type { AttributeValue, ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { Table } from 'apache-arrow';
import type { QueryResult } from '../types.js';
import type { DynamoHandle } from './client.js';
import { dynamoError } from './errors.js';
import { itemsToTable, type Item } from './items-to-arrow.js';
import type { BuiltRead } from './read-request.js';

/** Per-page budget for `more()`: it runs after the call returned, without the call's signal. */
const PAGE_REQUEST_MS = 60_000;
/**
 * With a filter, DynamoDB's Limit counts items *evaluated*, not returned: asking for only the
 * few rows still missing would mean many tiny requests, so filtered reads evaluate at least this many.
 */
const FILTERED_MIN_LIMIT = 100;
/** One response holds at most 1 MB anyway; a larger Limit only risks an upstream range check. */
const MAX_REQUEST_LIMIT = 10_000;

type StartKey = Record<string, AttributeValue> | undefined;

interface Page {
  items: Item[];
  lastKey: StartKey;
  scanned: number;
  capacity: number;
  requestId?: string | undefined;
}

export interface ReadContext {
  handle: DynamoHandle;
  built: BuiltRead;
  connector: string;
  maxRows: number;
  /** Scans only: the most items the whole scan may read (first rows and `more()` together). */
  scanBudget?: number;
}

const capacityOf = (c: ConsumedCapacity | undefined): number => c?.CapacityUnits ?? 0;

async function fetchPage(ctx: ReadContext, startKey: StartKey, limit: number | undefined, signal: AbortSignal): Promise<Page> {
  const { sdk, client } = ctx.handle;
  const { built } = ctx;
  const paging = { ...(startKey ? { ExclusiveStartKey: startKey } : {}), ...(limit !== undefined ? { Limit: limit } : {}) };
  try {
    if (built.operation === 'GetItem') {
      const r = await client.send(new sdk.GetItemCommand(built.input), { abortSignal: signal });
      return { items: r.Item ? [r.Item] : [], lastKey: undefined, scanned: 1, capacity: capacityOf(r.ConsumedCapacity), requestId: r.$metadata.requestId };
    }
    const r = built.operation === 'Query'
      ? await client.send(new sdk.QueryCommand({ ...built.input, ...paging }), { abortSignal: signal })
      : await client.send(new sdk.ScanCommand({ ...built.input, ...paging }), { abortSignal: signal });
    return { items: r.Items ?? [], lastKey: r.LastEvaluatedKey, scanned: r.ScannedCount ?? r.Count ?? 0, capacity: capacityOf(r.ConsumedCapacity), requestId: r.$metadata.requestId };
  } catch (error) {
    throw dynamoError(error, { connector: ctx.connector, operation: built.operation, subject: `table "${built.input.TableName ?? ''}"`, signal });
  }
}

/**
 * Items to ask for: what is still missing plus one — DynamoDB returns a LastEvaluatedKey
 * whenever it stops at Limit, so the extra item is what tells "exactly maxRows" from "more
 * remain" — more with a filter, never past the scan budget.
 */
function limitFor(ctx: ReadContext, missing: number, budget: number | undefined): number {
  const filtered = 'FilterExpression' in ctx.built.input && ctx.built.input.FilterExpression !== undefined;
  const wanted = filtered ? Math.max(missing + 1, FILTERED_MIN_LIMIT) : missing + 1;
  const capped = Math.min(wanted, MAX_REQUEST_LIMIT);
  return budget === undefined ? capped : Math.min(capped, budget);
}

/**
 * Reads pages (following LastEvaluatedKey) until `maxRows` items are in hand, summing the
 * consumed capacity. Items beyond `maxRows` (a filtered page can hold a few) are kept for
 * `more()`, which then continues from the LastEvaluatedKey one page at a time, so items are
 * never all held at once and never fetched twice.
 */
export async function readItems(ctx: ReadContext, signal: AbortSignal): Promise<QueryResult> {
  const items: Item[] = [];
  let lastKey: StartKey;
  let capacity = 0;
  let requests = 0;
  let requestId: string | undefined;
  let budget = ctx.scanBudget;
  do {
    const page = await fetchPage(ctx, lastKey, limitFor(ctx, ctx.maxRows - items.length, budget), signal);
    requests++;
    requestId ??= page.requestId;
    capacity += page.capacity;
    items.push(...page.items);
    lastKey = page.lastKey;
    if (budget !== undefined) budget -= page.scanned;
  } while (lastKey !== undefined && items.length < ctx.maxRows && (budget === undefined || budget > 0));

  const first = items.length > ctx.maxRows ? items.slice(0, ctx.maxRows) : items;
  const leftover = items.length > ctx.maxRows ? items.slice(ctx.maxRows) : [];
  const canRead = lastKey !== undefined && (budget === undefined || budget > 0);
  const capped = lastKey !== undefined && budget !== undefined && budget <= 0;
  const upstream: Record<string, string> = {
    ...(requestId !== undefined ? { requestId } : {}),
    requests: String(requests),
    ...(ctx.scanBudget !== undefined ? { scanMaxItems: String(ctx.scanBudget), scanCapped: String(capped) } : {}),
  };
  const result: QueryResult = {
    table: itemsToTable(first, ctx.built.leading),
    complete: leftover.length === 0 && lastKey === undefined,
    upstream,
    stats: { consumedCapacity: capacity },
  };
  if (leftover.length === 0 && !canRead) return result;
  const resume = { leftover, lastKey: canRead ? lastKey : undefined, budget };
  return { ...result, more: () => laterPages(ctx, resume) };
}

async function* laterPages(ctx: ReadContext, state: { leftover: Item[]; lastKey: StartKey; budget: number | undefined }): AsyncGenerator<Table> {
  if (state.leftover.length > 0) yield itemsToTable(state.leftover, ctx.built.leading);
  let { lastKey, budget } = state;
  while (lastKey !== undefined && (budget === undefined || budget > 0)) {
    const page = await fetchPage(ctx, lastKey, limitFor(ctx, ctx.maxRows, budget), AbortSignal.timeout(PAGE_REQUEST_MS));
    lastKey = page.lastKey;
    if (budget !== undefined) budget -= page.scanned;
    // A filtered page can be empty while the read goes on: only pages with items are yielded.
    if (page.items.length > 0) yield itemsToTable(page.items, ctx.built.leading);
  }
}
