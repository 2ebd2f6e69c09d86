import type { BigFilesFigures } from './big-files.js';
import type { EngineFigures } from './engine.js';
import { bigFilesMet } from './report-big-files.js';
import { engineMet } from './report-engine.js';
import { pagingMet } from './report-paging.js';
import type { PagingFigures } from './redshift-paging.js';
import type { Summary } from './stats.js';
import type { QueryRoundTrips } from './warehouse-query.js';

export interface MachineFacts {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  /** 1-minute load average when the run began: a busy machine inflates every figure (ratios less). */
  load: number;
}

export interface BenchResults {
  machine: MachineFacts;
  seconds: number;
  coldStart: { echo: Summary; dataMcp: Summary };
  roundTrip: { echo: Summary; readData: Summary; whoami: Summary; probe: Summary; bytes: { echo: number; readData: number; whoami: number; probe: number } };
  policy: { raw: Summary; memoized: Summary };
  /** `query` over stdio on PostgreSQL, beside its own echo series (measured in the same phase). */
  query: QueryRoundTrips;
  paging: PagingFigures;
  bigFiles: BigFilesFigures;
  engine: EngineFigures;
}

/** A target of the issue, judged on p50. Ratios are what we track; absolute bounds only where the issue sets them. */
interface Row {
  measure: string;
  unit: 'ms' | 'µs';
  subject: Summary;
  baseline?: Summary;
  target: string;
  met?: boolean;
}

export const TARGETS = { coldStartRatio: 1.5, readDataRatio: 3, queryHitRatio: 3, probeHitRatio: 3, policyRawMicros: 150, policyMemoMicros: 10 } as const;

function rows(r: BenchResults): Row[] {
  const ratio = (a: Summary, b: Summary) => a.p50 / b.p50;
  return [
    {
      measure: 'Cold start: spawn → initialize response',
      unit: 'ms',
      subject: r.coldStart.dataMcp,
      baseline: r.coldStart.echo,
      target: `≤ ${TARGETS.coldStartRatio}× echo`,
      met: ratio(r.coldStart.dataMcp, r.coldStart.echo) <= TARGETS.coldStartRatio,
    },
    {
      measure: 'Round trip: read_data 50 rows, cache hit',
      unit: 'ms',
      subject: r.roundTrip.readData,
      baseline: r.roundTrip.echo,
      target: `≤ ${TARGETS.readDataRatio}× echo`,
      met: ratio(r.roundTrip.readData, r.roundTrip.echo) <= TARGETS.readDataRatio,
    },
    { measure: 'Round trip: whoami (gate, no data)', unit: 'ms', subject: r.roundTrip.whoami, baseline: r.roundTrip.echo, target: 'reference' },
    {
      measure: 'Round trip: run_probe (join + aggregate + sort of two demo sources), cache hit',
      unit: 'ms',
      subject: r.roundTrip.probe,
      baseline: r.roundTrip.echo,
      target: `≤ ${TARGETS.probeHitRatio}× echo`,
      met: ratio(r.roundTrip.probe, r.roundTrip.echo) <= TARGETS.probeHitRatio,
    },
    {
      measure: 'Round trip: query 50 rows (postgres), cache hit',
      unit: 'ms',
      subject: r.query.hit,
      baseline: r.query.echo,
      target: `≤ ${TARGETS.queryHitRatio}× echo`,
      met: ratio(r.query.hit, r.query.echo) <= TARGETS.queryHitRatio,
    },
    { measure: 'Round trip: query 50 rows (postgres), cache miss', unit: 'ms', subject: r.query.miss, baseline: r.query.echo, target: 'reference' },
    {
      measure: 'Policy decision, raw (Cedar every time)',
      unit: 'µs',
      subject: r.policy.raw,
      target: `p50 ≤ ${TARGETS.policyRawMicros} µs`,
      met: r.policy.raw.p50 <= TARGETS.policyRawMicros,
    },
    {
      measure: 'Policy decision, memoized',
      unit: 'µs',
      subject: r.policy.memoized,
      target: `p50 ≤ ${TARGETS.policyMemoMicros} µs`,
      met: r.policy.memoized.p50 <= TARGETS.policyMemoMicros,
    },
  ];
}

function fmt(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The results table in Markdown: printed by every run, and what `--write` puts in BENCHMARKS.md. */
export function resultsTable(r: BenchResults): string {
  const lines = [
    '| Measure | n | data-mcp p50 | data-mcp p99 | echo p50 | echo p99 | ratio p50 | target | met |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const row of rows(r)) {
    const u = row.unit;
    const base = row.baseline;
    lines.push(
      `| ${row.measure} | ${row.subject.n} | ${fmt(row.subject.p50)} ${u} | ${fmt(row.subject.p99)} ${u} | ${base ? `${fmt(base.p50)} ${u}` : '—'} | ${base ? `${fmt(base.p99)} ${u}` : '—'} | ${base ? `${(row.subject.p50 / base.p50).toFixed(2)}×` : '—'} | ${row.target} | ${row.met === undefined ? '—' : row.met ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}

export function machineLine(r: BenchResults): string {
  const m = r.machine;
  return `${m.date} · Node ${m.node} · ${m.cpu} · ${m.cores} cores · ${m.platform} · load average ${m.load.toFixed(1)} at start · run took ${r.seconds.toFixed(0)} s`;
}

export function payloadLine(r: BenchResults): string {
  const b = r.roundTrip.bytes;
  return `Response sizes (JSON-RPC result, bytes): echo ${b.echo}, read_data ${b.readData}, whoami ${b.whoami}, run_probe ${b.probe}, query ${r.query.bytes.query}.`;
}

export function allTargetsMet(r: BenchResults): boolean {
  return rows(r).every((row) => row.met !== false) && pagingMet(r.paging) && bigFilesMet(r.bigFiles) && engineMet(r.engine);
}
