/**
 * Row-group pruning (DESIGN §9): from the footer's column-chunk statistics, decide per row
 * group whether it *may* hold a row the filter keeps; the others are never fetched.
 *
 * The rule is "skip only when provably empty": anything unknown — no statistics, a type whose
 * statistics order differs from the filter's comparison (unsigned ints, decimals, INT96,
 * fixed-length bytes, non-UTF-8 byte arrays), an op the statistics cannot answer (`contains`,
 * `ends_with`), or `not` — keeps the group. Nulls follow the filter's three-valued logic: a
 * comparison with null is never true, so a group whose column is all null matches nothing but
 * `is_null`.
 */
import type { ColumnChunk, FileMetaData, RowGroup, SchemaElement, Statistics } from 'hyparquet';
import { parseIsoMillis } from './infer.js';
import type { Filter, FilterLeaf, FilterScalar } from '../engine/filter-schema.js';

type Domain = 'number' | 'float' | 'timestamp' | 'string' | 'bool';
type Bound = number | string;
type MinMaxType = NonNullable<Statistics['min_value']>;

interface ColumnStats {
  domain: Domain;
  rows: number;
  nulls: number | undefined;
  min: Bound | undefined;
  max: Bound | undefined;
}

/** One flag per row group of `metadata`: false only when the group provably has no match. */
export function rowGroupsToRead(filter: Filter | undefined, metadata: FileMetaData): boolean[] {
  if (!filter) return metadata.row_groups.map(() => true);
  const domains = columnDomains(metadata);
  return metadata.row_groups.map((group) => mayMatch(filter, group, domains));
}

function mayMatch(node: Filter, group: RowGroup, domains: Map<string, Domain>): boolean {
  if ('and' in node) return node.and.every((child) => mayMatch(child, group, domains));
  if ('or' in node) return node.or.some((child) => mayMatch(child, group, domains));
  if ('not' in node) return true;
  const domain = domains.get(node.column);
  if (!domain) return true;
  const stats = statsOf(group, node.column, domain);
  return stats ? leafMayMatch(node, stats) : true;
}

function leafMayMatch(leaf: FilterLeaf, stats: ColumnStats): boolean {
  const { nulls, rows } = stats;
  // The reader may turn NaN into null, and null_count never counts NaN: floats keep is_null.
  if (leaf.op === 'is_null') return nulls === undefined || nulls > 0 || stats.domain === 'float';
  if (leaf.op === 'is_not_null') return nulls === undefined || nulls < rows;
  if (nulls !== undefined && nulls >= rows) return false;
  const { min, max } = stats;
  const values = literalsOf(leaf, stats.domain);
  if (min === undefined || max === undefined || values === undefined || min > max) return true;
  if (stats.domain === 'string' && ![min, max, ...values].every(isBmpBelowSurrogates)) return true;
  const [a, b] = values as [Bound, Bound];
  // NaN sits outside min/max in Parquet statistics and is "not equal" to everything.
  const nanUnbounded = stats.domain === 'float';
  switch (leaf.op) {
    case 'eq':
      return min <= a && a <= max;
    case 'ne':
      return nanUnbounded || !(min === a && max === a);
    case 'lt':
      return min < a;
    case 'lte':
      return min <= a;
    case 'gt':
      return max > a;
    case 'gte':
      return max >= a;
    case 'between':
      return max >= a && min <= b;
    case 'in':
      return values.some((v) => min <= v && v <= max);
    case 'not_in':
      return nanUnbounded || !(min === max && values.includes(min));
    case 'starts_with':
      return typeof a === 'string' && typeof min === 'string' && typeof max === 'string' ? prefixMayMatch(a, min, max) : true;
    default:
      return true;
  }
}

/**
 * Some string in [min, max] starts with `prefix` unless max < prefix (every such string is
 * ≥ prefix) or min is past every string with that prefix (min > prefix without having it).
 */
function prefixMayMatch(prefix: string, min: string, max: string): boolean {
  if (max < prefix) return false;
  return !(min > prefix && !min.startsWith(prefix));
}

/**
 * Parquet orders strings by UTF-8 bytes, the filter by UTF-16 code units; the two agree as
 * long as the bounds and literals have no code unit ≥ U+D800 (surrogates and U+E000–U+FFFF
 * are where they part). Anything else keeps the group.
 */
function isBmpBelowSurrogates(value: Bound): boolean {
  return typeof value === 'string' && !/[\uD800-\uFFFF]/.test(value);
}

