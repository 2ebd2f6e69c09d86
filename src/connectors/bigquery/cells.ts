import type { BigqueryField } from './field-types.js';
import { normalizeType } from './field-types.js';

/**
 * Decoding of BigQuery REST cell values (always strings on the wire). Pure functions, unit
 * tested: the connector's correctness rests on them.
 */

/** A wire value: a string, null, a nested record `{f: [{v}]}` or a repeated list `[{v}]`. */
export type WireValue = string | null | undefined | { f?: Array<{ v?: WireValue }> } | Array<{ v?: WireValue }>;

const INT_TEXT = /^-?\d+$/;

/**
 * TIMESTAMP → ms since the epoch. With `formatOptions.useInt64Timestamp` (the SDK's default in
 * v8) the value is int64 microseconds; older servers send float seconds ("1.7E9"). Microseconds
 * are floored, so instants before 1970 round down like every other timestamp.
 */
export function timestampMillis(text: string): number | undefined {
  if (INT_TEXT.test(text)) {
    const micros = BigInt(text);
    let millis = micros / 1000n;
    if (micros < 0n && micros % 1000n !== 0n) millis -= 1n;
    return Number(millis);
  }
  const seconds = Number(text);
  return Number.isFinite(seconds) ? Math.floor(seconds * 1000) : undefined;
}

const CIVIL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?$/;

/**
 * DATE ("2024-02-29") and DATETIME ("2024-02-29T13:45:00.123456") → ms, read as UTC. Written
 * here rather than with Date.parse because Date.UTC maps years 0–99 to 1900–1999 and BigQuery
 * dates start at 0001-01-01.
 */
export function civilMillis(text: string): number | undefined {
  const m = CIVIL.exec(text);
  if (!m) return undefined;
  const date = new Date(Date.UTC(2000, +m[2]! - 1, +m[3]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, m[7] ? Math.floor(+`0.${m[7]}` * 1000) : 0));
  date.setUTCFullYear(+m[1]!);
  if (date.getUTCMonth() !== +m[2]! - 1 || date.getUTCDate() !== +m[3]!) return undefined;
  return date.getTime();
}

/** Whole wire value as a plain JS value, for JSON text of records and arrays. */
export function plainValue(value: WireValue, field: BigqueryField): unknown {
  if (value === null || value === undefined) return null;
  if ((field.mode ?? '').toUpperCase() === 'REPEATED') {
    const items = Array.isArray(value) ? value : [];
    const itemField = { ...field, mode: 'NULLABLE' };
    return items.map((item) => plainValue(item.v, itemField));
  }
  const type = normalizeType(field.type);
  if (type === 'RECORD') {
    const cells = !Array.isArray(value) && typeof value === 'object' ? (value.f ?? []) : [];
    const out: Record<string, unknown> = {};
    (field.fields ?? []).forEach((sub, i) => {
      out[sub.name ?? `f${i}`] = plainValue(cells[i]?.v, sub);
    });
    return out;
  }
  if (typeof value !== 'string') return null;
  return scalarValue(value, type);
}

function scalarValue(text: string, type: string): unknown {
  switch (type) {
    case 'INT64': {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'FLOAT64': {
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case 'BOOL':
      return text === 'true';
    case 'TIMESTAMP': {
      const ms = timestampMillis(text);
      return ms === undefined ? text : new Date(ms).toISOString();
    }
    case 'JSON':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}
