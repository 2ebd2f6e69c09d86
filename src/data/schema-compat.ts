import { DataType, type Schema } from 'apache-arrow';
import { invalidArgument } from '../results/errors.js';

type Family = 'null' | 'number' | 'bool' | 'text' | 'time' | 'other';

function family(type: DataType): Family {
  if (DataType.isNull(type)) return 'null';
  if (DataType.isInt(type) || DataType.isFloat(type)) return 'number';
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isTimestamp(type) || DataType.isDate(type)) return 'time';
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type) || (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary))) return 'text';
  return 'other';
}

/**
 * Objects read together must agree on each column's kind of value: numbers may widen (int →
 * float) and a column missing or all-null in one object is fine, but a column that is a number
 * in one object and text or a time in another is a conflict the agent must resolve — casting
 * it silently would hide bad data.
 */
export function checkCompatible(objects: Array<{ path: string; schema: Schema }>): void {
  const seen = new Map<string, { family: Family; path: string; type: DataType }>();
  for (const { path, schema } of objects) {
    for (const field of schema.fields) {
      const f = family(field.type);
      if (f === 'null') continue;
      const first = seen.get(field.name);
      if (!first) {
        seen.set(field.name, { family: f, path, type: field.type });
        continue;
      }
      if (first.family !== f) {
        throw invalidArgument(
          `column "${field.name}" is ${first.family} (${String(first.type)}) in ${first.path} but ${f} (${String(field.type)}) in ${path}`,
          'Read the objects separately, leave the column out with `columns`, or fix the data so the column has one type.',
          { reason: 'schema_conflict', column: field.name },
        );
      }
    }
  }
}
