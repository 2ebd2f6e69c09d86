import { cacheKey } from '../cache/keys.js';
import { getOrCompute, type SingleFlight } from '../cache/single-flight.js';
import type { Cache, CacheStatus } from '../cache/types.js';
import type { Config } from '../config/schema.js';
import type { ToolDefinition, ToolOutput } from '../tools/define-tool.js';
import { decodeOutput, encodeOutput } from './output-codec.js';

export interface CacheOutcome {
  output: ToolOutput;
  status?: CacheStatus;
  ageMs?: number;
  /** True when this call ran the handler itself (false: a hit, or another caller's result). */
  fresh: boolean;
}

/**
 * Runs after the policy step, so a hit is authorized and audited like any call. The key binds
 * tool, validated arguments, principal scope and policy version: principals never share.
 */
export async function runCached(
  deps: { cache: Cache; flight: SingleFlight; config: Config },
  tool: ToolDefinition,
  args: Record<string, unknown>,
  scope: { principalScope: string; policyVersion: string },
  compute: () => Promise<ToolOutput>,
): Promise<CacheOutcome> {
  if (!tool.cache) return { output: await compute(), fresh: true };
  const ttlSeconds = ttlFor(deps.config, tool.cache, typeof args.connector === 'string' ? args.connector : undefined);
  if (ttlSeconds <= 0) return { output: await compute(), fresh: true };
  const connector = typeof args.connector === 'string' ? args.connector : '';
  // The connector's write generation is part of the key: a write through this server makes
  // every earlier cached read of that connector unreachable, so nothing stale is served.
  const request = { args, writes: writeGenerations.get(connector) ?? 0 };
  const key = cacheKey({ tool: tool.name, request, principalScope: scope.principalScope, policyVersion: scope.policyVersion });
  let computed: ToolOutput | undefined;
  const got = await getOrCompute({
    cache: deps.cache,
    key,
    ttlSeconds,
    flight: deps.flight,
    maxSetWaitMs: deps.config.cache.command_timeout_ms,
    shouldStore: () => !computed?.more && !computed?.noStore,
    compute: async () => {
      computed = await compute();
      return encodeOutput(computed);
    },
  });
  // The caller that computed keeps its live output; coalesced callers and hits decode.
  const output = computed ?? decodeRemembered(key, got.value);
  return { output, status: got.status, fresh: computed !== undefined, ...(got.ageMs !== undefined ? { ageMs: got.ageMs } : {}) };
}

const writeGenerations = new Map<string, number>();

/** Called after a successful write-class call: cached reads of that connector are retired. */
export function noteWrite(connector: string): void {
  writeGenerations.set(connector, (writeGenerations.get(connector) ?? 0) + 1);
}

/**
 * Decoded outputs of recent hits, keyed by cache key and checked against the exact cached
 * bytes (a memcmp, far cheaper than decoding Arrow IPC again), so a hot entry is decoded once.
 */
const decoded = new Map<string, { bytes: Buffer; output: ToolOutput }>();
const DECODED_MAX = 32;

function decodeRemembered(key: string, value: Uint8Array): ToolOutput {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const known = decoded.get(key);
  if (known && known.bytes.equals(bytes)) return known.output;
  const output = decodeOutput(value);
  decoded.delete(key);
  if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value as string);
  decoded.set(key, { bytes: Buffer.from(bytes), output });
  return output;
}

function ttlFor(config: Config, ttlClass: 'read' | 'list' | 'schema', connector: string | undefined): number {
  const perConnector = connector ? config.connectors[connector]?.ttl?.[ttlClass] : undefined;
  return perConnector ?? config.cache.ttl[ttlClass];
}
