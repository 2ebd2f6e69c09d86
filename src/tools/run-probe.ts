import { z } from 'zod';
import { parseSteps, type ParsedProbe } from '../probe/plan.js';
import { sourceAuthorization } from '../probe/source-requests.js';
import { probeInput } from '../probe/spec.js';
import type { QueryPlan } from './query-plan.js';
import { invalidArgument } from '../results/errors.js';
import { dataOutputShape, requestFor } from './common.js';
import { defineTool } from './define-tool.js';
import { targetPath } from './write-common.js';
import type * as ProbeRun from '../probe/run.js';

type ProbeRunModule = typeof ProbeRun;

export interface ProbePlan {
  parsed: ParsedProbe;
  queries: Map<string, QueryPlan>;
}

const STEP_HELP = [
  'filter {where: <typed predicate as in read_data>}',
  'select {columns}',
  'rename {columns: {old: new}}',
  'cast {columns: {col: int32|int64|float64|string|bool|timestamp|date}, on_error?: fail|null}',
  "derive {columns: {new: \"expression\"}} (arithmetic, || concat, comparisons, and/or/not, lower, upper, trim, length, concat, substr, coalesce, abs, round, floor, ceil, date_trunc('month', ts), year, month, day, if(c, a, b); 'text', \"quoted column\")",
  'join {right: <dataset>, on: [cols] | [{left, right}], how?: inner|left|right|full, suffix?}',
  'union {with: [datasets]}',
  'aggregate {by?: [cols], metrics: [{fn: count|count_distinct|sum|avg|min|max|stddev|median, column?, as?}]}',
  'deduplicate {columns?, keep?: first|last}',
  'normalize {column_names?: snake_case|lower, trim?: [cols], case?: {col: lower|upper}, scale?: {col: minmax|zscore}}',
  'sort {by: [{column, order?: asc|desc, nulls?: first|last}], limit?}',
  'limit {rows, offset?}',
  'sample {rows? | fraction?, seed?}',
].join('; ');

/** The probe runner pulls in the engine and Arrow; loaded on the first probe, once. */
let probeModule: Promise<ProbeRunModule> | undefined;

export const runProbe = defineTool({
  name: 'run_probe',
  title: 'Run a probe across sources',
  description:
    `Answer one question across several sources: fetch named sources (objects by path or glob, SQL on a warehouse, a session dataset, or a result:// handle), run ordered steps over them as Arrow tables, and optionally deliver the result to an object and/or save it in a session. Every source is policy-checked (and the destination for "deliver"); the whole probe is planned (columns exist, types fit) before data is fetched. Results are cached by source versions, steps and your identity: the answer says cache hit/miss and the entry's age. Each step is {op, ...fields, input?: dataset (default: previous output), as?: name}. Steps: ${STEP_HELP}.`,
  toolset: 'probe',
  risk: 'read',
  riskWhenWritable: 'write',
  // destination.overwrite replaces an object, where the destructive tier is served.
  replaces: 'when-destructive-served',
  input: probeInput,
  output: z.object({
    sources: z.array(z.object({ name: z.string(), label: z.string(), rows: z.number(), complete: z.boolean(), bytesRead: z.number().optional() })),
    steps: z.array(z.object({ step: z.number(), op: z.string(), rows: z.number(), ms: z.number() })),
    destination: z
      .object({ uri: z.string(), format: z.string(), rows: z.number(), bytes: z.number(), etag: z.string().optional(), alreadyExisted: z.boolean() })
      .optional()
      .describe('Where the result was delivered.'),
    savedAs: z.object({ session: z.string(), dataset: z.string() }).optional(),
    ...dataOutputShape,
  }),
  authorizesInHandler: true,
  async authorize(args, env) {
    const names = Object.keys(args.sources);
    if (names.length > env.config.probe.max_sources) throw invalidArgument(`the probe names ${names.length} sources; the limit is ${env.config.probe.max_sources}`, 'Combine sources with a glob, or split the probe.');
    const parsed = parseSteps(args.steps, names, await env.processors(), env.config.probe.max_steps);
    const { requests, queries } = await sourceAuthorization(args.sources, env);
    if (args.destination) {
      const path = targetPath(args.destination.path);
      requests.push(requestFor('deliver', args.destination.connector, path));
      if (args.destination.overwrite) requests.push(requestFor('delete', args.destination.connector, path));
    }
    return { requests, plan: { parsed, queries } satisfies ProbePlan };
  },
  async handler(args, ctx) {
    // Loaded on first use: the engine pulls in Arrow, which start-up must not pay for.
    probeModule ??= import('../probe/run.js');
    return (await probeModule).runProbeHandler(args, ctx, ctx.plan as ProbePlan);
  },
});
