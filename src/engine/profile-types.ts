/** The per-column profile `summarize` returns; every field is present (null when it does not apply). */

export type ProfileValue = string | number | boolean;

export interface ColumnProfile {
  name: string;
  /** Readable type name, as in result `columns` (int, int64, float, string, bool, timestamp, ...). */
  type: string;
  /** Non-null values. */
  count: number;
  nulls: number;
  /** Distinct non-null values; null for types that are not profiled beyond counts. */
  distinct: number | null;
  distinctMethod: 'exact' | 'hll' | null;
  /** Relative standard error of an `hll` estimate (≈ 0.0081); null when exact. */
  distinctError: number | null;
  /** Numbers as numbers, timestamps as ISO-8601, strings lexicographic (UTF-16 order), bools false < true. */
  min: ProfileValue | null;
  max: ProfileValue | null;
  /** Numeric columns only. */
  mean: number | null;
  /** Sample standard deviation (n − 1), numeric columns with ≥ 2 values. */
  stddev: number | null;
  /** Numeric (numbers) and timestamp (ISO) columns. */
  quantiles: { p25: ProfileValue; p50: ProfileValue; p75: ProfileValue } | null;
  quantileMethod: 'exact' | 'reservoir' | null;
  /** Most frequent values, for strings, bools and integers. */
  top: Array<{ value: ProfileValue; count: number }> | null;
  /** `misra_gries` when the column had more distinct values than the exact limit. */
  topMethod: 'exact' | 'misra_gries' | null;
  /** With `misra_gries`: a reported count may be this much below the true count. */
  topMaxUndercount: number | null;
}

export interface ProfileOptions {
  /** Top values per column (default 5). */
  topK?: number;
  /** Distinct values counted exactly per column before HyperLogLog takes over (default 100,000). */
  exactDistinctLimit?: number;
  /** Values per column sorted for exact quantiles; past it a seeded reservoir sample (default 1,000,000). */
  exactQuantileLimit?: number;
  /** Text values in min/max/top are cut to this many characters, ending in "…" (default 256). */
  maxValueLength?: number;
}

export type ResolvedProfileOptions = Required<ProfileOptions>;

/** Fields every profile starts from: what a column of an unprofiled type gets. */
export function baseProfile(name: string, type: string, count: number, nulls: number): ColumnProfile {
  return {
    name,
    type,
    count,
    nulls,
    distinct: null,
    distinctMethod: null,
    distinctError: null,
    min: null,
    max: null,
    mean: null,
    stddev: null,
    quantiles: null,
    quantileMethod: null,
    top: null,
    topMethod: null,
    topMaxUndercount: null,
  };
}
