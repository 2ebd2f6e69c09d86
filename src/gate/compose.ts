import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import type { SingleFlight } from '../cache/single-flight.js';
import type { Cache, CacheStatus } from '../cache/types.js';
import type { LoadedConfig } from '../config/load.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { IdentityResolver } from '../identity/resolver.js';
import { principalScope, type Principal } from '../identity/principal.js';
import type { PolicyEngine } from '../policy/engine.js';
import type { AuthzContext, AuthzRequest } from '../policy/types.js';
import { DataMcpError, notFound } from '../results/errors.js';
import { scrubDeep, scrubRegistered } from '../results/scrub.js';
import type { OpaqueTokens } from '../results/handles.js';
import type { ResultStore } from '../results/result-store.js';
import type { LiveResults } from '../results/live-results.js';
import type { PrincipalSessions, SessionStore } from '../sessions/store.js';
import { cacheKey } from '../cache/keys.js';
import type { ProcessorRegistry } from '../engine/registry.js';
import { lockedCompute } from '../cache/locked-compute.js';
import type { ToolDefinition, ToolOutput } from '../tools/define-tool.js';
import type { Logger } from '../logging/logger.js';
import { MAX_ARGUMENT_DEPTH, nestsDeeperThan } from './argument-depth.js';
import { writeAudit, type CallFacts } from './audit-step.js';
import { CallAuthorization } from './authorize.js';
import { noteWrite, runCached } from './cache-step.js';
import { gatedConnector } from './connector-view.js';
import type { ToolContext } from './context.js';
import { errorResult, outcomeStatus, toDataMcpError, type ErrorResult } from './errors.js';
import { shapeOutput } from './shape.js';

export interface GateDeps {
  loaded: LoadedConfig;
  identity: IdentityResolver;
  policy: PolicyEngine;
  cache: Cache;
  flight: SingleFlight;
  audit: AuditLog;
  registry: ConnectorRegistry;
  tokens: OpaqueTokens;
  results: ResultStore;
  live: LiveResults;
  sessions: SessionStore;
  processors: () => Promise<ProcessorRegistry>;
  logger: Logger;
}

export interface CallExtra {
  signal: AbortSignal;
  meta?: Record<string, unknown>;
  client: { name: string; version: string };
  sendProgress?: (progress: number, total: number | undefined, message: string) => Promise<void>;
}

export interface ToolCallResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
}

/** Largest argument object accepted (JSON bytes); bigger is refused before any work. */
const MAX_ARGUMENT_BYTES = 64 * 1024;

/**
 * The one path of a tool call (DESIGN §1): identity → policy → cache → connector → audit.
 * Nothing reaches a connector without an allow decision; nothing returns without an audit
 * record, and if that record cannot be written the call fails.
 */
export class Gate {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(readonly deps: GateDeps) {}

