import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, spawnServe } from '../helpers/cli.js';
import { recordFigure } from '../security/figures.js';

/**
 * kill -9 of the built server in the middle of a stream of write_data calls: every call the
 * client got an answer for has its audit record, the file set verifies, and a restart
 * continues the chain. rotate_bytes is small so the log rotates during the stream.
 */
const IN_FLIGHT = 4;
const KILL_AFTER = 40;

let base: string;
let configPath: string;
let auditDir: string;
let env: Record<string, string>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-audit-kill-'));
  const root = join(base, 'scratch');
  auditDir = join(base, 'audit');
  mkdirSync(root);
  configPath = join(base, 'config.yaml');
  // JSON is YAML: the whole config in one object.
  const config = {
    server: { env: 'dev', toolsets: ['catalog', 'data'], read_only: false },
    auth: { mode: 'none', default_service_account: 'writer', service_accounts: [{ id: 'writer', roles: ['reader', 'writer'] }] },
    connectors: { scratch: { kind: 'local', root } },
    audit: { path: join(auditDir, 'audit.jsonl'), rotate_bytes: 4096, checkpoint_every: 5, checkpoint_seconds: 3600 },
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  env = cliEnv();
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Response {
  id: number;
  result?: { isError?: boolean; structuredContent?: { path?: string } };
  error?: unknown;
}

/** A served child that collects its JSON-RPC responses and tells listeners about each. */
function serve(): { child: ChildProcessWithoutNullStreams; send: (msg: object) => void; responses: Response[]; onResponse: (fn: (r: Response) => void) => void } {
  const child = spawnServe(['-c', configPath], env);
  child.stderr.resume();
  const responses: Response[] = [];
  const listeners: Array<(r: Response) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const msg = JSON.parse(line) as Partial<Response>;
    if (typeof msg.id !== 'number') return;
    responses.push(msg as Response);
    for (const fn of listeners) fn(msg as Response);
  });
  return { child, send: (msg) => child.stdin.write(`${JSON.stringify(msg)}\n`), responses, onResponse: (fn) => listeners.push(fn) };
}

async function initialize(s: ReturnType<typeof serve>): Promise<void> {
  const ready = new Promise<void>((res) => s.onResponse((r) => r.id === 1 && res()));
  s.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'audit-kill-e2e', version: '1' } } });
  await ready;
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
}

const pathFor = (id: number) => `out/call-${id}.jsonl`;
const writeCall = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'write_data', arguments: { connector: 'scratch', path: pathFor(id), rows: [{ id, note: 'x'.repeat(64) }] } } });

interface CallRecordLike {
  type: string;
  seq: number;
  tool?: string;
  arguments?: { path?: string };
  outcome?: { status: string };
}

/** Whole records of every audit file, rotated ones first (a torn final line is left out). */
function auditRecords(): CallRecordLike[] {
  const files = readdirSync(auditDir)
    .filter((n) => /^audit\.jsonl(\.\d{6,})?$/.test(n))
    .sort((a, b) => (a === 'audit.jsonl' ? 1 : b === 'audit.jsonl' ? -1 : a.localeCompare(b)));
  return files.flatMap((n) => {
    const text = readFileSync(join(auditDir, n), 'utf8');
    return text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as CallRecordLike);
  });
}

/** Stream write_data calls, several in flight, and SIGKILL the server once `count` answers have arrived. */
async function streamAndKill(firstId: number, count: number): Promise<Response[]> {
  const s = serve();
  await initialize(s);
  let nextId = firstId;
  let answered = 0;
  const killed = new Promise<void>((res) => {
    s.onResponse((r) => {
      if (r.id < firstId) return;
      answered += 1;
      if (answered === count) {
        s.child.kill('SIGKILL');
        res();
      } else if (answered < count) {
        s.send(writeCall(nextId++));
      }
    });
  });
  // A new call goes out as each answer comes in, so IN_FLIGHT calls are open at every moment.
  for (let i = 0; i < IN_FLIGHT; i++) s.send(writeCall(nextId++));
  await killed;
  const [, signal] = (await once(s.child, 'close')) as [number | null, NodeJS.Signals | null];
  expect(signal).toBe('SIGKILL');
  return s.responses.filter((r) => r.id >= firstId);
}

describe('audit durability of the built server under kill -9', () => {
  it('loses no acknowledged write_data record across rotation, verifies, and resumes the chain', { timeout: 60_000 }, async (ctx) => {
    let lastSeq = 0;
    // Two lives killed mid-stream; the second starts from what the first kill left.
    for (const [round, count] of [KILL_AFTER, KILL_AFTER / 2].entries()) {
      const acknowledged = await streamAndKill(1000 * (round + 1), count);
      recordFigure(ctx, 'audit: kill -9 runs', 1);
      expect(acknowledged.length).toBeGreaterThanOrEqual(count);
      // Every answered call was an allowed write that succeeded: a write-class record, fsynced before the answer.
      expect(acknowledged.every((r) => r.result !== undefined && r.result.isError !== true)).toBe(true);
      const records = auditRecords();
      const audited = new Set(records.filter((r) => r.type === 'call' && r.tool === 'write_data' && r.outcome?.status === 'ok').map((r) => r.arguments?.path));
      const lost = acknowledged.filter((r) => !audited.has(pathFor(r.id)));
      recordFigure(ctx, 'audit: acknowledged records lost after kill -9', lost.length);
      expect(lost.map((r) => r.id)).toEqual([]);

      const verified = await runCli(['audit', 'verify', '-c', configPath], env);
      // A torn final line is only a warning; any bad record fails the run.
      expect(verified.stdout).not.toMatch(/FAILED/);
      expect(verified.stdout).toMatch(/^OK: \d+ record\(s\)/m);
      expect(verified.code).toBe(0);
      const seq = Math.max(...records.map((r) => r.seq));
      expect(seq).toBeGreaterThan(lastSeq);
      lastSeq = seq;
    }
    // The log rotated during the streams.
    expect(readdirSync(auditDir).filter((n) => /^audit\.jsonl\.\d{6}$/.test(n)).length).toBeGreaterThan(2);

    // A clean restart takes over the dead server's lock and continues the same chain.
    const again = serve();
    await initialize(again);
    const answer = new Promise<Response>((res) => again.onResponse((r) => r.id === 9999 && res(r)));
    again.send(writeCall(9999));
    expect((await answer).result?.isError).not.toBe(true);
    again.child.stdin.end();
    const [code] = (await once(again.child, 'close')) as [number | null];
    expect(code).toBe(0);
    const resumed = auditRecords().find((r) => r.arguments?.path === pathFor(9999));
    expect(resumed?.seq).toBeGreaterThan(lastSeq);
    const final = await runCli(['audit', 'verify', '-c', configPath], env);
    expect(final.code).toBe(0);
    expect(final.stdout).toMatch(/^OK: \d+ record\(s\): \d+ call\(s\), \d+ checkpoint\(s\); last seq \d+; \d+ files$/m);
  });
});
