/**
 * Table → Arrow IPC file format. The file format cannot replace a dictionary between record
 * batches, and our readers build one dictionary per batch, so a multi-batch table has its
 * dictionary columns decoded to plain UTF-8 first (values are unchanged).
 */
import * as arrow from 'apache-arrow';

function withoutDictionaries(table: arrow.Table): arrow.Table {
  const fields = table.schema.fields;
  if (table.batches.length <= 1 || !fields.some((f) => arrow.DataType.isDictionary(f.type))) return table;
  const columns: Record<string, arrow.Vector> = {};
  fields.forEach((field, j) => {
    const vector = table.getChildAt(j)!;
    columns[field.name] = arrow.DataType.isDictionary(field.type) ? arrow.vectorFromArray([...vector] as (string | null)[], new arrow.Utf8()) : vector;
  });
  return new arrow.Table(columns);
}

export function arrowFileBytes(table: arrow.Table): Uint8Array {
  return arrow.tableToIPC(withoutDictionaries(table), 'file');
}
