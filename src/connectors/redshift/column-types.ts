/**
 * Redshift type names (ColumnMetadata.typeName, DescribeTable's ColumnList) → how a column is
 * built in Arrow and the readable type shown to agents. Upstream types are known, so nothing
 * is inferred from values.
 */

/** How cells of a column become Arrow: the shared builders' kinds plus an exact int64. */
export type RedshiftColumnKind = 'int32' | 'int64' | 'float64' | 'bool' | 'timestamp' | 'string';

export interface RedshiftColumnType {
  kind: RedshiftColumnKind;
  /** Readable type for `describe` and result schemas: int, int64, float, decimal, string, ... */
  readable: string;
}

/** Decimals up to 15 digits survive a float64 round trip; wider ones stay exact as text. */
const MAX_FLOAT_SAFE_PRECISION = 15;

const SIMPLE: Record<string, RedshiftColumnType> = {
  int2: { kind: 'int32', readable: 'int' },
  int4: { kind: 'int32', readable: 'int' },
  smallint: { kind: 'int32', readable: 'int' },
  integer: { kind: 'int32', readable: 'int' },
  int8: { kind: 'int64', readable: 'int64' },
  bigint: { kind: 'int64', readable: 'int64' },
  float4: { kind: 'float64', readable: 'float' },
  float8: { kind: 'float64', readable: 'float' },
  real: { kind: 'float64', readable: 'float' },
  'double precision': { kind: 'float64', readable: 'float' },
  bool: { kind: 'bool', readable: 'bool' },
  boolean: { kind: 'bool', readable: 'bool' },
  varchar: { kind: 'string', readable: 'string' },
  'character varying': { kind: 'string', readable: 'string' },
  bpchar: { kind: 'string', readable: 'string' },
  char: { kind: 'string', readable: 'string' },
  character: { kind: 'string', readable: 'string' },
  text: { kind: 'string', readable: 'string' },
  name: { kind: 'string', readable: 'string' },
  // Dates become midnight-UTC timestamps in Arrow; describe still says "date".
  date: { kind: 'timestamp', readable: 'date' },
  timestamp: { kind: 'timestamp', readable: 'timestamp' },
  'timestamp without time zone': { kind: 'timestamp', readable: 'timestamp' },
  timestamptz: { kind: 'timestamp', readable: 'timestamp' },
  'timestamp with time zone': { kind: 'timestamp', readable: 'timestamp' },
  super: { kind: 'string', readable: 'json' },
  time: { kind: 'string', readable: 'time' },
  timetz: { kind: 'string', readable: 'time' },
  varbyte: { kind: 'string', readable: 'bytes' },
  geometry: { kind: 'string', readable: 'geometry' },
  geography: { kind: 'string', readable: 'geography' },
  hllsketch: { kind: 'string', readable: 'string' },
};

/**
 * The column type for an upstream type name. `precision` (from ColumnMetadata) decides
 * whether a numeric fits a float64; unknown or wide decimals stay strings so no digit is lost.
 */
export function redshiftColumnType(typeName: string | undefined, precision?: number): RedshiftColumnType {
  const name = normalizeTypeName(typeName);
  if (name === 'numeric' || name === 'decimal') {
    const fitsFloat = precision !== undefined && precision > 0 && precision <= MAX_FLOAT_SAFE_PRECISION;
    return { kind: fitsFloat ? 'float64' : 'string', readable: 'decimal' };
  }
  return SIMPLE[name] ?? { kind: 'string', readable: name === '' ? 'string' : name };
}

/** `"character varying(256)"` → `"character varying"`; `"_int4"` arrays and the like stay as they are. */
export function normalizeTypeName(typeName: string | undefined): string {
  return (typeName ?? '').trim().toLowerCase().replace(/\s*\(.*\)$/, '');
}
