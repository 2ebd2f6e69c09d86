import type { Table } from 'apache-arrow';
import type { Lineage } from '../audit/record.js';
import type { CacheStatus } from '../cache/types.js';
import type { ProcessorRegistry } from '../engine/registry.js';
import type { z } from 'zod';
import type { Config, Toolset } from '../config/schema.js';
import type { ConnectorInfo } from '../connectors/types.js';
import type { AuthzRequest } from '../policy/types.js';
import type { ToolContext } from '../gate/context.js';

/** Risk tiers drive MCP annotations, registration filters (`--read-only`) and audit fsync. */
export type Risk = 'read' | 'write' | 'destructive';
export type TtlClass = 'read' | 'list' | 'schema';

/** What a handler returns; the gate shapes it (budget, handle, framing) after the cache. */
export interface ToolOutput {
  /** Tool-specific structured fields (the gate adds the data-table fields). */
  structured: Record<string, unknown>;
  /** A data table subject to the result budget, framed as untrusted in the text block. */
  table?: Table;
  /** Plain lines before the data block; must not contain data values (they are untrusted). */
  summary: string;
  /**
   * Further rows still upstream (a warehouse cursor): the gate keeps them behind a live
   * result handle, and such an output is never cached (a hit could not page on).
   */
  more?: () => AsyncIterable<Table>;
  /** Never cache this output (e.g. the result of a write). */
  noStore?: boolean;
  /** Connectors a write-class call wrote to (default: every connector it was authorized on). */
  wrote?: string[];
  /** Set by the gate: requests granted mid-call, re-checked when this output is served from cache. */
  grants?: AuthzRequest[];
  /** The cache outcome of work the handler cached itself (run_probe keys by source versions). */
  cacheOutcome?: { status: CacheStatus; ageMs?: number };
  /** Facts for the audit record. */
  audit?: { rows?: number; bytes?: number; upstream?: Record<string, string>; lineage?: Lineage };
}


export type AuthorizeResult = AuthzRequest[] | { requests: AuthzRequest[]; plan: unknown };

/** What `authorize` may consult: the config and static connector facts, never a connector. */
export interface AuthorizeEnv {
  config: Config;
  connector(name: string): ConnectorInfo;
  /** The probe processors (built-in and the operator's), loaded on first use. */
  processors(): Promise<ProcessorRegistry>;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  toolset: Toolset;
  risk: Risk;
  input: I;
  /** Schema of structuredContent; data tools extend `dataOutputShape`. */
  output: O;
  /**
   * The (action, resource) requests that must all allow before the handler runs. Only tools
   * marked `selfService` (they describe the caller, not a resource) may return none. May also
   * return a `plan` (e.g. the guarded SQL) that the handler receives as `ctx.plan`, so work
   * done to find the resources is not done twice.
   */
  authorize(args: z.infer<I>, env: AuthorizeEnv): AuthorizeResult | Promise<AuthorizeResult>;
  /** Risk when the server is not read-only (e.g. `query` may then write if the policy grants it). */
  riskWhenWritable?: Risk;
  selfService?: boolean;
  /**
   * `authorize` may name no resource because every resource is only known mid-call (a probe
   * over session datasets re-checks the grants they were made under). The connector views
   * still refuse anything no decision covers, so this cannot open a way around the policy.
   */
  authorizesInHandler?: boolean;
  /**
   * Changes only the caller's own scratch state (sessions), never a connector: served on a
   * read-only server like a read, but annotated as not read-only, because it is not.
   */
  scratch?: boolean;
  /**
   * Not additive-only although its tier is not 'destructive', so its destructiveHint must say
   * so: 'always' — it overwrites or drops state the caller kept (a session value, a session);
   * 'when-writable' — on a writable server it may change or remove rows (SQL UPDATE/DELETE);
   * 'when-destructive-served' — only where the destructive tier is served (a probe's overwrite).
   * `selectTools` resolves the conditional forms for the config being served.
   */
  replaces?: 'always' | 'when-writable' | 'when-destructive-served';
  /** A self-service tool that may still write to a connector (session_close's archive): open world. */
  reachesConnectors?: boolean;
  /** TTL class when the result may be cached; absent = never cached. */
  cache?: TtlClass;
  handler(args: z.infer<I>, ctx: ToolContext): Promise<ToolOutput>;
}

/** Identity helper that keeps the generic types of a definition. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return def;
}

export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** The one place risk becomes MCP annotations, so they are honest for every tool. */
export function annotationsFor(def: Pick<ToolDefinition, 'title' | 'risk' | 'selfService' | 'scratch' | 'replaces' | 'reachesConnectors'>): ToolAnnotations {
  const readOnly = def.risk === 'read' && !def.scratch;
  return {
    title: def.title,
    readOnlyHint: readOnly,
    destructiveHint: !readOnly && (def.risk === 'destructive' || def.replaces === 'always'),
    idempotentHint: readOnly,
    openWorldHint: !def.selfService || def.reachesConnectors === true,
  };
}
