import type { Table } from 'apache-arrow';
import type { CacheStatus } from '../cache/types.js';
import { columnsOf, rowsOf } from '../results/arrow-json.js';
import { rowsWithinBudget, type Budget } from '../results/budget.js';
import { frameUntrusted } from '../results/framing.js';
import { textTable } from '../results/text-table.js';
import type { ToolOutput } from '../tools/define-tool.js';

export interface ShapedResult {
  structuredContent: Record<string, unknown>;
  text: string;
  /** Rows kept vs total, for the caller to decide on a handle. */
  truncated: boolean;
}

export interface ShapeOptions {
  budget: Budget;
  cache?: CacheStatus;
  cacheAgeMs?: number;
  /** Called when rows were cut: stores the full table and returns a `result://` handle. */
  storeRest?: (table: Table) => Promise<string>;
  /** More rows remain upstream beyond the output's table (a live cursor). */
  moreUpstream?: boolean;
}

/**
 * Fits a tool's output to the result budget (DESIGN §8): data rows as arrays with columns,
 * never a silent cut (`truncated` + a `result://` handle), and the rows in the text block
 * inside a fresh untrusted-data boundary.
 */
export async function shapeOutput(output: ToolOutput, options: ShapeOptions): Promise<ShapedResult> {
  const structured: Record<string, unknown> = { ...output.structured };
  if (options.cache) structured.cache = options.cache;
  if (options.cacheAgeMs !== undefined) structured.cacheAgeMs = Math.round(options.cacheAgeMs);
  const lines = [output.summary];
  let truncated = false;
  if (output.table) {
    const table = output.table;
    const columns = columnsOf(table);
    const candidate = rowsOf(table, 0, Math.min(table.numRows, options.budget.maxRows));
    const kept = rowsWithinBudget(candidate, options.budget);
    const rows = candidate.slice(0, kept);
    truncated = kept < table.numRows || Boolean(options.moreUpstream);
    Object.assign(structured, { columns, rows, rowCount: table.numRows, returnedRows: rows.length, truncated });
    if (truncated && options.storeRest) {
      const handle = await options.storeRest(table);
      structured.handle = `result://${handle}`;
      const of = options.moreUpstream ? `${table.numRows}+ (more upstream)` : String(table.numRows);
      lines.push(`Showing ${rows.length} of ${of} rows (result budget). Read resource result://${handle} (add ?offset=N&limit=M) for the rest.`);
    }
    lines.push(frameUntrusted(textTable(columns, rows), `a table of ${rows.length} row(s)`));
  }
  return { structuredContent: structured, text: lines.join('\n'), truncated };
}
