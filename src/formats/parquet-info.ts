/** Parquet footer facts for `describe`: row groups, physical/logical types, codecs. */
import { parquetSchema, type FileMetaData, type SchemaElement, type SchemaTree } from 'hyparquet';
import type { ByteSource } from '../connectors/types.js';
import { openParquet } from './parquet.js';

export interface ParquetInfo {
  rowCount: number;
  rowGroups: { rows: number; bytes: number }[];
  columns: { name: string; physicalType: string; logicalType?: string; compression: string }[];
  createdBy?: string;
}

export async function parquetInfo(source: ByteSource): Promise<ParquetInfo> {
  const { metadata } = await openParquet(source);
  return parquetInfoOf(metadata);
}

export function parquetInfoOf(metadata: FileMetaData): ParquetInfo {
  const leaves = leavesOf(parquetSchema(metadata));
  const firstGroup = metadata.row_groups[0];
  return {
    rowCount: Number(metadata.num_rows),
    rowGroups: metadata.row_groups.map((group) => ({
      rows: Number(group.num_rows),
      bytes: Number(group.total_compressed_size ?? group.columns.reduce((sum, c) => sum + (c.meta_data?.total_compressed_size ?? 0n), 0n)),
    })),
    columns: leaves.map(({ path, element }) => {
      const chunk = firstGroup?.columns.find((c) => c.meta_data?.path_in_schema.join('.') === path);
      const logicalType = logicalTypeOf(element);
      return {
        name: path,
        physicalType: element.type ?? 'GROUP',
        ...(logicalType ? { logicalType } : {}),
        compression: chunk?.meta_data?.codec ?? 'UNKNOWN',
      };
    }),
    ...(metadata.created_by ? { createdBy: metadata.created_by } : {}),
  };
}

function leavesOf(tree: SchemaTree): { path: string; element: SchemaElement }[] {
  if (tree.children.length === 0) return [{ path: tree.path.join('.'), element: tree.element }];
  return tree.children.flatMap(leavesOf);
}

function logicalTypeOf(element: SchemaElement): string | undefined {
  const logical = element.logical_type;
  if (!logical) return element.converted_type;
  switch (logical.type) {
    case 'TIMESTAMP':
    case 'TIME':
      return `${logical.type}(${logical.unit}, ${logical.isAdjustedToUTC ? 'UTC' : 'local'})`;
    case 'DECIMAL':
      return `DECIMAL(${logical.precision}, ${logical.scale})`;
    case 'INTEGER':
      return `INTEGER(${logical.bitWidth}, ${logical.isSigned ? 'signed' : 'unsigned'})`;
    default:
      return logical.type;
  }
}
