/**
 * Arrow columns straight from the CSV tokenizer's byte ranges (DESIGN §10): inference gives the
 * same kinds as `inferFromStrings` and the values are those `buildFromStrings` would give, but
 * numbers, bools and timestamps are parsed from the bytes, and strings are dictionary-encoded
 * by hashing byte ranges, so bytes are copied once per distinct value and never decoded.
 */
import * as arrow from 'apache-arrow';
import type { CsvCells } from './csv-records.js';
import { INTEGER, NOT_NUMBER, boolAt, isoMillisAt, scanNumber, scannedValue } from './csv-values.js';
import { widenKinds, type ColumnKind } from './infer.js';
import { newBitmap, numbersToInt64, setBit } from './raw.js';
import { dictionaryFromRanges } from './csv-dictionary.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Values found while inferring, kept for the build. Building is synchronous, so one pair serves
 * every reader and batch; it is kept for batches up to `KEEP_ROWS` rows, not beyond (it would
 * hold that memory for good).
 */
interface Scratch {
  numbers: Float64Array;
  millis: Float64Array;
}

const KEEP_ROWS = 1 << 16;
let kept: Scratch = { numbers: new Float64Array(1024), millis: new Float64Array(1024) };

function scratchFor(rows: number): Scratch {
  if (rows <= kept.numbers.length) return kept;
  const fresh = { numbers: new Float64Array(rows), millis: new Float64Array(rows) };
  if (rows <= KEEP_ROWS) kept = fresh;
  return fresh;
}

/** Column `col` of the pending records, given the kind earlier batches settled on (`'null'` at first). */
export function buildCsvColumn(cells: CsvCells, col: number, locked: ColumnKind): arrow.Data {
  const { numbers, millis } = scratchFor(cells.rows);
  // A string column cannot widen further: skip inference.
  const kind = locked === 'string' ? 'string' : widenKinds(locked, inferColumn(cells, col, numbers, millis));
  switch (kind) {
    case 'int32':
      return fixedWidth(new arrow.Int32(), new Int32Array(cells.rows), cells, col, numbers);
    case 'float64':
      return fixedWidth(new arrow.Float64(), new Float64Array(cells.rows), cells, col, numbers);
    case 'timestamp':
      return fixedWidth(new arrow.TimestampMillisecond(), new Float64Array(cells.rows), cells, col, millis);
    case 'bool':
      return bools(cells, col);
    case 'null':
      return arrow.makeData({ type: new arrow.Null(), length: cells.rows });
    default:
      return dictionaryFromRanges(cells, col);
  }
}

/**
 * `inferFromStrings` over byte ranges, candidate by candidate in the same order (an integer
 * past 2^53 makes the column a string column only while every earlier cell was an integer),
 * leaving each cell's number or timestamp in the scratch arrays while that kind is possible.
 */
function inferColumn(cells: CsvCells, col: number, numbers: Float64Array, millis: Float64Array): ColumnKind {
  const { bytes, starts, ends, rows, width } = cells;
  let canInt = true;
  let canInt32 = true;
  let canFloat = true;
  let canBool = true;
  let canTimestamp = true;
  let seen = false;
  for (let r = 0, k = col; r < rows; r++, k += width) {
    const start = starts[k]!;
    const end = ends[k]!;
    if (start === end) continue;
    seen = true;
    if (canFloat) {
      const found = scanNumber(bytes, start, end);
      if (canInt && found !== INTEGER) canInt = false;
      if (canInt) {
        if (!Number.isSafeInteger(scannedValue)) return 'string';
        if (scannedValue < INT32_MIN || scannedValue > INT32_MAX) canInt32 = false;
      } else if (found === NOT_NUMBER) canFloat = false;
      numbers[r] = scannedValue;
    }
    if (canBool && boolAt(bytes, start, end) < 0) canBool = false;
    if (canTimestamp) {
      const ms = isoMillisAt(bytes, start, end);
      if (Number.isNaN(ms)) canTimestamp = false;
      else millis[r] = ms;
    }
    if (!canFloat && !canBool && !canTimestamp) return 'string';
  }
  if (!seen) return 'null';
  if (canInt) return canInt32 ? 'int32' : 'float64';
  if (canFloat) return 'float64';
  if (canBool) return 'bool';
  return canTimestamp ? 'timestamp' : 'string';
}

/** A fixed-width column whose non-empty cells' values inference left in `source` (timestamps become int64). */
function fixedWidth(type: arrow.DataType, values: Int32Array | Float64Array, cells: CsvCells, col: number, source: Float64Array): arrow.Data {
  const { starts, ends, rows, width } = cells;
  const validity = newBitmap(rows);
  let nulls = 0;
  for (let r = 0, k = col; r < rows; r++, k += width) {
    if (starts[k] === ends[k]) nulls++;
    else {
      values[r] = source[r]!;
      setBit(validity, r);
    }
  }
  const data = arrow.DataType.isTimestamp(type) ? numbersToInt64(values, rows) : values;
  return arrow.makeData({ type, length: rows, nullCount: nulls, nullBitmap: nulls ? validity : null, data } as never);
}

function bools(cells: CsvCells, col: number): arrow.Data {
  const { bytes, starts, ends, rows, width } = cells;
  const values = newBitmap(rows);
  const validity = newBitmap(rows);
  let nulls = 0;
  for (let r = 0, k = col; r < rows; r++, k += width) {
    const value = starts[k] === ends[k] ? -1 : boolAt(bytes, starts[k]!, ends[k]!);
    if (value < 0) nulls++;
    else {
      setBit(validity, r);
      if (value === 1) setBit(values, r);
    }
  }
  return arrow.makeData({ type: new arrow.Bool(), length: rows, nullCount: nulls, nullBitmap: nulls ? validity : null, data: values });
}
