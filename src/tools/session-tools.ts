import { z } from 'zod';
import { datasetName } from '../probe/spec.js';
import { invalidArgument } from '../results/errors.js';
import type { SessionManifest } from '../sessions/store.js';
import { dataOutputShape } from './common.js';
import { defineTool } from './define-tool.js';

/** Sessions belong to the caller alone: no resource to authorize, nothing upstream touched. */
const own = { toolset: 'probe' as const, risk: 'read' as const, selfService: true, authorize: () => [] };

const sessionId = z.string().min(1).max(64).describe('Session id, as session_create returned it.');
const valueKey = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'a key: letters, digits, "_", "-", "."');
/** Small values only: datasets go through run_probe's save_as. */
const MAX_VALUE_BYTES = 16 * 1024;

const sessionShape = z.object({
  id: z.string(),
  label: z.string().optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
  values: z.array(z.string()).describe('Keys of stored values.'),
  datasets: z.array(z.object({ name: z.string(), rows: z.number(), columns: z.array(z.object({ name: z.string(), type: z.string() })), bytes: z.number(), savedAt: z.string() })),
});

function describeSession(m: SessionManifest): z.infer<typeof sessionShape> {
  return { id: m.id, ...(m.label ? { label: m.label } : {}), createdAt: m.createdAt, expiresAt: m.expiresAt, values: Object.keys(m.values), datasets: m.datasets.map(({ version: _v, ...d }) => d) };
}

export const sessionCreate = defineTool({
  ...own,
  scratch: true,
  name: 'session_create',
  title: 'Create a session',
  description: 'Open a scratch session bound to you, with a time to live: keep small values (session_put) and probe results (run_probe save_as) between calls. Nobody else can see it.',
  input: z.object({ ttl_seconds: z.number().int().min(60).optional().describe('Lifetime (default: the server\'s, usually 1 h).'), label: z.string().max(200).optional() }).strict(),
  output: z.object({ session: sessionShape }),
  async handler(args, ctx) {
    const m = await ctx.sessions.create({ ...(args.ttl_seconds ? { ttlSeconds: args.ttl_seconds } : {}), ...(args.label ? { label: args.label } : {}) });
    return { structured: { session: describeSession(m) }, summary: `Session ${m.id} is open until ${m.expiresAt}.`, noStore: true };
  },
});

export const sessionPut = defineTool({
  ...own,
  scratch: true,
  // Replaces any previous value under the key: not additive-only.
  replaces: 'always',
  name: 'session_put',
  title: 'Keep a value in a session',
  description: 'Store a small JSON value (≤ 16 KiB) under a key in one of your sessions, replacing any previous value.',
  input: z.object({ session: sessionId, key: valueKey, value: z.unknown() }).strict(),
  output: z.object({ session: sessionShape }),
  async handler(args, ctx) {
    const text = JSON.stringify(args.value ?? null);
    if (Buffer.byteLength(text) > MAX_VALUE_BYTES) throw invalidArgument(`the value is ${Buffer.byteLength(text)} bytes; the limit is ${MAX_VALUE_BYTES}`, 'Keep large data as a dataset: run_probe with save_as.');
    const m = await ctx.sessions.putValue(args.session, args.key, JSON.parse(text) as unknown);
    return { structured: { session: describeSession(m) }, summary: `Stored "${args.key}" in session ${m.id}.`, noStore: true };
  },
});

export const sessionGet = defineTool({
  ...own,
  name: 'session_get',
  title: 'Read from a session',
  description: 'Read a value (key) or a dataset (dataset, with the result budget and a result:// handle for the rest) from one of your sessions. A dataset is served only while the policy still grants the sources it came from.',
  input: z
    .object({ session: sessionId, key: valueKey.optional(), dataset: datasetName.optional() })
    .strict()
    .refine((a) => (a.key === undefined) !== (a.dataset === undefined), { message: 'give exactly one of key or dataset' }),
  output: z.object({ session: z.string(), key: z.string().optional(), value: z.unknown().optional(), dataset: z.string().optional(), ...partialData() }),
  async handler(args, ctx) {
    if (args.dataset !== undefined) {
      const { table, requests } = await ctx.sessions.getDataset(args.session, args.dataset);
      ctx.authorize(requests);
      return { structured: { session: args.session, dataset: args.dataset }, table, summary: `Dataset "${args.dataset}" of session ${args.session}: ${table.numRows} row(s).`, noStore: true };
    }
    const m = await ctx.sessions.get(args.session);
    const key = args.key!;
    if (!(key in m.values)) throw invalidArgument(`session has no value "${key}"`, `Keys in this session: ${Object.keys(m.values).join(', ') || 'none'}.`);
    // Values are the agent's own notes, but they may hold text copied from data: keep them structured, not in the summary.
    return { structured: { session: m.id, key, value: m.values[key] }, summary: `Value "${key}" of session ${m.id} (in structured content).`, noStore: true };
  },
});

/** session_get returns a data table only for datasets: the data fields are optional there. */
function partialData() {
  return Object.fromEntries(Object.entries(dataOutputShape).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof dataOutputShape]: z.ZodOptional<(typeof dataOutputShape)[K]> };
}

export const sessionList = defineTool({
  ...own,
  name: 'session_list',
  title: 'List your sessions',
  description: 'List your open sessions with their values\' keys and datasets (rows, columns, size).',
  input: z.object({}).strict(),
  output: z.object({ sessions: z.array(sessionShape) }),
  async handler(_args, ctx) {
    const sessions = (await ctx.sessions.list()).map(describeSession);
    return { structured: { sessions }, summary: `${sessions.length} open session(s).`, noStore: true };
  },
});