  /** Tracks a request so shutdown can let it finish (and be audited) before closing. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** Waits for in-flight requests, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
  }

  async callTool(tool: ToolDefinition, rawArgs: unknown, extra: CallExtra): Promise<ToolCallResult | ErrorResult> {
    const started = performance.now();
    const facts: CallFacts = { eventId: randomUUID(), tool: tool.name, client: extra.client, arguments: rawArgs, decisions: [], status: 'ok', durationMs: 0 };
    const { signal, timedOut } = this.callSignal(extra.signal);
    let result: ToolCallResult | ErrorResult;
    try {
      const principal = await this.deps.identity.resolve(extra.meta);
      facts.principal = principal;
      const args = this.parseArguments(tool, rawArgs);
      const authz = new CallAuthorization(this.deps.policy, principal, this.context(tool.name, extra));
      facts.decisions = authz.decisions;
      const authorized = await tool.authorize(args, { config: this.deps.loaded.config, connector: (name) => this.deps.registry.info(name), processors: this.deps.processors });
      const { requests, plan } = Array.isArray(authorized) ? { requests: authorized, plan: undefined } : authorized;
      // Policy would deny an unconfigured connector anyway; say what is actually wrong.
      const unknown = requests.find((r) => !this.deps.registry.has(r.resource.connector));
      if (unknown) throw notFound(`no connector named "${unknown.resource.connector.slice(0, 64)}"`, 'Call list_connectors to see the connectors you may use.');
      if (requests.length === 0 && !tool.selfService && !tool.authorizesInHandler) {
        throw new DataMcpError('POLICY_DENIED', `tool ${tool.name} named no resource to authorize`, 'This is a server fault; the call was refused to fail closed.');
      }
      authz.require(requests);
      const binding = { principalScope: principalScope(principal), policyVersion: this.deps.policy.version };
      const ctx = this.toolContext(tool, principal, authz, signal, extra, binding, plan);
      const run = async () => ({ ...(await tool.handler(args, ctx)), grants: authz.dynamicGrants });
      const cached = await runCached({ ...this.deps, config: this.deps.loaded.config }, tool, args, binding, run);
      const { output, fresh } = cached;
      // A handler that cached its own work (run_probe) reports that outcome instead.
      const status = cached.status ?? output.cacheOutcome?.status;
      const ageMs = cached.ageMs ?? output.cacheOutcome?.ageMs;
      // A served-from-cache output re-checks what its producer authorized mid-call (e.g. glob matches).
      if (!fresh) authz.require(output.grants ?? [], true);
      result = await this.shape(tool, output, requests, binding, status, ageMs);
      if (tool.risk !== 'read') for (const connector of new Set(output.wrote ?? requests.map((r) => r.resource.connector))) noteWrite(connector);
      Object.assign(facts, { rows: output.audit?.rows, bytes: output.audit?.bytes, upstream: output.audit?.upstream, lineage: output.audit?.lineage, cache: status });
    } catch (err) {
      const error = toDataMcpError(err, signal, timedOut);
      if (error.code === 'INTERNAL') this.deps.logger.error({ eventId: facts.eventId, tool: tool.name, err: err instanceof Error ? err.message : String(err) }, 'tool call failed');
      facts.status = outcomeStatus(error.code);
      facts.errorCode = error.code;
      result = errorResult(error, facts.eventId);
    }
    facts.durationMs = performance.now() - started;
    return this.audited(facts, tool.risk !== 'read', result);
  }

  /** Audits a request that did not run a tool (resource reads, unknown tools). */
  async audited<T>(facts: CallFacts, durable: boolean, result: T): Promise<T | ErrorResult> {
    try {
      await writeAudit(this.deps.audit, facts, durable);
      return result;
    } catch (err) {
      this.deps.logger.error({ eventId: facts.eventId, err: err instanceof Error ? err.message : String(err) }, 'audit write failed; failing the call');
      return errorResult(new DataMcpError('UNAVAILABLE', 'the audit log cannot be written, so the call was not completed', 'The operator must restore the audit log (disk, permissions) before calls can succeed.'), facts.eventId);
    }
  }

  context(tool: string, extra: Pick<CallExtra, 'client'>): AuthzContext {
    return { env: this.deps.loaded.config.server.env, now: new Date(), tool, agent: extra.client.name };
  }

  private parseArguments(tool: ToolDefinition, rawArgs: unknown): Record<string, unknown> {
    // Checked first, without recursion: the size check below and zod both recurse.
    if (nestsDeeperThan(rawArgs, MAX_ARGUMENT_DEPTH)) {
      throw new DataMcpError('INVALID_ARGUMENT', `arguments nest deeper than ${MAX_ARGUMENT_DEPTH} levels`, 'Send flat arguments: a filter nests at most 8 levels; use "in" instead of deep and/or/not chains.');
    }
    const size = Buffer.byteLength(JSON.stringify(rawArgs ?? {}));
    if (size > MAX_ARGUMENT_BYTES) {
      throw new DataMcpError('INVALID_ARGUMENT', `arguments are ${size} bytes; the limit is ${MAX_ARGUMENT_BYTES}`, 'Send smaller arguments: narrow filters and column lists.');
    }
    return tool.input.parse(rawArgs ?? {}) as Record<string, unknown>;
  }

