/**
 * BigQuery schema fields → readable type names (describe) and the Arrow column each becomes
 * (query results). The REST API sends every cell as a string, so the mapping is decided from
 * the schema once per result, never inferred from values — every page of a result then has the
 * same Arrow schema.
 */
export interface BigqueryField {
  name?: string | null;
  type?: string | null;
  mode?: string | null;
  fields?: BigqueryField[] | null;
}

/** How a column is built: exact int64, float64, bool, timestamp (ms, UTC), JSON text or text. */
export type ColumnPlan = 'int64' | 'float64' | 'bool' | 'timestamp' | 'date' | 'datetime' | 'json' | 'string';

const ALIASES: Record<string, string> = {
  INTEGER: 'INT64',
  FLOAT: 'FLOAT64',
  BOOLEAN: 'BOOL',
  STRUCT: 'RECORD',
  DECIMAL: 'NUMERIC',
  BIGDECIMAL: 'BIGNUMERIC',
};

/** Legacy names (INTEGER, FLOAT, BOOLEAN, STRUCT) → their GoogleSQL names. */
export function normalizeType(type: string | null | undefined): string {
  const upper = (type ?? 'STRING').toUpperCase();
  return ALIASES[upper] ?? upper;
}

const READABLE: Record<string, string> = {
  INT64: 'int64',
  FLOAT64: 'float',
  NUMERIC: 'decimal',
  BIGNUMERIC: 'decimal',
  BOOL: 'bool',
  STRING: 'string',
  BYTES: 'bytes',
  DATE: 'date',
  DATETIME: 'datetime',
  TIME: 'time',
  TIMESTAMP: 'timestamp',
  JSON: 'json',
  GEOGRAPHY: 'geography',
  INTERVAL: 'interval',
  RANGE: 'range',
};

const isRepeated = (f: BigqueryField) => (f.mode ?? '').toUpperCase() === 'REPEATED';

/** `int64`, `decimal`, `record<a int64, b string>`, `array<string>`, … */
export function readableType(field: BigqueryField): string {
  const type = normalizeType(field.type);
  const inner = type === 'RECORD'
    ? `record<${(field.fields ?? []).map((f) => `${f.name ?? ''} ${readableType(f)}`).join(', ')}>`
    : (READABLE[type] ?? type.toLowerCase());
  return isRepeated(field) ? `array<${inner}>` : inner;
}

/**
 * INT64 stays exact (Arrow int64); NUMERIC/BIGNUMERIC stay decimal text (a float would round
 * them); DATE/DATETIME/TIMESTAMP become timestamps in ms, UTC (DATETIME has no zone and is read
 * as UTC, as CSV timestamps are; sub-millisecond digits are dropped); records and repeated
 * fields become JSON text; everything else (STRING, BYTES as base64, TIME, JSON, GEOGRAPHY as
 * WKT, INTERVAL, RANGE) stays text.
 */
export function columnPlan(field: BigqueryField): ColumnPlan {
  if (isRepeated(field)) return 'json';
  switch (normalizeType(field.type)) {
    case 'INT64':
      return 'int64';
    case 'FLOAT64':
      return 'float64';
    case 'BOOL':
      return 'bool';
    case 'TIMESTAMP':
      return 'timestamp';
    case 'DATE':
      return 'date';
    case 'DATETIME':
      return 'datetime';
    case 'RECORD':
      return 'json';
    default:
      return 'string';
  }
}
