import { filterSchema, type Filter, type FilterLeaf, type FilterScalar } from '../../engine/filter-schema.js';
import { invalidArgument } from '../../results/errors.js';
import { toAttributeValue } from './attribute-values.js';
import { checkExpressionLength, type Placeholders } from './placeholders.js';

/** DynamoDB's IN takes at most 100 operands; longer lists become ORs of INs. */
const MAX_IN_OPERANDS = 100;

const ORDERED = new Set(['lt', 'lte', 'gt', 'gte', 'between']);
const COMPARATORS: Record<string, string> = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/**
 * The shared filter DSL as a DynamoDB FilterExpression, with the engine's semantics (SQL's
 * three-valued logic): a comparison with a missing or NULL attribute is *unknown*, and `not`
 * of unknown stays unknown, so `ne`, `not_in` and `not` never match items that lack the
 * attribute — exactly as when the engine filters an Arrow table. DynamoDB's own logic is
 * two-valued (`a <> :v` is true when `a` is missing), so every node is translated twice: to
 * the condition that it is true, and to the condition that it is false. is_null matches a
 * missing attribute or a NULL value. A comparison with a value of another DynamoDB type is
 * false (a number never equals the string "5"). `contains` is substring on strings (and
 * membership on sets and lists, as DynamoDB defines it). `ends_with` has no DynamoDB
 * equivalent and is refused rather than applied after the read (that would break paging).
 */
export function filterExpression(input: unknown, placeholders: Placeholders): string {
  const parsed = filterSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw invalidArgument(`the filter is not valid${at}: ${issue?.message ?? 'malformed'}`, 'A filter is {"column", "op", "value"} or {"and": [...]}, {"or": [...]}, {"not": {...}}.');
  }
  const builder = new FilterBuilder(placeholders);
  return checkExpressionLength('filter', builder.holds(parsed.data, true));
}

class FilterBuilder {
  private nullType: string | undefined;

  constructor(private readonly p: Placeholders) {}

  /** The condition under which `filter` evaluates to `want` (true or false; never unknown). */
  holds(filter: Filter, want: boolean): string {
    if ('and' in filter) return group(filter.and.map((f) => this.holds(f, want)), want ? 'AND' : 'OR');
    if ('or' in filter) return group(filter.or.map((f) => this.holds(f, want)), want ? 'OR' : 'AND');
    if ('not' in filter) return this.holds(filter.not, !want);
    return this.leaf(filter, want);
  }

  private leaf(leaf: FilterLeaf, want: boolean): string {
    const name = this.p.name(leaf.column);
    const where = `filter on "${leaf.column}", op "${leaf.op}"`;
    if ((leaf.op === 'is_null' || leaf.op === 'is_not_null') && leaf.value !== undefined) {
      throw invalidArgument(`${where}: takes no value`, 'Remove "value" for is_null / is_not_null.');
    }
    switch (leaf.op) {
      case 'is_null':
        return want ? this.absent(name) : this.present(name);
      case 'is_not_null':
        return want ? this.present(name) : this.absent(name);
      case 'ne':
        return this.comparison({ ...leaf, op: 'eq' }, name, !want, where);
      case 'not_in':
        return this.comparison({ ...leaf, op: 'in' }, name, !want, where);
      case 'ends_with':
        throw invalidArgument(`DynamoDB cannot filter with "ends_with" (column "${leaf.column}")`, 'Use contains or starts_with, or read the items and filter them in a probe step.');
      default:
        return this.comparison(leaf, name, want, where);
    }
  }

  /** A positive comparison is false for a missing/NULL attribute; its "false" needs the attribute present. */
  private comparison(leaf: FilterLeaf, name: string, want: boolean, where: string): string {
    const positive = this.positive(leaf, name, where);
    return want ? positive : `(${this.present(name)} AND NOT ${positive})`;
  }

  private positive(leaf: FilterLeaf, name: string, where: string): string {
    const value = (v: FilterScalar) => this.p.value(toAttributeValue(v, `the value of the ${where}`));
    const values = shapeValues(leaf, where);
    if (ORDERED.has(leaf.op) && values.some((v) => typeof v === 'boolean')) {
      throw invalidArgument(`${where}: booleans have no order`, 'Compare booleans with eq, ne, in or not_in.');
    }
    switch (leaf.op) {
      case 'between':
        return `(${name} BETWEEN ${value(values[0]!)} AND ${value(values[1]!)})`;
      case 'in': {
        const chunks: string[] = [];
        for (let i = 0; i < values.length; i += MAX_IN_OPERANDS) chunks.push(`${name} IN (${values.slice(i, i + MAX_IN_OPERANDS).map(value).join(', ')})`);
        return group(chunks, 'OR');
      }
      case 'contains':
      case 'starts_with':
        if (typeof values[0] !== 'string') throw invalidArgument(`${where}: value must be a string`, `Give the text to look for, e.g. {"column": "${leaf.column}", "op": "${leaf.op}", "value": "abc"}.`);
        return `${leaf.op === 'contains' ? 'contains' : 'begins_with'}(${name}, ${value(values[0])})`;
      default:
        return `${name} ${COMPARATORS[leaf.op]!} ${value(values[0]!)}`;
    }
  }

  private present(name: string): string {
    return `(attribute_exists(${name}) AND NOT attribute_type(${name}, ${this.nullTypeValue()}))`;
  }

  private absent(name: string): string {
    return `(attribute_not_exists(${name}) OR attribute_type(${name}, ${this.nullTypeValue()}))`;
  }

  private nullTypeValue(): string {
    this.nullType ??= this.p.value({ S: 'NULL' });
    return this.nullType;
  }
}

const group = (parts: string[], op: 'AND' | 'OR'): string => (parts.length === 1 ? parts[0]! : `(${parts.join(` ${op} `)})`);

/** The literal values of a leaf, checked against the op's arity (same rules as the engine). */
function shapeValues(leaf: FilterLeaf, where: string): FilterScalar[] {
  const { op, value } = leaf;
  if (op === 'in' || op === 'between') {
    if (!Array.isArray(value) || value.length === 0 || (op === 'between' && value.length !== 2)) {
      const shape = op === 'between' ? '[low, high]' : 'a non-empty list';
      throw invalidArgument(`${where}: value must be ${shape}`, `Example: {"column": "${leaf.column}", "op": "${leaf.op}", "value": [...]}.`);
    }
    return value;
  }
  if (value === undefined || Array.isArray(value)) {
    throw invalidArgument(`${where}: value must be one string, number or boolean${value === undefined ? ', and is missing' : ', not a list'}`, 'Use "in" to compare with several values; use is_null to find missing attributes.');
  }
  return [value];
}
