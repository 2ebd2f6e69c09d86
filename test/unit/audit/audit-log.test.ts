import { createPublicKey, verify } from 'node:crypto';
import { appendFile, mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computeHash, GENESIS_HASH } from '../../../src/audit/chain.js';
import type { CallRecord, CheckpointRecord } from '../../../src/audit/record.js';
import { verifyAuditLog } from '../../../src/audit/verify.js';
import { isDataMcpError } from '../../../src/results/errors.js';
import { registerSecret } from '../../../src/results/scrub.js';
import { canonicalJson } from '../../../src/util/canonical-json.js';
import { makeTempDir, openLog, readRecords, sampleEntry } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let path: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = join(dir, 'state', 'audit.jsonl');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup();
});

describe('AuditLog', () => {
  it('writes chained canonical lines in a 0600 file under a 0700 directory', async () => {
    const log = await openLog(path);
    const first = await log.append(sampleEntry(1), { durable: false });
    await log.append(sampleEntry(2, { decision: { result: 'deny', policies: ['deny-writes'] }, outcome: { status: 'denied', errorCode: 'POLICY_DENIED' } }), { durable: true });
    await log.close();

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'state'))).mode & 0o777).toBe(0o700);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    const records = lines.map((l) => JSON.parse(l) as CallRecord | CheckpointRecord);
    expect(records.map((r) => [r.type, r.seq])).toEqual([['call', 1], ['call', 2], ['checkpoint', 3]]);
    let prev = GENESIS_HASH;
    records.forEach((r) => {
      expect(r.prevHash).toBe(prev);
      expect(computeHash(r.prevHash, r)).toBe(r.hash);
      prev = r.hash;
    });
    const call = records[0] as CallRecord;
    expect(call).toEqual(first);
    expect(call.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(call.ts)).not.toBeNaN();
    expect(call.principal?.credentialScope).toEqual({ aws: 'aws:profile:demo', gcp: 'none' });
    expect((records[1] as CallRecord).outcome).toEqual({ status: 'denied', errorCode: 'POLICY_DENIED' });
  });

  it('never writes a secret: redaction happens before hashing, in every field', async () => {
    const canary = 'canary-4d8e2f-audit-file-bytes';
    registerSecret(canary);
    const log = await openLog(path);
    await log.append(
      sampleEntry(1, {
        tool: `tool-${canary}`,
        arguments: { password: 'plain-password-value', sql: `select '${canary}'`, nested: { api_key: 'plain-api-key' } },
        requests: [{ action: 'read', resource: `s3://bucket/${canary}` }],
        outcome: { status: 'failed', errorCode: 'UPSTREAM_ERROR', upstream: { jobId: canary } },
      }),
      { durable: true },
    );
    await log.close();
    const bytes = await readFile(path);
    for (const secret of [canary, 'plain-password-value', 'plain-api-key']) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect((await verifyAuditLog({ path })).ok).toBe(true);
  });

  it('copies the entry: extra fields are dropped and later mutation does not reach the record', async () => {
    const log = await openLog(path);
    const entry = { ...sampleEntry(1), hash: 'f'.repeat(64), injected: true } as ReturnType<typeof sampleEntry>;
    const written = log.append(entry, { durable: false });
    entry.tool = 'changed';
    const record = await written;
    await log.close();
    expect(record.tool).toBe('read_object');
    const [line] = await readRecords(path);
    expect(line).not.toHaveProperty('injected');
    expect((await verifyAuditLog({ path })).ok).toBe(true);
  });

  it('resumes the chain after a reopen', async () => {
    const a = await openLog(path);
    for (let i = 1; i <= 3; i++) await a.append(sampleEntry(i), { durable: false });
    await a.close(); // seq 4 = final checkpoint
    const b = await openLog(path);
    expect(b.head().seq).toBe(4);
    const next = await b.append(sampleEntry(5), { durable: false });
    expect(next.seq).toBe(5);
    await b.close();
    const report = await verifyAuditLog({ path });
    expect(report).toMatchObject({ ok: true, records: 6, calls: 4, checkpoints: 2, lastSeq: 6 });
    expect(report.warnings).toEqual([]);
  });

  it('refuses a second writer on the same log (it would fork the chain)', async () => {
    const a = await openLog(path);
    const err: unknown = await openLog(path).catch((e: unknown) => e);
    expect(isDataMcpError(err) && err.message).toMatch(/already being written by process \d+ \(this process\)/);
    await a.close();
    const b = await openLog(path);
    await b.close();
  });

  it('takes over the lock of a process that died, or of an earlier process with our pid', async () => {
    await mkdir(dirname(path), { recursive: true });
    for (const stalePid of [2147483646, process.pid]) {
      await writeFile(`${path}.lock`, `${stalePid}\n`);
      const log = await openLog(path);
      await log.append(sampleEntry(1), { durable: true });
      await log.close();
    }
    expect((await verifyAuditLog({ path })).ok).toBe(true);
  });

  it('serializes 1000 concurrent appends into contiguous seqs and a valid chain', async () => {
    const log = await openLog(path, { checkpointEvery: 64 });
    const records = await Promise.all(Array.from({ length: 1000 }, (_, i) => log.append(sampleEntry(i), { durable: i % 10 === 0 })));
    await log.close();
    expect(records.map((r) => r.seq)).toEqual([...records].map((r) => r.seq).sort((x, y) => x - y));
    const onDisk = await readRecords(path);
    expect(onDisk.map((r) => r.seq)).toEqual(onDisk.map((_, i) => i + 1));
    expect(onDisk.filter((r) => r.type === 'call')).toHaveLength(1000);
    const report = await verifyAuditLog({ path });
    expect(report).toMatchObject({ ok: true, calls: 1000, checkpoints: 16 });
  });

  it('writes signed checkpoints every N records and a head sidecar', async () => {
    const log = await openLog(path, { checkpointEvery: 3 });
    for (let i = 1; i <= 7; i++) await log.append(sampleEntry(i), { durable: false });
    await log.close();
    const records = await readRecords(path);
    const checkpoints = records.filter((r): r is CheckpointRecord => r.type === 'checkpoint');
    expect(checkpoints.map((c) => c.coversSeq)).toEqual([3, 7, 9]);
    const pub = createPublicKey(await readFile(`${path}.pub`, 'utf8'));
    for (const c of checkpoints) {
      const before = records.find((r) => r.seq === c.coversSeq);
      expect(c.headHash).toBe(before?.hash);
      const payload = canonicalJson({ coversSeq: c.coversSeq, headHash: c.headHash, ts: c.ts, keyId: c.keyId });
      expect(verify(null, Buffer.from(payload), pub, Buffer.from(c.signature, 'base64'))).toBe(true);
    }
    const head = JSON.parse(await readFile(`${path}.head`, 'utf8')) as Record<string, unknown>;
    const last = checkpoints.at(-1) as CheckpointRecord;
    expect(head).toMatchObject({ seq: last.seq, hash: last.hash, coversSeq: last.coversSeq, headHash: last.headHash, signature: last.signature, keyId: last.keyId });
    expect((await stat(`${path}.head`)).mode & 0o777).toBe(0o600);
  });

  it('keeps the last n call records for audit://recent', async () => {
    const log = await openLog(path, { checkpointEvery: 2 });
    for (let i = 1; i <= 5; i++) await log.append(sampleEntry(i), { durable: false });
    expect(log.recent(3).map((r) => r.durationMs)).toEqual([3, 4, 5]);
    expect(log.recent(0)).toEqual([]);
    expect(log.recent(100)).toHaveLength(5);
    await log.close();
  });

  it('refuses appends after close', async () => {
    const log = await openLog(path);
    await log.close();
    await log.close();
    const err: unknown = await log.append(sampleEntry(1), { durable: false }).catch((e: unknown) => e);
    expect(isDataMcpError(err) && err.code).toBe('UNAVAILABLE');
  });

  it('fails to open when the path is a directory', async () => {
    await mkdir(path, { recursive: true });
    const err: unknown = await openLog(path).catch((e: unknown) => e);
    expect(isDataMcpError(err) && err.code).toBe('UNAVAILABLE');
  });

  it('refuses to build on a log truncated before its last checkpoint', async () => {
    const a = await openLog(path, { checkpointEvery: 2 });
    for (let i = 1; i <= 4; i++) await a.append(sampleEntry(i), { durable: false });
    await a.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, `${lines.slice(0, 3).join('\n')}\n`);
    const err: unknown = await openLog(path).catch((e: unknown) => e);
    expect(isDataMcpError(err) && err.message).toMatch(/truncated/);
  });

  it('refuses to build on a last line that is not a valid record', async () => {
    const a = await openLog(path);
    await a.append(sampleEntry(1), { durable: false });
    await a.close();
    await appendFile(path, '{"type":"call","seq":3}\n');
    const err: unknown = await openLog(path).catch((e: unknown) => e);
    expect(isDataMcpError(err) && err.code).toBe('UNAVAILABLE');
  });

  it('seals a torn final line with a recovery record and continues the chain', async () => {
    const a = await openLog(path);
    await a.append(sampleEntry(1), { durable: true });
    await a.close();
    await appendFile(path, '{"type":"call","seq":3,"tool":"half-writ');
    const b = await openLog(path);
    const next = await b.append(sampleEntry(2), { durable: true });
    expect(next.seq).toBe(4);
    await b.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(lines[3] as string)).toMatchObject({ type: 'recovery', seq: 3, tornBytes: 40 });
    const report = await verifyAuditLog({ path });
    expect(report.ok).toBe(true);
    expect(report.warnings.join('\n')).toMatch(/line 3: torn line \(40 bytes\).*recovery record seq 3/);
  });

  it('keeps a whole record that lost only its newline', async () => {
    const a = await openLog(path);
    await a.append(sampleEntry(1), { durable: true });
    await a.append(sampleEntry(2), { durable: true });
    await a.close(); // seq 3 = final checkpoint
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, -1));
    const b = await openLog(path);
    expect((await b.append(sampleEntry(3), { durable: true })).seq).toBe(4);
    await b.close();
    const report = await verifyAuditLog({ path });
    expect(report).toMatchObject({ ok: true, calls: 3, checkpoints: 2, lastSeq: 5, warnings: [] });
  });
});

