import type { Cell } from './arrow-json.js';

export interface Budget {
  maxRows: number;
  maxBytes: number;
}

/**
 * How many of the given rows fit the budget: at most `maxRows`, and the JSON of the rows kept
 * under `maxBytes` (the rows travel twice, in structuredContent and in the text table, so each
 * counts double). Never cuts silently: the caller marks the result truncated.
 */
export function rowsWithinBudget(rows: Cell[][], budget: Budget): number {
  let bytes = 0;
  const limit = Math.min(rows.length, budget.maxRows);
  for (let i = 0; i < limit; i++) {
    bytes += 2 * Buffer.byteLength(JSON.stringify(rows[i]));
    if (bytes > budget.maxBytes) return i;
  }
  return limit;
}
