import type { TableDescription as SdkTableDescription } from '@aws-sdk/client-dynamodb';
import type { TableDescription } from '../types.js';

export type ScalarType = 'S' | 'N' | 'B';

export interface KeySchema {
  partition: string;
  sort?: string;
}

export interface IndexShape {
  kind: 'global' | 'local';
  keys: KeySchema;
  /** ALL | KEYS_ONLY | INCLUDE */
  projection: string;
}

/** What requests are validated against: the table's keys, attribute types and indexes. */
export interface TableShape {
  table: string;
  keys: KeySchema;
  attributeTypes: ReadonlyMap<string, ScalarType>;
  indexes: ReadonlyMap<string, IndexShape>;
  /** DynamoDB's item count, refreshed upstream about every six hours: an estimate. */
  itemCount?: number;
}

function keySchemaOf(elements: ReadonlyArray<{ AttributeName?: string | undefined; KeyType?: string | undefined }> | undefined): KeySchema {
  const partition = elements?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  const sort = elements?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return sort !== undefined ? { partition, sort } : { partition };
}

export function tableShapeOf(table: string, description: SdkTableDescription): TableShape {
  const attributeTypes = new Map<string, ScalarType>();
  for (const a of description.AttributeDefinitions ?? []) {
    if (a.AttributeName && (a.AttributeType === 'S' || a.AttributeType === 'N' || a.AttributeType === 'B')) attributeTypes.set(a.AttributeName, a.AttributeType);
  }
  const indexes = new Map<string, IndexShape>();
  for (const [kind, list] of [['global', description.GlobalSecondaryIndexes], ['local', description.LocalSecondaryIndexes]] as const) {
    for (const index of list ?? []) {
      if (index.IndexName) indexes.set(index.IndexName, { kind, keys: keySchemaOf(index.KeySchema), projection: index.Projection?.ProjectionType ?? 'ALL' });
    }
  }
  return {
    table,
    keys: keySchemaOf(description.KeySchema),
    attributeTypes,
    indexes,
    ...(typeof description.ItemCount === 'number' ? { itemCount: description.ItemCount } : {}),
  };
}

const READABLE: Record<ScalarType, string> = { S: 'string', N: 'decimal', B: 'binary' };

const keyList = (keys: KeySchema): string => (keys.sort !== undefined ? `${keys.partition}, ${keys.sort}` : keys.partition);

/** The agent-facing description: declared (key) attributes first, indexes named in the comment. */
export function describeShape(path: string, shape: TableShape): TableDescription {
  const tableKeys = [shape.keys.partition, ...(shape.keys.sort !== undefined ? [shape.keys.sort] : [])];
  const others = [...shape.attributeTypes.keys()].filter((n) => !tableKeys.includes(n)).sort();
  const columns = [...tableKeys, ...others].map((name) => ({
    name,
    type: READABLE[shape.attributeTypes.get(name) ?? 'S'],
    // Index keys may be absent from an item (sparse indexes); table keys never are.
    nullable: !tableKeys.includes(name),
  }));
  const indexNotes = [...shape.indexes].map(([name, ix]) => `${ix.kind} secondary index "${name}" (keys: ${keyList(ix.keys)}; projection ${ix.projection})`);
  const comment = [
    'Schemaless table: only key attributes are declared; items may carry any other attributes.',
    ...(indexNotes.length > 0 ? [`Indexes: ${indexNotes.join('; ')}.`] : ['No secondary indexes.']),
    'Row count is DynamoDB\'s estimate, refreshed about every six hours.',
  ].join(' ');
  return {
    path,
    columns,
    ...(shape.itemCount !== undefined ? { rowCount: shape.itemCount } : {}),
    rowCountExact: false,
    keys: [{ name: shape.keys.partition, role: 'partition' }, ...(shape.keys.sort !== undefined ? [{ name: shape.keys.sort, role: 'sort' as const }] : [])],
    comment,
  };
}
