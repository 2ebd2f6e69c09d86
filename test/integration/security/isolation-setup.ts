import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, type CallResult, type Harness } from '../../helpers/harness.js';
import { pgConfig } from '../../helpers/postgres.js';
import type { PrivateRedis } from '../../helpers/redis-server.js';
import { demoConfig } from '../tools/support.js';
import { token, TOKEN_ENV, tokenAuth } from '../tools/tokens.js';

/**
 * Two principals with different grants, on two servers that share one Redis (cache, results,
 * sessions) and one handle secret — as two replicas behind one host would. Sharing is the point:
 * whatever keeps the principals apart must be the binding to the principal, not a process
 * boundary or a per-process key.
 *   alice: restricted-reader — reads everything, including `events/` (classification restricted)
 *   bob:   reader            — reads everything except restricted data
 */
export const HANDLE_SECRET = 'isolation-test-handle-secret-0123456789abcdef';

export interface Principal {
  name: string;
  meta: Record<string, unknown>;
  call(h: Harness, tool: string, args?: Record<string, unknown>): Promise<CallResult>;
  read(h: Harness, uri: string): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; message: string; code: string; eventId: string }>;
}

export async function startIsolationServers(redis: PrivateRedis, pgSchema: string): Promise<{ a: Harness; b: Harness }> {
  const config = demoConfig({
    // A warehouse whose truncated results stay behind a live cursor (a handle of another kind).
    connectors: { pg: { ...pgConfig({ schemas: [pgSchema] }), annotations: { '': { classification: 'public' } } } },
    auth: tokenAuth([{ id: 'alice', roles: ['restricted-reader'] }, { id: 'bob', roles: ['reader'] }], true),
    annotations: { '': { classification: 'public' }, 'events/': { classification: 'restricted' } },
    extra: { cache: { redis_url: redis.url }, server: { env: 'dev', toolsets: ['catalog', 'data', 'probe'], handle_secret: HANDLE_SECRET } },
  });
  const a = await startHarness({ config, env: TOKEN_ENV });
  const b = await startHarness({ config, env: TOKEN_ENV });
  return { a, b };
}

export async function principal(name: string): Promise<Principal> {
  const meta = { 'data-mcp/token': await token(name, { expSeconds: 3600 }) };
  return {
    name,
    meta,
    call: (h, tool, args = {}) => h.call(tool, args, meta),
    async read(h, uri) {
      try {
        const got = await h.client.readResource({ uri, _meta: meta });
        return { ok: true, body: JSON.parse((got.contents[0] as { text: string }).text) as Record<string, unknown> };
      } catch (err) {
        if (!(err instanceof McpError)) throw err;
        // The server sends "CODE: message\nHint: …\n(event <id>)" as the JSON-RPC error message.
        const code = /(?:^|\s)([A-Z_]{4,}):/.exec(err.message)?.[1] ?? 'UNKNOWN';
        const eventId = /\(event ([0-9a-f-]{36})\)/.exec(err.message)?.[1] ?? '';
        return { ok: false, message: err.message, code, eventId };
      }
    },
  };
}

/** Handle variants an attacker could try from a handle they saw (all must be refused). */
export function tamperedHandles(handle: string): Array<[string, string]> {
  const raw = handle.slice('result://'.length);
  const [body = '', sig = ''] = raw.split('.');
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  const reencode = (p: Record<string, unknown>) => Buffer.from(JSON.stringify(p)).toString('base64url');
  return [
    ['a flipped character in the body', `result://${flip(body, 3)}.${sig}`],
    ['a flipped character in the signature', `result://${body}.${flip(sig, 2)}`],
    ['truncated', `result://${raw.slice(0, raw.length - 4)}`],
    ['the signature dropped', `result://${body}`],
    ['a longer life written into its payload', `result://${reencode({ ...payload, x: Number(payload.x) + 86_400 })}.${sig}`],
    ['another principal scope written into its payload', `result://${reencode({ ...payload, scope: 'sa:bob', principalScope: 'bob' })}.${sig}`],
  ];
}
