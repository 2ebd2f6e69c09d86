/**
 * Per-column profile of an Arrow table (the `summarize` tool): counts, nulls, distinct (exact,
 * or HyperLogLog past a limit), min/max, mean/stddev, quantiles and top values. Each column
 * is one pass over its raw buffers (DESIGN §10), never `Vector.get(i)` per row.
 */
import type * as arrow from 'apache-arrow';
import { typeName } from '../results/arrow-json.js';
import { columnClassOf } from './filter-predicates.js';
import { profileNumeric } from './profile-numeric.js';
import { profileBools, profileStrings } from './profile-text.js';
import { baseProfile, type ColumnProfile, type ProfileOptions, type ResolvedProfileOptions } from './profile-types.js';

export type { ColumnProfile, ProfileOptions, ProfileValue } from './profile-types.js';

const DEFAULTS: ResolvedProfileOptions = { topK: 5, exactDistinctLimit: 100_000, exactQuantileLimit: 1_000_000, maxValueLength: 256 };

export function profileTable(table: arrow.Table, options: ProfileOptions = {}): ColumnProfile[] {
  const resolved = resolveOptions(options);
  return table.schema.fields.map((field, index) => {
    const vector = table.getChildAt(index)!;
    return profileColumn(field.name, vector, resolved);
  });
}

function profileColumn(name: string, vector: arrow.Vector, options: ResolvedProfileOptions): ColumnProfile {
  const nulls = vector.nullCount;
  const base = baseProfile(name, typeName(vector.type), vector.length - nulls, nulls);
  switch (columnClassOf(vector.type)) {
    case 'number':
      return profileNumeric(vector, base, options, 'number');
    case 'timestamp':
      return profileNumeric(vector, base, options, 'timestamp');
    case 'string':
      return profileStrings(vector, base, options);
    case 'bool':
      return profileBools(vector, base, options);
    case 'null':
      return { ...base, distinct: 0, distinctMethod: 'exact' };
    default:
      // Nested, binary, decimal, float16: counts only (the readers turn most of these into text).
      return base;
  }
}

function resolveOptions(options: ProfileOptions): ResolvedProfileOptions {
  const resolved = { ...DEFAULTS, ...options };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`profile option ${key} must be a positive integer, got ${value}`);
  }
  return resolved;
}
