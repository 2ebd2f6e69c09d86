/**
 * Profiles of string and bool columns over raw buffers. Dictionary-encoded strings (what every
 * reader here produces) are counted per code in a typed array, and only the dictionary
 * entries that occur are decoded and merged — across batches by value, since batches may
 * carry different dictionaries. Plain UTF-8 columns decode each cell once.
 */
import * as arrow from 'apache-arrow';
import { getBit, int64ToNumbers, isValidAt } from '../formats/raw.js';
import type { ColumnProfile, ResolvedProfileOptions } from './profile-types.js';
import { ValueCounter } from './value-counter.js';

const decoder = new TextDecoder();

export function profileStrings(vector: arrow.Vector, profile: ColumnProfile, options: ResolvedProfileOptions): ColumnProfile {
  const counter = new ValueCounter<string>(options.exactDistinctLimit);
  let min: string | undefined;
  let max: string | undefined;
  const see = (value: string, times: number): void => {
    counter.add(value, times);
    if (min === undefined || value < min) min = value;
    if (max === undefined || value > max) max = value;
  };
  for (const data of vector.data) {
    if (arrow.DataType.isDictionary(data.type)) countDictionary(data, see);
    else countUtf8(data, see);
  }
  const distinct = counter.distinct();
  const top = counter.top(options.topK);
  const clip = (s: string): string => clipText(s, options.maxValueLength);
  return {
    ...profile,
    distinct: distinct.distinct,
    distinctMethod: distinct.method,
    distinctError: distinct.relativeError,
    min: min === undefined ? null : clip(min),
    max: max === undefined ? null : clip(max),
    top: top.values.map(({ value, count }) => ({ value: clip(value), count })),
    topMethod: top.method,
    topMaxUndercount: top.maxUndercount,
  };
}

function countDictionary(data: arrow.Data, see: (value: string, times: number) => void): void {
  const dictionary = data.dictionary!;
  const raw = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
  const codes = raw instanceof BigInt64Array || raw instanceof BigUint64Array ? int64ToNumbers(raw, raw instanceof BigInt64Array) : raw;
  const perCode = new Float64Array(dictionary.length);
  const hasNulls = data.nullCount > 0;
  for (let i = 0; i < data.length; i++) {
    if (hasNulls && !isValidAt(data, i)) continue;
    perCode[codes[i]!]!++;
  }
  // Dictionary chunks are addressed by a running code offset.
  let base = 0;
  for (const chunk of dictionary.data) {
    const offsets = chunk.valueOffsets as Int32Array;
    const bytes = chunk.values as Uint8Array;
    for (let j = 0; j < chunk.length; j++) {
      const times = perCode[base + j]!;
      if (times === 0 || !isValidAt(chunk, j)) continue;
      see(decoder.decode(bytes.subarray(offsets[j]!, offsets[j + 1]!)), times);
    }
    base += chunk.length;
  }
}

function countUtf8(data: arrow.Data, see: (value: string, times: number) => void): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const hasNulls = data.nullCount > 0;
  for (let i = 0; i < data.length; i++) {
    if (hasNulls && !isValidAt(data, i)) continue;
    see(decoder.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!)), 1);
  }
}

export function profileBools(vector: arrow.Vector, profile: ColumnProfile, options: ResolvedProfileOptions): ColumnProfile {
  let trues = 0;
  let falses = 0;
  for (const data of vector.data) {
    const bits = data.values as Uint8Array;
    const hasNulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) {
      if (hasNulls && !isValidAt(data, i)) continue;
      if (getBit(bits, data.offset + i)) trues++;
      else falses++;
    }
  }
  const counts: Array<{ value: boolean; count: number }> = [
    { value: true, count: trues },
    { value: false, count: falses },
  ];
  const present = counts.filter((c) => c.count > 0).sort((a, b) => b.count - a.count || Number(a.value) - Number(b.value));
  return {
    ...profile,
    distinct: present.length,
    distinctMethod: 'exact',
    distinctError: null,
    min: falses > 0 ? false : trues > 0 ? true : null,
    max: trues > 0 ? true : falses > 0 ? false : null,
    top: present.slice(0, options.topK),
    topMethod: 'exact',
    topMaxUndercount: 0,
  };
}

/** Long text would blow the result budget for no insight: keep a prefix, marked as cut. */
export function clipText(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}
