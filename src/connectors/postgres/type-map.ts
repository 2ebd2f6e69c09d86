import { parsePgArray, type PgArrayValue } from './pg-array.js';

/**
 * PostgreSQL type OIDs → the Arrow column kinds data-mcp builds, decided once per column from
 * the RowDescription (never from the values), so every page of one result has the same schema.
 * Values arrive as PostgreSQL's text form (the session runs with TimeZone=UTC, DateStyle=ISO,
 * bytea_output=hex) and are converted here:
 *
 * - int2, int4 → int32; int8 → int64 (exact: a BigInt per value; no range is known up front,
 *   so no float64 shortcut); oid → float64 (unsigned 32-bit, exact).
 * - float4, float8 → float64 (NaN becomes null; ±Infinity stays).
 * - numeric(p,s) with p ≤ 15 → float64 (every value with ≤ 15 significant digits round-trips);
 *   unconstrained numeric (also SUM/AVG results) and larger precisions → decimal text, exact.
 *   Cast in SQL (`::float8`) when a number is wanted.
 * - bool → bool; date, timestamp (read as UTC wall time), timestamptz → timestamp (ms, UTC);
 *   BC dates and ±infinity do not fit and become null.
 * - json, jsonb → JSON text; arrays → JSON text (int2/int4/oid/float elements as numbers, bool
 *   as booleans, json as JSON, everything else — int8 and numeric included — as strings, exact);
 *   bytea → base64 text; uuid, text, varchar, char, name, time, interval, enums, anything
 *   else → the text PostgreSQL sends.
 */
export type PgColumnKind = 'int32' | 'int64' | 'float64' | 'bool' | 'timestamp' | 'string';

export const OID = {
  bool: 16, bytea: 17, char: 18, name: 19, int8: 20, int2: 21, int4: 23, text: 25, oid: 26, json: 114,
  float4: 700, float8: 701, bpchar: 1042, varchar: 1043, date: 1082, time: 1083, timestamp: 1114,
  timestamptz: 1184, interval: 1186, timetz: 1266, numeric: 1700, uuid: 2950, jsonb: 3802,
} as const;

/** Array type OID → element type OID, for the built-in element types worth converting. */
const ARRAY_ELEMENT: Record<number, number> = {
  1000: OID.bool, 1001: OID.bytea, 1002: OID.char, 1003: OID.name, 1005: OID.int2, 1007: OID.int4, 1016: OID.int8,
  1009: OID.text, 1014: OID.bpchar, 1015: OID.varchar, 1021: OID.float4, 1022: OID.float8, 1028: OID.oid,
  1231: OID.numeric, 1182: OID.date, 1115: OID.timestamp, 1185: OID.timestamptz, 1183: OID.time,
  1187: OID.interval, 1270: OID.timetz, 2951: OID.uuid, 199: OID.json, 3807: OID.jsonb,
};

/** Largest numeric precision whose values all survive a round trip through float64. */
const FLOAT_SAFE_PRECISION = 15;

export interface PgColumnPlan {
  name: string;
  oid: number;
  kind: PgColumnKind;
  /** For `string` columns: text as sent by PostgreSQL → text shown to the agent. */
  toText: (raw: string) => string;
}

const asIs = (raw: string): string => raw;

/** Precision of a numeric typmod, or undefined when unconstrained. */
export function numericPrecision(typmod: number): number | undefined {
  return typmod >= 4 ? ((typmod - 4) >> 16) & 0xffff : undefined;
}

export function kindOf(oid: number, typmod: number): PgColumnKind {
  switch (oid) {
    case OID.int2:
    case OID.int4:
      return 'int32';
    case OID.int8:
      return 'int64';
    case OID.oid:
    case OID.float4:
    case OID.float8:
      return 'float64';
    case OID.numeric: {
      const precision = numericPrecision(typmod);
      return precision !== undefined && precision <= FLOAT_SAFE_PRECISION ? 'float64' : 'string';
    }
    case OID.bool:
      return 'bool';
    case OID.date:
    case OID.timestamp:
    case OID.timestamptz:
      return 'timestamp';
    default:
      return 'string';
  }
}

export function planColumn(name: string, oid: number, typmod: number): PgColumnPlan {
  const kind = kindOf(oid, typmod);
  const element = ARRAY_ELEMENT[oid];
  const toText = oid === OID.bytea ? byteaToBase64 : element !== undefined ? (raw: string) => arrayToJson(raw, element) : asIs;
  return { name, oid, kind, toText };
}

/** `\x0a0b` (hex output) → base64; anything else (escape output) is passed through. */
export function byteaToBase64(raw: string): string {
  return raw.startsWith('\\x') ? Buffer.from(raw.slice(2), 'hex').toString('base64') : raw;
}

export function arrayToJson(raw: string, elementOid: number): string {
  let parsed: PgArrayValue[];
  try {
    parsed = parsePgArray(raw);
  } catch {
    return raw; // A literal this parser does not know stays as PostgreSQL wrote it.
  }
  const convert = elementConverter(elementOid);
  const walk = (v: PgArrayValue): unknown => (v === null ? null : Array.isArray(v) ? v.map(walk) : convert(v));
  return JSON.stringify(parsed.map(walk));
}

function elementConverter(oid: number): (text: string) => unknown {
  switch (oid) {
    case OID.int2:
    case OID.int4:
    case OID.oid:
    case OID.float4:
    case OID.float8:
      return (t) => {
        const n = Number(t);
        return Number.isFinite(n) ? n : t;
      };
    case OID.bool:
      return (t) => t === 't';
    case OID.json:
    case OID.jsonb:
      return (t) => JSON.parse(t) as unknown;
    case OID.bytea:
      return byteaToBase64;
    default:
      return asIs;
  }
}

const READABLE: Record<number, string> = {
  [OID.bool]: 'bool', [OID.bytea]: 'binary', [OID.char]: 'string', [OID.name]: 'string', [OID.int8]: 'int64',
  [OID.int2]: 'int16', [OID.int4]: 'int32', [OID.text]: 'string', [OID.oid]: 'oid', [OID.json]: 'json',
  [OID.float4]: 'float32', [OID.float8]: 'float64', [OID.bpchar]: 'string', [OID.varchar]: 'string',
  [OID.date]: 'date', [OID.time]: 'time', [OID.timestamp]: 'timestamp', [OID.timestamptz]: 'timestamptz',
  [OID.interval]: 'interval', [OID.timetz]: 'timetz', [OID.uuid]: 'uuid', [OID.jsonb]: 'json',
};

/**
 * The type shown to agents in `describe`: short readable names (`int32`, `decimal(10,2)`,
 * `array<string>`); types without one keep PostgreSQL's own name (`format_type`).
 */
export function readableType(oid: number, typmod: number, pgName: string): string {
  if (oid === OID.numeric) {
    const precision = numericPrecision(typmod);
    // PostgreSQL 15 packs the scale as an 11-bit signed field (negative scales exist).
    const scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
    return precision === undefined ? 'decimal' : `decimal(${precision},${scale})`;
  }
  const element = ARRAY_ELEMENT[oid];
  if (element !== undefined) return `array<${readableType(element, -1, pgName.replace(/\[\]$/, ''))}>`;
  return READABLE[oid] ?? pgName;
}
