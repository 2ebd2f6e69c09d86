import * as arrow from 'apache-arrow';
import { buildFromStrings, dictionaryUtf8, tableFromColumns } from '../../formats/columns.js';
import { newBitmap, setBit } from '../../formats/raw.js';
import { planColumn, type PgColumnPlan } from './type-map.js';

/** What pg reports for each result column (a subset of its FieldDef). */
export interface PgField {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
}

/** One row in pg's `rowMode: 'array'` with every value left as PostgreSQL's text (or null). */
export type TextRow = ReadonlyArray<string | null>;

/**
 * Column plans for a result. Duplicate names (`SELECT 1 AS a, 2 AS a`, several `?column?`) get
 * `_2`, `_3`… suffixes, because everything downstream addresses columns by name.
 */
export function planColumns(fields: readonly PgField[]): PgColumnPlan[] {
  const used = new Set<string>();
  return fields.map((f) => {
    let name = f.name;
    for (let n = 2; used.has(name); n++) name = `${f.name}_${n}`;
    used.add(name);
    return planColumn(name, f.dataTypeID, f.dataTypeModifier);
  });
}

/** Builds one Arrow table (one record batch) from text rows, column by column. */
export function pageToTable(plans: readonly PgColumnPlan[], rows: readonly TextRow[]): arrow.Table {
  const length = rows.length;
  const columns = plans.map((plan, c) => buildColumn(plan, length, (i) => rows[i]![c] ?? null));
  return tableFromColumns(
    plans.map((p) => p.name),
    columns,
    length,
  );
}

function buildColumn(plan: PgColumnPlan, length: number, cell: (i: number) => string | null): arrow.Data {
  switch (plan.kind) {
    case 'int64':
      return int64Column(length, cell);
    case 'bool':
      // PostgreSQL writes booleans as `t`/`f`; the shared builder reads `true`/`false`.
      return buildFromStrings('bool', length, (i) => {
        const v = cell(i);
        return v === null ? null : v === 't' ? 'true' : 'false';
      });
    case 'string':
      return dictionaryUtf8(length, (i) => {
        const v = cell(i);
        return v === null ? undefined : plan.toText(v);
      });
    default:
      // int32, float64 and timestamp text parse exactly as CSV cells do (ISO timestamps, no
      // zone = UTC); values that do not fit (BC dates, infinity) become null.
      return buildFromStrings(plan.kind, length, cell);
  }
}

/** int8 stays exact: BigInt64 slots, one BigInt per value (parsed from text, never via float). */
function int64Column(length: number, cell: (i: number) => string | null): arrow.Data {
  const values = new BigInt64Array(length);
  const validity = newBitmap(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const v = cell(i);
    if (v === null) nulls++;
    else {
      values[i] = BigInt(v);
      setBit(validity, i);
    }
  }
  return arrow.makeData({ type: new arrow.Int64(), length, nullCount: nulls, nullBitmap: nulls ? validity : null, data: values });
}
