import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { invalidArgument } from '../../results/errors.js';
import type { ScalarType } from './table-shape.js';

/** DynamoDB nests documents at most 32 levels deep; deeper input is refused before a request. */
const MAX_DEPTH = 32;
/** DynamoDB's N: up to 38 significant digits, optional fraction and exponent. */
const NUMBER_TEXT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A record without a prototype: an attribute named `__proto__` stays an ordinary key. */
export const nullProto = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/**
 * A JS value as a DynamoDB AttributeValue: strings S, finite numbers and bigints N, booleans
 * BOOL, null NULL, bytes B, Dates S (ISO-8601), arrays L, plain objects M (undefined fields
 * dropped). Anything else (NaN, functions, class instances) is refused by name.
 */
export function toAttributeValue(value: unknown, where: string, depth = 0): AttributeValue {
  if (depth > MAX_DEPTH) throw invalidArgument(`${where} is nested deeper than ${MAX_DEPTH} levels`, 'DynamoDB documents nest at most 32 levels; flatten the value.');
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'bigint':
      return { N: value.toString() };
    case 'number':
      if (!Number.isFinite(value)) throw invalidArgument(`${where} is ${String(value)}, which DynamoDB cannot store`, 'Give a finite number, or null.');
      return { N: String(value) };
    case 'object': {
      if (value instanceof Uint8Array) return { B: value };
      if (value instanceof Date) return { S: value.toISOString() };
      if (Array.isArray(value)) return { L: value.map((v: unknown, i) => toAttributeValue(v, `${where}[${i}]`, depth + 1)) };
      if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
        const map = nullProto<AttributeValue>();
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) map[k] = toAttributeValue(v, `${where}.${k}`, depth + 1);
        return { M: map };
      }
      break;
    }
    default:
      break;
  }
  throw invalidArgument(`${where} has a value DynamoDB cannot store (${typeof value})`, 'Use strings, numbers, booleans, null, lists and plain objects.');
}

/**
 * A key value as the key attribute's declared type. N keys also take numeric strings, so
 * integers beyond 2^53 stay exact; B keys take base64 text. Booleans and null are never keys.
 */
export function keyAttributeValue(value: unknown, name: string, type: ScalarType | undefined): AttributeValue {
  const wrong = (expected: string): never => {
    throw invalidArgument(`key attribute "${name}" must be ${expected}, got ${value === null ? 'null' : typeof value}`, 'Describe the table to see the type of each key attribute.');
  };
  switch (type) {
    case 'N':
      if (typeof value === 'number') return Number.isFinite(value) ? { N: String(value) } : wrong('a finite number');
      if (typeof value === 'string' && NUMBER_TEXT.test(value)) return { N: value };
      return wrong('a number');
    case 'B':
      return typeof value === 'string' ? { B: Buffer.from(value, 'base64') } : value instanceof Uint8Array ? { B: value } : wrong('base64 text');
    case 'S':
      return typeof value === 'string' ? { S: value } : wrong('a string');
    default:
      if (typeof value === 'string') return { S: value };
      if (typeof value === 'number' && Number.isFinite(value)) return { N: String(value) };
      return wrong('a string or a number');
  }
}

/** The scalar type of a key value as sent, to check items against the table's declarations. */
export function scalarTypeOf(value: AttributeValue): ScalarType | undefined {
  if (value.S !== undefined) return 'S';
  if (value.N !== undefined) return 'N';
  if (value.B !== undefined) return 'B';
  return undefined;
}

/** An N's text as a JS number when that is exact, else the text itself (never a silent rounding). */
export function numberFromText(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (/^-?\d+$/.test(text)) return Number.isSafeInteger(n) ? n : text;
  return significantDigits(text) <= 15 ? n : text;
}

/** Significant digits of a decimal literal (a float64 holds 15 of them exactly). */
export function significantDigits(text: string): number {
  const mantissa = text.replace(/^-/, '').split(/[eE]/)[0]!.replace('.', '').replace(/^0+/, '');
  return mantissa.replace(/0+$/, '').length || 1;
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** A plain JS value (for JSON text) of an AttributeValue: sets become arrays, bytes base64. */
export function plainValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return numberFromText(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return base64(value.B);
  if (value.L !== undefined) return value.L.map(plainValue);
  if (value.M !== undefined) {
    const out = nullProto<unknown>();
    for (const [k, v] of Object.entries(value.M)) out[k] = plainValue(v);
    return out;
  }
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(numberFromText);
  if (value.BS !== undefined) return value.BS.map(base64);
  return null;
}
