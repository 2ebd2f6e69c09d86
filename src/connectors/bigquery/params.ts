import { invalidArgument } from '../../results/errors.js';
import type { ParamValue } from '../types.js';

/** One named query parameter as the REST API takes it (values always travel as strings). */
export interface QueryParameter {
  name: string;
  parameterType: { type: 'INT64' | 'FLOAT64' | 'BOOL' | 'STRING' };
  parameterValue: { value?: string };
}

// BigQuery's rule for parameter names (`@name` in SQL).
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_PARAMS = 10_000;

/**
 * Agent parameters → typed named parameters, by JS type: safe integers → INT64, other numbers
 * → FLOAT64 (NaN and ±Infinity as BigQuery spells them), booleans → BOOL, strings → STRING.
 * null has no type of its own: it is sent as a NULL STRING, so compare with `IS NULL` or CAST
 * it when another type is needed. Values never become SQL text.
 */
export function toQueryParameters(params: Record<string, ParamValue>): QueryParameter[] {
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMS) throw invalidArgument(`too many query parameters (${entries.length})`, `Pass at most ${MAX_PARAMS} parameters.`);
  return entries.map(([name, value]) => {
    if (!PARAM_NAME.test(name)) {
      throw invalidArgument(`"${name.slice(0, 64)}" is not a valid BigQuery parameter name`, 'Parameter names are letters, digits and underscores, start with a letter or underscore, and appear in the SQL as @name.');
    }
    return { name, ...typed(name, value) };
  });
}

function typed(name: string, value: ParamValue): Omit<QueryParameter, 'name'> {
  if (value === null) return { parameterType: { type: 'STRING' }, parameterValue: {} };
  switch (typeof value) {
    case 'boolean':
      return { parameterType: { type: 'BOOL' }, parameterValue: { value: String(value) } };
    case 'string':
      return { parameterType: { type: 'STRING' }, parameterValue: { value } };
    case 'number':
      if (Number.isSafeInteger(value)) return { parameterType: { type: 'INT64' }, parameterValue: { value: String(value) } };
      return { parameterType: { type: 'FLOAT64' }, parameterValue: { value: floatText(value) } };
    default:
      throw invalidArgument(`parameter "${name}" must be a string, number, boolean or null`, 'Pass scalar parameter values; build arrays or structs in SQL.');
  }
}

function floatText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(value);
}
