/**
 * PostgreSQL values (as text) → Redshift Data API records and column metadata, the way the
 * real service shapes them: integers as `longValue`, floats as `doubleValue`, booleans as
 * `booleanValue`, NULL as `isNull`, everything else (numeric, dates, text, SUPER) as
 * `stringValue`. PostgreSQL's json/jsonb stand in for Redshift's SUPER.
 */
export type DataApiRecordField = { isNull: true } | { longValue: number } | { doubleValue: number } | { booleanValue: boolean } | { stringValue: string };

const LONG = new Set(['int2', 'int4', 'int8', 'oid']);
const DOUBLE = new Set(['float4', 'float8']);

/** Redshift's name for a PostgreSQL type. */
export function redshiftTypeName(pgTypeName: string): string {
  return pgTypeName === 'json' || pgTypeName === 'jsonb' ? 'super' : pgTypeName;
}

export function toField(typeName: string, text: string | null): DataApiRecordField {
  if (text === null) return { isNull: true };
  if (LONG.has(typeName)) return { longValue: Number(text) };
  if (DOUBLE.has(typeName)) {
    const v = Number(text);
    return Number.isFinite(v) ? { doubleValue: v } : { stringValue: text };
  }
  if (typeName === 'bool') return { booleanValue: text === 't' || text === 'true' };
  return { stringValue: text };
}

/** Precision/scale/length from a PostgreSQL type modifier (numeric: ((p << 16) | s) + 4; varchar: n + 4). */
export function typmodFacts(typeName: string, typmod: number): { precision?: number; scale?: number; length?: number } {
  if (typmod < 0) return {};
  if (typeName === 'numeric') return { precision: ((typmod - 4) >> 16) & 0xffff, scale: (typmod - 4) & 0xffff };
  if (typeName === 'varchar' || typeName === 'bpchar') return { length: typmod - 4 };
  return {};
}