  private callSignal(clientSignal: AbortSignal) {
    const timeout = AbortSignal.timeout(this.deps.loaded.config.server.limits.call_timeout_ms);
    const signal = AbortSignal.any([clientSignal, timeout]);
    return { signal, timedOut: () => timeout.aborted && !clientSignal.aborted };
  }

  private toolContext(tool: ToolDefinition, principal: Principal, authz: CallAuthorization, signal: AbortSignal, extra: CallExtra, binding: ToolContext['binding'], plan: unknown): ToolContext {
    const { registry, tokens } = this.deps;
    const deps = this.deps;
    let sessions: PrincipalSessions | undefined;
    return {
      principal,
      tool: tool.name,
      config: this.deps.loaded.config,
      embedded: this.deps.loaded.embedded,
      plan,
      signal,
      tokens,
      binding,
      authorize: (requests) => authz.require(requests, true),
      grants: () => authz.grantedRequests(),
      check: (request) => authz.evaluate(request, true),
      connector: (name) => gatedConnector(registry.info(name), () => registry.get(name), authz, principal, signal),
      connectorInfos: () => registry.list(),
      progress: async (progress, total, message) => {
        if (extra.sendProgress) await extra.sendProgress(progress, total, message);
      },
      cache: {
        compute: (request, ttlSeconds, compute, shouldStore) =>
          lockedCompute({
            cache: this.deps.cache,
            flight: this.deps.flight,
            key: cacheKey({ tool: tool.name, request, principalScope: binding.principalScope, policyVersion: binding.policyVersion }),
            ttlSeconds,
            lockMs: this.deps.loaded.config.server.limits.call_timeout_ms,
            signal,
            compute,
            ...(shouldStore ? { shouldStore } : {}),
          }),
      },
      // Hashed on first use: most calls never touch a session.
      get sessions() {
        sessions ??= deps.sessions.forScope(binding.principalScope);
        return sessions;
      },
      storedResult: async (handle) => {
        const raw = handle.startsWith('result://') ? handle.slice('result://'.length).split('?', 1)[0]! : handle;
        const { id, live } = this.deps.tokens.open('handle', raw, binding) as { id: string; live?: number };
        if (live) throw new DataMcpError('INVALID_ARGUMENT', 'this handle pages a live warehouse cursor, which a probe cannot read as a whole', 'Use the query itself as the probe source ({connector, sql}).');
        const stored = await this.deps.results.get(id);
        if (!stored) throw notFound('this result has expired or was evicted', 'Repeat the original call, or use its source directly.');
        authz.require(stored.requests, true);
        return stored.table;
      },
    };
  }

  private async shape(tool: ToolDefinition, output: ToolOutput, requests: AuthzRequest[], binding: ToolContext['binding'], cache?: CacheStatus, ageMs?: number): Promise<ToolCallResult> {
    const budget = this.deps.loaded.config.server.result_budget;
    const shaped = await shapeOutput(output, {
      budget: { maxRows: budget.max_rows, maxBytes: budget.max_bytes },
      ...(cache ? { cache } : {}),
      ...(ageMs !== undefined ? { cacheAgeMs: ageMs } : {}),
      moreUpstream: Boolean(output.more),
      storeRest: async (table) => {
        const all = [...requests, ...(output.grants ?? [])];
        if (output.more) return this.deps.tokens.mint('handle', { id: this.deps.live.put(requests[0]?.resource.connector ?? tool.name, table, output.more, all), live: 1 }, binding);
        const id = await this.deps.results.put({ table, requests: all, tool: tool.name });
        return this.deps.tokens.mint('handle', { id }, binding);
      },
    });
    // Configured secrets never leave in a result, even when a data source echoes one.
    return { content: [{ type: 'text', text: scrubRegistered(shaped.text) }], structuredContent: scrubDeep(shaped.structuredContent, scrubRegistered) };
  }
}
