import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as arrow from 'apache-arrow';
import { buildFromValues, dictionaryUtf8, int64FromBigInts, tableFromColumns } from '../../formats/columns.js';
import { numberFromText, plainValue } from './attribute-values.js';

export type Item = Record<string, AttributeValue>;

/** How one attribute becomes one Arrow column, decided from the page's values. */
export type ColumnPlan = 'null' | 'int32' | 'int64' | 'float64' | 'bool' | 'text';

const INT_TEXT = /^-?\d+$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Chooses a column's type from the values one page holds. N: int32, then int64 when every
 * value is an integer that fits, float64 when every value is exact as a double, else text
 * (a 38-digit DynamoDB number is never silently rounded). BOOL: bool. NULL or absent: null.
 * S, B (base64), L/M/SS/NS/BS (JSON) and any mix of types: text.
 */
export function planColumn(values: ReadonlyArray<AttributeValue | undefined>): ColumnPlan {
  let seen = false;
  let allBool = true;
  let allNumbers = true;
  let int32 = true;
  let int64 = true;
  let exact = true;
  for (const v of values) {
    if (v === undefined || v.NULL !== undefined) continue;
    seen = true;
    if (v.BOOL === undefined) allBool = false;
    if (v.N === undefined) {
      allNumbers = false;
      if (!allBool) return 'text';
      continue;
    }
    allBool = false;
    if (INT_TEXT.test(v.N)) {
      const big = BigInt(v.N);
      if (big < INT32_MIN || big > INT32_MAX) int32 = false;
      if (big < INT64_MIN || big > INT64_MAX) int64 = false;
    } else {
      int32 = false;
      int64 = false;
    }
    if (typeof numberFromText(v.N) !== 'number') exact = false;
  }
  if (!seen) return 'null';
  if (allBool) return 'bool';
  if (!allNumbers) return 'text';
  if (int32) return 'int32';
  if (int64) return 'int64';
  return exact ? 'float64' : 'text';
}

/** The text form of any attribute value, for text columns. */
export function attributeText(v: AttributeValue | undefined): string | undefined {
  if (v === undefined || v.NULL !== undefined) return undefined;
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return v.N;
  if (v.BOOL !== undefined) return v.BOOL ? 'true' : 'false';
  const plain = plainValue(v);
  return typeof plain === 'string' ? plain : JSON.stringify(plain);
}

function buildColumn(plan: ColumnPlan, length: number, cell: (i: number) => AttributeValue | undefined): arrow.Data {
  switch (plan) {
    case 'null':
      return arrow.makeData({ type: new arrow.Null(), length });
    case 'int32':
    case 'float64':
      return buildFromValues(plan, length, (i) => {
        const n = cell(i)?.N;
        return n === undefined ? undefined : Number(n);
      });
    case 'int64':
      return int64FromBigInts(new arrow.Int64(), length, (i) => {
        const n = cell(i)?.N;
        return n === undefined ? undefined : BigInt(n);
      });
    case 'bool':
      return buildFromValues('bool', length, (i) => cell(i)?.BOOL);
    default:
      return dictionaryUtf8(length, (i) => attributeText(cell(i)));
  }
}

/** Own attributes only: an attribute named `__proto__` or `constructor` is data, not the prototype. */
export const attributeOf = (item: Item, name: string): AttributeValue | undefined => (Object.hasOwn(item, name) ? item[name] : undefined);

/**
 * One page of items → an Arrow table over the union of their attribute names: `leading`
 * names first (key attributes, or the projection in its order) even when no item has them,
 * then every other name in sorted order, so the same items always give the same schema.
 */
export function itemsToTable(items: readonly Item[], leading: readonly string[]): arrow.Table {
  const names = [...new Set(leading)];
  const known = new Set(names);
  const rest = new Set<string>();
  for (const item of items) for (const name of Object.keys(item)) if (!known.has(name)) rest.add(name);
  names.push(...[...rest].sort());
  const length = items.length;
  const columns = names.map((name) => {
    const cell = (i: number): AttributeValue | undefined => attributeOf(items[i]!, name);
    return buildColumn(planColumn(items.map((item) => attributeOf(item, name))), length, cell);
  });
  return tableFromColumns(names, columns, length);
}
