/**
 * Profiles of number and timestamp columns, one pass over the raw value buffers: min/max,
 * Welford's running mean and variance (numerically stable in one pass), a quantile reservoir
 * and a value counter for distinct (and top values of integer columns).
 *
 * NaN cells count as values and as one distinct value, but stay out of min/max, mean, stddev
 * and quantiles, which they would otherwise poison. 64-bit integers are read as JS numbers
 * (exact below 2^53).
 */
import * as arrow from 'apache-arrow';
import { int64ToNumbers, isValidAt } from '../formats/raw.js';
import type { ColumnProfile, ProfileValue, ResolvedProfileOptions } from './profile-types.js';
import { QuantileReservoir } from './quantile-reservoir.js';
import { ValueCounter } from './value-counter.js';

const QUANTILES = [0.25, 0.5, 0.75] as const;

export function profileNumeric(vector: arrow.Vector, profile: ColumnProfile, options: ResolvedProfileOptions, kind: 'number' | 'timestamp'): ColumnProfile {
  const counter = new ValueCounter<number>(options.exactDistinctLimit);
  const reservoir = new QuantileReservoir(options.exactQuantileLimit, profile.count);
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const data of vector.data) {
    const values = numbersOf(data);
    const hasNulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) {
      if (hasNulls && !isValidAt(data, i)) continue;
      const v = values[i]!;
      counter.add(v);
      if (Number.isNaN(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      reservoir.add(v);
      n++;
      const delta = v - mean;
      mean += delta / n;
      m2 += delta * (v - mean);
    }
  }
  const distinct = counter.distinct();
  const quantiles = reservoir.quantiles(QUANTILES);
  const show = kind === 'timestamp' ? isoOf : numberOf;
  const integral = arrow.DataType.isInt(vector.type);
  const top = integral ? counter.top(options.topK) : undefined;
  return {
    ...profile,
    distinct: distinct.distinct,
    distinctMethod: distinct.method,
    distinctError: distinct.relativeError,
    min: n > 0 ? show(min) : null,
    max: n > 0 ? show(max) : null,
    mean: kind === 'number' && n > 0 ? finiteOrNull(mean) : null,
    stddev: kind === 'number' && n > 1 ? finiteOrNull(Math.sqrt(m2 / (n - 1))) : null,
    quantiles: quantiles ? { p25: show(quantiles.values[0]!), p50: show(quantiles.values[1]!), p75: show(quantiles.values[2]!) } : null,
    quantileMethod: quantiles?.method ?? null,
    top: top ? top.values.map(({ value, count }) => ({ value: numberOf(value), count })) : null,
    topMethod: top?.method ?? null,
    topMaxUndercount: top ? top.maxUndercount : null,
  };
}

/** The column's values as numbers in one typed array (timestamps and dates as epoch ms). */
function numbersOf(data: arrow.Data): ArrayLike<number> {
  const raw = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
  const numbers = raw instanceof BigInt64Array || raw instanceof BigUint64Array ? int64ToNumbers(raw, raw instanceof BigInt64Array) : raw;
  const scale = millisPerUnit(data.type);
  if (scale === 1) return numbers;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = numbers[i]! * scale;
  return out;
}

function millisPerUnit(type: arrow.DataType): number {
  if (arrow.DataType.isDate(type)) return type.unit === arrow.DateUnit.DAY ? 86_400_000 : 1;
  if (arrow.DataType.isTimestamp(type)) return [1000, 1, 1e-3, 1e-6][type.unit] ?? 1;
  return 1;
}

/** JSON has no Infinity: a non-finite bound is shown as text ("Infinity", "-Infinity"). */
function numberOf(v: number): ProfileValue {
  return Number.isFinite(v) ? v : String(v);
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

const MAX_DATE_MS = 8.64e15;

function isoOf(ms: number): ProfileValue {
  const rounded = Math.round(ms);
  return Math.abs(rounded) <= MAX_DATE_MS ? new Date(rounded).toISOString() : String(ms);
}
