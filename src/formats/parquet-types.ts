/**
 * Parquet column → Arrow type, decided once per file from the schema (and INT64 statistics),
 * so every row group of a file yields the same Arrow schema.
 *
 * - INT64 without a logical type becomes float64 when the statistics of every row group prove
 *   |v| ≤ 2^53 (exact as a JS number, friendlier for agents); otherwise it stays int64 (BigInt
 *   values) so no precision is lost.
 * - DATE, TIMESTAMP (any unit) and INT96 → timestamp[ms, UTC]; DECIMAL and FLOAT16 → float64;
 *   unsigned 32-bit → float64; strings, enums, UUIDs and plain byte arrays → dictionary text;
 *   nested columns (structs, lists, maps) and JSON → JSON text.
 */
import type { FileMetaData, SchemaTree } from 'hyparquet';
import type { ColumnKind } from './infer.js';

export type ParquetKind = ColumnKind | 'int64';

export interface ParquetColumn {
  name: string;
  kind: ParquetKind;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function parquetColumns(schema: SchemaTree, metadata: FileMetaData): ParquetColumn[] {
  return schema.children.map((child) => ({ name: child.element.name, kind: kindOf(child, metadata) }));
}

function kindOf(node: SchemaTree, metadata: FileMetaData): ParquetKind {
  if (node.children.length > 0) return 'string';
  const { type, converted_type: converted, logical_type: logical } = node.element;
  if (converted === 'DECIMAL' || logical?.type === 'DECIMAL' || logical?.type === 'FLOAT16') return 'float64';
  if (converted === 'DATE' || logical?.type === 'DATE' || logical?.type === 'TIMESTAMP') return 'timestamp';
  if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || type === 'INT96') return 'timestamp';
  const unsigned = converted?.startsWith('UINT_') || (logical?.type === 'INTEGER' && !logical.isSigned);
  switch (type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
      return unsigned && (converted === 'UINT_32' || (logical?.type === 'INTEGER' && logical.bitWidth === 32)) ? 'float64' : 'int32';
    case 'INT64':
      return int64FitsNumber(node.element.name, metadata) ? 'float64' : 'int64';
    case 'FLOAT':
    case 'DOUBLE':
      return 'float64';
    default:
      return 'string';
  }
}

function int64FitsNumber(name: string, metadata: FileMetaData): boolean {
  if (metadata.row_groups.length === 0) return true;
  return metadata.row_groups.every((group) => {
    const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
    const stats = chunk?.meta_data?.statistics;
    const min = stats?.min_value ?? stats?.min;
    const max = stats?.max_value ?? stats?.max;
    if (Number(group.num_rows) === 0) return true;
    if (stats && stats.null_count !== undefined && stats.null_count === group.num_rows) return true;
    return typeof min === 'bigint' && typeof max === 'bigint' && min >= -SAFE && max <= SAFE;
  });
}