/** The leaf's literals in the statistics' domain, or undefined when they do not fit it. */
function literalsOf(leaf: FilterLeaf, domain: Domain): Bound[] | undefined {
  if (leaf.value === undefined) return undefined;
  const raw: FilterScalar[] = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
  if (raw.length === 0 || (leaf.op === 'between' && raw.length !== 2)) return undefined;
  const out: Bound[] = [];
  for (const v of raw) {
    const converted = literalOf(v, domain);
    if (converted === undefined) return undefined;
    out.push(converted);
  }
  return out;
}

function literalOf(value: FilterScalar, domain: Domain): Bound | undefined {
  switch (domain) {
    case 'number':
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'timestamp':
      return typeof value === 'string' ? parseIsoMillis(value) : undefined;
    case 'bool':
      return typeof value === 'boolean' ? Number(value) : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
  }
}

function statsOf(group: RowGroup, column: string, domain: Domain): ColumnStats | undefined {
  const chunk = chunkOf(group, column);
  const stats = chunk?.meta_data?.statistics;
  if (!stats) return undefined;
  const rows = Number(group.num_rows);
  const nulls = stats.null_count === undefined ? undefined : Number(stats.null_count);
  const [rawMin, rawMax] = boundsOf(stats, domain);
  return { domain, rows, nulls, min: boundOf(rawMin, domain), max: boundOf(rawMax, domain) };
}

/**
 * `min_value`/`max_value` follow the column's logical sort order. The deprecated `min`/`max`
 * were written in signed order, right only for signed numbers and booleans, so byte arrays
 * never fall back to them.
 */
function boundsOf(stats: Statistics, domain: Domain): [MinMaxType | undefined, MinMaxType | undefined] {
  if (stats.min_value !== undefined || stats.max_value !== undefined) return [stats.min_value, stats.max_value];
  return domain === 'string' ? [undefined, undefined] : [stats.min, stats.max];
}

function boundOf(value: MinMaxType | undefined, domain: Domain): Bound | undefined {
  if (value === undefined) return undefined;
  if (domain === 'string') return typeof value === 'string' ? value : undefined;
  if (domain === 'bool') return typeof value === 'boolean' ? Number(value) : undefined;
  // Number(bigint) rounds monotonically, exactly as the reader converts INT64 values for the filter.
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : value instanceof Date ? value.getTime() : NaN;
  return Number.isNaN(n) ? undefined : n;
}

function chunkOf(group: RowGroup, column: string): ColumnChunk | undefined {
  return group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === column);
}

/** Top-level primitive columns whose statistics compare as the filter does; others are absent. */
function columnDomains(metadata: FileMetaData): Map<string, Domain> {
  const domains = new Map<string, Domain>();
  const [root, ...rest] = metadata.schema;
  let index = 0;
  const top = root?.num_children ?? 0;
  for (let child = 0; child < top && index < rest.length; child++) {
    const element = rest[index]!;
    index += 1 + descendantsOf(rest, index);
    const domain = element.num_children ? undefined : domainOf(element);
    if (domain && element.repetition_type !== 'REPEATED') domains.set(element.name, domain);
  }
  return domains;
}

/** How many schema elements follow `index` as its descendants (the schema is a flattened tree). */
function descendantsOf(elements: SchemaElement[], index: number): number {
  let pending = elements[index]?.num_children ?? 0;
  let count = 0;
  while (pending > 0 && index + count + 1 < elements.length) {
    count++;
    pending += (elements[index + count]!.num_children ?? 0) - 1;
  }
  return count;
}

function domainOf(element: SchemaElement): Domain | undefined {
  const { type, converted_type: converted, logical_type: logical } = element;
  if (converted === 'DECIMAL' || logical?.type === 'DECIMAL') return undefined;
  if (converted?.startsWith('UINT_') || (logical?.type === 'INTEGER' && !logical.isSigned)) return undefined;
  switch (type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
    case 'INT64': {
      const time = converted === 'DATE' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || logical?.type === 'DATE' || logical?.type === 'TIMESTAMP';
      if (time) return 'timestamp';
      // TIME columns are read as numbers but their statistics are not decoded as such.
      return converted?.startsWith('TIME_') || logical?.type === 'TIME' ? undefined : 'number';
    }
    case 'FLOAT':
    case 'DOUBLE':
      return 'float';
    case 'BYTE_ARRAY':
      return converted === 'UTF8' || converted === 'ENUM' || logical?.type === 'STRING' || logical?.type === 'ENUM' ? 'string' : undefined;
    default:
      return undefined;
  }
}