describe('AuditLog durability', () => {
  async function spyOnSync() {
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const events: string[] = [];
    const original = proto.datasync;
    const spy = vi.spyOn(proto, 'datasync').mockImplementation(async function (this: unknown) {
      await original.call(this);
      events.push('sync');
    });
    return { spy, events };
  }

  it('fsyncs a durable record before its promise resolves', async () => {
    const log = await openLog(path, { groupCommitMs: 3_600_000 });
    const { events } = await spyOnSync();
    await log.append(sampleEntry(1), { durable: true }).then(() => events.push('resolved'));
    expect(events).toEqual(['sync', 'resolved']);
    await log.close();
  });

  it('does not fsync per non-durable record (group commit), and a durable one syncs them all', async () => {
    const log = await openLog(path, { groupCommitMs: 3_600_000 });
    const { spy } = await spyOnSync();
    for (let i = 1; i <= 100; i++) await log.append(sampleEntry(i), { durable: false });
    expect(spy).not.toHaveBeenCalled();
    // Resolved means the OS has the line even before the fsync.
    expect((await readRecords(path)).filter((r) => r.type === 'call')).toHaveLength(100);
    await log.append(sampleEntry(101), { durable: true });
    expect(spy).toHaveBeenCalledTimes(1);
    await log.close();
  });

  it('fsyncs every record when fsync is "always"', async () => {
    const log = await openLog(path, { fsync: 'always', groupCommitMs: 3_600_000 });
    const { spy } = await spyOnSync();
    for (let i = 1; i <= 5; i++) await log.append(sampleEntry(i), { durable: false });
    expect(spy).toHaveBeenCalledTimes(5);
    await log.close();
  });

  it('fsyncs non-durable records on the group-commit timer', async () => {
    const log = await openLog(path, { groupCommitMs: 1 });
    const { spy } = await spyOnSync();
    await log.append(sampleEntry(1), { durable: false });
    await vi.waitFor(() => expect(spy).toHaveBeenCalled());
    await log.close();
  });
});
