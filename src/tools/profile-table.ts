import * as arrow from 'apache-arrow';
import type { ColumnProfile, ProfileValue } from '../engine/profile.js';
import { rowsOf } from '../results/arrow-json.js';
import { rowsWithinBudget, type Budget } from '../results/budget.js';

/**
 * The profiles as a data table, one row per column, so the gate budgets and frames them like
 * any data: min/max/quantiles/top hold values from the data (untrusted) and must stay inside
 * the framed block.
 */
export function profilesAsTable(profiles: ColumnProfile[]): arrow.Table {
  const text = (pick: (p: ColumnProfile) => string | null): arrow.Vector => arrow.vectorFromArray(profiles.map(pick), new arrow.Utf8());
  const number = (pick: (p: ColumnProfile) => number | null): arrow.Vector => arrow.vectorFromArray(profiles.map(pick), new arrow.Float64());
  return new arrow.Table({
    name: text((p) => p.name),
    type: text((p) => p.type),
    count: number((p) => p.count),
    nulls: number((p) => p.nulls),
    distinct: number((p) => p.distinct),
    min: text((p) => cellText(p.min)),
    max: text((p) => cellText(p.max)),
    mean: number((p) => p.mean),
    stddev: number((p) => p.stddev),
    p25: text((p) => cellText(p.quantiles?.p25 ?? null)),
    p50: text((p) => cellText(p.quantiles?.p50 ?? null)),
    p75: text((p) => cellText(p.quantiles?.p75 ?? null)),
    top: text((p) => (p.top && p.top.length > 0 ? p.top.map((t) => `${JSON.stringify(t.value)} (${t.count})`).join(', ') : null)),
  });
}

/** How many rows of `table` the gate's shaping step will keep under `budget` (the same rule, so both agree). */
export function rowsShown(table: arrow.Table, budget: Budget): number {
  return rowsWithinBudget(rowsOf(table, 0, Math.min(table.numRows, budget.maxRows)), budget);
}

function cellText(value: ProfileValue | null): string | null {
  return value === null ? null : String(value);
}
