import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { invalidArgument } from '../../results/errors.js';
import type { DynamoRequest } from '../types.js';
import { keyAttributeValue, nullProto } from './attribute-values.js';
import type { Placeholders } from './placeholders.js';
import type { KeySchema, TableShape } from './table-shape.js';

type SortCondition = NonNullable<DynamoRequest['sort']>;

const COMPARATORS: Partial<Record<SortCondition['op'], string>> = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' };

const keyNames = (keys: KeySchema): string => (keys.sort !== undefined ? `"${keys.partition}" (partition) and "${keys.sort}" (sort)` : `"${keys.partition}" (partition)`);

/** The key schema a request runs against: the table's, or its index's (NOT_FOUND-like refusal when absent). */
export function keysFor(shape: TableShape, index: string | undefined): KeySchema {
  if (index === undefined) return shape.keys;
  const found = shape.indexes.get(index);
  if (!found) {
    const names = [...shape.indexes.keys()];
    throw invalidArgument(`table "${shape.table}" has no index "${index}"`, names.length > 0 ? `Its indexes are: ${names.join(', ')}.` : 'It has no secondary indexes; query the table itself.');
  }
  return found.keys;
}

/**
 * `#pk = :v` (and the sort condition) for a Query. With a known shape the names must be the
 * table's (or index's) key attributes and the values their declared types.
 */
export function keyCondition(request: DynamoRequest, shape: TableShape | undefined, placeholders: Placeholders): string {
  const { partition, sort } = request;
  if (!partition) throw invalidArgument('a query needs "partition": the partition key name and value', 'Give {"partition": {"name": "<key>", "value": ...}}; describe the table for its key names.');
  const keys = shape ? keysFor(shape, request.index) : undefined;
  if (keys && partition.name !== keys.partition) {
    throw invalidArgument(`"${partition.name}" is not the partition key of ${request.index ? `index "${request.index}"` : `table "${request.table}"`}`, `The key attributes are ${keyNames(keys)}.`);
  }
  const typeOf = (name: string) => shape?.attributeTypes.get(name);
  const parts = [`${placeholders.name(partition.name)} = ${placeholders.value(keyAttributeValue(partition.value, partition.name, typeOf(partition.name)))}`];
  if (sort) {
    if (keys && sort.name !== keys.sort) {
      throw invalidArgument(
        keys.sort === undefined ? `${request.index ? `index "${request.index}"` : `table "${request.table}"`} has no sort key` : `"${sort.name}" is not the sort key`,
        `The key attributes are ${keyNames(keys)}.`,
      );
    }
    parts.push(sortCondition(sort, typeOf(sort.name), placeholders));
  }
  return parts.join(' AND ');
}

function sortCondition(sort: SortCondition, type: ReturnType<TableShape['attributeTypes']['get']>, placeholders: Placeholders): string {
  const name = placeholders.name(sort.name);
  const value = (v: unknown) => placeholders.value(keyAttributeValue(v, sort.name, type));
  const comparator = COMPARATORS[sort.op];
  if (comparator) return `${name} ${comparator} ${value(sort.value)}`;
  if (sort.op === 'between') {
    if (sort.value2 === undefined) throw invalidArgument('a "between" sort condition needs "value2" (the upper bound)', 'Give value (low) and value2 (high); both bounds are inclusive.');
    return `${name} BETWEEN ${value(sort.value)} AND ${value(sort.value2)}`;
  }
  if (sort.op === 'begins_with') {
    if (type === 'N' || typeof sort.value !== 'string') throw invalidArgument('"begins_with" applies to string (or binary) sort keys, with a string prefix', 'Use lt/gt/between for number sort keys.');
    return `begins_with(${name}, ${value(sort.value)})`;
  }
  throw invalidArgument(`unknown sort operator "${String(sort.op)}"`, 'Use eq, lt, lte, gt, gte, between or begins_with.');
}

/**
 * GetItem's Key: exactly the table's key attributes, each as its declared type. Without a
 * known shape the key goes out as given and DynamoDB checks it.
 */
export function itemKey(request: DynamoRequest, shape: TableShape | undefined): Record<string, AttributeValue> {
  const key = request.key;
  if (!key || Object.keys(key).length === 0) throw invalidArgument('a get needs "key": the full primary key', 'Give {"key": {"<partition key>": ..., "<sort key>": ...}}; describe the table for its key names.');
  const given = Object.keys(key).sort();
  if (shape) {
    const wanted = [shape.keys.partition, ...(shape.keys.sort !== undefined ? [shape.keys.sort] : [])];
    if (given.length !== wanted.length || !wanted.every((n) => Object.hasOwn(key, n))) {
      throw invalidArgument(`the key must be exactly the key attributes of table "${request.table}": ${keyNames(shape.keys)}; got ${given.map((n) => JSON.stringify(n)).join(', ')}`, 'Give every key attribute and nothing else; filter and projection refine what comes back.');
    }
  }
  const out = nullProto<AttributeValue>();
  for (const name of given) out[name] = keyAttributeValue(key[name], name, shape?.attributeTypes.get(name));
  return out;
}
