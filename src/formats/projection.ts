/** Column projection checks shared by every reader. */
import { invalidArgument } from '../results/errors.js';

const MAX_LISTED = 50;

/** Throws INVALID_ARGUMENT naming the missing columns and listing the available ones. */
export function checkProjection(available: readonly string[], requested: readonly string[] | undefined, path: string): void {
  if (!requested) return;
  const have = new Set(available);
  const missing = requested.filter((c) => !have.has(c));
  if (missing.length === 0) return;
  const listed = available.slice(0, MAX_LISTED).map((c) => JSON.stringify(c)).join(', ');
  const more = available.length > MAX_LISTED ? ` and ${available.length - MAX_LISTED} more` : '';
  throw invalidArgument(
    `Unknown column${missing.length > 1 ? 's' : ''} ${missing.map((c) => JSON.stringify(c)).join(', ')} in "${path}".`,
    `Available columns: ${listed}${more}. Column names are case-sensitive; use describe to see the schema.`,
    { path, missing },
  );
}

/** Header names made usable: blanks get `column_N`, repeats get `_2`, `_3`, ... */
export function uniqueColumnNames(raw: readonly string[]): string[] {
  const used = new Set<string>();
  return raw.map((name, i) => {
    const base = name.trim() === '' ? `column_${i + 1}` : name;
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}_${n}`;
    used.add(candidate);
    return candidate;
  });
}
