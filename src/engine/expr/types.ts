/**
 * The static types of expression values and how they map to Arrow. Numbers are computed as
 * float64 whatever the column holds (exact below 2^53); `int32` marks results that are whole
 * numbers by construction (integer literals, int columns, year/month/day/length) so they can
 * be written back as int32. Timestamps and dates are carried as epoch milliseconds.
 */
import * as arrow from 'apache-arrow';

export type ExprType = 'int32' | 'float64' | 'string' | 'bool' | 'timestamp' | 'date' | 'null';

/** A type a column can be written as: the expression types plus int64 (cast only). */
export type OutputType = ExprType | 'int64';

export const isNumeric = (t: ExprType): boolean => t === 'int32' || t === 'float64';
export const isTime = (t: ExprType): boolean => t === 'timestamp' || t === 'date';

/** How an expression reads a column of this Arrow type; undefined when it cannot. */
export function exprTypeOf(type: arrow.DataType): ExprType | undefined {
  if (arrow.DataType.isNull(type)) return 'null';
  if (arrow.DataType.isInt(type)) return type.bitWidth < 32 || (type.bitWidth === 32 && type.isSigned) ? 'int32' : 'float64';
  if (arrow.DataType.isFloat(type)) return type.precision === arrow.Precision.HALF ? undefined : 'float64';
  if (arrow.DataType.isBool(type)) return 'bool';
  if (arrow.DataType.isTimestamp(type)) return 'timestamp';
  if (arrow.DataType.isDate(type)) return 'date';
  if (arrow.DataType.isUtf8(type)) return 'string';
  if (arrow.DataType.isDictionary(type) && arrow.DataType.isUtf8(type.dictionary)) return 'string';
  return undefined;
}

/** The Arrow type a value of this type is written as (strings are dictionary-encoded). */
export function arrowTypeFor(t: OutputType): arrow.DataType {
  switch (t) {
    case 'int32':
      return new arrow.Int32();
    case 'int64':
      return new arrow.Int64();
    case 'float64':
      return new arrow.Float64();
    case 'string':
      return new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
    case 'bool':
      return new arrow.Bool();
    case 'timestamp':
      return new arrow.TimestampMillisecond();
    case 'date':
      return new arrow.DateDay();
    case 'null':
      return new arrow.Null();
  }
}

/** The type holding values of both (for if/coalesce branches), or undefined when none does. */
export function unifyTypes(a: ExprType, b: ExprType): ExprType | undefined {
  if (a === b) return a;
  if (a === 'null') return b;
  if (b === 'null') return a;
  if (isNumeric(a) && isNumeric(b)) return 'float64';
  if (isTime(a) && isTime(b)) return 'timestamp';
  return undefined;
}

/** Words for error messages: "a number", "text", … */
export function describeType(t: ExprType): string {
  switch (t) {
    case 'int32':
    case 'float64':
      return 'a number';
    case 'string':
      return 'text';
    case 'bool':
      return 'a bool';
    case 'timestamp':
      return 'a timestamp';
    case 'date':
      return 'a date';
    case 'null':
      return 'null';
  }
}
