/**
 * The engine bench's three workloads, each as data-mcp probe steps (parsed, planned and run by
 * the probe runner's own code) and as the equivalent DuckDB SQL, plus a normalized answer of each so the
 * bench can check both sides computed the same thing.
 */
import type * as arrow from 'apache-arrow';
import type { DuckDBConnection } from '@duckdb/node-api';
import { processorRegistry } from '../src/engine/registry.js';
import { executeSteps } from '../src/probe/execute.js';
import { parseSteps, planSchemas } from '../src/probe/plan.js';
import type { StepSpec } from '../src/probe/spec.js';
import { AMOUNT_CUT } from './engine-data.js';

export const WORKLOADS = ['filterGroup', 'joinGroup', 'top100'] as const;
export type Workload = (typeof WORKLOADS)[number];

export const WORKLOAD_LABELS: Record<Workload, string> = {
  filterGroup: `filter amount > ${AMOUNT_CUT} (≈ 50 %) + group by region: sum, count, avg`,
  joinGroup: 'inner join with 200 customers on customer_id + group by segment: sum',
  top100: 'top 100 rows by amount desc',
};

export const DUCKDB_SQL: Record<Workload, string> = {
  filterGroup: `SELECT region, sum(amount) AS sum_amount, count(*) AS count, avg(amount) AS avg_amount FROM facts WHERE amount > ${AMOUNT_CUT} GROUP BY region`,
  joinGroup: 'SELECT c.segment, sum(f.amount) AS sum_amount FROM facts f JOIN customers c ON f.customer_id = c.customer_id GROUP BY c.segment',
  top100: 'SELECT * FROM facts ORDER BY amount DESC LIMIT 100',
};

type Step = { op: string } & Record<string, unknown>;

const STEPS: Record<Workload, Step[]> = {
  filterGroup: [
    { op: 'filter', where: { column: 'amount', op: 'gt', value: AMOUNT_CUT } },
    { op: 'aggregate', by: ['region'], metrics: [{ fn: 'sum', column: 'amount' }, { fn: 'count' }, { fn: 'avg', column: 'amount' }] },
  ],
  joinGroup: [
    { op: 'join', right: 'customers', on: ['customer_id'] },
    { op: 'aggregate', by: ['segment'], metrics: [{ fn: 'sum', column: 'amount' }] },
  ],
  top100: [{ op: 'sort', by: [{ column: 'amount', order: 'desc' }], limit: 100 }],
};

const REGISTRY = processorRegistry();

/**
 * Runs a workload's steps over `facts` (with `customers` as a named dataset) the way run_probe
 * does: parsed and planned by src/probe/plan.ts, run by src/probe/execute.ts (so any fusion of
 * adjacent steps the runner does is measured too).
 */
export async function runOurs(workload: Workload, facts: arrow.Table, customers: arrow.Table): Promise<arrow.Table> {
  const sources = new Map([
    ['facts', facts],
    ['customers', customers],
  ]);
  const limits = { maxRows: 1e9 };
  const probe = parseSteps(STEPS[workload] as StepSpec[], [...sources.keys()], REGISTRY, 100);
  const planned = planSchemas(probe, new Map([...sources].map(([name, table]) => [name, table.schema])), limits);
  const { table } = await executeSteps(probe, sources, planned, { limits, signal: new AbortController().signal });
  return table;
}

export async function runDuckdb(workload: Workload, connection: DuckDBConnection): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(DUCKDB_SQL[workload]);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** A plain value: bigints and dates as numbers. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  return v;
}

/**
 * Where two answers differ (undefined when they agree): rows are matched in sorted order of
 * their values, and floats may differ by 1e-9 relative (the sides sum in different orders).
 */
export function answerDifference(ours: Record<string, unknown>[], theirs: Record<string, unknown>[]): string | undefined {
  if (ours.length !== theirs.length) return `${ours.length} rows vs ${theirs.length}`;
  const lines = (rows: Record<string, unknown>[]) => rows.map((r) => Object.values(r).map(plain)).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  const a = lines(ours);
  const b = lines(theirs);
  for (let i = 0; i < a.length; i++) {
    const same = a[i]!.length === b[i]!.length && a[i]!.every((v, c) => {
      const w = b[i]![c];
      return typeof v === 'number' && typeof w === 'number' ? Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(w)) : v === w;
    });
    if (!same) return `row ${i}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
  }
  return undefined;
}

/** Our table as rows of values (columns in order), for answerDifference. */
export function ourRows(table: arrow.Table): Record<string, unknown>[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => Array.from(table.getChild(n)! as Iterable<unknown>));
  return Array.from({ length: table.numRows }, (_, i) => Object.fromEntries(names.map((n, c) => [n, columns[c]![i]])));
}
