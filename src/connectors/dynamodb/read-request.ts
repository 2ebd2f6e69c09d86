import type { GetItemCommandInput, QueryCommandInput, ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { invalidArgument } from '../../results/errors.js';
import type { DynamoRequest } from '../types.js';
import { filterExpression } from './filter-expression.js';
import { itemKey, keyCondition, keysFor } from './key-condition.js';
import { checkIndexName } from './paths.js';
import { Placeholders, projectionExpression } from './placeholders.js';
import type { KeySchema, TableShape } from './table-shape.js';

/** One read as the SDK input it becomes (paging fields are added per request). */
export type BuiltRead =
  | { operation: 'GetItem'; input: GetItemCommandInput; leading: string[] }
  | { operation: 'Query'; input: QueryCommandInput; leading: string[] }
  | { operation: 'Scan'; input: ScanCommandInput; leading: string[] };

/** Fields each operation refuses: silently ignoring them would return something else than asked. */
const NOT_FOR: Record<DynamoRequest['operation'], ReadonlyArray<keyof DynamoRequest>> = {
  get: ['partition', 'sort', 'filter', 'index'],
  query: ['key'],
  scan: ['key', 'partition', 'sort'],
};

const keyColumns = (keys: KeySchema | undefined): string[] => (keys ? [keys.partition, ...(keys.sort !== undefined ? [keys.sort] : [])] : []);

/**
 * The SDK input for a structured request. Every name and value goes through placeholders
 * (see Placeholders); with a known table shape the key attributes, their types and the index
 * are checked first so the model gets an answer naming the right attributes.
 */
export function buildRead(request: DynamoRequest, table: string, shape: TableShape | undefined): BuiltRead {
  const operation = request.operation;
  if (!(operation in NOT_FOR)) throw invalidArgument(`unknown DynamoDB operation "${String(operation)}"`, 'Use get, query or scan.');
  for (const field of NOT_FOR[operation]) {
    if (request[field] !== undefined) throw invalidArgument(`"${field}" does not apply to a ${operation}`, hintFor(operation));
  }
  const index = request.index !== undefined ? checkIndexName(request.index) : undefined;
  if (shape && index !== undefined && request.consistentRead && shape.indexes.get(index)?.kind === 'global') {
    throw invalidArgument(`global secondary index "${index}" does not support consistent reads`, 'Drop consistent_read, or query the table or a local index.');
  }
  const p = new Placeholders();
  const projection = request.projection && request.projection.length > 0 ? projectionExpression(request.projection, p) : undefined;
  const common = {
    TableName: table,
    ...(projection !== undefined ? { ProjectionExpression: projection } : {}),
    ...(request.consistentRead !== undefined ? { ConsistentRead: request.consistentRead } : {}),
    ReturnConsumedCapacity: 'TOTAL' as const,
  };
  const tableKeys = shape ? keyColumns(shape.keys) : undefined;
  const indexKeys = shape && index !== undefined ? keyColumns(keysFor(shape, index)) : [];
  const leadingFor = (fallback: string[]) => (request.projection && request.projection.length > 0 ? request.projection : [...(tableKeys ?? fallback), ...indexKeys]);

  if (operation === 'get') {
    const Key = itemKey(request, shape);
    return { operation: 'GetItem', input: { ...common, Key, ...p.requestFields() }, leading: leadingFor(Object.keys(Key)) };
  }
  const indexField = index !== undefined ? { IndexName: index } : {};
  if (operation === 'query') {
    const KeyConditionExpression = keyCondition(request, shape, p);
    const filter = request.filter !== undefined ? { FilterExpression: filterExpression(request.filter, p) } : {};
    const fallback = [request.partition?.name ?? '', ...(request.sort ? [request.sort.name] : [])];
    return { operation: 'Query', input: { ...common, ...indexField, KeyConditionExpression, ...filter, ...p.requestFields() }, leading: leadingFor(fallback) };
  }
  const filter = request.filter !== undefined ? { FilterExpression: filterExpression(request.filter, p) } : {};
  return { operation: 'Scan', input: { ...common, ...indexField, ...filter, ...p.requestFields() }, leading: leadingFor([]) };
}

function hintFor(operation: DynamoRequest['operation']): string {
  switch (operation) {
    case 'get':
      return 'A get takes "key" (the full primary key) and optionally projection and consistent_read.';
    case 'query':
      return 'A query takes "partition" (+ "sort"), and optionally index, filter, projection and consistent_read.';
    default:
      return 'A scan takes optionally index, filter, projection and consistent_read.';
  }
}
