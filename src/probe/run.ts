/**
 * One probe, start to end (DESIGN §10, issue 5): locate sources (versions for the cache key,
 * glob matches authorized) → cache → on a miss: schemas → plan → fetch → plan again on the
 * data → steps → store compressed → deliver / save_as (never cached: they happen every call).
 */
import type * as arrow from 'apache-arrow';
import { decodeTableBlob, encodeTableBlob } from '../cache/table-blob.js';
import type { ToolContext } from '../gate/context.js';
import { DataMcpError } from '../results/errors.js';
import type { ToolOutput } from '../tools/define-tool.js';
import type { ProbePlan } from '../tools/run-probe.js';
import { deliver, type Delivery } from './deliver.js';
import { executeSteps, type StepStat } from './execute.js';
import { fetchSource, locate, schemaOf, type FetchedSource, type LocatedSource } from './fetch.js';
import { planSchemas } from './plan.js';
import type { ProbeArgs } from './spec.js';

interface SourceStat {
  name: string;
  label: string;
  rows: number;
  complete: boolean;
  bytesRead?: number;
}

interface ProbeHeader {
  sources: SourceStat[];
  steps: StepStat[];
}

const READ_ACTIONS = new Set(['list', 'read', 'query']);

export async function runProbeHandler(args: ProbeArgs, ctx: ToolContext, plan: ProbePlan): Promise<ToolOutput> {
  const names = Object.keys(args.sources);
  // A session that cannot take the result is found out before any work.
  if (args.save_as) await ctx.sessions.get(args.save_as.session);
  const total = names.length + plan.parsed.steps.length + 2;
  await ctx.progress(0, total, `locating ${names.length} source(s)`);
  const located = await Promise.all(names.map((name) => locate(name, args.sources[name]!, ctx, plan.queries)));
  const ttl = args.cache_ttl_seconds ?? ctx.config.probe.cache_ttl_seconds;
  const key = { v: 1, sources: located.map((s) => [s.name, s.version]), steps: args.steps };
  let computed: { table: arrow.Table; header: ProbeHeader } | undefined;
  const compute = async (): Promise<Uint8Array> => {
    computed = await computeProbe(located, plan, ctx, total);
    return encodeTableBlob(computed.header, computed.table);
  };
  const cached = ttl > 0 ? await ctx.cache.compute(key, ttl, compute, (value) => value.byteLength <= ctx.config.probe.max_cached_bytes) : { value: await compute(), status: 'miss' as const, computed: true };
  const result = computed ?? (await decodeTableBlob<ProbeHeader>(cached.value));
  if (!result) throw new DataMcpError('INTERNAL', 'a cached probe result could not be decoded', 'Run the probe again with cache_ttl_seconds: 0.');
  const { table, header } = result;

  let delivery: Delivery | undefined;
  if (args.destination) {
    await ctx.progress(total - 1, total, `delivering ${table.numRows} row(s) to ${args.destination.connector}`);
    delivery = await deliver(table, args.destination, ctx);
  }
  if (args.save_as) {
    const grants = ctx.grants().filter((r) => READ_ACTIONS.has(r.action));
    await ctx.sessions.putDataset(args.save_as.session, args.save_as.dataset, table, grants);
  }
  await ctx.progress(total, total, 'done');
  const lineage = { sources: header.sources.map((s) => s.label), steps: header.steps.map((s) => s.op), ...(delivery ? { destination: delivery.uri } : {}) };
  const cacheOutcome = { status: cached.status, ...('ageMs' in cached && cached.ageMs !== undefined ? { ageMs: cached.ageMs } : {}) };
  return {
    structured: { sources: header.sources, steps: header.steps, ...(delivery ? { destination: delivery } : {}), ...(args.save_as ? { savedAs: args.save_as } : {}) },
    table,
    summary: summaryOf(header, table, cacheOutcome.status, delivery, args.save_as),
    cacheOutcome,
    wrote: delivery ? [args.destination!.connector] : [],
    audit: { rows: table.numRows, bytes: header.sources.reduce((sum, s) => sum + (s.bytesRead ?? 0), 0), lineage },
  };
}

async function computeProbe(located: LocatedSource[], plan: ProbePlan, ctx: ToolContext, total: number): Promise<{ table: arrow.Table; header: ProbeHeader }> {
  const limits = { maxRows: ctx.config.server.limits.max_rows };
  const fetched = new Map<string, FetchedSource>();
  let done = 0;
  const fetchOne = async (source: LocatedSource) => {
    fetched.set(source.name, await fetchSource(source, ctx));
    await ctx.progress(++done, total, `fetched source "${source.name}" (${done} of ${located.length})`);
  };
  // SQL sources reveal their columns only by running; the rest are planned before any fetch.
  const described = await Promise.all(located.map(async (s) => [s, await schemaOf(s, ctx)] as const));
  await Promise.all(described.filter(([, schema]) => schema === undefined).map(([s]) => fetchOne(s)));
  planSchemas(plan.parsed, new Map(described.map(([s, schema]) => [s.name, schema ?? fetched.get(s.name)!.table.schema])), limits);
  await Promise.all(located.filter((s) => !fetched.has(s.name)).map(fetchOne));
  const tables = new Map(located.map((s) => [s.name, fetched.get(s.name)!.table]));
  // Readers may widen a type the sample did not show: check the plan again on the real schemas.
  const planned = planSchemas(plan.parsed, new Map([...tables].map(([name, t]) => [name, t.schema])), limits);
  const { table, stats } = await executeSteps(plan.parsed, tables, planned, {
    limits,
    signal: ctx.signal,
    onStep: (number, steps, op) => ctx.progress(located.length + number, total, `step ${number} of ${steps}: ${op}`),
  });
  const sources = located.map((s) => {
    const f = fetched.get(s.name)!;
    return { name: s.name, label: f.label, rows: f.rows, complete: f.complete, ...(f.bytesRead !== undefined ? { bytesRead: f.bytesRead } : {}) };
  });
  return { table, header: { sources, steps: stats } };
}

function summaryOf(header: ProbeHeader, table: arrow.Table, cache: string, delivery: Delivery | undefined, saved: ProbeArgs['save_as']): string {
  const sources = header.sources.map((s) => `${s.name} (${s.rows} rows${s.complete ? '' : ', partial'})`).join(', ');
  const lines = [`Probe over ${sources} → ${header.steps.length} step(s) → ${table.numRows} row(s) (cache ${cache}).`];
  if (delivery) lines.push(delivery.alreadyExisted ? `${delivery.uri} already held exactly this result; nothing was written.` : `Delivered ${delivery.rows} row(s), ${delivery.bytes} bytes (${delivery.format}) to ${delivery.uri}.`);
  if (saved) lines.push(`Saved as dataset "${saved.dataset}" in session ${saved.session}.`);
  return lines.join('\n');
}
